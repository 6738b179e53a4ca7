"""The iCalendar feed as pure text: what calendar apps need to read it right."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest

from closeknit.rhythms import calendar
from closeknit.rhythms.occasions import UpcomingOccasion

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 18, 10, 30, 12, 345, tzinfo=dt.UTC)


def weekly_at_six(first: dt.date, weeks: int) -> list[calendar.Timed]:
    """A weekly 18:00 London appointment, across the clocks going forward on 29 March 2026."""
    events = []
    for n in range(weeks):
        start = dt.datetime.combine(first + dt.timedelta(weeks=n), dt.time(18), tzinfo=LONDON)
        events.append(
            calendar.Timed(
                uid=f"appointment-{n}@example.org",
                start=start,
                end=start + dt.timedelta(minutes=50),
                summary="Therapy with Noor",
                location="Room 3, 12 High Street",
            )
        )
    return events


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def test_the_calendar_says_what_it_is():
    cal = parse(calendar.build([], zone=LONDON, now=NOW))
    assert cal["VERSION"] == "2.0"
    assert cal["PRODID"] == calendar.PRODID
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert cal["X-WR-CALNAME"] == "Closeknit"
    assert cal["X-WR-TIMEZONE"] == "Europe/London"
    assert cal.walk("VEVENT") == []
    assert cal.walk("VTIMEZONE") == []  # no timed events, no zone needed


def test_an_all_day_event_is_a_date_that_leaves_the_member_free():
    event = calendar.AllDay(
        "birthday-12-2026@example.org", dt.date(2026, 3, 20), "Sam's birthday", "A birthday."
    )
    body = calendar.build([event], zone=LONDON, now=NOW)
    assert b"DTSTART;VALUE=DATE:20260320\r\n" in body
    assert b"DTEND;VALUE=DATE:20260321\r\n" in body
    [parsed] = parse(body).walk("VEVENT")
    assert parsed["UID"] == "birthday-12-2026@example.org"
    assert parsed["SUMMARY"] == "Sam's birthday"
    assert parsed["DESCRIPTION"] == "A birthday."
    assert parsed["TRANSP"] == "TRANSPARENT"
    assert parsed.decoded("DTSTAMP") == dt.datetime(2026, 3, 18, 10, 30, 12, tzinfo=dt.UTC)


def test_a_weekly_appointment_stays_at_six_in_the_evening_across_the_clock_change():
    body = calendar.build(weekly_at_six(dt.date(2026, 3, 19), 3), zone=LONDON, now=NOW)
    cal = parse(body)
    events = cal.walk("VEVENT")
    starts = [event.decoded("DTSTART") for event in events]
    assert [start.astimezone(LONDON).time() for start in starts] == [dt.time(18)] * 3
    # 18:00 GMT before 29 March, 18:00 BST (17:00 UTC) after.
    assert [start.astimezone(dt.UTC).hour for start in starts] == [18, 18, 17]
    assert body.count(b"DTSTART;TZID=Europe/London:") == 3
    assert b"DTSTART;TZID=Europe/London:20260402T180000\r\n" in body
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    assert {sub.name for sub in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert events[0]["LOCATION"] == "Room 3, 12 High Street"
    assert events[0].decoded("DTEND") - events[0].decoded("DTSTART") == dt.timedelta(minutes=50)


def test_a_start_in_another_zone_is_written_in_the_members_zone():
    start = dt.datetime(2026, 7, 1, 17, 0, tzinfo=dt.UTC)
    event = calendar.Timed("a@example.org", start, start + dt.timedelta(hours=1), "GP")
    body = calendar.build([event], zone=LONDON, now=NOW)
    assert b"DTSTART;TZID=Europe/London:20260701T180000\r\n" in body


def test_every_line_ends_in_crlf_and_long_lines_are_folded():
    long_title = "A very long occasion title " * 6 + "with ünïcödé"
    events = [
        calendar.AllDay("long@example.org", dt.date(2026, 4, 1), long_title, "é" * 100),
        *weekly_at_six(dt.date(2026, 3, 19), 2),
    ]
    body = calendar.build(events, zone=LONDON, now=NOW)
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # no bare LF anywhere
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    [event] = [e for e in parse(body).walk("VEVENT") if e["UID"] == "long@example.org"]
    assert event["SUMMARY"] == long_title
    assert event["DESCRIPTION"] == "é" * 100


def test_text_that_looks_like_syntax_is_escaped():
    event = calendar.AllDay(
        "x@example.org", dt.date(2026, 4, 1), "Tea; cake, and\nmore", "Line one\nLine two"
    )
    body = calendar.build([event], zone=LONDON, now=NOW)
    assert b"SUMMARY:Tea\\; cake\\, and\\nmore\r\n" in body
    [parsed] = parse(body).walk("VEVENT")
    assert parsed["SUMMARY"] == "Tea; cake, and\nmore"


def test_events_come_in_a_stable_order():
    events = [
        calendar.AllDay("b@x", dt.date(2026, 4, 2), "B"),
        calendar.AllDay("a@x", dt.date(2026, 4, 2), "A"),
        calendar.AllDay("c@x", dt.date(2026, 4, 1), "C"),
    ]
    body = calendar.build(events, zone=LONDON, now=NOW)
    assert [e["UID"] for e in parse(body).walk("VEVENT")] == ["c@x", "a@x", "b@x"]
    assert body == calendar.build(list(reversed(events)), zone=LONDON, now=NOW)


def test_a_member_in_utc_gets_utc_times():
    body = calendar.build(weekly_at_six(dt.date(2026, 3, 19), 1), zone=ZoneInfo("UTC"), now=NOW)
    cal = parse(body)
    assert cal["X-WR-TIMEZONE"] == "UTC"
    assert cal.walk("VEVENT")[0].decoded("DTSTART").astimezone(dt.UTC).hour == 18


# Making events -------------------------------------------------------------------------------


def test_occasions_become_all_day_events_keyed_by_their_occasion():
    found = [
        UpcomingOccasion(
            "birthday-12-2026", dt.date(2026, 3, 20), "birthday", "Sam's birthday", 12, "Call Sam."
        )
    ]
    [event] = calendar.occasion_events(found, "closeknit.example", "https://c.example/occasions/")
    assert event == calendar.AllDay(
        "birthday-12-2026@closeknit.example",
        dt.date(2026, 3, 20),
        "Sam's birthday",
        "Call Sam.",
        "https://c.example/occasions/",
    )


@pytest.mark.parametrize(
    ("last", "rhythm", "expected"),
    [
        (None, 14, dt.date(2026, 3, 18)),  # never in touch: today
        (dt.date(2026, 3, 10), 14, dt.date(2026, 3, 24)),  # comes round later
        (dt.date(2026, 3, 4), 14, dt.date(2026, 3, 18)),  # comes round today
        (dt.date(2026, 1, 1), 14, dt.date(2026, 3, 18)),  # a while ago: today, not in the past
        (dt.date(2026, 3, 18), 1, dt.date(2026, 3, 19)),
    ],
)
def test_a_check_in_is_planned_when_the_rhythm_comes_round(last, rhythm, expected):
    assert calendar.check_in_day(last, rhythm, dt.date(2026, 3, 18)) == expected


def test_a_planned_check_in_is_an_invitation():
    summary, description = calendar.check_in_words("Sam", 14)
    assert summary == "Be in touch with Sam"
    assert description == (
        "You hoped to be in touch with Sam every 14 days. A message, a call or a coffee all count."
    )
    assert "every day." in calendar.check_in_words("Sam", 1)[1]


def test_an_occurrence_of_a_series_is_keyed_by_its_series_and_utc_time():
    when = dt.datetime(2026, 4, 2, 18, 0, tzinfo=LONDON)
    assert calendar.series_key(7, when) == "appointment-series-7-20260402T170000Z"
    assert calendar.appointment_key(42) == "appointment-42"
    assert calendar.uid("appointment-42", "closeknit.example") == "appointment-42@closeknit.example"


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (dt.date(2026, 3, 18), dt.date(2027, 3, 17)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 27)),
        (dt.date(2026, 12, 31), dt.date(2027, 12, 30)),
    ],
)
def test_the_next_twelve_months(today, last):
    assert calendar.year_ahead(today) == last


def test_appointments_show_from_thirty_days_back_to_a_year_ahead():
    since, until = calendar.appointments_window(NOW)
    assert NOW - since == dt.timedelta(days=30)
    assert until - NOW == dt.timedelta(days=365)
