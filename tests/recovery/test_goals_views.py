"""The goal pages: list, add, edit, archive, delete; steps, reaching, reflections, milestones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Person
from closeknit.recovery.goals_forms import add_steps, reach_goal, tick_step
from closeknit.recovery.models import Goal, GoalReflection, GoalStep, Milestone

SUMMER_NIGHT = dt.datetime(2024, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def goal(member: Any, network: Any) -> Goal:
    goal = Goal.objects.create(
        owner=member,
        title="Walk to the park twice a week",
        why="Fresh air clears my head.",
        target_date=dt.date(2024, 9, 1),
    )
    goal.helpers.set([network["sam"]])
    add_steps(goal, ["Buy walking shoes", "Walk to the corner", "Walk to the park"])
    return goal


def steps_of(goal: Goal) -> list[GoalStep]:
    return list(GoalStep.objects.filter(goal=goal).order_by("position", "id"))


# The list


def test_list_shows_open_goals_with_progress_then_reached_ones(member_client, member, goal):
    tick_step(steps_of(goal)[0], timezone.now(), member.zone)
    empty = Goal.objects.create(owner=member, title="Go back to choir")
    done = Goal.objects.create(owner=member, title="Call my sister")
    reach_goal(done, timezone.now(), member.zone)
    response = member_client.get(reverse("recovery:goals"))
    assert response.status_code == 200
    assert [g.title for g in response.context["open_goals"]] == [goal.title, empty.title]
    assert [g.title for g in response.context["reached_goals"]] == ["Call my sister"]
    page = html(response)
    assert f'<progress id="progress-{goal.pk}" value="1" max="3"' in page
    assert "1 of 3 steps" in page
    assert "No steps yet" in page
    assert "%" not in page.split("<main")[1]  # never a made-up percentage
    assert page.index(goal.title) < page.index("Reached") < page.index("Call my sister")


def test_open_goals_are_ordered_by_their_aim(member_client, member):
    Goal.objects.create(owner=member, title="No date")
    Goal.objects.create(owner=member, title="Later", target_date=dt.date(2030, 1, 1))
    Goal.objects.create(owner=member, title="Sooner", target_date=dt.date(2029, 1, 1))
    response = member_client.get(reverse("recovery:goals"))
    assert [g.title for g in response.context["open_goals"]] == ["Sooner", "Later", "No date"]


def test_an_empty_list_invites_a_first_goal(member_client):
    page = html(member_client.get(reverse("recovery:goals")))
    assert "Add your first goal" in page
    assert "Each step you tick off" in page


def test_archived_goals_are_listed_apart(member_client, member, goal):
    Goal.objects.filter(pk=goal.pk).update(archived_at=timezone.now())
    current = member_client.get(reverse("recovery:goals"))
    archived = member_client.get(reverse("recovery:goals"), {"status": "archived"})
    assert list(current.context["page"].object_list) == []
    assert [g.title for g in archived.context["page"].object_list] == [goal.title]


def test_list_shows_no_one_elses_goals(member_client, stranger):
    Goal.objects.create(owner=stranger, title="Their goal")
    Milestone.objects.create(owner=stranger, title="Their milestone", achieved_on=dt.date.today())
    page = html(member_client.get(reverse("recovery:goals")))
    assert "Their goal" not in page
    assert "Their milestone" not in page


def test_list_shows_recent_milestones_with_the_people_who_helped(member_client, member, goal):
    tick_step(steps_of(goal)[0], timezone.now(), member.zone)
    response = member_client.get(reverse("recovery:goals"))
    [milestone] = response.context["milestones"]
    assert milestone.title == "Buy walking shoes"
    page = html(response)
    assert "a step towards Walk to the park twice a week" in page
    assert f'href="/people/{goal.helpers.get().pk}/"' in page


# Adding and editing


def test_adding_a_goal_with_helpers_and_first_steps(member_client, member, network):
    response = member_client.post(
        reverse("recovery:goal-new"),
        {
            "title": "Go back to choir",
            "why": "Singing lifts me.",
            "target_date": "2026-10-01",
            "helpers": [network["sam"].pk, network["ada"].pk],
            "steps": "- Find the rehearsal times\n\n- Go once to listen\n",
        },
    )
    goal = Goal.objects.owned_by(member).get(title="Go back to choir")
    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:goal", args=[goal.pk])
    assert goal.why == "Singing lifts me."
    assert goal.target_date == dt.date(2026, 10, 1)
    assert set(goal.helpers.all()) == {network["sam"], network["ada"]}
    assert [(s.title, s.position) for s in steps_of(goal)] == [
        ("Find the rehearsal times", 0),
        ("Go once to listen", 1),
    ]
    assert all(s.owner == member for s in steps_of(goal))


def test_a_goal_needs_a_title(member_client, member):
    response = member_client.post(reverse("recovery:goal-new"), {"title": "  "})
    assert response.status_code == 200
    assert "This field is required." in html(response)
    assert not Goal.objects.exists()


def test_someone_from_another_network_cannot_help(member_client, member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    response = member_client.post(
        reverse("recovery:goal-new"), {"title": "Forged", "helpers": [theirs.pk]}
    )
    assert response.status_code == 200
    assert "We couldn&#x27;t find one of those people in your network." in html(response)
    assert not Goal.objects.exists()


def test_too_many_first_steps_change_nothing(member_client):
    response = member_client.post(
        reverse("recovery:goal-new"), {"title": "Big", "steps": "step\n" * 101}
    )
    assert "keep it to 100" in html(response)
    assert not Goal.objects.exists()


def test_the_form_offers_only_the_members_current_people(member_client, member, network, stranger):
    Person.objects.create(owner=stranger, name="Not yours")
    Person.objects.create(owner=member, name="Archived Al", archived_at=timezone.now())
    page = html(member_client.get(reverse("recovery:goal-new")))
    assert "Sam Rivera" in page and "Ada Okafor" in page
    assert "Not yours" not in page and "Archived Al" not in page


def test_editing_keeps_an_archived_helper(member_client, goal, network):
    Person.objects.filter(pk=network["sam"].pk).update(archived_at=timezone.now())
    response = member_client.get(reverse("recovery:goal-edit", args=[goal.pk]))
    assert "Sam Rivera" in html(response)
    assert "steps" not in response.context["form"].fields  # steps live on the goal page
    response = member_client.post(
        reverse("recovery:goal-edit", args=[goal.pk]),
        {"title": "Walk to the park", "helpers": [network["sam"].pk]},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Walk to the park"
    assert goal.why == ""
    assert list(goal.helpers.all()) == [network["sam"]]
    assert len(steps_of(goal)) == 3


# The goal's page


def test_goal_page_shows_why_helpers_steps_and_progress(member_client, goal, network):
    tick_step(steps_of(goal)[1], timezone.now(), goal.owner.zone)
    response = member_client.get(reverse("recovery:goal", args=[goal.pk]))
    page = html(response)
    assert "Fresh air clears my head." in page
    assert f'href="/people/{network["sam"].pk}/"' in page
    assert "1 of 3 steps" in page
    assert page.count('aria-pressed="true"') == 1
    assert page.count('aria-pressed="false"') == 2
    assert not response.context["can_reach"]
    assert "Mark the goal as reached" not in page


def test_goal_without_steps_offers_reaching_it(member_client, member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    page = html(member_client.get(reverse("recovery:goal", args=[goal.pk])))
    assert "No steps yet" in page
    assert "<progress" not in page
    assert "Mark the goal as reached" in page


# Steps


def test_adding_a_step_puts_it_last(member_client, goal):
    response = member_client.post(
        reverse("recovery:goal-step-new", args=[goal.pk]), {"title": "Walk round the park"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#steps")
    assert [s.title for s in steps_of(goal)][-1] == "Walk round the park"
    assert [s.position for s in steps_of(goal)] == [0, 1, 2, 3]


def test_an_empty_step_is_refused_on_the_goal_page(member_client, goal):
    response = member_client.post(reverse("recovery:goal-step-new", args=[goal.pk]), {"title": ""})
    assert response.status_code == 200
    assert "That step needs another look." in html(response)
    assert len(steps_of(goal)) == 3


@time_machine.travel(SUMMER_NIGHT, tick=False)
def test_ticking_a_step_is_one_post_with_a_kind_word_and_a_milestone(member_client, goal, network):
    shoes = steps_of(goal)[0]
    response = member_client.post(
        reverse("recovery:goal-step-toggle", args=[shoes.pk]), {"done": "1"}
    )
    milestone = Milestone.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("recovery:goal", args=[goal.pk]) + f"?celebrate={milestone.pk}#step-{shoes.pk}"
    )
    assert messages_of(response) == ["Nice one: “Buy walking shoes” is done."]
    # The member's local day (London, just after midnight), not UTC's.
    assert milestone.achieved_on == dt.date(2024, 7, 2)
    assert list(milestone.people.all()) == [network["sam"]]
    page = html(member_client.get(response["Location"]))
    assert "Celebrate with the people who helped" in page
    assert f'<a href="/people/{network["sam"].pk}/">Sam</a>' in page


def test_ticking_the_last_step_invites_reaching_the_goal(member_client, goal):
    for step in steps_of(goal)[:2]:
        tick_step(step, timezone.now(), goal.owner.zone)
    last = steps_of(goal)[2]
    response = member_client.post(
        reverse("recovery:goal-step-toggle", args=[last.pk]), {"done": "1"}
    )
    assert "Mark the goal as reached when it feels right" in messages_of(response)[0]
    page = html(member_client.get(reverse("recovery:goal", args=[goal.pk])))
    assert "Every step is done" in page
    assert "Mark the goal as reached" in page


def test_a_double_tap_does_not_undo_the_tick(member_client, goal):
    shoes = steps_of(goal)[0]
    url = reverse("recovery:goal-step-toggle", args=[shoes.pk])
    member_client.post(url, {"done": "1"})
    member_client.post(url, {"done": "1"})
    assert GoalStep.objects.get(pk=shoes.pk).done_at is not None
    assert Milestone.objects.count() == 1


def test_unticking_right_away_leaves_no_milestone(member_client, goal):
    shoes = steps_of(goal)[0]
    url = reverse("recovery:goal-step-toggle", args=[shoes.pk])
    member_client.post(url, {"done": "1"})
    response = member_client.post(url, {"done": "0"})
    assert messages_of(response)[-1] == "“Buy walking shoes” is back on your list."
    assert GoalStep.objects.get(pk=shoes.pk).done_at is None
    assert not Milestone.objects.exists()


def test_unticking_a_day_later_keeps_the_milestone(member_client, goal):
    shoes = steps_of(goal)[0]
    url = reverse("recovery:goal-step-toggle", args=[shoes.pk])
    with time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False):
        member_client.post(url, {"done": "1"})
    with time_machine.travel(dt.datetime(2024, 7, 2, 12, tzinfo=dt.UTC), tick=False):
        member_client.post(url, {"done": "0"})
    assert Milestone.objects.get().achieved_on == dt.date(2024, 7, 1)


def test_moving_steps_up_and_down(member_client, goal):
    shoes, corner, park = steps_of(goal)
    response = member_client.post(
        reverse("recovery:goal-step-move", args=[park.pk]), {"direction": "up"}
    )
    assert response["Location"].endswith(f"#step-{park.pk}")
    assert steps_of(goal) == [shoes, park, corner]
    member_client.post(reverse("recovery:goal-step-move", args=[shoes.pk]), {"direction": "down"})
    assert steps_of(goal) == [park, shoes, corner]
    member_client.post(reverse("recovery:goal-step-move", args=[park.pk]), {"direction": "up"})
    member_client.post(reverse("recovery:goal-step-move", args=[corner.pk]), {"direction": "x"})
    assert steps_of(goal) == [park, shoes, corner]
    assert [s.position for s in steps_of(goal)] == [0, 1, 2]


def test_the_first_step_has_no_up_button_and_the_last_no_down(member_client, goal):
    page = html(member_client.get(reverse("recovery:goal", args=[goal.pk])))
    assert page.count('value="up"') == 2
    assert page.count('value="down"') == 2


def test_renaming_a_step(member_client, goal):
    corner = steps_of(goal)[1]
    url = reverse("recovery:goal-step-edit", args=[corner.pk])
    assert "Walk to the corner" in html(member_client.get(url))
    response = member_client.post(url, {"title": "Walk to the corner shop"})
    assert response["Location"].endswith(f"#step-{corner.pk}")
    assert GoalStep.objects.get(pk=corner.pk).title == "Walk to the corner shop"
    assert member_client.post(url, {"title": ""}).status_code == 200
    assert GoalStep.objects.get(pk=corner.pk).title == "Walk to the corner shop"


def test_deleting_a_step_asks_first(member_client, goal):
    corner = steps_of(goal)[1]
    url = reverse("recovery:goal-step-delete", args=[corner.pk])
    assert "Delete the step “Walk to the corner”?" in html(member_client.get(url))
    assert GoalStep.objects.filter(pk=corner.pk).exists()
    response = member_client.post(url)
    assert response["Location"].endswith("#steps")
    assert messages_of(response) == ["Removed the step “Walk to the corner”."]
    assert [s.title for s in steps_of(goal)] == ["Buy walking shoes", "Walk to the park"]


# Reaching a goal


@time_machine.travel(SUMMER_NIGHT, tick=False)
def test_reaching_a_goal_celebrates_with_its_helpers(member_client, goal, network):
    for step in steps_of(goal):
        tick_step(step, timezone.now(), goal.owner.zone)
    response = member_client.post(
        reverse("recovery:goal-reach", args=[goal.pk]), {"action": "reach"}
    )
    milestone = Milestone.objects.get(step__isnull=True)
    assert messages_of(response) == [
        "You did it: “Walk to the park twice a week” is reached. That took real effort."
    ]
    assert response["Location"].endswith(f"?celebrate={milestone.pk}#celebrate")
    assert milestone.achieved_on == dt.date(2024, 7, 2)
    assert list(milestone.people.all()) == [network["sam"]]
    goal.refresh_from_db()
    assert goal.completed_at == SUMMER_NIGHT
    page = html(member_client.get(response["Location"]))
    assert "You reached it" in page
    assert "Celebrate with the people who helped" in page
    assert "Not reached after all" in page


def test_a_goal_with_open_steps_cannot_be_reached_yet(member_client, goal):
    tick_step(steps_of(goal)[0], timezone.now(), goal.owner.zone)
    response = member_client.post(
        reverse("recovery:goal-reach", args=[goal.pk]), {"action": "reach"}
    )
    assert messages_of(response) == [
        "2 steps are still open. Tick them off first, or remove any that no longer fit."
    ]
    goal.refresh_from_db()
    assert goal.completed_at is None
    assert not Milestone.objects.filter(step__isnull=True).exists()


def test_a_goal_without_steps_is_reached_by_saying_so(member_client, member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    member_client.post(reverse("recovery:goal-reach", args=[goal.pk]), {"action": "reach"})
    assert Goal.objects.get(pk=goal.pk).completed_at is not None
    milestone = Milestone.objects.get()
    page = html(
        member_client.get(reverse("recovery:goal", args=[goal.pk]) + f"?celebrate={milestone.pk}")
    )
    assert "Is there someone you'd like to tell?" in page


def test_reopening_the_same_day(member_client, member):
    goal = Goal.objects.create(owner=member, title="Call my sister")
    url = reverse("recovery:goal-reach", args=[goal.pk])
    member_client.post(url, {"action": "reach"})
    response = member_client.post(url, {"action": "reopen"})
    assert "is open again" in messages_of(response)[-1]
    assert Goal.objects.get(pk=goal.pk).completed_at is None
    assert not Milestone.objects.exists()


def test_a_forged_celebrate_id_shows_nothing(member_client, goal, stranger):
    theirs = Milestone.objects.create(owner=stranger, title="Theirs", achieved_on=dt.date.today())
    for value in (str(theirs.pk), "nonsense", ""):
        response = member_client.get(reverse("recovery:goal", args=[goal.pk]), {"celebrate": value})
        assert response.context["celebrate"] is None
        assert "Theirs" not in html(response)


# Reflections


def test_adding_a_reflection_is_dated_encrypted_and_listed_newest_first(member_client, goal):
    GoalReflection.objects.create(
        owner=goal.owner,
        goal=goal,
        text="Hard week.",
        written_at=timezone.now() - dt.timedelta(days=3),
    )
    response = member_client.post(
        reverse("recovery:goal-reflection-new", args=[goal.pk]), {"text": "Made it to the corner!"}
    )
    assert response["Location"].endswith("#reflections")
    page = html(member_client.get(reverse("recovery:goal", args=[goal.pk])))
    assert page.index("Made it to the corner!") < page.index("Hard week.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM recovery_goalreflection")
        stored = [row[0] for row in cursor.fetchall()]
    assert all("corner" not in value for value in stored)


def test_an_empty_reflection_is_refused(member_client, goal):
    response = member_client.post(
        reverse("recovery:goal-reflection-new", args=[goal.pk]), {"text": ""}
    )
    assert response.status_code == 200
    assert "Your reflection needs another look." in html(response)
    assert not GoalReflection.objects.exists()


# Archiving and deleting


def test_archiving_and_bringing_back(member_client, goal):
    url = reverse("recovery:goal-archive", args=[goal.pk])
    assert member_client.get(url).status_code == 405
    response = member_client.post(url, {"action": "archive"})
    assert "You can bring it back at any time." in messages_of(response)[0]
    assert Goal.objects.get(pk=goal.pk).archived_at is not None
    member_client.post(url, {"action": "unarchive"})
    assert Goal.objects.get(pk=goal.pk).archived_at is None


def test_deleting_a_goal_asks_first_and_keeps_milestones(member_client, goal):
    tick_step(steps_of(goal)[0], timezone.now(), goal.owner.zone)
    url = reverse("recovery:goal-delete", args=[goal.pk])
    page = html(member_client.get(url))
    assert "Delete “Walk to the park twice a week”?" in page
    assert "with its 3 steps and reflections" in page
    assert "Archive instead" in page
    assert Goal.objects.filter(pk=goal.pk).exists()
    response = member_client.post(url)
    assert response["Location"] == reverse("recovery:goals")
    assert "stays in your milestones" in messages_of(response)[0]
    assert not Goal.objects.exists() and not GoalStep.objects.exists()
    assert Milestone.objects.get().title == "Buy walking shoes"


# Milestones


def test_milestones_page_lists_them_newest_first(member_client, member, stranger):
    Milestone.objects.create(owner=member, title="First walk", achieved_on=dt.date(2024, 1, 1))
    Milestone.objects.create(owner=member, title="Back at choir", achieved_on=dt.date(2024, 5, 1))
    Milestone.objects.create(owner=stranger, title="Theirs", achieved_on=dt.date(2024, 6, 1))
    response = member_client.get(reverse("recovery:milestones"))
    assert [m.title for m in response.context["page"].object_list] == [
        "Back at choir",
        "First walk",
    ]
    assert "Theirs" not in html(response)


# Tenancy: every URL with an object in it, for a stranger and for a visitor


def _object_urls(goal: Goal) -> list[str]:
    step = steps_of(goal)[0]
    return [
        reverse("recovery:goal", args=[goal.pk]),
        reverse("recovery:goal-edit", args=[goal.pk]),
        reverse("recovery:goal-archive", args=[goal.pk]),
        reverse("recovery:goal-delete", args=[goal.pk]),
        reverse("recovery:goal-reach", args=[goal.pk]),
        reverse("recovery:goal-step-new", args=[goal.pk]),
        reverse("recovery:goal-reflection-new", args=[goal.pk]),
        reverse("recovery:goal-step-edit", args=[step.pk]),
        reverse("recovery:goal-step-delete", args=[step.pk]),
        reverse("recovery:goal-step-toggle", args=[step.pk]),
        reverse("recovery:goal-step-move", args=[step.pk]),
    ]


def _state(goal: Goal) -> Any:
    fresh = Goal.objects.get(pk=goal.pk)
    return (
        fresh.title,
        fresh.archived_at,
        fresh.completed_at,
        [(s.pk, s.title, s.position, s.done_at) for s in steps_of(goal)],
        GoalReflection.objects.count(),
        Milestone.objects.count(),
    )


def test_a_stranger_gets_404_on_every_goal_url(stranger_client, goal):
    before = _state(goal)
    for url in _object_urls(goal):
        assert stranger_client.get(url).status_code in (404, 405), url
        for data in ({"title": "Taken", "done": "1", "direction": "up", "action": "reach"}, {}):
            assert stranger_client.post(url, data).status_code == 404, url
    assert _state(goal) == before


def test_a_visitor_is_sent_to_sign_in(client: Client, goal):
    before = _state(goal)
    for url in [*_object_urls(goal), reverse("recovery:goals"), reverse("recovery:milestones")]:
        response = client.post(url, {"title": "Taken"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert _state(goal) == before


# Query counts


def _build(owner: Any, size: int) -> None:
    helpers = Person.objects.bulk_create(Person(owner=owner, name=f"P{n}") for n in range(3))
    for n in range(size):
        goal = Goal.objects.create(owner=owner, title=f"Goal {n}", target_date=dt.date(2030, 1, 1))
        goal.helpers.set(helpers)
        add_steps(goal, [f"Step {k}" for k in range(4)])
        tick_step(steps_of(goal)[0], timezone.now(), owner.zone)
        if n % 3 == 0:
            for step in steps_of(goal)[1:]:
                tick_step(step, timezone.now(), owner.zone)
            reach_goal(goal, timezone.now(), owner.zone)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/goals/", "/goals/?status=archived", "/milestones/"])
def test_list_queries_do_not_grow_with_goals_and_steps(member_client, member, url):
    _build(member, 2)
    small = _count(member_client, url)
    _build(member, 40)
    large = _count(member_client, url)
    # Session, user, the header's safety-plan link; count, page, milestones and their people.
    assert small == large <= 7


def test_goal_page_queries_do_not_grow_with_steps(member_client, member, goal):
    url = reverse("recovery:goal", args=[goal.pk])
    tick_step(steps_of(goal)[0], timezone.now(), member.zone)  # one milestone and its people
    small = _count(member_client, url)
    add_steps(goal, [f"More {n}" for n in range(30)])
    for step in steps_of(goal)[:20]:
        tick_step(step, timezone.now(), member.zone)
    large = _count(member_client, url)
    # Session, user, header; goal, steps, milestones + people, helpers, reflections count + page.
    assert small == large <= 10
