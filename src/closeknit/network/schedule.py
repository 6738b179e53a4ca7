"""When a group meets next: its first meeting plus an iCalendar RRULE, in the member's zone.

Pure functions, no database. A schedule repeats in the member's *wall-clock* time:
"every Tuesday at 19:00" stays at 19:00 when the clocks change, which is what
people mean. So the rule runs on naive local times and the zone is attached after.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr  # type: ignore[import-untyped]

EXAMPLE = "FREQ=WEEKLY;BYDAY=TU"

# Meetings repeat at most daily; finer rules are almost certainly typos, and
# walking them from an old first meeting would take a long time.
_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_FREQ = re.compile(r"(?:^|;)FREQ=([A-Z]*)")
# "UNTIL=20260630" means "up to and including 30 June" to people; dateutil reads midnight.
_UNTIL_DAY = re.compile(r"((?:^|;)UNTIL=\d{8})(?=;|$)")

# The Gregorian calendar repeats exactly every 400 years (146,097 days, a whole
# number of weeks and months). dateutil looks for a rule's next match up to the
# year 9999, which takes seconds for a rule that never matches (the 30th of
# February). Moving the start by whole 400-year cycles into 9560-9959 keeps
# every match in the same place relative to the start and bounds that search
# to 440 years, while still looking at least 40 years ahead.
_CYCLE_YEARS = 400
_CHECK_FROM_YEAR = 9560

# However old the first meeting, never step through more meetings than this.
_MAX_STEPS = 100_000


class ScheduleError(ValueError):
    """The schedule text is not a rule we can use; the message is for the member."""


def normalise(text: str) -> str:
    """The rule as we store it: upper case, no "RRULE:" prefix, no stray separators."""
    rule = text.strip().upper()
    if rule.startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    return ";".join(part.strip() for part in rule.split(";") if part.strip())


def _check_text(rule_text: str) -> None:
    if any(word in rule_text for word in ("\n", "DTSTART", "EXDATE", "RDATE", "BEGIN:")):
        raise ScheduleError(
            f"Please enter just the repeating rule, like {EXAMPLE}. "
            "The first meeting has its own field."
        )
    frequency = _FREQ.search(rule_text)
    if frequency is None:
        raise ScheduleError(f"A schedule needs a FREQ, for example {EXAMPLE} for every Tuesday.")
    if frequency.group(1) not in _FREQUENCIES:
        raise ScheduleError(
            "FREQ can be DAILY, WEEKLY, MONTHLY or YEARLY: meetings repeat at most once a day."
        )


def _ever_meets(rule: rrule, start: dt.datetime) -> bool:
    cycles = max(0, (_CHECK_FROM_YEAR - start.year + _CYCLE_YEARS - 1) // _CYCLE_YEARS)
    moved = start.replace(year=start.year + cycles * _CYCLE_YEARS)
    # Without an end: a rule whose UNTIL is already past still "meets", it just has no next meeting.
    probe = rule.replace(dtstart=moved, until=None)
    return next(iter(probe), None) is not None


def parse(text: str, start: dt.datetime) -> rrule:
    """The recurrence for `text` starting at the naive local time `start`.

    Raises ScheduleError with a message a person can act on.
    """
    rule_text = normalise(text)
    _check_text(rule_text)
    try:
        # ignoretz: an UNTIL written in UTC ("…Z") is read as local time; a few
        # hours do not matter for the day of the last meeting.
        rule = rrulestr(_UNTIL_DAY.sub(r"\1T235959", rule_text), dtstart=start, ignoretz=True)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise ScheduleError(
            f"We couldn't read that schedule ({error}). "
            f"Try something like {EXAMPLE} for every Tuesday."
        ) from error
    if not isinstance(rule, rrule):
        raise ScheduleError(f"Please enter a single repeating rule, like {EXAMPLE}.")
    if not _ever_meets(rule, start):
        raise ScheduleError("That schedule never meets. Could a day or month be off?")
    return rule


def validate(text: str) -> str:
    """The normalised rule, or ScheduleError. Validity does not depend on the start."""
    if not text.strip():
        return ""
    parse(text, dt.datetime(2001, 1, 1, 12, 0))
    return normalise(text)


def next_meetings(
    meets_from: dt.datetime | None,
    schedule: str,
    now: dt.datetime,
    zone: ZoneInfo,
    count: int = 3,
) -> list[dt.datetime]:
    """The next `count` meetings from `now` on, as aware datetimes in `zone`.

    With no first meeting, the schedule starts today at midnight: the dates are
    right, the time of day is unknown. With a first meeting and no schedule,
    that one meeting if it is still ahead. A schedule that cannot be read gives
    no meetings, so the group page still opens.
    """
    now_local = now.astimezone(zone).replace(tzinfo=None)
    if meets_from is None:
        start = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        start = meets_from.astimezone(zone).replace(tzinfo=None, microsecond=0)
    if not schedule.strip():
        if meets_from is not None and start >= now_local:
            return [start.replace(tzinfo=zone)]
        return []
    try:
        rule = parse(schedule, start)
    except ScheduleError:
        return []
    upcoming: list[dt.datetime] = []
    for step, when in enumerate(rule):
        if step >= _MAX_STEPS or len(upcoming) >= count:
            break
        if when >= now_local:
            upcoming.append(when.replace(tzinfo=zone))
    return upcoming
