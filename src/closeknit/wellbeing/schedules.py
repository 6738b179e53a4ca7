"""Which repeated questionnaires are due, as a pure function of the schedules and past results.

A questionnaire the member chose to repeat every N days is due N days after the
local day it was last answered, and at once when it has never been answered
(since the day the schedule was made). Days are the member's local days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# What a member can pick on the schedule page: days between answers, and how it reads.
FREQUENCIES: tuple[tuple[int, str], ...] = (
    (7, "Every week"),
    (14, "Every 2 weeks"),
    (28, "Every 4 weeks"),
    (91, "Every 3 months"),
)


@dataclass(frozen=True)
class Plan:
    instrument: str
    every_days: int
    since: dt.date  # the local day the schedule was made


@dataclass(frozen=True)
class Due:
    instrument: str
    due_on: dt.date
    last_taken: dt.date | None

    def days_late(self, today: dt.date) -> int:
        return (today - self.due_on).days


def next_due(plan: Plan, last_taken: dt.date | None) -> dt.date:
    if last_taken is None:
        return plan.since
    return last_taken + dt.timedelta(days=plan.every_days)


def due(plans: Iterable[Plan], last_taken: Mapping[str, dt.date], today: dt.date) -> list[Due]:
    """The scheduled questionnaires due on `today`, the longest waiting first."""
    found = [
        Due(plan.instrument, when, last_taken.get(plan.instrument))
        for plan in plans
        if (when := next_due(plan, last_taken.get(plan.instrument))) <= today
    ]
    return sorted(found, key=lambda one: (one.due_on, one.instrument))


def frequency_label(every_days: int) -> str:
    for days, label in FREQUENCIES:
        if days == every_days:
            return label
    if every_days == 1:
        return "Every day"
    return f"Every {every_days} days"
