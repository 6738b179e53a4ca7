"""Which days are worth marking in a span of days: birthdays, anniversaries, recovery milestones.

Pure: plain data in, `UpcomingOccasion`s out, no database. `occasions_store`
feeds it the member's people and stored occasions; the occasions page, the home
page, the calendar feed, the API and the reminders all read the same answer.

- A **birthday** comes round every year on the person's day. Its year may be
  unknown (then any stored year is ignored and no age is said). Someone born on
  29 February celebrates on 28 February in other years.
- An **anniversary** or **something else** comes round every year from its day
  (the day itself counts too), or happens once when it doesn't repeat.
- A **recovery** occasion's day is the day recovery started. Its milestones are
  1 week, 30, 60 and 90 days, 6 months (the same day of the month, or the
  month's last day when it has none), and then every year.

Each occurrence has a key that stays the same however often it is computed and
that no other occurrence shares: reminders are de-duplicated by it and the
calendar feed uses it as the event's UID.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from closeknit.rhythms.vocab import OccasionKind

BIRTHDAY = OccasionKind.BIRTHDAY.value
ANNIVERSARY = OccasionKind.ANNIVERSARY.value
RECOVERY = OccasionKind.RECOVERY.value
CUSTOM = OccasionKind.CUSTOM.value

# A recovery occasion named like this (or left at the form's default) reads as "your recovery".
RECOVERY_DEFAULT_TITLE = "My recovery"
_PLAIN_RECOVERY_TITLES = {"", "my recovery", "recovery", "your recovery", "recovery start"}

# The early milestones: (days after the start, how it is said, its part of the key).
EARLY_MILESTONES: tuple[tuple[int, str, str], ...] = (
    (7, "1 week", "1w"),
    (30, "30 days", "30d"),
    (60, "60 days", "60d"),
    (90, "90 days", "90d"),
)
HALF_YEAR_MONTHS = 6

RECOVERY_PROMPT = "That's worth marking. Who would you like to share it with?"


@dataclass(frozen=True)
class UpcomingOccasion:
    key: str  # stable and unique per occurrence, e.g. "birthday-12-2027"
    day: dt.date
    kind: str  # an OccasionKind slug
    title: str  # "Sam's birthday", "90 days since you started your recovery"
    person_id: int | None
    prompt: str  # a kind prompt to celebrate or mark it
    occasion_id: int | None = None  # the stored Occasion, None for a birthday
    years: int | None = None  # how many years it has been (a known age, an anniversary's count)


@dataclass(frozen=True)
class Birthday:
    """A person's birthday as stored: the day, and whether its year means anything."""

    person_id: int
    name: str  # what the member calls them
    day: dt.date
    year_known: bool = True


@dataclass(frozen=True)
class StoredOccasion:
    """An Occasion row as plain data."""

    occasion_id: int
    kind: str
    title: str
    day: dt.date
    repeats_yearly: bool = True
    person_id: int | None = None
    person_name: str = ""  # what the member calls them, when there is a person


# Days ----------------------------------------------------------------------------------


def on_in_year(month: int, day: int, year: int) -> dt.date:
    """The day (`month`, `day`) in `year`; 29 February is 28 February in a common year."""
    return dt.date(year, month, min(day, gregorian.monthrange(year, month)[1]))


def add_years(start: dt.date, years: int) -> dt.date:
    return on_in_year(start.month, start.day, start.year + years)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or that month's last day when it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return on_in_year(month, start.day, year)


def _yearly(start: dt.date, first: dt.date, last: dt.date) -> Iterator[tuple[int, dt.date]]:
    """(years since `start`, the day) for each yearly return of `start` within [first, last].

    Years before `start` are never given; the start itself is year 0.
    """
    for year in range(max(first.year, start.year), last.year + 1):
        day = on_in_year(start.month, start.day, year)
        if first <= day <= last:
            yield year - start.year, day


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


def _possessive(name: str) -> str:
    return f"{name}'s"


# Birthdays ------------------------------------------------------------------------------


def birthdays(birthday: Birthday, first: dt.date, last: dt.date) -> list[UpcomingOccasion]:
    name = birthday.name
    found = []
    years: list[tuple[int | None, dt.date]]
    if birthday.year_known:
        # A known year: ages from 1, so a birthday typed in the future shows nothing before it.
        years = [(age, day) for age, day in _yearly(birthday.day, first, last) if age >= 1]
    else:
        # The stored year is a placeholder: every year counts, and no age is said.
        years = [
            (None, on_in_year(birthday.day.month, birthday.day.day, year))
            for year in range(first.year, last.year + 1)
        ]
    for age, day in years:
        if not first <= day <= last:
            continue
        prompt = f"A birthday to celebrate with {name} — a message or a call can mean a lot."
        if age is not None:
            prompt = f"{name} turns {age}. {prompt}"
        found.append(
            UpcomingOccasion(
                key=f"birthday-{birthday.person_id}-{day.year}",
                day=day,
                kind=BIRTHDAY,
                title=f"{_possessive(name)} birthday",
                person_id=birthday.person_id,
                prompt=prompt,
                years=age,
            )
        )
    return found


