"""Which repeated questionnaires are due (pure: plans, last days taken, today)."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.wellbeing.schedules import FREQUENCIES, Due, Plan, due, frequency_label, next_due

MADE = dt.date(2026, 3, 1)


def plan(instrument: str = "phq9", every_days: int = 14, since: dt.date = MADE) -> Plan:
    return Plan(instrument=instrument, every_days=every_days, since=since)


def test_never_taken_is_due_from_the_day_the_schedule_was_made():
    assert next_due(plan(), None) == MADE
    assert due([plan()], {}, MADE) == [Due("phq9", MADE, None)]


def test_never_taken_is_not_due_before_the_schedule_was_made():
    assert due([plan()], {}, MADE - dt.timedelta(days=1)) == []


def test_never_taken_stays_due_every_day_after():
    assert due([plan()], {}, dt.date(2026, 6, 1)) == [Due("phq9", MADE, None)]


def test_next_due_is_n_days_after_last_taken():
    assert next_due(plan(every_days=14), dt.date(2026, 3, 10)) == dt.date(2026, 3, 24)
    assert next_due(plan(every_days=7), dt.date(2026, 12, 28)) == dt.date(2027, 1, 4)


def test_due_exactly_n_days_after_last_taken():
    taken = dt.date(2026, 3, 10)
    assert due([plan(every_days=14)], {"phq9": taken}, dt.date(2026, 3, 24)) == [
        Due("phq9", dt.date(2026, 3, 24), taken)
    ]


def test_not_due_the_day_before():
    taken = dt.date(2026, 3, 10)
    assert due([plan(every_days=14)], {"phq9": taken}, dt.date(2026, 3, 23)) == []


def test_not_due_on_the_day_it_was_taken():
    taken = dt.date(2026, 3, 10)
    assert due([plan(every_days=1)], {"phq9": taken}, taken) == []


def test_last_taken_wins_over_the_schedule_day():
    # Taken before the schedule was made: due N days after that, not on the schedule's day.
    taken = dt.date(2026, 2, 20)
    assert due([plan(every_days=28)], {"phq9": taken}, MADE) == []
    assert due([plan(every_days=28)], {"phq9": taken}, dt.date(2026, 3, 20)) == [
        Due("phq9", dt.date(2026, 3, 20), taken)
    ]


def test_last_taken_of_another_instrument_does_not_count():
    assert due([plan("gad7")], {"phq9": MADE}, MADE) == [Due("gad7", MADE, None)]


def test_longest_waiting_comes_first():
    # Waiting order is the reverse of the codes' alphabetical order, so a sort by code fails.
    today = dt.date(2026, 4, 30)
    plans = [
        plan("gad7", 7),  # taken 4-20, due 4-27
        plan("phq9", 14),  # taken 4-01, due 4-15
        plan("who5", 28),  # never taken, due since 3-01
    ]
    last = {"gad7": dt.date(2026, 4, 20), "phq9": dt.date(2026, 4, 1)}
    found = due(plans, last, today)
    assert [one.instrument for one in found] == ["who5", "phq9", "gad7"]
    assert [one.days_late(today) for one in found] == [60, 15, 3]


def test_same_due_day_is_sorted_by_instrument_code():
    plans = [plan("who5"), plan("gad7"), plan("phq9"), plan("lsns6")]
    assert [one.instrument for one in due(plans, {}, MADE)] == ["gad7", "lsns6", "phq9", "who5"]


def test_only_due_ones_are_listed():
    today = dt.date(2026, 4, 15)
    plans = [plan("phq9", 14), plan("gad7", 28)]
    last = {"phq9": dt.date(2026, 4, 1), "gad7": dt.date(2026, 4, 1)}
    assert [one.instrument for one in due(plans, last, today)] == ["phq9"]


def test_nothing_scheduled_means_nothing_due():
    assert due([], {"phq9": MADE}, MADE) == []


def test_plans_may_be_any_iterable():
    assert len(due(iter([plan()]), {}, MADE)) == 1


@pytest.mark.parametrize(("today", "late"), [(dt.date(2026, 3, 24), 0), (dt.date(2026, 3, 27), 3)])
def test_days_late_counts_from_the_due_day(today, late):
    (found,) = due([plan(every_days=14)], {"phq9": dt.date(2026, 3, 10)}, today)
    assert found.days_late(today) == late


def test_days_late_across_a_year_end():
    assert Due("phq9", dt.date(2026, 12, 30), None).days_late(dt.date(2027, 1, 2)) == 3


@pytest.mark.parametrize(
    ("days", "label"),
    [(7, "Every week"), (14, "Every 2 weeks"), (28, "Every 4 weeks"), (91, "Every 3 months")],
)
def test_frequency_label_of_the_offered_choices(days, label):
    assert frequency_label(days) == label


@pytest.mark.parametrize(
    ("days", "label"), [(2, "Every 2 days"), (10, "Every 10 days"), (30, "Every 30 days")]
)
def test_frequency_label_of_any_other_number_of_days(days, label):
    assert frequency_label(days) == label


def test_frequency_label_of_one_day_is_every_day_not_every_1_days():
    assert frequency_label(1) == "Every day"


def test_offered_frequencies_are_weekly_fortnightly_four_weekly_and_quarterly():
    assert [days for days, _ in FREQUENCIES] == [7, 14, 28, 91]
