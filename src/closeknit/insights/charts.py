"""Mood and stress over time, with contact days marked: coordinates for a plain SVG. Pure.

The chart is for sighted readers; a weekly table and a summary sentence carry the same
numbers in words. Days without a check-in leave a gap in the line, never a zero.

The rules:

- x: each local day first … last is one column of equal width (`column`) across the
  plot area (WIDTH less PAD_LEFT and PAD_RIGHT); a day's x is the middle of its column,
  so a one-day range sits in the middle. Days are dates, so a change of clock (DST)
  changes nothing.
- y: 0–10 for both mood and stress, higher is up; `y_ticks` at 0, 5 and 10 (`Tick.x`
  holds the y coordinate).
- `mood` and `stress` are SVG polyline "points" strings ("x,y x,y …", one decimal), one
  per run of consecutive days with a value; a day without one ends the run. A run of
  a single day is a one-point string, which a polyline draws as nothing, so the same
  days are also in `mood_dots` / `stress_dots` for the template to draw as small
  circles: loop over both and every value is shown exactly once.
- `contact_x`: the x of each contact day in the range, oldest first.
- `x_ticks`: at most MAX_X_TICKS labels. Up to SHORT_RANGE_DAYS days: day and month
  ("3 Dec") every ceil(days / 7) days from the first. Longer: the first of the month,
  every 1, 2, 3, 4, 6 or 12 months (the fewest that give seven or fewer), named "Apr",
  with the year on the first tick and on each January ("Jan 2026").
- `weeks`: Monday-start weeks that overlap the range, newest first, counting only the
  range's days: check-ins, mean mood and mean stress (None when the week has no
  value; one decimal), and contact days.
- `summary`: how many days have a check-in, the averages, the days with contact; with no
  check-in at all, a kind sentence instead of numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from closeknit.insights.connection import DayScores
from closeknit.lib.words import counted

WIDTH = 720
HEIGHT = 240
PAD_LEFT = 32  # room for the y labels
PAD_RIGHT = 12
PAD_TOP = 12
PAD_BOTTOM = 28  # room for the x labels
SCALE_MAX = 10  # mood and stress run 0–10
Y_TICKS = (0, 5, 10)
MAX_X_TICKS = 7
SHORT_RANGE_DAYS = 92  # up to about three months, ticks name days; beyond, months
MONTH_STEPS = (1, 2, 3, 4, 6, 12)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Point:
    """A lone day's value, drawn as a small circle (a polyline of one point draws nothing)."""

    x: float
    y: float


@dataclass(frozen=True)
class WeekRow:
    start: dt.date  # Monday
    checkins: int
    mood: float | None  # mean of the week's check-ins
    stress: float | None
    contact_days: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    mood: list[str]  # SVG polyline "points" strings, one per unbroken run of days
    stress: list[str]
    contact_x: list[float]  # x of each contact day
    x_ticks: list[Tick]
    y_ticks: list[Tick]  # 0, 5, 10 (Tick.x holds the y coordinate)
    weeks: list[WeekRow]  # newest first, for the table
    summary: str
    # Added: the days with a value but no neighbour (see the module's rules), the plot area
    # for axes and grid lines, and one day's column width (to draw a contact day as a band).
    mood_dots: list[Point] = field(default_factory=list)
    stress_dots: list[Point] = field(default_factory=list)
    column: float = 0.0
    left: float = PAD_LEFT
    right: float = WIDTH - PAD_RIGHT
    top: float = PAD_TOP
    bottom: float = HEIGHT - PAD_BOTTOM


def timeline(
    scores: Sequence[DayScores], contact_days: Collection[dt.date], first: dt.date, last: dt.date
) -> Timeline:
    """The chart for local days first … last."""
    if first > last:
        raise ValueError("the first day must not be after the last")
    days = (last - first).days + 1
    column = (WIDTH - PAD_LEFT - PAD_RIGHT) / days
    in_range = {score.day: score for score in scores if first <= score.day <= last}
    contacts = sorted({day for day in contact_days if first <= day <= last})
    each = [in_range.get(first + dt.timedelta(days=index)) for index in range(days)]
    moods = [score.mood if score else None for score in each]
    stresses = [score.stress if score else None for score in each]
    mood_runs, mood_dots = _lines(moods, column)
    stress_runs, stress_dots = _lines(stresses, column)
    return Timeline(
        width=WIDTH,
        height=HEIGHT,
        mood=mood_runs,
        stress=stress_runs,
        contact_x=[_x((day - first).days, column) for day in contacts],
        x_ticks=x_ticks(first, last, column),
        y_ticks=[Tick(_y(value), str(value)) for value in Y_TICKS],
        weeks=week_rows(in_range, set(contacts), first, last),
        summary=summary_words(in_range, len(contacts), first, last),
        mood_dots=mood_dots,
        stress_dots=stress_dots,
        column=round(column, 3),
    )


# --- Coordinates --------------------------------------------------------------------------------


def _x(index: int, column: float) -> float:
    return round(PAD_LEFT + (index + 0.5) * column, 1)


