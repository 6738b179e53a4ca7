"""Mood and stress over time: lines with gaps, contact days, ticks, the weekly table and words."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.insights import charts as module
from closeknit.insights.charts import Timeline, timeline
from closeknit.insights.connection import DayScores

FIRST = dt.date(2026, 3, 2)  # a Monday


def day(n: int) -> dt.date:
    return FIRST + dt.timedelta(days=n)


def scores(*rows: tuple[int, int | None, int | None]) -> list[DayScores]:
    """(day number, mood, stress)"""
    return [DayScores(day(n), mood, stress) for n, mood, stress in rows]


def points(line: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in line.split())]


def chart(rows=(), contacts=(), days: int = 7) -> Timeline:
    return timeline(list(rows), set(contacts), FIRST, day(days - 1))


def y_of(value: float) -> float:
    plot = module.HEIGHT - module.PAD_TOP - module.PAD_BOTTOM
    return round(module.PAD_TOP + plot * (1 - value / 10), 1)


def assert_evenly_spread(xs: list[float], found: Timeline) -> None:
    """Each day in the middle of its own equal column, up to rounding to one decimal."""
    width = (found.right - found.left) / len(xs)
    for index, x in enumerate(xs):
        assert x == pytest.approx(found.left + (index + 0.5) * width, abs=0.051)


# --- Lines ----------------------------------------------------------------------------------------


def test_a_day_without_a_value_breaks_the_line():
    found = chart(scores((0, 5, 5), (1, 6, 4), (2, 7, 3), (4, 6, 4), (5, 5, 5)))
    assert [len(points(line)) for line in found.mood] == [3, 2]
    assert [len(points(line)) for line in found.stress] == [3, 2]


def test_a_missing_measure_breaks_only_its_own_line():
    found = chart(scores((0, 5, 5), (1, 6, None), (2, 7, 3)))
    assert [len(points(line)) for line in found.mood] == [3]
    assert [len(points(line)) for line in found.stress] == [1, 1]


def test_a_lone_day_is_a_one_point_segment_and_a_dot():
    found = chart(scores((0, 4, None), (2, 6, None), (3, 7, None)))
    assert [len(points(line)) for line in found.mood] == [1, 2]
    ((x, y),) = points(found.mood[0])
    assert [(dot.x, dot.y) for dot in found.mood_dots] == [(x, y)]
    assert found.stress == [] and found.stress_dots == []


def test_runs_of_two_or_more_days_have_no_dots():
    found = chart(scores((0, 4, 4), (1, 5, 5)))
    assert found.mood_dots == [] and found.stress_dots == []


def test_a_day_without_a_check_in_is_never_drawn_as_zero():
    found = chart(scores((0, 3, 3), (6, 3, 3)))
    every = [p for line in found.mood + found.stress for p in points(line)]
    assert len(every) == 4
    assert all(y == y_of(3) for _, y in every)


def test_higher_is_up_and_the_scale_runs_0_to_10():
    found = chart(scores((0, 0, 10), (1, 10, 0)))
    (mood,) = found.mood
    (stress,) = found.stress
    assert [y for _, y in points(mood)] == [found.bottom, found.top]
    assert [y for _, y in points(stress)] == [found.top, found.bottom]


def test_days_are_equal_columns_across_the_plot():
    found = chart(scores(*[(n, 5, 5) for n in range(10)]), days=10)
    xs = [x for x, _ in points(found.mood[0])]
    width = found.right - found.left
    assert found.column == pytest.approx(width / 10)
    assert xs[0] == pytest.approx(found.left + found.column / 2, abs=0.05)
    assert xs[-1] == pytest.approx(found.right - found.column / 2, abs=0.05)
    assert_evenly_spread(xs, found)


def test_points_are_written_with_one_decimal():
    found = chart(scores((0, 7, 3), (1, 6, 2)), days=3)
    for pair in found.mood[0].split():
        x, y = pair.split(",")
        assert len(x.split(".")[1]) == 1 and len(y.split(".")[1]) == 1


def test_check_ins_outside_the_range_are_left_out():
    rows = [
        DayScores(FIRST - dt.timedelta(days=1), 9, 9),
        *scores((0, 5, 5)),
        DayScores(day(7), 9, 9),
    ]
    found = chart(rows)
    assert len(found.mood) == 1 and len(points(found.mood[0])) == 1
    assert found.weeks[0].checkins == 1


def test_a_first_day_after_the_last_is_refused():
    with pytest.raises(ValueError):
        timeline([], set(), day(1), day(0))


# --- Contact marks --------------------------------------------------------------------------------


def test_contact_days_are_marked_at_their_days_x():
    found = chart(scores(*[(n, 5, 5) for n in range(7)]), contacts=[day(4), day(1)])
    xs = [x for x, _ in points(found.mood[0])]
    assert found.contact_x == [xs[1], xs[4]]


def test_contact_days_outside_the_range_are_not_marked():
    found = chart(contacts=[FIRST - dt.timedelta(days=1), day(0), day(7)])
    assert found.contact_x == [round(found.left + found.column / 2, 1)]


# --- Ticks ----------------------------------------------------------------------------------------


def test_y_ticks_are_0_5_and_10_from_bottom_to_top():
    found = chart()
    assert [(t.label, t.x) for t in found.y_ticks] == [
        ("0", found.bottom),
        ("5", y_of(5)),
        ("10", found.top),
    ]


@pytest.mark.parametrize("days", [1, 2, 7, 8, 14, 30, 60, 92, 93, 120, 200, 365, 366, 730, 1098])
def test_at_most_seven_x_ticks_in_order_inside_the_plot(days):
    found = chart(days=days)
    assert 1 <= len(found.x_ticks) <= 7
    xs = [tick.x for tick in found.x_ticks]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(found.left <= x <= found.right for x in xs)


def test_short_ranges_name_days():
    found = chart(days=14)
    assert [t.label for t in found.x_ticks] == [
        "2 Mar",
        "4 Mar",
        "6 Mar",
        "8 Mar",
        "10 Mar",
        "12 Mar",
        "14 Mar",
    ]


def test_a_one_day_range_has_one_tick_in_the_middle():
    found = chart(days=1)
    assert [(t.label, t.x) for t in found.x_ticks] == [("2 Mar", (found.left + found.right) / 2)]


def test_long_ranges_name_months_with_the_year_on_the_first_and_on_january():
    found = timeline([], set(), dt.date(2025, 12, 2), dt.date(2026, 12, 1))
    assert [t.label for t in found.x_ticks] == ["Jan 2026", "Mar", "May", "Jul", "Sep", "Nov"]
    half_year = timeline([], set(), dt.date(2026, 3, 15), dt.date(2026, 9, 30))
    assert [t.label for t in half_year.x_ticks] == ["Apr 2026", "May", "Jun", "Jul", "Aug", "Sep"]
    three_years = timeline([], set(), dt.date(2023, 11, 30), dt.date(2026, 12, 1))
    assert [t.label for t in three_years.x_ticks] == [
        "Jan 2024",
        "Jul",
        "Jan 2025",
        "Jul",
        "Jan 2026",
        "Jul",
    ]


def test_a_month_tick_sits_on_the_first_of_its_month():
    found = timeline([], set(), dt.date(2026, 1, 15), dt.date(2026, 5, 31))
    ticks = {t.label: t.x for t in found.x_ticks}
    index = (dt.date(2026, 3, 1) - dt.date(2026, 1, 15)).days
    assert ticks["Mar"] == round(found.left + (index + 0.5) * found.column, 1)


# --- Weeks ----------------------------------------------------------------------------------------


def test_weeks_start_on_monday_newest_first_and_cover_the_range():
    # Wednesday 4 March to Tuesday 17 March: three weeks, the first and last partial.
    found = timeline([], set(), day(2), day(15))
    assert [w.start for w in found.weeks] == [day(14), day(7), day(0)]
    assert all(w.start.weekday() == 0 for w in found.weeks)


def test_a_week_counts_its_check_ins_means_and_contact_days():
    rows = scores((0, 4, 6), (1, 7, None), (2, None, None), (8, 5, 5))
    found = chart(rows, contacts=[day(0), day(3), day(9)], days=14)
    newest, oldest = found.weeks
    assert (oldest.start, oldest.checkins, oldest.mood, oldest.stress, oldest.contact_days) == (
        day(0),
        3,
        5.5,
        6.0,
        2,
    )
    assert (newest.checkins, newest.mood, newest.stress, newest.contact_days) == (1, 5.0, 5.0, 1)


def test_a_week_without_values_has_no_means():
    found = chart(scores((1, None, None)), days=7)
    (week,) = found.weeks
    assert (week.checkins, week.mood, week.stress) == (1, None, None)


def test_week_means_are_rounded_to_one_decimal():
    found = chart(scores((0, 1, 1), (1, 2, 2), (2, 2, 2)))
    assert found.weeks[0].mood == 1.7


def test_partial_weeks_count_only_days_in_the_range():
    found = timeline(scores((0, 9, 9), (3, 5, 5)), {day(0), day(3)}, day(2), day(4))
    (week,) = found.weeks
    assert (week.checkins, week.mood, week.contact_days) == (1, 5.0, 1)


# --- Empty data, one day, DST ---------------------------------------------------------------------


def test_no_data_draws_nothing_and_says_so_kindly():
    found = chart(days=7)
    assert (found.mood, found.stress, found.contact_x) == ([], [], [])
    assert (found.mood_dots, found.stress_dots) == ([], [])
    assert [w.checkins for w in found.weeks] == [0]
    assert found.summary == (
        "No check-ins between 2 Mar 2026 and 8 Mar 2026 yet. Whenever you check in, your mood "
        "and stress will show up here."
    )


def test_no_check_ins_but_contact_still_says_the_contact():
    found = chart(contacts=[day(1), day(2)])
    assert found.summary.endswith("will show up here. You had contact on 2 days.")


def test_a_one_day_range():
    found = timeline(scores((0, 6, 3)), {day(0)}, day(0), day(0))
    assert found.mood == [f"{(found.left + found.right) / 2:.1f},{y_of(6):.1f}"]
    assert len(found.mood_dots) == 1
    assert [w.start for w in found.weeks] == [day(0)]
    assert found.summary == (
        "Check-ins on 1 of 1 day, on 2 Mar 2026. Mood averaged 6.0 and stress 3.0; you had "
        "contact that day."
    )


def test_a_one_day_range_without_a_check_in():
    found = timeline([], set(), day(0), day(0))
    assert found.summary.startswith("No check-ins on 2 Mar 2026 yet.")


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2026, 3, 25), dt.date(2026, 4, 3)),  # Europe moves its clocks on 29 March
        (dt.date(2026, 3, 5), dt.date(2026, 3, 12)),  # the US on 8 March
        (dt.date(2026, 10, 22), dt.date(2026, 10, 29)),  # and Europe back on 25 October
    ],
)
def test_a_clock_change_does_not_change_the_days(first, last):
    days = (last - first).days + 1
    rows = [DayScores(first + dt.timedelta(days=n), 5, 5) for n in range(days)]
    found = timeline(rows, {first + dt.timedelta(days=n) for n in range(days)}, first, last)
    xs = [x for x, _ in points(found.mood[0])]
    assert len(xs) == days == len(found.contact_x)
    assert_evenly_spread(xs, found)
    assert sum(w.checkins for w in found.weeks) == days


# --- Words ----------------------------------------------------------------------------------------


def test_summary_gives_check_ins_averages_and_contact_days():
    rows = scores((0, 6, 4), (2, 7, 5), (5, 5, 4))
    found = chart(rows, contacts=[day(1), day(2)])
    assert found.summary == (
        "Check-ins on 3 of 7 days, from 2 Mar 2026 to 8 Mar 2026. Mood averaged 6.0 and "
        "stress 4.3; you had contact on 2 days."
    )


def test_summary_with_only_stress():
    found = chart(scores((0, None, 4), (1, None, 5)), contacts=[day(0)])
    assert found.summary == (
        "Check-ins on 2 of 7 days, from 2 Mar 2026 to 8 Mar 2026. Stress averaged 4.5; you "
        "had contact on 1 day."
    )


def test_summary_with_only_mood_and_no_contact():
    found = chart(scores((0, 8, None)))
    assert found.summary.endswith("Mood averaged 8.0; there's no contact logged in this time.")


def test_summary_with_check_ins_that_hold_neither_number():
    found = chart(scores((0, None, None)), contacts=[day(0)])
    assert found.summary == (
        "Check-ins on 1 of 7 days, from 2 Mar 2026 to 8 Mar 2026. You had contact on 1 day."
    )
