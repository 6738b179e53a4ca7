from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeknit.notify.quiet import first_instant_at, has_quiet_hours, is_quiet, quiet_ends

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
T = dt.time


def at(zone: ZoneInfo, *parts: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone, fold=fold)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("quiet_from", "quiet_until"),
    [(None, None), (T(22), None), (None, T(7)), (T(22), T(22)), (T(0), T(0))],
)
def test_missing_or_equal_times_mean_no_quiet_hours(quiet_from, quiet_until):
    moment = at(LONDON, 2026, 3, 2, 23, 0)
    assert not has_quiet_hours(quiet_from, quiet_until)
    assert not is_quiet(quiet_from, quiet_until, moment, LONDON)
    assert quiet_ends(quiet_from, quiet_until, moment, LONDON) is None


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [
        (T(21, 59), False),
        (T(22, 0), True),  # the start is quiet
        (T(23, 59), True),
        (T(0, 0), True),
        (T(6, 59), True),
        (T(7, 0), False),  # the end is not
        (T(12, 0), False),
    ],
)
def test_a_span_across_midnight(clock, quiet):
    moment = dt.datetime.combine(dt.date(2026, 3, 2), clock, tzinfo=LONDON)
    assert is_quiet(T(22), T(7), moment, LONDON) is quiet


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [(T(12, 59), False), (T(13, 0), True), (T(14, 30), True), (T(15, 0), False), (T(3), False)],
)
def test_a_span_within_one_day(clock, quiet):
    moment = dt.datetime.combine(dt.date(2026, 3, 2), clock, tzinfo=LONDON)
    assert is_quiet(T(13), T(15), moment, LONDON) is quiet


def test_quiet_hours_are_read_on_the_members_clock():
    # 06:00 UTC is 06:00 in London (winter) but 22:00 the evening before in Los Angeles.
    moment = dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
    assert is_quiet(T(22), T(7), moment, LONDON)
    assert is_quiet(T(22), T(7), moment, LOS_ANGELES)
    moment = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # noon in London, 04:00 in LA
    assert not is_quiet(T(22), T(7), moment, LONDON)
    assert is_quiet(T(22), T(7), moment, LOS_ANGELES)


def test_quiet_hours_keep_to_the_clock_in_summer():
    # 06:30 UTC in July is 07:30 in London: no longer quiet.
    assert not is_quiet(T(22), T(7), dt.datetime(2026, 7, 1, 6, 30, tzinfo=UTC), LONDON)
    assert is_quiet(T(22), T(7), dt.datetime(2026, 1, 1, 6, 30, tzinfo=UTC), LONDON)


def test_evening_quiet_time_ends_the_next_morning():
    ends = quiet_ends(T(22), T(7), at(LONDON, 2026, 3, 2, 23, 15), LONDON)
    assert ends == dt.datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert ends is not None and ends.tzinfo == UTC


def test_quiet_time_after_midnight_ends_the_same_morning():
    ends = quiet_ends(T(22), T(7), at(LONDON, 2026, 3, 3, 2, 0), LONDON)
    assert ends == dt.datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def test_a_daytime_span_ends_the_same_day():
    ends = quiet_ends(T(13), T(15), at(LOS_ANGELES, 2026, 3, 2, 13, 30), LOS_ANGELES)
    assert ends == dt.datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 15:00 PST


def test_not_quiet_has_no_end():
    assert quiet_ends(T(22), T(7), at(LONDON, 2026, 3, 2, 12, 0), LONDON) is None


def test_quiet_end_in_summer_time_is_an_hour_earlier_in_utc():
    ends = quiet_ends(T(22), T(7), at(LONDON, 2026, 7, 1, 23, 0), LONDON)
    assert ends == dt.datetime(2026, 7, 2, 6, 0, tzinfo=UTC)


def test_quiet_end_across_the_spring_change_uses_the_new_offset():
    # London springs forward on 29 March 2026: 07:00 that morning is BST (06:00 UTC).
    ends = quiet_ends(T(22), T(7), at(LONDON, 2026, 3, 28, 23, 0), LONDON)
    assert ends == dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_quiet_end_across_the_autumn_change_uses_the_new_offset():
    # London falls back on 25 October 2026: 07:00 that morning is GMT (07:00 UTC).
    ends = quiet_ends(T(22), T(7), at(LONDON, 2026, 10, 24, 23, 0), LONDON)
    assert ends == dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_a_quiet_end_that_never_happens_ends_when_the_clock_jumps():
    # New York springs forward on 8 March 2026 at 02:00 EST, straight to 03:00 EDT
    # (07:00 UTC): 02:30 never happens that night.
    ends = quiet_ends(T(22), T(2, 30), at(NEW_YORK, 2026, 3, 8, 0, 30), NEW_YORK)
    assert ends == dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    # Still quiet just before the jump, not after it.
    assert is_quiet(T(22), T(2, 30), dt.datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC), NEW_YORK)
    assert not is_quiet(T(22), T(2, 30), dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC), NEW_YORK)


def test_london_spring_forward_gap():
    # London jumps from 01:00 GMT to 02:00 BST (01:00 UTC): 01:30 never happens.
    ends = quiet_ends(T(23), T(1, 30), at(LONDON, 2026, 3, 29, 0, 15), LONDON)
    assert ends == dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_a_quiet_end_that_happens_twice_ends_the_first_time():
    # London falls back at 02:00 BST to 01:00 GMT: 01:30 happens at 00:30 and 01:30 UTC.
    first_pass = dt.datetime(2026, 10, 25, 0, 15, tzinfo=UTC)  # 01:15 BST
    assert quiet_ends(T(22), T(1, 30), first_pass, LONDON) == dt.datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_on_the_second_pass_of_a_repeated_hour_quiet_ends_the_second_time():
    second_pass = dt.datetime(2026, 10, 25, 1, 15, tzinfo=UTC)  # 01:15 GMT
    assert quiet_ends(T(22), T(1, 30), second_pass, LONDON) == dt.datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )


def test_first_instant_at_an_ordinary_time():
    wall = dt.datetime(2026, 3, 2, 7, 0)
    after = dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert first_instant_at(wall, LONDON, after=after) == dt.datetime(2026, 3, 2, 7, tzinfo=UTC)


ZONES = [LONDON, NEW_YORK, LOS_ANGELES, ZoneInfo("Australia/Sydney"), ZoneInfo("UTC")]


@given(
    st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2028, 12, 31),
        timezones=st.just(UTC),
    ),
    st.times(),
    st.times(),
    st.sampled_from(ZONES),
)
def test_quiet_time_always_ends_later_and_is_not_quiet_then(moment, quiet_from, quiet_until, zone):
    quiet_from, quiet_until = quiet_from.replace(microsecond=0), quiet_until.replace(microsecond=0)
    ends = quiet_ends(quiet_from, quiet_until, moment, zone)
    if not is_quiet(quiet_from, quiet_until, moment, zone):
        assert ends is None
        return
    assert ends is not None
    assert moment < ends <= moment + dt.timedelta(hours=26)
    assert not is_quiet(quiet_from, quiet_until, ends, zone)
    # Just before the end it is still quiet: the end is the first moment out.
    assert is_quiet(quiet_from, quiet_until, max(moment, ends - dt.timedelta(seconds=1)), zone)
