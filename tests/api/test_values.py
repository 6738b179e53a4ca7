"""The pure rules behind the API: reading moments in the member's zone, recording token use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from closeknit.api.auth import TOUCH_EVERY, needs_touch
from closeknit.api.values import in_zone, lower_bound, parse_moment, upper_bound

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def test_naive_time_is_read_in_the_members_zone():
    moment = in_zone(datetime(2024, 7, 1, 9, 30), LONDON)
    assert moment.astimezone(UTC) == datetime(2024, 7, 1, 8, 30, tzinfo=UTC)


def test_naive_time_in_winter_has_no_summer_offset():
    moment = in_zone(datetime(2024, 1, 15, 9, 30), LONDON)
    assert moment.astimezone(UTC) == datetime(2024, 1, 15, 9, 30, tzinfo=UTC)


def test_time_with_an_offset_keeps_it():
    sent = datetime(2024, 7, 1, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    assert in_zone(sent, LONDON) is sent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        (" 2024-03-01 ", date(2024, 3, 1)),
        ("2024-03-01T09:30", datetime(2024, 3, 1, 9, 30)),
        ("2024-03-01T09:30:00Z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
        ("2024-03-01 09:30:00+00:00", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ],
)
def test_parse_moment_reads_dates_and_date_times(text, expected):
    parsed = parse_moment(text)
    assert parsed == expected
    assert type(parsed) is type(expected)


@pytest.mark.parametrize("text", ["", "yesterday", "2024-13-01", "2024-02-30", "01/03/2024"])
def test_parse_moment_refuses_what_is_not_iso_8601_with_an_example(text):
    with pytest.raises(ValueError, match="ISO 8601, for example 2024-03-01"):
        parse_moment(text)


def test_a_date_starts_at_midnight_in_the_members_zone():
    assert lower_bound(date(2024, 7, 1), LONDON) == datetime(2024, 6, 30, 23, 0, tzinfo=UTC)
    assert lower_bound(date(2024, 7, 1), AUCKLAND) == datetime(2024, 6, 30, 12, 0, tzinfo=UTC)


def test_a_date_as_upper_bound_covers_the_whole_day():
    assert upper_bound(date(2024, 7, 1), LONDON) == datetime(2024, 7, 1, 23, 0, tzinfo=UTC)


def test_a_date_spanning_a_clock_change_is_23_hours_long():
    start = lower_bound(date(2024, 3, 31), LONDON)
    end = upper_bound(date(2024, 3, 31), LONDON)
    # Subtracting in UTC: Python compares wall clocks when both share one zone.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def test_a_date_time_upper_bound_includes_that_instant():
    moment = datetime(2024, 7, 1, 9, 30, tzinfo=UTC)
    assert upper_bound(moment, LONDON) > moment
    assert upper_bound(moment, LONDON) - moment == timedelta(microseconds=1)


def test_a_naive_date_time_bound_is_read_in_the_members_zone():
    assert lower_bound(datetime(2024, 7, 1, 9, 30), LONDON) == datetime(
        2024, 7, 1, 8, 30, tzinfo=UTC
    )


NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


def test_first_use_of_a_token_is_recorded():
    assert needs_touch(None, NOW)


def test_use_within_a_minute_is_not_recorded_again():
    assert not needs_touch(NOW - TOUCH_EVERY + timedelta(seconds=1), NOW)


def test_use_a_minute_later_is_recorded():
    assert needs_touch(NOW - TOUCH_EVERY, NOW)
