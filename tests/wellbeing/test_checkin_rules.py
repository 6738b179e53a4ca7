"""The rules of the daily check-in and its month calendar (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from closeknit.wellbeing import checkins
from closeknit.wellbeing.checkins import (
    ANSWER_FIELDS,
    EARLIEST,
    FUTURE,
    TOO_EARLY,
    day_problem,
    is_empty,
    month_bounds,
    month_weeks,
    parse_day,
    parse_month,
    shift_month,
    sleep_value,
)

TODAY = dt.date(2026, 2, 14)
NOTHING = dict.fromkeys(ANSWER_FIELDS)


def days(week: list[checkins.CalendarDay]) -> list[dt.date]:
    return [cell.day for cell in week]


# is_empty ---------------------------------------------------------------------------------


def test_answer_fields_are_the_six_parts_of_a_check_in():
    assert ANSWER_FIELDS == ("mood", "stress", "sleep_hours", "self_care", "connected", "note")


def test_nothing_filled_in_is_empty():
    assert is_empty(NOTHING)
    assert is_empty({})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mood", 0),
        ("mood", 10),
        ("stress", 0),
        ("stress", 7),
        ("sleep_hours", Decimal("0")),
        ("sleep_hours", Decimal("0.00")),
        ("sleep_hours", Decimal("7.5")),
        ("sleep_hours", 0.0),
        ("self_care", ["rest"]),
        ("self_care", ("movement", "outdoors")),
        ("connected", 0),
        ("connected", 5),
        ("note", "Walked by the river."),
        ("note", "  ok  "),
    ],
)
def test_any_one_answer_makes_it_not_empty_and_zero_is_an_answer(field, value):
    assert not is_empty({**NOTHING, field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", ""),
        ("note", "   "),
        ("note", "\n\t "),
        ("self_care", []),
        ("self_care", ()),
        ("mood", None),
        ("sleep_hours", None),
    ],
)
def test_blank_note_empty_self_care_and_none_are_empty(field, value):
    assert is_empty({**NOTHING, field: value})


def test_other_keys_do_not_count_as_answers():
    assert is_empty({**NOTHING, "day": TODAY, "owner": "someone"})


# day_problem ------------------------------------------------------------------------------


def test_today_can_be_checked_in():
    assert day_problem(TODAY, TODAY) is None


def test_a_past_day_can_be_filled_in():
    assert day_problem(dt.date(2025, 6, 1), TODAY) is None


def test_the_earliest_day_itself_is_allowed():
    assert dt.date(1900, 1, 1) == EARLIEST
    assert day_problem(EARLIEST, TODAY) is None


@pytest.mark.parametrize("day", [dt.date(2026, 2, 15), dt.date(2027, 1, 1)])
def test_a_day_still_ahead_cannot_be_checked_in(day):
    assert day_problem(day, TODAY) == FUTURE
    assert "still ahead" in FUTURE


def test_a_day_before_the_earliest_is_too_early():
    assert day_problem(dt.date(1899, 12, 31), TODAY) == TOO_EARLY
    assert "further back" in TOO_EARLY


# parse_day / parse_month ------------------------------------------------------------------


def test_parse_day_reads_an_iso_date():
    assert parse_day("2026-11-30") == dt.date(2026, 11, 30)
    assert parse_day("2024-02-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-02-30",
        "2025-02-29",
        "2026-13-01",
        "2026-00-10",
        "30/11/2026",
        " 2026-11-30",
        "2026-11",
    ],
)
def test_parse_day_of_something_that_is_not_a_day_is_none(text):
    assert parse_day(text) is None


def test_parse_day_of_none_is_none():
    assert parse_day(None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("2026-11", dt.date(2026, 11, 1)),
        ("2026-01", dt.date(2026, 1, 1)),
        ("2026-1", dt.date(2026, 1, 1)),
        ("1999-12", dt.date(1999, 12, 1)),
        ("1900-01", dt.date(1900, 1, 1)),
        ("9998-12", dt.date(9998, 12, 1)),
    ],
)
def test_parse_month_reads_year_and_month(text, first):
    assert parse_month(text, TODAY) == first


@pytest.mark.parametrize("text", ["1900-01", "9998-12"])
def test_a_parsed_month_always_has_a_calendar_and_neighbours(text):
    # The calendar page shows the weeks and links to the months either side.
    first = parse_month(text, TODAY)
    assert month_weeks(first, TODAY, {})
    assert shift_month(first, -1) < first < shift_month(first, 1)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "2026",
        "2026-13",
        "2026-00",
        "2026-11-30",
        "november",
        "2026-nov",
        "-11",
        "0-1",
        "0001-01",
        "1899-12",
        "9999-01",
        "9999-12",
        "10000-1",
        "99999999999999999999-1",
        "2026-99999999999999999999",
    ],
)
def test_parse_month_of_anything_unreadable_is_this_month(text):
    assert parse_month(text, TODAY) == dt.date(2026, 2, 1)


# shift_month ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "months", "shifted"),
    [
        (dt.date(2026, 3, 1), 0, dt.date(2026, 3, 1)),
        (dt.date(2026, 3, 1), 1, dt.date(2026, 4, 1)),
        (dt.date(2026, 3, 1), -1, dt.date(2026, 2, 1)),
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
        (dt.date(2026, 1, 1), -1, dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 1), 13, dt.date(2027, 4, 1)),
        (dt.date(2026, 3, 1), -13, dt.date(2025, 2, 1)),
        (dt.date(2026, 12, 1), 13, dt.date(2028, 1, 1)),
        (dt.date(2026, 1, 1), -13, dt.date(2024, 12, 1)),
        (dt.date(2026, 6, 1), 12, dt.date(2027, 6, 1)),
        (dt.date(2026, 6, 1), -24, dt.date(2024, 6, 1)),
    ],
)
def test_shift_month_across_year_ends(first, months, shifted):
    assert shift_month(first, months) == shifted


def test_shift_month_there_and_back_is_where_it_started():
    for months in range(-30, 31):
        assert shift_month(shift_month(dt.date(2026, 5, 1), months), -months) == dt.date(2026, 5, 1)


# month_bounds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ],
)
def test_month_bounds(first, last):
    assert month_bounds(first) == (first, last)


# month_weeks ------------------------------------------------------------------------------


def test_february_2026_weeks_start_on_monday_and_cover_the_month():
    # 1 February 2026 is a Sunday, the 28th a Saturday.
    weeks = month_weeks(dt.date(2026, 2, 1), TODAY, {})
    assert len(weeks) == 5
    assert days(weeks[0]) == [dt.date(2026, 1, d) for d in range(26, 32)] + [dt.date(2026, 2, 1)]
    assert days(weeks[-1]) == [dt.date(2026, 2, d) for d in range(23, 29)] + [dt.date(2026, 3, 1)]
    assert [cell.in_month for cell in weeks[0]] == [False] * 6 + [True]
    assert [cell.in_month for cell in weeks[-1]] == [True] * 6 + [False]


def test_a_month_starting_on_monday_has_no_days_before_it():
    # February 2027 starts on a Monday and ends on a Sunday: exactly four full weeks.
    weeks = month_weeks(dt.date(2027, 2, 1), TODAY, {})
    assert len(weeks) == 4
    assert weeks[0][0].day == dt.date(2027, 2, 1)
    assert weeks[-1][-1].day == dt.date(2027, 2, 28)
    assert all(cell.in_month for week in weeks for cell in week)


def test_june_2026_starts_on_the_first_row_first_column():
    weeks = month_weeks(dt.date(2026, 6, 1), TODAY, {})
    assert weeks[0][0].day == dt.date(2026, 6, 1)
    assert weeks[0][0].in_month
    assert weeks[-1][-1].day == dt.date(2026, 7, 5)


def test_december_2026_runs_into_january_2027():
    weeks = month_weeks(dt.date(2026, 12, 1), TODAY, {})
    assert weeks[0][0].day == dt.date(2026, 11, 30)
    assert days(weeks[-1]) == [
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 29),
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 3),
    ]


@pytest.mark.parametrize(
    "first", [dt.date(2026, 2, 1), dt.date(2026, 6, 1), dt.date(2026, 12, 1), dt.date(2027, 2, 1)]
)
def test_every_week_runs_monday_to_sunday_and_every_day_of_the_month_appears_once(first):
    weeks = month_weeks(first, TODAY, {})
    for week in weeks:
        assert len(week) == 7
        assert [cell.day.weekday() for cell in week] == [0, 1, 2, 3, 4, 5, 6]
    flat = [cell.day for week in weeks for cell in week]
    assert flat == sorted(flat)
    assert flat == [flat[0] + dt.timedelta(days=n) for n in range(len(flat))]
    start, end = month_bounds(first)
    in_month = [cell.day for week in weeks for cell in week if cell.in_month]
    assert in_month == [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def test_entries_are_attached_only_to_days_of_the_month():
    entries = {
        dt.date(2026, 1, 31): "last day of January",  # shown in February's first week
        dt.date(2026, 2, 1): "first of February",
        dt.date(2026, 2, 14): "today",
        dt.date(2026, 3, 1): "first of March",  # shown in February's last week
    }
    cells = {
        cell.day: cell for week in month_weeks(dt.date(2026, 2, 1), TODAY, entries) for cell in week
    }
    assert cells[dt.date(2026, 1, 31)].entry is None
    assert cells[dt.date(2026, 3, 1)].entry is None
    assert cells[dt.date(2026, 2, 1)].entry == "first of February"
    assert cells[dt.date(2026, 2, 14)].entry == "today"
    assert cells[dt.date(2026, 2, 15)].entry is None


def test_today_and_future_days_are_marked():
    cells = {
        cell.day: cell for week in month_weeks(dt.date(2026, 2, 1), TODAY, {}) for cell in week
    }
    assert (cells[dt.date(2026, 2, 13)].is_today, cells[dt.date(2026, 2, 13)].is_future) == (
        False,
        False,
    )
    assert (cells[TODAY].is_today, cells[TODAY].is_future) == (True, False)
    assert (cells[dt.date(2026, 2, 15)].is_today, cells[dt.date(2026, 2, 15)].is_future) == (
        False,
        True,
    )
    assert cells[dt.date(2026, 3, 1)].is_future
    assert [day for day, cell in cells.items() if cell.is_today] == [TODAY]


def test_a_past_month_has_no_today_and_no_future_days():
    weeks = month_weeks(dt.date(2025, 11, 1), TODAY, {})
    assert not any(cell.is_today or cell.is_future for week in weeks for cell in week)


def test_a_month_ahead_is_all_future():
    weeks = month_weeks(dt.date(2026, 4, 1), TODAY, {})
    assert all(cell.is_future for week in weeks for cell in week)


# sleep_value ------------------------------------------------------------------------------


def test_sleep_value_is_a_float_or_none():
    assert sleep_value(Decimal("7.50")) == 7.5
    assert isinstance(sleep_value(Decimal("7.50")), float)
    assert sleep_value(None) is None
