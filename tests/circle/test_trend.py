"""Weekly averages of mood and stress, as a supporter with `mood_trend` sees them. Pure."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeknit.circle import trend

D = dt.date
# A Wednesday; its week starts on Monday 2 June 2025.
WEDNESDAY = D(2025, 6, 4)
THIS_MONDAY = D(2025, 6, 2)


def test_no_data_gives_twelve_empty_weeks_ending_with_this_one():
    weeks = trend.weekly([], WEDNESDAY)
    assert len(weeks) == trend.WEEKS == 12
    assert weeks[-1].start == THIS_MONDAY
    assert weeks[0].start == THIS_MONDAY - dt.timedelta(weeks=11)
    assert all(week.start.weekday() == 0 for week in weeks)
    assert [b.start - a.start for a, b in itertools.pairwise(weeks)] == [dt.timedelta(weeks=1)] * 11
    for week in weeks:
        assert (week.mood, week.stress, week.mood_days, week.stress_days) == (None, None, 0, 0)
        assert week.is_empty


def test_one_day():
    [week] = trend.weekly([(WEDNESDAY, 6, 3)], WEDNESDAY, weeks=1)
    assert (week.mood, week.stress, week.mood_days, week.stress_days) == (6, 3, 1, 1)
    assert week.start == THIS_MONDAY
    assert week.end == D(2025, 6, 8)


def test_the_mean_of_the_days_that_have_each_value():
    rows = [
        (THIS_MONDAY, 4, None),
        (THIS_MONDAY + dt.timedelta(days=1), 7, 8),
        (WEDNESDAY, None, 2),
    ]
    [week] = trend.weekly(rows, WEDNESDAY, weeks=1)
    assert week.mood == pytest.approx(5.5)
    assert week.mood_days == 2
    assert week.stress == pytest.approx(5.0)
    assert week.stress_days == 2


def test_a_week_with_check_ins_but_no_value_is_none_never_zero():
    [week] = trend.weekly([(WEDNESDAY, None, None)], WEDNESDAY, weeks=1)
    assert week.mood is None and week.stress is None
    assert week.mood_days == 0 and week.stress_days == 0


def test_zero_is_a_value_not_a_gap():
    [week] = trend.weekly([(WEDNESDAY, 0, 0)], WEDNESDAY, weeks=1)
    assert (week.mood, week.stress, week.mood_days) == (0, 0, 1)
    assert not week.is_empty


def test_sunday_and_monday_fall_in_different_weeks():
    sunday = THIS_MONDAY - dt.timedelta(days=1)
    weeks = trend.weekly([(sunday, 2, 9), (THIS_MONDAY, 8, 1)], WEDNESDAY, weeks=2)
    assert [(w.start, w.mood, w.stress) for w in weeks] == [
        (THIS_MONDAY - dt.timedelta(weeks=1), 2, 9),
        (THIS_MONDAY, 8, 1),
    ]


def test_the_current_week_is_partial_and_counts_only_days_up_to_today():
    tomorrow = WEDNESDAY + dt.timedelta(days=1)
    weeks = trend.weekly([(WEDNESDAY, 4, 4), (tomorrow, 10, 10)], WEDNESDAY, weeks=2)
    assert [w.partial for w in weeks] == [False, True]
    assert (weeks[-1].mood, weeks[-1].mood_days) == (4, 1)


@pytest.mark.parametrize("offset", range(7))
def test_every_day_of_the_week_belongs_to_the_same_monday(offset):
    today = THIS_MONDAY + dt.timedelta(days=offset)
    rows = {THIS_MONDAY: (5, 5), today: (7, 7)}  # one check-in a day, as stored
    weeks = trend.weekly([(day, *values) for day, values in rows.items()], today, weeks=1)
    assert weeks[0].start == THIS_MONDAY
    assert weeks[0].partial
    assert weeks[0].mood_days == len(rows)


def test_today_on_a_monday_starts_a_new_week():
    weeks = trend.weekly([(THIS_MONDAY, 3, 3)], THIS_MONDAY, weeks=2)
    assert weeks[-1].start == THIS_MONDAY
    assert weeks[-1].mood == 3
    assert weeks[0].is_empty


def test_days_before_the_window_are_left_out():
    first = trend.first_day(WEDNESDAY)
    assert first == THIS_MONDAY - dt.timedelta(weeks=11)
    rows = [(first - dt.timedelta(days=1), 0, 10), (first, 9, 1)]
    weeks = trend.weekly(rows, WEDNESDAY)
    assert (weeks[0].mood, weeks[0].mood_days) == (9, 1)
    assert sum(week.mood_days for week in weeks) == 1


def test_a_shorter_or_longer_window():
    assert len(trend.weekly([], WEDNESDAY, weeks=4)) == 4
    assert len(trend.weekly([], WEDNESDAY, weeks=52)) == 52
    with pytest.raises(ValueError):
        trend.weekly([], WEDNESDAY, weeks=0)


def test_across_a_new_year():
    today = D(2025, 1, 1)  # a Wednesday; its Monday is in 2024
    weeks = trend.weekly([(D(2024, 12, 30), 6, 2), (today, 8, 4)], today, weeks=1)
    assert weeks[0].start == D(2024, 12, 30)
    assert weeks[0].mood == pytest.approx(7)


def test_rows_in_any_order():
    rows = [(WEDNESDAY, 2, 2), (THIS_MONDAY, 6, 6), (THIS_MONDAY + dt.timedelta(days=1), 4, 4)]
    assert trend.weekly(rows, WEDNESDAY) == trend.weekly(list(reversed(rows)), WEDNESDAY)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        (0, "0.0"),
        (10, "10.0"),
        (2.25, "2.3"),  # halves go up, as people round
        (2.75, "2.8"),
        (0.05, "0.1"),
        (7 / 3, "2.3"),
        (20 / 3, "6.7"),
    ],
)
def test_shown_to_one_decimal(value, shown):
    assert trend.shown(value) == shown


def test_means_are_kept_exact_and_rounded_only_for_display():
    tuesday = THIS_MONDAY + dt.timedelta(days=1)
    [week] = trend.weekly([(THIS_MONDAY, 7, 1), (tuesday, 8, 1), (WEDNESDAY, 8, 2)], WEDNESDAY, 1)
    assert week.mood == pytest.approx(23 / 3)
    assert trend.rounded(week.mood) == 7.7
    assert trend.rounded(None) is None


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=D(2025, 1, 1), max_value=D(2025, 8, 1)),
            st.none() | st.integers(0, 10),
            st.none() | st.integers(0, 10),
        ),
        max_size=60,
    )
)
def test_every_value_in_the_window_is_counted_once_and_means_stay_on_the_scale(rows):
    weeks = trend.weekly(rows, WEDNESDAY)
    first = trend.first_day(WEDNESDAY)
    inside = [row for row in rows if first <= row[0] <= WEDNESDAY]
    assert sum(w.mood_days for w in weeks) == sum(1 for row in inside if row[1] is not None)
    assert sum(w.stress_days for w in weeks) == sum(1 for row in inside if row[2] is not None)
    for week in weeks:
        assert (week.mood is None) == (week.mood_days == 0)
        assert (week.stress is None) == (week.stress_days == 0)
        for value in (week.mood, week.stress):
            assert value is None or 0 <= value <= 10


# What a supporter sees ----------------------------------------------------------------------


LAST_SUNDAY = THIS_MONDAY - dt.timedelta(days=1)


def test_shared_weeks_are_full_weeks_ending_last_sunday():
    weeks = trend.shared([(THIS_MONDAY, 8, 2), (WEDNESDAY, 9, 1)], WEDNESDAY)
    assert len(weeks) == trend.WEEKS
    assert weeks[-1].end == LAST_SUNDAY == trend.last_full_day(WEDNESDAY)
    assert all(not week.partial and week.is_empty for week in weeks)
    assert sum(week.mood_days for week in weeks) == 0


@pytest.mark.parametrize("today", [THIS_MONDAY, WEDNESDAY, THIS_MONDAY + dt.timedelta(days=6)])
def test_every_day_of_this_week_has_the_same_last_full_week(today):
    assert trend.shared([], today)[-1].start == THIS_MONDAY - dt.timedelta(weeks=1)


def test_a_mean_needs_two_days_and_the_count_still_shows():
    rows = [
        (LAST_SUNDAY, 4, 6),
        (LAST_SUNDAY - dt.timedelta(days=1), 6, None),
        (LAST_SUNDAY - dt.timedelta(weeks=1), 2, 9),
    ]
    before, last = trend.shared(rows, WEDNESDAY, weeks=2)
    assert (last.mood, last.mood_days, last.stress, last.stress_days) == (5, 2, None, 1)
    assert (before.mood, before.mood_days, before.stress, before.stress_days) == (None, 1, None, 1)


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=D(2025, 3, 1), max_value=D(2025, 6, 8)),
            st.none() | st.integers(0, 10),
            st.none() | st.integers(0, 10),
        ),
        max_size=60,
    )
)
def test_no_shared_mean_is_of_one_day_or_of_the_week_under_way(rows):
    for week in trend.shared(rows, WEDNESDAY):
        assert week.end < THIS_MONDAY
        assert week.mood is None or week.mood_days >= trend.MIN_DAYS
        assert week.stress is None or week.stress_days >= trend.MIN_DAYS


# The chart ----------------------------------------------------------------------------------


def test_chart_draws_runs_and_lone_weeks_and_leaves_gaps():
    rows = [
        (THIS_MONDAY - dt.timedelta(weeks=3), 5, None),
        (THIS_MONDAY - dt.timedelta(weeks=2), 6, None),
        (THIS_MONDAY, 8, 2),
    ]
    weeks = trend.weekly(rows, WEDNESDAY, weeks=4)
    chart = trend.chart(weeks)
    assert len(chart.mood) == 1 and len(chart.mood[0].split()) == 2  # two weeks in a row
    assert len(chart.mood_dots) == 1  # this week, after a gap
    assert chart.stress == [] and len(chart.stress_dots) == 1
    # Higher is up: mood 8 sits above mood 5.
    first_y = float(chart.mood[0].split()[0].split(",")[1])
    assert chart.mood_dots[0].y < first_y


def test_chart_labels_this_week_and_never_more_than_a_few():
    chart = trend.chart(trend.weekly([(WEDNESDAY, 5, 5)], WEDNESDAY))
    assert chart.x_ticks[-1].label == "2 Jun"
    assert len(chart.x_ticks) <= trend.X_LABELS
    assert [tick.label for tick in chart.y_ticks] == ["0", "5", "10"]


@pytest.mark.parametrize("weeks", [1, 4, 12, 52])
def test_the_newest_label_keeps_clear_of_the_right_edge(weeks):
    chart = trend.chart(trend.weekly([(WEDNESDAY, 5, 5)], WEDNESDAY, weeks=weeks))
    # A centred label of six characters ("30 Nov") at the chart's 15px is about 45 wide.
    assert chart.width - chart.x_ticks[-1].at >= 30


def test_chart_summary_says_the_latest_week_in_words():
    chart = trend.chart(trend.weekly([(WEDNESDAY, 7, 3), (THIS_MONDAY, 6, None)], WEDNESDAY))
    assert chart.summary == (
        "1 week of the last 12 weeks has check-ins. "
        "The latest, the week of 2 June: mood 6.5 and stress 3.0 (0 to 10)."
    )
    assert trend.summary(trend.weekly([], WEDNESDAY)) == "No check-ins in the last 12 weeks."


def test_chart_needs_a_week():
    with pytest.raises(ValueError):
        trend.chart([])
