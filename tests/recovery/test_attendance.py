"""The attendance rate and the rules for marking an appointment: pure functions, no database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from closeknit.recovery.appointments import occurrences
from closeknit.recovery.attendance import (
    Attendance,
    attendance,
    percent,
    status_problem,
    summary,
)

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def ago(days: float = 0, **more: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days, **more)


def test_no_appointments_is_no_data_yet():
    result = attendance([], NOW)
    assert result == Attendance(attended=0, missed=0, rate=None, window_days=90)
    assert summary(result).startswith("No data yet")
    assert percent(result) is None


def test_all_cancelled_is_no_data_yet():
    rows = [(ago(d), "cancelled") for d in (1, 8, 15)]
    result = attendance(rows, NOW)
    assert (result.attended, result.missed, result.rate) == (0, 0, None)


def test_still_scheduled_ones_are_not_counted():
    rows = [(ago(1), "scheduled"), (ago(2), "attended")]
    assert attendance(rows, NOW) == Attendance(1, 0, 1.0, 90)


def test_one_attended_is_a_full_rate():
    result = attendance([(ago(3), "attended")], NOW)
    assert result == Attendance(attended=1, missed=0, rate=1.0, window_days=90)
    assert summary(result) == "You went to 1 of 1 in the last 90 days."
    assert percent(result) == 100


def test_one_missed_is_met_with_warmth():
    result = attendance([(ago(3), "missed")], NOW)
    assert result.rate == 0.0
    words = summary(result)
    assert "That happens" in words
    assert "1 appointment " in words
    assert "fail" not in words.lower()


def test_rate_is_attended_over_attended_and_missed():
    rows = (
        [(ago(d), "attended") for d in range(1, 10)]
        + [(ago(d + 0.5), "missed") for d in (3, 40)]
        + [(ago(d + 0.25), "cancelled") for d in (5, 6, 7)]
    )
    result = attendance(rows, NOW)
    assert (result.attended, result.missed) == (9, 2)
    assert result.rate == pytest.approx(9 / 11)
    assert result.counted == 11
    assert summary(result) == "You went to 9 of 11 in the last 90 days."
    assert percent(result) == 82


def test_exactly_window_days_ago_counts_and_a_second_more_does_not():
    rows = [(ago(90), "attended"), (ago(90, seconds=1), "missed")]
    assert attendance(rows, NOW) == Attendance(1, 0, 1.0, 90)


def test_one_starting_exactly_now_counts():
    assert attendance([(NOW, "missed")], NOW).missed == 1


def test_future_ones_are_ignored_whatever_their_status():
    rows = [(NOW + dt.timedelta(seconds=1), "attended"), (NOW + dt.timedelta(days=3), "missed")]
    assert attendance(rows, NOW).rate is None


def test_a_shorter_window():
    rows = [(ago(5), "attended"), (ago(20), "missed")]
    result = attendance(rows, NOW, window_days=7)
    assert result == Attendance(1, 0, 1.0, 7)
    assert summary(result) == "You went to 1 of 1 in the last 7 days."


def test_unknown_statuses_are_ignored():
    assert attendance([(ago(1), "postponed")], NOW).rate is None


def test_the_window_is_calendar_days_in_the_members_zone():
    # 1 July 09:00 BST back 90 days is 2 April 09:00 BST: the clocks changed on
    # 31 March, but the edge stays at 09:00 local time.
    now = dt.datetime(2024, 7, 1, 9, 0, tzinfo=LONDON)
    edge = dt.datetime(2024, 4, 2, 9, 0, tzinfo=LONDON)
    assert attendance([(edge, "attended")], now).attended == 1
    assert attendance([(edge - dt.timedelta(minutes=1), "attended")], now).attended == 0


def test_a_window_across_the_autumn_change_keeps_the_local_edge():
    now = dt.datetime(2024, 12, 1, 9, 0, tzinfo=LONDON)  # GMT
    edge = dt.datetime(2024, 9, 2, 9, 0, tzinfo=LONDON)  # BST, 90 days earlier
    assert attendance([(edge, "missed")], now).missed == 1
    assert attendance([(edge - dt.timedelta(seconds=1), "missed")], now).missed == 0


def test_rows_in_utc_compare_with_now_in_a_zone():
    now = dt.datetime(2024, 6, 1, 13, 0, tzinfo=LONDON)  # 12:00 UTC
    assert attendance([(dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC), "attended")], now).attended == 1
    assert attendance([(dt.datetime(2024, 6, 1, 12, 1, tzinfo=UTC), "attended")], now).rate is None


def test_a_weekly_series_across_both_clock_changes_with_mixed_statuses():
    # Every Monday at 09:00 London from January to mid-November 2024: GMT, then BST
    # from 31 March, then GMT again from 27 October.
    first = dt.datetime(2024, 1, 8, 9, 0, tzinfo=LONDON)
    until = dt.datetime(2024, 11, 18, 23, 0, tzinfo=LONDON)
    mondays = occurrences(first, "FREQ=WEEKLY", LONDON, until=until)
    assert all(m.astimezone(LONDON).hour == 9 for m in mondays)
    assert {m.astimezone(UTC).hour for m in mondays} == {8, 9}
    statuses = ["attended", "missed", "cancelled", "attended", "scheduled"]
    rows = [(when, statuses[n % len(statuses)]) for n, when in enumerate(mondays)]
    # Now: Monday 11 November 10:00, GMT; 90 days back is 13 August 10:00, BST.
    now = dt.datetime(2024, 11, 11, 10, 0, tzinfo=LONDON)
    in_window = [(w, s) for w, s in rows if dt.datetime(2024, 8, 13, 10, tzinfo=LONDON) <= w <= now]
    # 19 August to 11 November: 13 Mondays, across the October change.
    assert len(in_window) == 13
    expected_attended = sum(1 for _w, s in in_window if s == "attended")
    expected_missed = sum(1 for _w, s in in_window if s == "missed")
    result = attendance(rows, now)
    assert (result.attended, result.missed) == (expected_attended, expected_missed)
    assert result.rate == pytest.approx(expected_attended / (expected_attended + expected_missed))


def test_a_series_starting_the_week_of_the_spring_change():
    # Sunday 24 March 09:00 GMT, then Sunday 31 March (clocks go forward at 01:00) 09:00 BST.
    first = dt.datetime(2024, 3, 24, 9, 0, tzinfo=LONDON)
    sundays = occurrences(first, "FREQ=WEEKLY;COUNT=3", LONDON, until=first + dt.timedelta(days=30))
    assert [s.astimezone(UTC) for s in sundays] == [
        dt.datetime(2024, 3, 24, 9, 0, tzinfo=UTC),
        dt.datetime(2024, 3, 31, 8, 0, tzinfo=UTC),
        dt.datetime(2024, 4, 7, 8, 0, tzinfo=UTC),
    ]
    rows = list(zip(sundays, ["attended", "missed", "attended"], strict=True))
    result = attendance(rows, dt.datetime(2024, 4, 7, 10, 0, tzinfo=LONDON))
    assert (result.attended, result.missed) == (2, 1)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        attendance([], dt.datetime(2024, 6, 1, 12, 0))


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        attendance([(dt.datetime(2024, 6, 1), "attended")], NOW)


def test_a_window_of_no_days_is_refused():
    with pytest.raises(ValueError, match="window_days"):
        attendance([], NOW, window_days=0)


def test_percent_rounds_half_up():
    assert percent(Attendance(1, 7, 1 / 8, 90)) == 13  # 12.5
    assert percent(Attendance(2, 1, 2 / 3, 90)) == 67


@pytest.mark.parametrize("status", ["attended", "missed"])
def test_how_it_went_can_be_noted_once_it_has_started(status):
    assert status_problem(status, NOW, NOW) is None
    assert status_problem(status, ago(1), NOW) is None
    problem = status_problem(status, NOW + dt.timedelta(minutes=1), NOW)
    assert problem is not None
    assert "hasn't started yet" in problem


@pytest.mark.parametrize("status", ["cancelled", "scheduled"])
def test_cancelled_and_scheduled_can_be_set_at_any_time(status):
    assert status_problem(status, NOW + dt.timedelta(days=9), NOW) is None
    assert status_problem(status, ago(9), NOW) is None


def test_an_unknown_status_is_refused():
    assert status_problem("postponed", ago(1), NOW) is not None
