"""/api/v1/supporting: the caller as a supporter. Who may see what is THE matrix's job
(tests/circle/test_consent_matrix.py); here are the answers' shapes and the edges."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.accounts.models import ApiToken, User
from closeknit.circle import encouragement
from closeknit.circle.models import AccessEntry, Encouragement, HelpAnswer, HelpRequest
from closeknit.circle.vocab import Scope, Via
from closeknit.network.models import Group, Person
from closeknit.recovery.goals_forms import add_steps, tick_step
from closeknit.recovery.models import Goal, SafetyPlanVersion
from closeknit.wellbeing.models import CheckIn
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for
from tests.circle import conftest as circle

# The circle's fixtures, shared with this folder.
supporter, make_link = circle.supporter, circle.make_link

SUPPORTING = "/api/v1/supporting"
ALL = list(Scope.values)
# A Wednesday afternoon in London (BST).
NOW = dt.datetime(2025, 6, 4, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def supporter_api(supporter: User) -> ApiClient:
    return ApiClient(ApiToken.issue(supporter, "tests")[1])


@pytest.fixture
def link(make_link, member, supporter):  # Sam supports Robin, who shares everything
    return make_link(member, supporter, ALL)


def test_list_is_paginated_oldest_link_first(make_link, make_user, supporter, supporter_api):
    for n in range(3):
        make_link(make_user(f"m{n}@example.org", display_name=f"Member {n}"), supporter, [])
    body = supporter_api.get(f"{SUPPORTING}?limit=2").json()
    assert body["count"] == 3
    assert [item["member_name"] for item in body["items"]] == ["Member 0", "Member 1"]
    assert body["items"][0]["since"] == "2025-06-04T14:00:00+00:00"
    assert body["items"][0]["scopes"] == []


def test_list_costs_the_same_queries_for_2_or_30_members(make_link, make_user):
    counts = []
    for size in (2, 30):
        helper = make_user(f"helper{size}@example.org")
        for n in range(size):
            make_link(make_user(f"m{size}-{n}@example.org"), helper, ALL)
        api = ApiClient(ApiToken.issue(helper, "tests")[1])
        counts.append(queries_for(api, SUPPORTING))
    assert counts[0] == counts[1], counts


def test_one_member_and_its_log_line(link, member, supporter_api):
    body = supporter_api.get(f"{SUPPORTING}/{link.pk}").json()
    assert body == {
        "id": link.pk,
        "member_name": "Robin",
        "scopes": ALL,
        "since": "2025-06-04T14:00:00+00:00",
    }
    entry = AccessEntry.objects.get(owner=member)
    assert (entry.part, entry.via, entry.supporter_name) == ("overview", Via.API, "Sam")


def test_mood_trend_in_the_members_full_weeks_with_means_of_two_days_or_more(
    link, member, supporter_api
):
    CheckIn.objects.create(owner=member, day=dt.date(2025, 5, 19), mood=4, stress=6)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 5, 21), mood=5, stress=None)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 5, 28), mood=2, stress=9, note="Private")
    # This week (today is Wednesday 4 June) is still under way: none of it shows.
    CheckIn.objects.create(owner=member, day=dt.date(2025, 6, 2), mood=9, stress=1)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 6, 3), mood=9, stress=1)
    response = supporter_api.get(f"{SUPPORTING}/{link.pk}/mood-trend?weeks=2")
    assert response.status_code == 200
    assert response.json() == {
        "today": "2025-06-04",
        "weeks": [
            {
                "start": "2025-05-19",
                "end": "2025-05-25",
                "mood": 4.5,
                "mood_days": 2,
                "stress": None,  # one day's stress would be that day's
                "stress_days": 1,
            },
            {
                "start": "2025-05-26",
                "end": "2025-06-01",
                "mood": None,
                "mood_days": 1,
                "stress": None,
                "stress_days": 1,
            },
        ],
    }
    assert "Private" not in response.content.decode()


def test_mood_trend_means_are_rounded_to_one_decimal(link, member, supporter_api):
    for day, mood in ((26, 7), (27, 8), (28, 8)):
        CheckIn.objects.create(owner=member, day=dt.date(2025, 5, day), mood=mood)
    [week] = supporter_api.get(f"{SUPPORTING}/{link.pk}/mood-trend?weeks=1").json()["weeks"]
    assert week["mood"] == 7.7
    assert week["stress"] is None


def test_the_default_is_twelve_weeks_and_at_most_fifty_two(link, member, supporter_api):
    weeks = supporter_api.get(f"{SUPPORTING}/{link.pk}/mood-trend").json()["weeks"]
    assert len(weeks) == 12
    assert weeks[0]["start"] == "2025-03-10"  # 12 full weeks, the last ending 1 June
    for bad in (0, 53, "many"):
        response = supporter_api.get(f"{SUPPORTING}/{link.pk}/mood-trend?weeks={bad}")
        assert error_fields(response) == ["weeks"]
    # A refused request never reached the data, so only the first look is in the log.
    assert AccessEntry.objects.filter(owner=member, part=Scope.MOOD_TREND, via=Via.API).count() == 1


def test_safety_plan_as_the_plan_page_shows_it(link, member, supporter_api):
    empty = supporter_api.get(f"{SUPPORTING}/{link.pk}/safety-plan").json()
    assert empty == {"sections": [], "updated_at": None}
    ada = Person.objects.create(owner=member, name="Ada", phone="+44 7700 900456", email="a@x.org")
    gone = Person.objects.create(owner=member, name="Gone")
    cafe = Group.objects.create(owner=member, name="Tuesday café")
    SafetyPlanVersion.objects.create(
        owner=member,
        sections={
            "warning_signs": {"items": ["Not sleeping"]},
            "distractions": {"groups": [cafe.pk]},
            "ask_for_help": {"people": [ada.pk, gone.pk]},
        },
    )
    gone.delete()
    body = supporter_api.get(f"{SUPPORTING}/{link.pk}/safety-plan").json()
    assert body["updated_at"] == "2025-06-04T14:00:00+00:00"
    sections = {section["slug"]: section for section in body["sections"]}
    assert body["sections"][0]["slug"] == "warning_signs"
    assert sections["warning_signs"]["title"] == "My warning signs"
    assert sections["warning_signs"]["items"] == ["Not sleeping"]
    assert sections["distractions"]["groups"] == [{"name": "Tuesday café", "removed": False}]
    assert sections["ask_for_help"]["people"] == [
        {"name": "Ada", "phone": "+44 7700 900456", "removed": False},
        {"name": "someone no longer in their network", "phone": "", "removed": True},
    ]
    assert "a@x.org" not in str(body)


def test_goals_with_steps_never_why_or_reflections(link, member, supporter_api):
    goal = Goal.objects.create(
        owner=member, title="Swim again", target_date=dt.date(2025, 9, 1), why="Secret why"
    )
    first, _second = add_steps(goal, ["Find the pool", "Buy goggles"])
    tick_step(first, NOW, member.zone)
    Goal.objects.create(owner=member, title="Archived", archived_at=NOW)
    response = supporter_api.get(f"{SUPPORTING}/{link.pk}/goals")
    assert response.json() == {
        "items": [
            {
                "id": goal.pk,
                "title": "Swim again",
                "target_date": "2025-09-01",
                "steps_done": 1,
                "steps_total": 2,
                "steps": [
                    {"title": "Find the pool", "done": True},
                    {"title": "Buy goggles", "done": False},
                ],
            }
        ],
        "count": 1,
    }
    assert "Secret why" not in response.content.decode()


def test_help_requests_open_to_the_caller_only(
    link, member, make_link, make_user, supporter, supporter_api
):
    other = make_user("other@example.org", display_name="Other")
    others = make_link(member, other, ALL)
    request = HelpRequest.objects.create(owner=member, message="Call me?", client_key="a")
    mine = HelpAnswer.objects.create(
        owner=member, request=request, link=link, supporter=supporter, supporter_name="Sam"
    )
    HelpAnswer.objects.create(
        owner=member, request=request, link=others, supporter=other, supporter_name="Other"
    )
    body = supporter_api.get(f"{SUPPORTING}/{link.pk}/help-requests").json()
    assert body == {
        "items": [{"id": mine.pk, "message": "Call me?", "sent_at": "2025-06-04T14:00:00+00:00"}],
        "count": 1,
    }
    HelpAnswer.objects.filter(pk=mine.pk).update(answer="cant_now", answered_at=NOW)
    assert supporter_api.get(f"{SUPPORTING}/{link.pk}/help-requests").json()["count"] == 0
    logged = AccessEntry.objects.filter(owner=member, part=Scope.HELP_REQUESTS, via=Via.API)
    assert logged.count() == 2


def test_send_a_note(link, member, supporter_api):
    response = supporter_api.post(
        f"{SUPPORTING}/{link.pk}/encouragements", {"text": "  Thinking of you.  "}
    )
    assert response.status_code == 201, response.content
    note = Encouragement.objects.get(owner=member)
    assert response.json() == {
        "id": note.pk,
        "text": "Thinking of you.",
        "sent_at": "2025-06-04T14:00:00+00:00",
    }
    assert note.author_name == "Sam"
    assert not AccessEntry.objects.filter(owner=member).exists()  # sending shows nothing


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({}, "text"),
        ({"text": "Hi", "favourite": True}, "favourite"),
    ],
)
def test_a_note_that_cant_go_is_422_and_saves_nothing(link, supporter_api, payload, field):
    response = supporter_api.post(f"{SUPPORTING}/{link.pk}/encouragements", payload)
    assert field in error_fields(response)
    assert not Encouragement.objects.exists()


def test_past_the_daily_limit_a_kind_422(link, supporter_api):
    for n in range(encouragement.DAILY_LIMIT):
        supporter_api.post(f"{SUPPORTING}/{link.pk}/encouragements", {"text": f"Note {n}"})
    response = supporter_api.post(f"{SUPPORTING}/{link.pk}/encouragements", {"text": "More"})
    assert error_fields(response) == ["text"]
    assert "which is plenty for one day" in error_messages(response)
    assert Encouragement.objects.count() == encouragement.DAILY_LIMIT


def test_a_malformed_id_is_422_naming_it(supporter_api, db):
    assert error_fields(supporter_api.get(f"{SUPPORTING}/robin")) == ["link_id"]


def test_goal_pages_cost_the_same_for_2_or_30_goals(link, member, supporter_api):
    supporter_api.get(SUPPORTING)  # the token's first use is recorded once; not counted below
    counts = []
    for size in (2, 30):
        Goal.objects.filter(owner=member).delete()
        for n in range(size):
            goal = Goal.objects.create(owner=member, title=f"Goal {n}")
            add_steps(goal, ["One", "Two"])
        counts.append(queries_for(supporter_api, f"{SUPPORTING}/{link.pk}/goals"))
    assert counts[0] == counts[1], counts
