"""Group meeting schedules: reading an RRULE and finding the next meetings in the member's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from closeknit.network import schedule
from closeknit.network.schedule import ScheduleError, next_meetings

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("freq=weekly;byday=tu", "FREQ=WEEKLY;BYDAY=TU"),
        (" RRULE:FREQ=MONTHLY;BYDAY=1MO; ", "FREQ=MONTHLY;BYDAY=1MO"),
        ("FREQ=WEEKLY; INTERVAL=2 ;BYDAY=SA", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"),
        ("FREQ=DAILY;COUNT=10", "FREQ=DAILY;COUNT=10"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_valid_schedules_are_stored_tidy(typed: str, stored: str) -> None:
    assert schedule.validate(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("BYDAY=TU", "A schedule needs a FREQ"),
        ("every tuesday", "A schedule needs a FREQ"),
        ("FREQ=HOURLY", "at most once a day"),
        ("FREQ=MINUTELY", "at most once a day"),
        ("FREQ=FORTNIGHTLY", "at most once a day"),
        ("FREQ=WEEKLY;BYDAY=XX", "We couldn't read that schedule (invalid 'BYDAY': XX)"),
        ("FREQ=WEEKLY;SOMETIMES=1", "We couldn't read that schedule (unknown parameter"),
        ("FREQ=WEEKLY;INTERVAL", "We couldn't read that schedule"),
        ("DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY", "just the repeating rule"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never meets"),
        ("FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31", "never meets"),
    ],
)
def test_bad_schedules_get_a_message_a_person_can_act_on(typed: str, message: str) -> None:
    with pytest.raises(ScheduleError) as error:
        schedule.validate(typed)
    assert message in str(error.value)


def test_a_schedule_that_never_meets_is_found_out_quickly() -> None:
    # Without the 400-year shortcut dateutil walks to the year 9999 (several seconds);
    # bench/ measures it, this test checks the answer.
    with pytest.raises(ScheduleError):
        schedule.validate("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")


@pytest.mark.parametrize(
    "documented",
    [
        "FREQ=WEEKLY;BYDAY=TU",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYDAY=1MO",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        "FREQ=DAILY;COUNT=10",
        "FREQ=WEEKLY;UNTIL=20260630",
    ],
)
def test_every_example_in_the_user_guide_is_accepted(documented: str) -> None:
    assert schedule.validate(documented) == documented


def test_until_a_day_includes_a_meeting_on_that_day() -> None:
    first = dt.datetime(2026, 6, 2, 19, 0, tzinfo=LONDON)  # Tuesdays
    now = dt.datetime(2026, 6, 20, tzinfo=UTC)
    meetings = next_meetings(first, "FREQ=WEEKLY;UNTIL=20260630", now, LONDON)
    assert [m.date() for m in meetings] == [dt.date(2026, 6, 23), dt.date(2026, 6, 30)]
    with_time = next_meetings(first, "FREQ=WEEKLY;UNTIL=20260630T120000", now, LONDON)
    assert [m.date() for m in with_time] == [dt.date(2026, 6, 23)]


def test_rare_but_real_schedules_are_accepted() -> None:
    # 29 February on a Monday: every 28 years or so.
    assert schedule.validate("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")


def test_next_three_weekly_meetings() -> None:
    first = dt.datetime(2026, 1, 6, 19, 0, tzinfo=LONDON)
    now = dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    assert next_meetings(first, "FREQ=WEEKLY;BYDAY=TU", now, LONDON) == [
        dt.datetime(2026, 1, 20, 19, 0, tzinfo=LONDON),
        dt.datetime(2026, 1, 27, 19, 0, tzinfo=LONDON),
        dt.datetime(2026, 2, 3, 19, 0, tzinfo=LONDON),
    ]


def test_meetings_keep_their_local_time_when_the_clocks_change() -> None:
    first = dt.datetime(2026, 3, 17, 19, 0, tzinfo=LONDON)  # GMT
    now = dt.datetime(2026, 3, 20, tzinfo=UTC)
    meetings = next_meetings(first, "FREQ=WEEKLY", now, LONDON)
    assert [m.strftime("%d %H:%M") for m in meetings] == ["24 19:00", "31 19:00", "07 19:00"]
    # The 31st is in British Summer Time: 18:00 UTC, not 19:00.
    assert meetings[1].astimezone(UTC).hour == 18
    assert meetings[0].astimezone(UTC).hour == 19


def test_meetings_are_shown_in_the_members_zone() -> None:
    first = dt.datetime(2026, 1, 6, 19, 0, tzinfo=LONDON)
    auckland = ZoneInfo("Pacific/Auckland")
    now = dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    [meeting] = next_meetings(first, "FREQ=WEEKLY", now, auckland, count=1)
    # 19:00 Tuesday in London is 08:00 Wednesday in Auckland.
    assert (meeting.tzinfo, meeting.weekday(), meeting.hour) == (auckland, 2, 8)


def test_a_meeting_later_today_counts_as_next() -> None:
    first = dt.datetime(2026, 1, 6, 19, 0, tzinfo=LONDON)
    now = dt.datetime(2026, 1, 13, 18, 59, tzinfo=UTC)  # Tuesday
    assert next_meetings(first, "FREQ=WEEKLY", now, LONDON, count=1) == [
        dt.datetime(2026, 1, 13, 19, 0, tzinfo=LONDON)
    ]


def test_a_schedule_that_has_ended_has_no_next_meetings() -> None:
    first = dt.datetime(2026, 1, 6, 19, 0, tzinfo=LONDON)
    now = dt.datetime(2026, 6, 1, tzinfo=UTC)
    assert next_meetings(first, "FREQ=WEEKLY;COUNT=4", now, LONDON) == []
    assert next_meetings(first, "FREQ=WEEKLY;UNTIL=20260301T000000Z", now, LONDON) == []


def test_a_schedule_with_fewer_meetings_left_than_asked() -> None:
    first = dt.datetime(2026, 1, 6, 19, 0, tzinfo=LONDON)
    now = dt.datetime(2026, 1, 14, tzinfo=UTC)  # the 20th and 27th are left
    assert len(next_meetings(first, "FREQ=WEEKLY;COUNT=4", now, LONDON)) == 2


def test_without_a_first_meeting_the_dates_start_today() -> None:
    now = dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC)  # a Wednesday
    meetings = next_meetings(None, "FREQ=WEEKLY;BYDAY=WE,FR", now, LONDON)
    assert [m.date() for m in meetings] == [
        dt.date(2026, 1, 16),
        dt.date(2026, 1, 21),
        dt.date(2026, 1, 23),
    ]


def test_one_meeting_without_a_schedule() -> None:
    first = dt.datetime(2026, 2, 1, 10, 0, tzinfo=LONDON)
    before = dt.datetime(2026, 1, 1, tzinfo=UTC)
    after = dt.datetime(2026, 3, 1, tzinfo=UTC)
    assert next_meetings(first, "", before, LONDON) == [first]
    assert next_meetings(first, "", after, LONDON) == []
    assert next_meetings(None, "", before, LONDON) == []


def test_an_unreadable_stored_schedule_gives_no_meetings() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert next_meetings(None, "FREQ=NEVER", now, LONDON) == []


def test_an_old_first_meeting_is_still_quick() -> None:
    first = dt.datetime(1900, 1, 1, 9, 0, tzinfo=LONDON)
    now = dt.datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    meetings = next_meetings(first, "FREQ=DAILY", now, LONDON)
    assert [m.date() for m in meetings] == [
        dt.date(2026, 1, 15),
        dt.date(2026, 1, 16),
        dt.date(2026, 1, 17),
    ]
