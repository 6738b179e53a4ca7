"""The rules of the daily check-in and its month calendar, as pure functions.

A check-in belongs to a day in the member's life: the local date in their own
time zone (23:30 in London is still that London day). There is one per day; a
second one for the same day edits the first. Past days can be filled in, days
still ahead cannot.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The parts of a check-in that say something; at least one of them is needed.
ANSWER_FIELDS = ("mood", "stress", "sleep_hours", "self_care", "connected", "note")
EMPTY = "Fill in at least one thing, even just your mood: that is plenty."
FUTURE = "That day is still ahead; you can check in for today or any day before."
EARLIEST = dt.date(1900, 1, 1)
TOO_EARLY = "That is further back than a check-in can go."
# The last month whose calendar weeks and following month still fit in a date (year 9999).
LATEST_MONTH = dt.date(9998, 12, 1)


def is_empty(values: Mapping[str, Any]) -> bool:
    """Whether a check-in would say nothing at all (no number, no self-care, no note)."""
    for name in ANSWER_FIELDS:
        value = values.get(name)
        if isinstance(value, str):
            if value.strip():
                return False
        elif value not in (None, [], ()):
            return False
    return True


def day_problem(day: dt.date, today: dt.date) -> str | None:
    """Why a check-in can't be for this day, or None when it can."""
    if day > today:
        return FUTURE
    if day < EARLIEST:
        return TOO_EARLY
    return None


def parse_day(text: str) -> dt.date | None:
    """A day from a URL or query ("2026-11-30"), or None when it isn't one."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """The first day of the month asked for ("2026-11"), this month when absent or unreadable.

    Months before the earliest check-in or too near the end of the calendar count as
    unreadable: their calendar or previous/next month would not fit in a date.
    """
    if text:
        try:
            year, month = (int(part) for part in text.split("-", 1))
            first = dt.date(year, month, 1)
        except (ValueError, OverflowError):  # a year too big for a C int overflows
            pass
        else:
            if EARLIEST <= first <= LATEST_MONTH:
                return first
    return today.replace(day=1)


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def sleep_value(hours: Decimal | float | None) -> float | None:
    return None if hours is None else float(hours)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    is_today: bool
    is_future: bool
    entry: Any = None  # the check-in of that day, if any


def month_weeks(
    first: dt.date, today: dt.date, entries: Mapping[dt.date, Any]
) -> list[list[CalendarDay]]:
    """The weeks (Monday first) of the month that starts on `first`, each day with its entry."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    return [
        [
            CalendarDay(
                day=day,
                in_month=day.month == first.month,
                is_today=day == today,
                is_future=day > today,
                entry=entries.get(day) if day.month == first.month else None,
            )
            for day in week
        ]
        for week in weeks
    ]


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that starts on `first`."""
    last = calendar.monthrange(first.year, first.month)[1]
    return first, first.replace(day=last)
