"""Quiet hours: whether a channel should stay silent at a moment, and until when. Pure.

A channel's quiet hours are two wall-clock times in the member's zone, from
`quiet_from` up to (not including) `quiet_until`. The span may cross midnight
(22:00–07:00). Equal times, or either one missing, mean no quiet hours: an
empty span is more likely a half-filled form than a wish never to be reached.

Times are the member's wall-clock times, so quiet hours keep to the clock
across daylight-saving changes. The end of a quiet span is the first moment
the clock shows `quiet_until` or later: on a spring-forward night where 02:30
never happens, quiet time that ends at 02:30 ends when the clock jumps.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def has_quiet_hours(quiet_from: dt.time | None, quiet_until: dt.time | None) -> bool:
    return quiet_from is not None and quiet_until is not None and quiet_from != quiet_until


def _quiet_at(quiet_from: dt.time, quiet_until: dt.time, clock: dt.time) -> bool:
    if quiet_from < quiet_until:
        return quiet_from <= clock < quiet_until
    return clock >= quiet_from or clock < quiet_until


def is_quiet(
    quiet_from: dt.time | None, quiet_until: dt.time | None, instant: dt.datetime, zone: ZoneInfo
) -> bool:
    """Whether `instant` falls in the quiet hours, read on the member's clock."""
    if quiet_from is None or quiet_until is None or not has_quiet_hours(quiet_from, quiet_until):
        return False
    clock = instant.astimezone(zone).time().replace(tzinfo=None, fold=0)
    return _quiet_at(quiet_from, quiet_until, clock)


def quiet_ends(
    quiet_from: dt.time | None, quiet_until: dt.time | None, instant: dt.datetime, zone: ZoneInfo
) -> dt.datetime | None:
    """When the quiet hours around `instant` end (in UTC), or None when it isn't quiet."""
    if quiet_from is None or quiet_until is None:
        return None
    if not is_quiet(quiet_from, quiet_until, instant, zone):
        return None
    local = instant.astimezone(zone)
    day = local.date()
    if local.time().replace(tzinfo=None, fold=0) >= quiet_until:
        # Quiet since `quiet_from` this evening: it ends tomorrow morning.
        day += dt.timedelta(days=1)
    return first_instant_at(dt.datetime.combine(day, quiet_until), zone, after=instant)


def first_instant_at(wall: dt.datetime, zone: ZoneInfo, *, after: dt.datetime) -> dt.datetime:
    """The first instant later than `after` at which the clock in `zone` reaches `wall`.

    A wall time that happens twice (clocks going back) is met the first time
    unless that is already past; one that never happens (clocks going forward)
    is reached at the jump.
    """
    earlier = wall.replace(fold=0, tzinfo=zone)
    later = wall.replace(fold=1, tzinfo=zone)
    if earlier.utcoffset() == later.utcoffset() or earlier.astimezone(UTC) < later.astimezone(UTC):
        # An ordinary time, or one that happens twice: fold 0 is the first time.
        for candidate in (earlier, later):
            if candidate.astimezone(UTC) > after:
                return candidate.astimezone(UTC)
        return later.astimezone(UTC)
    return _jump(wall, zone)


def _jump(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The instant the clock jumps over `wall`, a time that does not exist in `zone`.

    Read with the offset from before the jump, `wall` is an instant after it; read
    with the offset from after, one before it. The jump lies between: found by
    halving, to the second (zoneinfo does not tell transitions directly).
    """
    naive = wall.replace(tzinfo=None, fold=0)
    low = int(wall.replace(fold=1, tzinfo=zone).timestamp())
    high = int(wall.replace(fold=0, tzinfo=zone).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if dt.datetime.fromtimestamp(middle, zone).replace(tzinfo=None, fold=0) >= naive:
            high = middle
        else:
            low = middle
    return dt.datetime.fromtimestamp(high, UTC)
