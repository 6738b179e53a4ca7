"""Treatment retention: how many appointments the member went to, and the rules for marking them.

Pure functions over plain data (no database, no request), so every rule is
unit-tested on its own (tests/recovery/test_attendance.py).

The rate is attended ÷ (attended + missed) over the appointments that *started*
in the last `window_days`. Cancelled ones are left out: cancelling in advance is
looking after yourself, not missing. Appointments still marked "scheduled" are
left out too: nobody has said yet how they went, and guessing would be a made-up
number. With nothing to count the rate is None, which the pages say as "no data yet".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from closeknit.recovery.vocab import AppointmentStatus

WINDOW_DAYS = 90

ATTENDED = AppointmentStatus.ATTENDED.value
MISSED = AppointmentStatus.MISSED.value
CANCELLED = AppointmentStatus.CANCELLED.value
SCHEDULED = AppointmentStatus.SCHEDULED.value

# "I went" and "I missed it" describe something that has happened; "It was
# cancelled" (and putting it back to scheduled) can be said at any time.
AFTER_THE_START = frozenset({ATTENDED, MISSED})


@dataclass(frozen=True)
class Attendance:
    attended: int
    missed: int
    rate: float | None
    window_days: int

    @property
    def counted(self) -> int:
        """How many appointments the rate is based on."""
        return self.attended + self.missed


def _require_aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone).")


def attendance(
    rows: Iterable[tuple[dt.datetime, str]], now: dt.datetime, window_days: int = WINDOW_DAYS
) -> Attendance:
    """Attendance over the appointments that started in the last `window_days`, up to `now`.

    `rows` are (starts_at, status) pairs of aware datetimes. Both ends of the
    window count: an appointment that started exactly `window_days` ago, or
    exactly now, is in it. Pass `now` in the member's time zone: aware
    arithmetic keeps the wall-clock time, so the window is `window_days`
    calendar days for them, whichever way the clocks changed in between.
    """
    _require_aware(now, "now")
    if window_days < 1:
        raise ValueError("window_days must be at least 1.")
    since = now - dt.timedelta(days=window_days)
    attended = missed = 0
    for starts_at, status in rows:
        _require_aware(starts_at, "starts_at")
        if not since <= starts_at <= now:
            continue
        if status == ATTENDED:
            attended += 1
        elif status == MISSED:
            missed += 1
    counted = attended + missed
    rate = attended / counted if counted else None
    return Attendance(attended=attended, missed=missed, rate=rate, window_days=window_days)


def summary(result: Attendance) -> str:
    """The sentence the appointments page shows, with the numbers behind the rate."""
    days = f"the last {result.window_days} days"
    if result.rate is None:
        return (
            f"No data yet: once an appointment in {days} has passed, "
            "note whether you went and you'll see how it's going here."
        )
    if result.attended == 0:
        noun = "appointment" if result.missed == 1 else "appointments"
        return (
            f"You couldn't make the {result.missed} {noun} you noted in {days}. "
            "That happens, and every next one is a fresh start."
        )
    return f"You went to {result.attended} of {result.counted} in {days}."


def percent(result: Attendance) -> int | None:
    """The rate as a whole percentage, rounded half up, for people to read."""
    if result.rate is None:
        return None
    return int(result.rate * 100 + 0.5)


def status_problem(status: str, starts_at: dt.datetime, now: dt.datetime) -> str | None:
    """Why `status` can't be set on an appointment starting at `starts_at` yet; None if it can."""
    if status not in AppointmentStatus.values:
        return "Please choose scheduled, attended, missed or cancelled."
    if status in AFTER_THE_START and starts_at > now:
        return (
            "This one hasn't started yet. You can note how it went once it has; "
            "if it's off, you can mark it cancelled now."
        )
    return None
