"""/api/v1/goals: goals with their steps in order, progress, helpers, reaching."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.recovery.goals_forms import add_steps, tick_step
from closeknit.recovery.models import Goal, GoalStep, Milestone
from tests.api.conftest import error_fields, error_messages

GOALS = "/api/v1/goals"


def url(goal: Goal) -> str:
    return f"{GOALS}/{goal.pk}"


def _row(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def goals_state(owner: User) -> dict[str, Any]:
    """Every goal, step and milestone the owner has, fresh from the database."""
    return {
        "goals": [
            {**_row(g), "helpers": sorted(g.helpers.values_list("pk", flat=True))}
            for g in Goal.objects.owned_by(owner).order_by("pk")
        ],
        "steps": [_row(s) for s in GoalStep.objects.owned_by(owner).order_by("pk")],
        "milestones": [_row(m) for m in Milestone.objects.owned_by(owner).order_by("pk")],
    }


@pytest.fixture
def goal(member: User, network: dict[str, Any]) -> Goal:
    goal = Goal.objects.create(
        owner=member,
        title="Walk to the park twice a week",
        why="Fresh air.",
        target_date=dt.date(2026, 9, 1),
    )
    goal.helpers.set([network["sam"]])
    add_steps(goal, ["Buy walking shoes", "Walk to the corner"])
    return goal


def steps_of(goal: Goal) -> list[GoalStep]:
    return list(GoalStep.objects.filter(goal=goal).order_by("position", "id"))


# Reading


def test_list_shows_goals_with_steps_progress_and_helpers(api, goal, network):
    shoes, corner = steps_of(goal)
    tick_step(shoes, timezone.now(), goal.owner.zone)
    response = api.get(GOALS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        **item,
        "id": goal.pk,
        "title": "Walk to the park twice a week",
        "why": "Fresh air.",
        "target_date": "2026-09-01",
        "helpers": [network["sam"].pk],
        "steps": [
            {"id": shoes.pk, "title": "Buy walking shoes", "done": True},
            {"id": corner.pk, "title": "Walk to the corner", "done": False},
        ],
        "progress": {"done": 1, "total": 2},
        "completed": False,
        "completed_at": None,
        "archived": False,
    }
    assert item["created_at"].endswith("+00:00")


def test_a_goal_without_steps_has_zero_of_zero(api, member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    assert api.get(url(goal)).json()["progress"] == {"done": 0, "total": 0}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("completed=true", ["Reached"]),
        ("completed=false", ["Walk to the park twice a week", "Archived"]),
        ("archived=true", ["Archived"]),
        ("archived=false", ["Walk to the park twice a week", "Reached"]),
    ],
)
def test_list_filters(api, member, goal, query, expected):
    Goal.objects.create(owner=member, title="Reached", completed_at=timezone.now())
    Goal.objects.create(owner=member, title="Archived", archived_at=timezone.now())
    assert [g["title"] for g in api.get(f"{GOALS}?{query}").json()["items"]] == expected


def test_strangers_list_never_shows_the_members_goals(stranger_api, goal):
    assert stranger_api.get(GOALS).json() == {"items": [], "count": 0}


def test_stranger_gets_404_for_the_members_goal(stranger_api, goal):
    assert stranger_api.get(url(goal)).status_code == 404


# Creating


def test_create_a_goal_with_steps_and_helpers(api, member, network):
    sam, ada = network["sam"], network["ada"]
    response = api.post(
        GOALS,
        {
            "title": "  Go back to choir ",
            "why": "Singing lifts me.",
            "target_date": "2026-10-01",
            "helpers": [ada.pk, sam.pk, ada.pk],
            "steps": [{"title": "Find the times"}, {"title": "Go once", "done": True}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Go back to choir"
    assert body["helpers"] == sorted([sam.pk, ada.pk])
    assert [(s["title"], s["done"]) for s in body["steps"]] == [
        ("Find the times", False),
        ("Go once", True),
    ]
    assert body["progress"] == {"done": 1, "total": 2}
    goal = Goal.objects.owned_by(member).get(pk=body["id"])
    assert goal.why == "Singing lifts me."
    assert [s.position for s in steps_of(goal)] == [0, 1]
    # A step created done is celebrated like one ticked on the page.
    milestone = Milestone.objects.owned_by(member).get()
    assert milestone.title == "Go once"
    assert set(milestone.people.all()) == {sam, ada}


def test_a_goal_without_steps_can_be_created_reached(api, member):
    body = api.post(GOALS, {"title": "Call my sister", "completed": True}).json()
    assert body["completed"] is True and body["completed_at"] is not None
    assert Milestone.objects.owned_by(member).get().step is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "G", "target_date": "soon"}, "target_date"),
        ({"title": "G", "helpers": ["sam"]}, "helpers"),
        ({"title": "G", "helpers": [0]}, "helpers"),
        ({"title": "G", "steps": [{"done": True}]}, "steps"),
        ({"title": "G", "steps": [{"title": ""}]}, "steps"),
        ({"title": "G", "steps": [{"title": "a", "colour": "red"}]}, "steps"),
        ({"title": "G", "steps": [{"title": "a"}] * 101}, "steps"),
        ({"title": "G", "steps": [{"id": 10**9, "title": "a"}]}, "steps"),
        ({"title": "G", "steps": [{"title": "a"}], "completed": True}, "completed"),
        ({"title": "G", "progress": {"done": 1, "total": 1}}, "progress"),
        ({"title": "G", "colour": "blue"}, "colour"),
    ],
)
def test_bad_goal_gets_422_naming_the_field_and_adds_nothing(api, member, goal, body, field):
    before = goals_state(member)
    assert error_fields(api.post(GOALS, body)) == [field]
    assert goals_state(member) == before


def test_someone_from_another_network_cannot_help(api, member, stranger, goal):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    before = goals_state(member)
    response = api.post(GOALS, {"title": "G", "helpers": [theirs.pk]})
    assert error_fields(response) == ["helpers"]
    assert str(theirs.pk) in error_messages(response)
    assert goals_state(member) == before


def test_reaching_with_open_steps_says_how_far_it_is(api, goal):
    response = api.patch(url(goal), {"completed": True})
    assert error_fields(response) == ["completed"]
    assert "0 of 2 steps" in error_messages(response)


# Replacing (PUT): steps keep their ids


def test_put_replaces_steps_keeping_ids_of_existing_ones(api, member, goal):
    shoes, corner = steps_of(goal)
    response = api.put(
        url(goal),
        {
            "title": "Walk to the park",
            "steps": [
                {"id": corner.pk, "title": "Walk to the corner shop", "done": True},
                {"title": "Walk to the park gate"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    steps = response.json()["steps"]
    assert steps[0] == {"id": corner.pk, "title": "Walk to the corner shop", "done": True}
    assert steps[1]["title"] == "Walk to the park gate" and steps[1]["id"] not in (shoes.pk,)
    assert not GoalStep.objects.filter(pk=shoes.pk).exists()
    assert [s.position for s in steps_of(goal)] == [0, 1]
    goal.refresh_from_db()
    # A PUT is the whole goal: what is left out is emptied.
    assert (goal.why, goal.target_date, list(goal.helpers.all())) == ("", None, [])


def test_put_can_reorder_steps(api, goal):
    shoes, corner = steps_of(goal)
    body = {
        "title": goal.title,
        "steps": [{"id": corner.pk, "title": corner.title}, {"id": shoes.pk, "title": shoes.title}],
    }
    assert [s["id"] for s in api.put(url(goal), body).json()["steps"]] == [corner.pk, shoes.pk]


def test_put_with_another_goals_step_changes_nothing(api, member, goal):
    other = Goal.objects.create(owner=member, title="Other")
    [theirs] = add_steps(other, ["Not this goal's"])
    before = goals_state(member)
    response = api.put(url(goal), {"title": "T", "steps": [{"id": theirs.pk, "title": "x"}]})
    assert error_fields(response) == ["steps"]
    assert f"no step with id {theirs.pk}" in error_messages(response)
    assert goals_state(member) == before


def test_put_with_a_step_twice_changes_nothing(api, member, goal):
    shoes, _ = steps_of(goal)
    before = goals_state(member)
    body = {"title": "T", "steps": [{"id": shoes.pk, "title": "a"}, {"id": shoes.pk, "title": "b"}]}
    assert error_fields(api.put(url(goal), body)) == ["steps"]
    assert goals_state(member) == before


def test_put_with_a_strangers_step_changes_nothing(api, member, stranger, goal):
    theirs_goal = Goal.objects.create(owner=stranger, title="Theirs")
    [theirs] = add_steps(theirs_goal, ["Theirs"])
    before = goals_state(member)
    response = api.put(url(goal), {"title": "T", "steps": [{"id": theirs.pk, "title": "Mine"}]})
    assert error_fields(response) == ["steps"]
    assert goals_state(member) == before
    assert GoalStep.objects.get(pk=theirs.pk).title == "Theirs"


# Changing (PATCH)


def test_patch_changes_only_the_fields_sent(api, goal, network):
    response = api.patch(url(goal), {"why": "Sunshine."})
    assert response.status_code == 200
    body = response.json()
    assert body["helpers"] == [network["sam"].pk]
    assert len(body["steps"]) == 2
    goal.refresh_from_db()
    assert (goal.why, goal.title) == ("Sunshine.", "Walk to the park twice a week")


def test_patch_null_title_is_refused(api, member, goal):
    before = goals_state(member)
    assert error_fields(api.patch(url(goal), {"title": None})) == ["title"]
    assert goals_state(member) == before


def test_patch_archives_and_keeps_the_first_date(api, goal):
    first = api.patch(url(goal), {"archived": True}).json()
    assert first["archived"] is True
    archived_at = Goal.objects.get(pk=goal.pk).archived_at
    api.patch(url(goal), {"archived": True})
    assert Goal.objects.get(pk=goal.pk).archived_at == archived_at
    assert api.patch(url(goal), {"archived": False}).json()["archived"] is False


@time_machine.travel(dt.datetime(2024, 7, 1, 23, 30, tzinfo=dt.UTC), tick=False)
def test_ticking_every_step_then_reaching_makes_milestones_on_the_local_day(api, member, goal):
    shoes, corner = steps_of(goal)
    steps = [
        {"id": shoes.pk, "title": shoes.title, "done": True},
        {"id": corner.pk, "title": corner.title, "done": True},
    ]
    body = api.patch(url(goal), {"steps": steps, "completed": True}).json()
    assert body["completed"] is True
    assert body["progress"] == {"done": 2, "total": 2}
    milestones = Milestone.objects.owned_by(member)
    assert milestones.count() == 3
    # 23:30 UTC on 1 July is 2 July in London, the member's zone.
    assert {m.achieved_on for m in milestones} == {dt.date(2024, 7, 2)}


def test_unticking_a_step_reopens_a_reached_goal_and_keeps_its_milestone(api, member, goal):
    shoes, corner = steps_of(goal)
    done = [{"id": s.pk, "title": s.title, "done": True} for s in (shoes, corner)]
    api.patch(url(goal), {"steps": done, "completed": True})
    done[1]["done"] = False
    body = api.patch(url(goal), {"steps": done}).json()
    assert body["completed"] is False
    titles = set(Milestone.objects.owned_by(member).values_list("title", flat=True))
    # The goal's milestone stays; the step unticked the same day leaves none.
    assert titles == {"Walk to the park twice a week", "Buy walking shoes"}


def test_reopening_a_goal_the_same_day_removes_its_milestone(api, member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    api.patch(url(goal), {"completed": True})
    assert api.patch(url(goal), {"completed": False}).json()["completed"] is False
    assert not Milestone.objects.exists()


def test_patch_helpers_with_a_strangers_person_changes_nothing(api, member, stranger, goal):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    before = goals_state(member)
    response = api.patch(url(goal), {"title": "Renamed", "helpers": [theirs.pk]})
    assert error_fields(response) == ["helpers"]
    assert goals_state(member) == before


# Deleting


def test_delete_a_goal_keeps_its_milestones(api, member, goal):
    tick_step(steps_of(goal)[0], timezone.now(), member.zone)
    assert api.delete(url(goal)).status_code == 204
    assert not Goal.objects.owned_by(member).exists()
    assert not GoalStep.objects.owned_by(member).exists()
    assert Milestone.objects.owned_by(member).get().title == "Buy walking shoes"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stranger_cannot_change_the_members_goal(stranger_api, member, goal, method):
    before = goals_state(member)
    if method == "delete":
        response = stranger_api.delete(url(goal))
    else:
        response = getattr(stranger_api, method)(url(goal), {"title": "Taken"})
    assert response.status_code == 404
    assert goals_state(member) == before


def test_signed_out_gets_401(anonymous_api, goal):
    assert anonymous_api.get(GOALS).status_code == 401
    assert anonymous_api.get(url(goal)).status_code == 401


# Query counts


def _queries(api: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def test_list_queries_do_not_grow_with_goals_and_steps(api, member, goal, network):
    api.get(GOALS)  # the first use of a token is recorded once; leave that out
    small = _queries(api, f"{GOALS}?limit=500")
    for n in range(60):
        more = Goal.objects.create(owner=member, title=f"Goal {n}")
        more.helpers.set([network["sam"], network["ada"]])
        add_steps(more, [f"Step {k}" for k in range(5)])
    large = _queries(api, f"{GOALS}?limit=500")
    assert len(api.get(f"{GOALS}?limit=500").json()["items"]) == 61
    # Token, count, page, steps, helpers.
    assert small == large <= 5


def test_one_goal_takes_at_most_four_queries(api, goal, django_assert_max_num_queries):
    api.get(url(goal))
    with django_assert_max_num_queries(4):
        assert api.get(url(goal)).status_code == 200
