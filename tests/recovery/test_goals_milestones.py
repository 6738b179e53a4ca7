"""The milestone rules applied to the database: ticking, unticking, reaching, reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from closeknit.recovery.goals_forms import (
    add_steps,
    delete_steps,
    reach_goal,
    reopen_goal,
    tick_step,
    untick_step,
)
from closeknit.recovery.models import Goal, GoalStep, Milestone

UTC = ZoneInfo("UTC")
LONDON = ZoneInfo("Europe/London")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def goal(member: Any, network: Any) -> Goal:
    goal = Goal.objects.create(owner=member, title="Walk to the park twice a week")
    goal.helpers.set([network["sam"], network["ada"]])
    add_steps(goal, ["Buy walking shoes", "Walk to the corner"])
    return goal


def steps_of(goal: Goal) -> list[GoalStep]:
    return list(goal.steps.all())


def test_ticking_a_step_creates_its_milestone_on_the_local_day(goal, network):
    shoes = steps_of(goal)[0]
    # 23:30 UTC on 1 July is already 2 July in London.
    milestone = tick_step(shoes, at("2024-07-01T23:30"), LONDON)
    assert milestone is not None
    assert milestone.title == "Buy walking shoes"
    assert milestone.achieved_on == dt.date(2024, 7, 2)
    assert (milestone.goal, milestone.step) == (goal, shoes)
    assert set(milestone.people.all()) == {network["sam"], network["ada"]}
    assert milestone.owner == goal.owner
    shoes.refresh_from_db()
    assert shoes.done_at == at("2024-07-01T23:30")


def test_a_member_in_utc_gets_the_utc_day(goal):
    milestone = tick_step(steps_of(goal)[0], at("2024-07-01T23:30"), UTC)
    assert milestone is not None and milestone.achieved_on == dt.date(2024, 7, 1)


def test_ticking_on_the_dst_day(goal):
    # 31 March 2024, 00:30 UTC is 00:30 GMT; 23:30 UTC that day is 00:30 BST on 1 April.
    first, second = steps_of(goal)
    assert tick_step(first, at("2024-03-31T00:30"), LONDON).achieved_on == dt.date(2024, 3, 31)
    assert tick_step(second, at("2024-03-31T23:30"), LONDON).achieved_on == dt.date(2024, 4, 1)


def test_ticking_twice_changes_nothing(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T10:00"), LONDON)
    assert tick_step(shoes, at("2024-07-01T10:01"), LONDON) is None
    shoes.refresh_from_db()
    assert shoes.done_at == at("2024-07-01T10:00")
    assert Milestone.objects.count() == 1


def test_unticking_the_same_local_day_leaves_no_trace(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T10:00"), LONDON)
    untick_step(shoes, at("2024-07-01T22:30"), LONDON)  # 23:30 in London, same day
    shoes.refresh_from_db()
    assert shoes.done_at is None
    assert not Milestone.objects.exists()


def test_unticking_after_local_midnight_keeps_the_milestone(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T22:50"), LONDON)  # 23:50 on 1 July in London
    untick_step(shoes, at("2024-07-01T23:10"), LONDON)  # 00:10 on 2 July in London
    assert Milestone.objects.get().achieved_on == dt.date(2024, 7, 1)


def test_the_same_instants_are_one_day_for_a_member_in_utc(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T22:50"), UTC)
    untick_step(shoes, at("2024-07-01T23:10"), UTC)
    assert not Milestone.objects.exists()


def test_retick_after_a_later_untick_does_not_celebrate_twice(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T10:00"), LONDON)
    untick_step(shoes, at("2024-07-03T10:00"), LONDON)
    assert tick_step(shoes, at("2024-07-04T10:00"), LONDON) is None
    assert Milestone.objects.get().achieved_on == dt.date(2024, 7, 1)


def test_retick_after_a_same_day_untick_celebrates_again(goal):
    shoes = steps_of(goal)[0]
    tick_step(shoes, at("2024-07-01T10:00"), LONDON)
    untick_step(shoes, at("2024-07-01T10:01"), LONDON)
    assert tick_step(shoes, at("2024-07-02T10:00"), LONDON) is not None
    assert Milestone.objects.get().achieved_on == dt.date(2024, 7, 2)


def test_unticking_a_step_that_is_not_done_does_nothing(goal):
    shoes = steps_of(goal)[0]
    untick_step(shoes, at("2024-07-01T10:00"), LONDON)
    assert GoalStep.objects.get(pk=shoes.pk).done_at is None


def test_reaching_a_goal_creates_its_milestone(goal, network):
    for step in steps_of(goal):
        tick_step(step, at("2024-07-01T10:00"), LONDON)
    milestone = reach_goal(goal, at("2024-07-05T23:15"), LONDON)
    assert milestone is not None
    assert milestone.title == "Walk to the park twice a week"
    assert milestone.achieved_on == dt.date(2024, 7, 6)
    assert (milestone.goal, milestone.step) == (goal, None)
    assert set(milestone.people.all()) == {network["sam"], network["ada"]}
    goal.refresh_from_db()
    assert goal.completed_at == at("2024-07-05T23:15")
    assert reach_goal(goal, at("2024-07-06T10:00"), LONDON) is None
    assert Milestone.objects.filter(step__isnull=True).count() == 1


def test_reopening_the_same_day_removes_the_goals_milestone(member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    reach_goal(goal, at("2024-07-01T10:00"), LONDON)
    reopen_goal(goal, at("2024-07-01T18:00"), LONDON)
    goal.refresh_from_db()
    assert goal.completed_at is None
    assert not Milestone.objects.exists()


def test_reopening_a_later_day_keeps_it_and_reaching_again_adds_no_second(member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    reach_goal(goal, at("2024-07-01T10:00"), LONDON)
    reopen_goal(goal, at("2024-07-09T10:00"), LONDON)
    assert reach_goal(goal, at("2024-07-10T10:00"), LONDON) is None
    assert Milestone.objects.get().achieved_on == dt.date(2024, 7, 1)
    goal.refresh_from_db()
    assert goal.completed_at == at("2024-07-10T10:00")


def test_reopening_an_open_goal_does_nothing(member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    reopen_goal(goal, at("2024-07-01T10:00"), LONDON)
    assert Goal.objects.get(pk=goal.pk).completed_at is None


def test_unticking_a_step_reopens_the_goal_but_keeps_its_milestone_even_the_same_day(goal):
    first, second = steps_of(goal)
    tick_step(first, at("2024-07-01T10:00"), LONDON)
    tick_step(second, at("2024-07-01T10:05"), LONDON)
    reach_goal(goal, at("2024-07-01T10:10"), LONDON)
    untick_step(second, at("2024-07-01T10:20"), LONDON)
    goal.refresh_from_db()
    assert goal.completed_at is None
    # The step's mis-tap is undone; the goal's milestone stays: it was reached.
    assert list(Milestone.objects.values_list("title", flat=True)) == [
        "Walk to the park twice a week",
        "Buy walking shoes",
    ]


def test_adding_a_step_to_a_reached_goal_reopens_it(goal):
    for step in steps_of(goal):
        tick_step(step, at("2024-07-01T10:00"), LONDON)
    reach_goal(goal, at("2024-07-01T11:00"), LONDON)
    add_steps(goal, ["Walk to the park"])
    goal.refresh_from_db()
    assert goal.completed_at is None
    assert [s.position for s in steps_of(goal)] == [0, 1, 2]
    assert Milestone.objects.filter(step__isnull=True).count() == 1


def test_deleting_a_done_step_keeps_its_milestone_apart_from_the_goals(goal):
    first, second = steps_of(goal)
    tick_step(first, at("2024-07-01T10:00"), LONDON)
    delete_steps(goal, [first.pk])
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.goal, milestone.step) == ("Buy walking shoes", None, None)
    # The goal has no milestone of its own yet, so reaching it makes one.
    tick_step(second, at("2024-07-02T10:00"), LONDON)
    assert reach_goal(goal, at("2024-07-02T11:00"), LONDON) is not None


def test_deleting_steps_of_a_reached_goal_keeps_it_reached(goal):
    first, second = steps_of(goal)
    tick_step(first, at("2024-07-01T10:00"), LONDON)
    tick_step(second, at("2024-07-01T10:00"), LONDON)
    reach_goal(goal, at("2024-07-01T11:00"), LONDON)
    delete_steps(goal, [first.pk])
    goal.refresh_from_db()
    assert goal.completed_at is not None
