"""Mood and stress as weekly averages: all a supporter with `mood_trend` ever sees of check-ins.

Pure: (day, mood, stress) rows in, weeks out. The rules:

- A check-in's `day` is already the member's local day, and `today` is the member's
  local today, so weeks are made of the member's days whatever the supporter's zone.
- Weeks start on Monday. The result is the last `weeks` weeks (12 unless asked), oldest
  first, ending with the week that holds `today`; that one is still under way
  (`partial`), and counts only the days up to today.
- A week's mood is the mean of its days that have a mood, and its stress the mean of
  its days that have a stress; a week with no such day has None, never 0.
- `mood_days` and `stress_days` say how many days are behind each mean, so a mean of
  one day reads as what it is.
- Rows outside the window (older, or after `today`) are left out.
- Means are kept exact; `shown` and `rounded` give one decimal for display only.
- Notes, answers and single days never come out of here: only weekly means and counts.
- What a supporter sees is `shared`: only full weeks, the last of them ending on the
  Sunday before today (a running mean of the week under way would give away each new
  day: n·new − (n−1)·old), and a mean only when at least MIN_DAYS days are behind it
  (a mean of one day is that day). The count of days is shown either way.

`chart` turns the weeks into coordinates for a small SVG line chart; the weekly table
beside it carries the same numbers in words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from closeknit.lib.words import counted

WEEKS = 12
MIN_DAYS = 2  # the fewest days behind a mean a supporter sees
SCALE_MAX = 10  # mood and stress run 0–10

Row = tuple[dt.date, int | None, int | None]


@dataclass(frozen=True)
class Week:
    start: dt.date  # a Monday
    mood: float | None
    stress: float | None
    mood_days: int
    stress_days: int
    partial: bool = False  # the week of today, still under way

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def is_empty(self) -> bool:
        return self.mood is None and self.stress is None


def monday(day: dt.date) -> dt.date:
    """The Monday that starts the week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def first_day(today: dt.date, weeks: int = WEEKS) -> dt.date:
    """The first day the weeks cover: the Monday `weeks - 1` weeks before this week's."""
    if weeks < 1:
        raise ValueError("at least one week")
    return monday(today) - dt.timedelta(weeks=weeks - 1)


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def weekly(rows: Iterable[Row], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` Monday weeks up to `today`, oldest first."""
    start = first_day(today, weeks)
    moods: dict[dt.date, list[int]] = {}
    stresses: dict[dt.date, list[int]] = {}
    for day, mood, stress in rows:
        if not start <= day <= today:
            continue
        week = monday(day)
        if mood is not None:
            moods.setdefault(week, []).append(mood)
        if stress is not None:
            stresses.setdefault(week, []).append(stress)
    this_week = monday(today)
    result = []
    for index in range(weeks):
        week = start + dt.timedelta(weeks=index)
        week_moods, week_stresses = moods.get(week, []), stresses.get(week, [])
        result.append(
            Week(
                start=week,
                mood=_mean(week_moods),
                stress=_mean(week_stresses),
                mood_days=len(week_moods),
                stress_days=len(week_stresses),
                partial=week == this_week,
            )
        )
    return result


def last_full_day(today: dt.date) -> dt.date:
    """The Sunday that ends the last full week before `today`'s."""
    return monday(today) - dt.timedelta(days=1)


def shared(rows: Iterable[Row], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """The weeks a supporter sees: the last `weeks` full weeks, means of MIN_DAYS or more."""

    def kept(mean: float | None, days: int) -> float | None:
        return mean if days >= MIN_DAYS else None

    return [
        dataclasses.replace(
            week,
            mood=kept(week.mood, week.mood_days),
            stress=kept(week.stress, week.stress_days),
            partial=False,  # it ended on the Sunday before today
        )
        for week in weekly(rows, last_full_day(today), weeks)
    ]


def rounded(value: float | None) -> float | None:
    """One decimal, halves rounded up (2.25 → 2.3), as people round; None stays None."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def shown(value: float | None) -> str:
    """A mean as the page shows it: "6.3", or "" when the week has none."""
    value = rounded(value)
    return "" if value is None else f"{value:.1f}"


# The chart --------------------------------------------------------------------------------

WIDTH = 480
HEIGHT = 160
PAD_LEFT = 28  # room for the 0/5/10 labels
PAD_RIGHT = 28  # room for half the newest week's label, such as "30 Nov"
PAD_TOP = 8
PAD_BOTTOM = 24  # room for the week labels
Y_TICKS = (0, 5, 10)
X_LABELS = 4  # label about this many weeks, so the labels never crowd


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    at: float  # x for a week, y for a value
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    mood: list[str]  # SVG polyline "points", one per run of weeks with a value
    stress: list[str]
    mood_dots: list[Point]  # weeks with a value but no neighbour: a polyline of one draws nothing
    stress_dots: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    summary: str
    left: float = PAD_LEFT
    right: float = WIDTH - PAD_RIGHT
    bottom: float = HEIGHT - PAD_BOTTOM


def _x(index: int, count: int) -> float:
    column = (WIDTH - PAD_LEFT - PAD_RIGHT) / count
    return round(PAD_LEFT + (index + 0.5) * column, 1)


def _y(value: float) -> float:
    plot = HEIGHT - PAD_TOP - PAD_BOTTOM
    return round(PAD_TOP + plot * (1 - value / SCALE_MAX), 1)


def _runs(values: Sequence[float | None]) -> tuple[list[str], list[Point]]:
    """Polyline strings for each unbroken run of weeks, and the lone weeks as dots."""
    lines: list[str] = []
    dots: list[Point] = []
    run: list[Point] = []
    for index, value in enumerate([*values, None]):
        if value is not None:
            run.append(Point(_x(index, len(values)), _y(value)))
            continue
        if len(run) == 1:
            dots.append(run[0])
        elif run:
            lines.append(" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run))
        run = []
    return lines, dots


def summary(weeks: Sequence[Week]) -> str:
    """One sentence for the chart's text alternative."""
    with_values = [week for week in weeks if not week.is_empty]
    span = f"the last {counted(len(weeks), 'week')}"
    if not with_values:
        return f"No check-ins in {span}."
    latest = with_values[-1]
    parts = []
    if latest.mood is not None:
        parts.append(f"mood {shown(latest.mood)}")
    if latest.stress is not None:
        parts.append(f"stress {shown(latest.stress)}")
    verb = "has" if len(with_values) == 1 else "have"
    return (
        f"{counted(len(with_values), 'week')} of {span} {verb} check-ins. "
        f"The latest, the week of {latest.start:%-d %B}: {' and '.join(parts)} (0 to 10)."
    )


def chart(weeks: Sequence[Week]) -> Chart:
    """Coordinates of the weeks (oldest first) for a plain SVG; gaps stay gaps."""
    if not weeks:
        raise ValueError("at least one week")
    mood, mood_dots = _runs([week.mood for week in weeks])
    stress, stress_dots = _runs([week.stress for week in weeks])
    every = max(1, -(-len(weeks) // X_LABELS))
    # Label from the newest week back, so the current week always has its label.
    labelled = range(len(weeks) - 1, -1, -every)
    x_ticks = [
        Tick(_x(index, len(weeks)), f"{weeks[index].start:%-d %b}") for index in sorted(labelled)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        mood=mood,
        stress=stress,
        mood_dots=mood_dots,
        stress_dots=stress_dots,
        x_ticks=x_ticks,
        y_ticks=[Tick(_y(value), str(value)) for value in Y_TICKS],
        summary=summary(weeks),
    )