def _y(value: float) -> float:
    plot = HEIGHT - PAD_TOP - PAD_BOTTOM
    return round(PAD_TOP + plot * (1 - value / SCALE_MAX), 1)


def _lines(values: Sequence[int | None], column: float) -> tuple[list[str], list[Point]]:
    """One points string per run of days with a value; the lone days also as dots."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
            continue
        current.append((_x(index, column), _y(value)))
    if current:
        runs.append(current)
    lines = [" ".join(f"{x:.1f},{y:.1f}" for x, y in run) for run in runs]
    dots = [Point(run[0][0], run[0][1]) for run in runs if len(run) == 1]
    return lines, dots


def x_ticks(first: dt.date, last: dt.date, column: float) -> list[Tick]:
    """A few readable dates: days for a short range, months for a long one."""
    days = (last - first).days + 1
    if days <= SHORT_RANGE_DAYS:
        step = math.ceil(days / MAX_X_TICKS)
        return [
            Tick(_x(index, column), _day_label(first + dt.timedelta(days=index)))
            for index in range(0, days, step)
        ]
    starts = _month_starts(first, last)
    step = _month_step(starts)
    chosen = [day for day in starts if _on_step(day, step)]
    return [
        Tick(_x((day - first).days, column), _month_label(day, with_year=index == 0))
        for index, day in enumerate(chosen)
    ]


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    day = first if first.day == 1 else _next_month(first)
    found: list[dt.date] = []
    while day <= last:
        found.append(day)
        day = _next_month(day)
    return found


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_step(starts: Sequence[dt.date]) -> int:
    """The fewest months apart that leave at most MAX_X_TICKS ticks."""
    for step in MONTH_STEPS:
        if sum(_on_step(day, step) for day in starts) <= MAX_X_TICKS:
            return step
    # Longer than seven years (not asked for by the pages): whole years apart.
    step = 24
    while sum(_on_step(day, step) for day in starts) > MAX_X_TICKS:
        step += 12
    return step


def _on_step(day: dt.date, step: int) -> bool:
    return (day.year * 12 + day.month - 1) % step == 0


def _day_label(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _month_label(day: dt.date, with_year: bool) -> str:
    name = _MONTHS[day.month - 1]
    return f"{name} {day.year}" if with_year or day.month == 1 else name


# --- The table and the words --------------------------------------------------------------------


def week_rows(
    scores: dict[dt.date, DayScores], contacts: set[dt.date], first: dt.date, last: dt.date
) -> list[WeekRow]:
    """Monday-start weeks overlapping first … last, newest first, counting the range's days only."""
    rows: list[WeekRow] = []
    monday = last - dt.timedelta(days=last.weekday())
    while monday + dt.timedelta(days=6) >= first:
        every = (monday + dt.timedelta(days=offset) for offset in range(7))
        week = [day for day in every if first <= day <= last]
        checked = [scores[day] for day in week if day in scores]
        rows.append(
            WeekRow(
                start=monday,
                checkins=len(checked),
                mood=_mean([score.mood for score in checked]),
                stress=_mean([score.stress for score in checked]),
                contact_days=sum(day in contacts for day in week),
            )
        )
        monday -= dt.timedelta(days=7)
    return rows


def _mean(values: Sequence[int | None], digits: int = 1) -> float | None:
    present = [value for value in values if value is not None]
    if not present:
        return None
    return round(sum(present) / len(present), digits)


def summary_words(
    scores: dict[dt.date, DayScores], contact_days: int, first: dt.date, last: dt.date
) -> str:
    """The chart in one or two sentences."""
    days = (last - first).days + 1
    span = f"on {_date(first)}" if days == 1 else f"from {_date(first)} to {_date(last)}"
    contact = _contact_words(contact_days, days)
    if not scores:
        when = f"on {_date(first)}" if days == 1 else f"between {_date(first)} and {_date(last)}"
        text = (
            f"No check-ins {when} yet. Whenever you check in, your mood and stress will "
            "show up here."
        )
        return f"{text} {contact[0].upper()}{contact[1:]}." if contact_days else text
    text = f"Check-ins on {len(scores)} of {counted(days, 'day')}, {span}."
    said = _averages(
        _mean([score.mood for score in scores.values()]),
        _mean([score.stress for score in scores.values()]),
    )
    if said:
        return f"{text} {said}; {contact}."
    return f"{text} {contact[0].upper()}{contact[1:]}."


def _averages(mood: float | None, stress: float | None) -> str:
    if mood is not None and stress is not None:
        return f"Mood averaged {mood:.1f} and stress {stress:.1f}"
    if mood is not None:
        return f"Mood averaged {mood:.1f}"
    if stress is not None:
        return f"Stress averaged {stress:.1f}"
    return ""


def _contact_words(contact_days: int, days: int) -> str:
    if contact_days == 0:
        return "there's no contact logged in this time"
    if days == 1:
        return "you had contact that day"
    return f"you had contact on {counted(contact_days, 'day')}"


def _date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
