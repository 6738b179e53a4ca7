"""The pure rules of goals: progress, reaching, milestone days and undo, step order and input."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from closeknit.recovery import goals

UTC = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def at(text: str, zone: ZoneInfo = UTC) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


# Progress


def test_no_steps_is_no_progress_and_never_a_percentage():
    progress = goals.progress([])
    assert (progress.done, progress.total) == (0, 0)
    assert not progress.has_steps
    assert not progress.all_done
    assert progress.fraction is None
    assert progress.label == "No steps yet"


def test_some_steps_done():
    progress = goals.progress([True, False, True, False, False])
    assert (progress.done, progress.total) == (2, 5)
    assert progress.label == "2 of 5 steps"
    assert progress.fraction == pytest.approx(0.4)
    assert not progress.all_done


def test_one_step_reads_in_the_singular():
    assert goals.progress([False]).label == "0 of 1 step"
    assert goals.progress([True]).label == "1 of 1 step"


def test_all_steps_done():
    progress = goals.progress([True, True, True])
    assert progress.all_done
    assert progress.fraction == 1.0
    assert progress.label == "3 of 3 steps"


def test_none_done():
    progress = goals.progress([False, False])
    assert progress.fraction == 0.0
    assert progress.label == "0 of 2 steps"


def test_progress_takes_any_iterable_once():
    assert goals.progress(flag for flag in (True, False)).label == "1 of 2 steps"


@pytest.mark.parametrize(("done", "total"), [(-1, 2), (3, 2), (1, 0)])
def test_impossible_progress_is_refused(done, total):
    with pytest.raises(ValueError):
        goals.Progress(done, total)


# Reaching a goal


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], True),  # a goal without steps is reached when the member says so
        ([True], True),
        ([True, True], True),
        ([True, False], False),
        ([False], False),
    ],
)
def test_a_goal_can_be_reached_without_steps_or_with_all_done(flags, expected):
    assert goals.can_be_reached(goals.progress(flags)) is expected
    assert goals.stays_reached(goals.progress(flags)) is expected


# Milestones: the member's local day


def test_local_day_in_summer_london_is_an_hour_ahead_of_utc():
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
    assert goals.local_day(at("2024-07-01T23:30"), LONDON) == dt.date(2024, 7, 2)
    assert goals.local_day(at("2024-07-01T23:30"), UTC) == dt.date(2024, 7, 1)


def test_local_day_in_winter_london_matches_utc():
    assert goals.local_day(at("2024-01-15T23:30"), LONDON) == dt.date(2024, 1, 15)


def test_local_day_just_before_and_after_local_midnight():
    assert goals.local_day(at("2024-07-01T22:59:59"), LONDON) == dt.date(2024, 7, 1)
    assert goals.local_day(at("2024-07-01T23:00:00"), LONDON) == dt.date(2024, 7, 2)


def test_local_day_on_the_spring_dst_day():
    # 31 March 2024: London's clocks go from 01:00 GMT to 02:00 BST.
    assert goals.local_day(at("2024-03-30T23:59"), LONDON) == dt.date(2024, 3, 30)
    assert goals.local_day(at("2024-03-31T00:30"), LONDON) == dt.date(2024, 3, 31)
    assert goals.local_day(at("2024-03-31T23:00"), LONDON) == dt.date(2024, 4, 1)


def test_local_day_on_the_autumn_dst_day():
    # 27 October 2024: back from BST to GMT at 02:00 local; the day is 25 hours long.
    assert goals.local_day(at("2024-10-26T23:30"), LONDON) == dt.date(2024, 10, 27)
    assert goals.local_day(at("2024-10-27T23:30"), LONDON) == dt.date(2024, 10, 27)


def test_local_day_far_east():
    assert goals.local_day(at("2024-07-01T12:30"), AUCKLAND) == dt.date(2024, 7, 2)


def test_local_day_needs_an_instant_with_a_zone():
    with pytest.raises(ValueError):
        goals.local_day(dt.datetime(2024, 1, 1, 12), LONDON)


# Milestones: creating and undoing


def test_a_milestone_is_created_only_the_first_time():
    assert goals.creates_milestone(already_has_one=False)
    assert not goals.creates_milestone(already_has_one=True)


def test_undo_on_the_same_local_day_removes_the_milestone():
    assert goals.undo_removes_milestone(dt.date(2024, 7, 2), at("2024-07-02T20:00"), LONDON)


def test_undo_on_a_later_day_keeps_the_milestone():
    assert not goals.undo_removes_milestone(dt.date(2024, 7, 1), at("2024-07-02T09:00"), LONDON)


def test_undo_just_after_local_midnight_in_summer_is_a_later_day():
    # Ticked at 23:50 London time on 1 July; unticked at 00:10 London time (23:10 UTC, still
    # 1 July in UTC). In the member's life that is the next day: the milestone stays.
    ticked = goals.local_day(at("2024-07-01T22:50"), LONDON)
    assert ticked == dt.date(2024, 7, 1)
    assert not goals.undo_removes_milestone(ticked, at("2024-07-01T23:10"), LONDON)
    # Read in UTC it would have been the same day, and removed.
    assert goals.undo_removes_milestone(ticked, at("2024-07-01T23:10"), UTC)


def test_undo_across_the_spring_dst_night():
    ticked = goals.local_day(at("2024-03-30T23:30"), LONDON)  # 23:30 GMT, 30 March
    assert not goals.undo_removes_milestone(ticked, at("2024-03-31T00:30"), LONDON)
    # Within 31 March, before and after the clocks change, is one day.
    ticked = goals.local_day(at("2024-03-31T00:30"), LONDON)
    assert goals.undo_removes_milestone(ticked, at("2024-03-31T22:59"), LONDON)


def test_undo_on_the_long_autumn_day_is_still_the_same_day():
    ticked = goals.local_day(at("2024-10-26T23:05"), LONDON)  # 00:05 BST, 27 October
    assert ticked == dt.date(2024, 10, 27)
    assert goals.undo_removes_milestone(ticked, at("2024-10-27T23:55"), LONDON)  # 23:55 GMT


def test_a_milestone_dated_after_today_counts_as_today():
    # After moving west, "today" can be the day before the milestone's date.
    assert goals.undo_removes_milestone(dt.date(2024, 7, 3), at("2024-07-02T12:00"), LONDON)


# Step order


def test_next_position_after_the_last():
    assert goals.next_position([]) == 0
    assert goals.next_position([0, 1, 2]) == 3
    assert goals.next_position([5, 2]) == 6


@pytest.mark.parametrize(
    ("item", "offset", "expected"),
    [
        (2, -1, [2, 1, 3]),
        (2, 1, [1, 3, 2]),
        (1, -1, [1, 2, 3]),  # the first cannot go up
        (3, 1, [1, 2, 3]),  # the last cannot go down
        (1, 5, [2, 3, 1]),  # far moves stop at the end
        (3, -5, [3, 1, 2]),
        (2, 0, [1, 2, 3]),
        (9, 1, [1, 2, 3]),  # not one of these steps: nothing moves
    ],
)
def test_move(item, offset, expected):
    assert goals.move([1, 2, 3], item, offset) == expected


def test_move_in_an_empty_or_single_list():
    assert goals.move([], 1, -1) == []
    assert goals.move([7], 7, 1) == [7]


def test_move_leaves_the_input_alone():
    order = [1, 2, 3]
    goals.move(order, 3, -1)
    assert order == [1, 2, 3]


# First steps typed one a line


def test_first_steps_drop_blank_lines_and_list_marks():
    text = "  - Buy walking shoes\n\n* Walk to the corner \r\n• Walk to the park\n   \n"
    assert goals.first_steps(text) == [
        "Buy walking shoes",
        "Walk to the corner",
        "Walk to the park",
    ]


def test_first_steps_of_nothing():
    assert goals.first_steps("") == []
    assert goals.first_steps("\n \n-\n") == []


def test_first_steps_are_checked():
    assert goals.check_first_steps(["a"] * goals.MAX_STEPS) is None
    assert "keep it to" in (goals.check_first_steps(["a"] * (goals.MAX_STEPS + 1)) or "")
    too_long = "x" * (goals.STEP_TITLE_MAX_LENGTH + 1)
    assert "200 characters" in (goals.check_first_steps(["fine", too_long]) or "")


# Replacing a goal's steps (API PUT)


def test_plan_steps_keeps_sent_ids_deletes_the_rest_and_counts_new_ones():
    plan = goals.plan_steps({1, 2, 3}, [3, None, 1, None])
    assert plan == goals.StepsPlan(keep=(3, 1), delete=(2,), new=2)


def test_plan_steps_from_nothing_and_to_nothing():
    assert goals.plan_steps(set(), [None]) == goals.StepsPlan(keep=(), delete=(), new=1)
    assert goals.plan_steps({4, 5}, []) == goals.StepsPlan(keep=(), delete=(4, 5), new=0)


def test_plan_steps_refuses_another_goals_step():
    with pytest.raises(ValueError, match="no step with id 9"):
        goals.plan_steps({1}, [1, 9])


def test_plan_steps_names_every_unknown_id():
    with pytest.raises(ValueError, match="no steps with ids 8, 9"):
        goals.plan_steps({1}, [9, 8])


def test_plan_steps_refuses_a_step_twice():
    with pytest.raises(ValueError, match="once"):
        goals.plan_steps({1, 2}, [1, 2, 1])


# The words


def test_reached_message_is_warm():
    assert goals.reached_message("Walk to the park twice a week") == (
        "You did it: “Walk to the park twice a week” is reached. That took real effort."
    )


def test_step_done_message_invites_reaching_the_goal_after_the_last_step():
    assert goals.step_done_message("Buy shoes", goals.progress([True, False])) == (
        "Nice one: “Buy shoes” is done."
    )
    assert "Mark the goal as reached" in goals.step_done_message(
        "Buy shoes", goals.progress([True, True])
    )


def test_undoing_never_scolds():
    for message in (goals.step_undone_message("Buy shoes"), goals.reopened_message("Walk")):
        assert "fail" not in message.lower()
        assert "should" not in message.lower()
