"""Pure reading of the moments in time the API receives (filters and naive date-times).

No database and no request here, so every rule is unit-tested on its own
(tests/api/test_values.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """An aware datetime: a naive one is read as wall-clock time in `zone`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=zone)
    return moment


def parse_moment(text: str) -> date | datetime:
    """An ISO 8601 date ("2024-03-01") or date and time ("2024-03-01T09:30", "…+02:00")."""
    text = text.strip()
    if "T" not in text and " " not in text:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date or time we can read. "
            "Use ISO 8601, for example 2024-03-01 or 2024-03-01T09:30:00+00:00."
        ) from None


def lower_bound(moment: date | datetime, zone: tzinfo) -> datetime:
    """The first instant `moment` covers: a date starts at midnight in the member's zone."""
    if isinstance(moment, datetime):
        return in_zone(moment, zone)
    return datetime.combine(moment, time.min, tzinfo=zone)


def upper_bound(moment: date | datetime, zone: tzinfo) -> datetime:
    """The first instant after `moment`: a date covers its whole day in the member's zone.

    Filter with `< upper_bound(...)`. A date-time is inclusive, so the bound is one
    microsecond (the database's finest step) later.
    """
    if isinstance(moment, datetime):
        return in_zone(moment, zone) + timedelta(microseconds=1)
    return datetime.combine(moment + timedelta(days=1), time.min, tzinfo=zone)
