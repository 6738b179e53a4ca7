"""Days in a member's life: the local date an instant falls on, in their own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def local_day(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The day in the member's life that an instant falls on."""
    if instant.tzinfo is None:
        raise ValueError("an instant must carry its time zone")
    return instant.astimezone(zone).date()