# Anniversaries and everything else -------------------------------------------------------


def _marking_prompt(occasion: StoredOccasion, years: int) -> str:
    """Gentle words: an anniversary can be a happy day or a hard one, so "mark", not "celebrate"."""
    name = occasion.person_name
    if occasion.kind == ANNIVERSARY and years >= 1:
        if name:
            return (
                f"{_years(years)} on. Would you like to mark it with {name}? "
                "A message or a call can mean a lot."
            )
        return f"{_years(years)} on. A moment to remember, in whatever way feels right to you."
    if name:
        return f"Would you like to mark it with {name}? A message or a call can mean a lot."
    return "A day worth marking, in whatever way feels right to you."


def dated(occasion: StoredOccasion, first: dt.date, last: dt.date) -> list[UpcomingOccasion]:
    """An anniversary or custom occasion: every year from its day, or once."""
    if occasion.repeats_yearly:
        returns = list(_yearly(occasion.day, first, last))
    else:
        returns = [(0, occasion.day)] if first <= occasion.day <= last else []
    return [
        UpcomingOccasion(
            key=f"occasion-{occasion.occasion_id}-{day.year}",
            day=day,
            kind=occasion.kind,
            title=occasion.title,
            person_id=occasion.person_id,
            prompt=_marking_prompt(occasion, years),
            occasion_id=occasion.occasion_id,
            years=years if occasion.repeats_yearly and years >= 1 else None,
        )
        for years, day in returns
    ]


# Recovery milestones ----------------------------------------------------------------------


def recovery_title(title: str, span: str) -> str:
    """ "90 days since you started your recovery", or with the member's own name for it."""
    if title.strip().casefold() in _PLAIN_RECOVERY_TITLES:
        return f"{span} since you started your recovery"
    return f"{title.strip()}: {span}"


def milestones(start: dt.date, first: dt.date, last: dt.date) -> list[tuple[dt.date, str, str]]:
    """(day, how it is said, key part) of each milestone from `start` within [first, last]."""
    found = [(start + dt.timedelta(days=days), span, part) for days, span, part in EARLY_MILESTONES]
    found.append((add_months(start, HALF_YEAR_MONTHS), "6 months", "6m"))
    found.extend(
        (day, _years(years), f"{years}y")
        for years, day in _yearly(start, first, last)
        if years >= 1
    )
    return [(day, span, part) for day, span, part in found if first <= day <= last]


def recovery(occasion: StoredOccasion, first: dt.date, last: dt.date) -> list[UpcomingOccasion]:
    # The start day is in the key: after a fresh start (the day changed), each milestone is
    # a new occasion to mark, not one already reminded of.
    return [
        UpcomingOccasion(
            key=f"recovery-{occasion.occasion_id}-{occasion.day:%Y%m%d}-{part}",
            day=day,
            kind=RECOVERY,
            title=recovery_title(occasion.title, span),
            person_id=occasion.person_id,
            prompt=RECOVERY_PROMPT,
            occasion_id=occasion.occasion_id,
            years=int(part[:-1]) if part.endswith("y") else None,
        )
        for day, span, part in milestones(occasion.day, first, last)
    ]


# Everything together -----------------------------------------------------------------------


def expand(occasion: StoredOccasion, first: dt.date, last: dt.date) -> list[UpcomingOccasion]:
    if occasion.kind == RECOVERY:
        return recovery(occasion, first, last)
    return dated(occasion, first, last)


def upcoming(
    people: Iterable[Birthday],
    stored: Iterable[StoredOccasion],
    first: dt.date,
    last: dt.date,
) -> list[UpcomingOccasion]:
    """Every occasion from `first` to `last` (both included), by day; empty if `last` < `first`."""
    if last < first:
        return []
    found = [one for birthday in people for one in birthdays(birthday, first, last)]
    found.extend(one for occasion in stored for one in expand(occasion, first, last))
    return sorted(found, key=lambda one: (one.day, one.title.casefold(), one.key))


def on_day(found: Iterable[UpcomingOccasion], day: dt.date) -> list[UpcomingOccasion]:
    return [one for one in found if one.day == day]


def when_words(day: dt.date, today: dt.date) -> str:
    """ "Today", "Tomorrow", "In 5 days": how far off an occasion is, for the pages."""
    days = (day - today).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Tomorrow"
    if days == -1:
        return "Yesterday"
    if days < 0:
        return f"{-days} days ago"
    return f"In {days} days"
