"""/api/v1/reach-out: the ranked list, and pausing someone on it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.accounts.models import ApiToken, User
from closeknit.network.models import Person
from closeknit.rhythms import reach_out
from closeknit.rhythms.models import ReachOutPause
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for
from tests.rhythms.people import NOON, add

LIST = "/api/v1/reach-out"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def pause_path(person: Person) -> str:
    return f"{LIST}/{person.pk}/pause"


def pauses(owner: User) -> list[tuple[int, str, dt.date]]:
    return list(ReachOutPause.objects.owned_by(owner).values_list("person_id", "kind", "until"))


# The list


def test_list_is_ranked_with_reasons(api, member):
    sam = add(member, "Sam Rivera", 23, nickname="Sam")
    ada = add(member, "Ada Okafor", rhythm_days=30, circle="inner")
    add(member, "In good time", 2)
    response = api.get(LIST)
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "items": [
            {
                "person": {"id": sam.pk, "name": "Sam Rivera"},
                "reason": "You and Sam last talked 23 days ago; you hoped for every 14.",
                "days_since_contact": 23,
                "rhythm_days": 14,
                "score": round(23 / 14, 3),
                "paused_until": None,
            },
            {
                "person": {"id": ada.pk, "name": "Ada Okafor"},
                "reason": "You haven't logged any contact with Ada Okafor yet; "
                "you hoped for every 30 days.",
                "days_since_contact": None,
                "rhythm_days": 30,
                "score": 1.5,
                "paused_until": None,
            },
        ],
    }


def test_list_comes_in_pages(api, member):
    for n in range(7):
        add(member, f"Person {n}", 20 + n)
    body = api.get(f"{LIST}?limit=3&offset=3").json()
    assert body["count"] == 7
    assert [item["person"]["name"] for item in body["items"]] == [
        "Person 3",
        "Person 2",
        "Person 1",
    ]


def test_list_of_a_new_member_is_empty(api):
    assert api.get(LIST).json() == {"count": 0, "items": []}


def test_paused_people_are_not_listed(api, member):
    sam = add(member, "Sam", 30)
    reach_out.pause(member, sam, "not_now")
    assert api.get(LIST).json()["count"] == 0


def test_list_needs_a_token(anonymous_api):
    assert anonymous_api.get(LIST).status_code == 401


def test_list_shows_a_stranger_nothing_of_the_member(stranger_api, member):
    add(member, "Sam", 30)
    assert stranger_api.get(LIST).json() == {"count": 0, "items": []}


def _many(owner: User, size: int) -> None:
    for n in range(size):
        person = add(owner, f"Person {n:03}", 15 + n % 30, circle=["inner", "outer"][n % 2])
        if n % 3 == 0:
            reach_out.pause(owner, person, "snooze", 7)


def test_list_queries_are_the_same_for_2_people_and_200(make_user):
    counts = []
    for size in (2, 200):
        owner = make_user(f"size{size}@example.org")
        _many(owner, size)
        counts.append(queries_for(ApiClient(ApiToken.issue(owner, "tests")[1]), LIST))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("size", [2, 200])
def test_list_stays_within_its_budget(size, api, member, django_assert_max_num_queries):
    _many(member, size)
    # The token and its owner, noting its use (2); people, their last contact, pauses,
    # check-ins, support since thanks, birthdays and stored occasions (7).
    with django_assert_max_num_queries(9):
        assert api.get(LIST).status_code == 200


# Pausing


def test_not_now_is_until_tomorrow(api, member):
    sam = add(member, "Sam Rivera", 30)
    response = api.post(pause_path(sam), {"kind": "not_now"})
    assert response.status_code == 200
    assert response.json() == {
        "person": {"id": sam.pk, "name": "Sam Rivera"},
        "kind": "not_now",
        "until": "2024-07-02",
    }
    assert pauses(member) == [(sam.pk, "not_now", dt.date(2024, 7, 2))]


def test_snooze_for_a_week(api, member):
    sam = add(member, "Sam", 30)
    response = api.post(pause_path(sam), {"kind": "snooze", "days": 7})
    assert response.status_code == 200
    assert response.json()["until"] == "2024-07-08"
    assert api.get(LIST).json()["count"] == 0


def test_pausing_again_replaces_the_pause(api, member):
    sam = add(member, "Sam", 30)
    api.post(pause_path(sam), {"kind": "snooze", "days": 30})
    api.post(pause_path(sam), {"kind": "snooze", "days": 3})
    assert pauses(member) == [(sam.pk, "snooze", dt.date(2024, 7, 4))]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"kind": "snooze"}, "days", "A snooze is for 3, 7, 14 or 30 days"),
        ({"kind": "snooze", "days": 5}, "days", "A snooze is for 3, 7, 14 or 30 days"),
        ({"kind": "snooze", "days": None}, "days", "A snooze is for 3, 7, 14 or 30 days"),
        ({"kind": "not_now", "days": 7}, "days", "'Not now' is until tomorrow"),
        ({"kind": "forever"}, "kind", "not_now"),
        ({}, "kind", ""),
        ({"kind": "not_now", "until": "2030-01-01"}, "until", ""),
    ],
)
def test_bad_pause_is_refused_clearly_and_changes_nothing(api, member, body, field, words):
    sam = add(member, "Sam", 30)
    response = api.post(pause_path(sam), body)
    assert error_fields(response) == [field]
    assert words in error_messages(response)
    assert pauses(member) == []


def test_pause_for_someone_not_in_the_network_is_404(api, member):
    response = api.post(f"{LIST}/999999/pause", {"kind": "not_now"})
    assert response.status_code == 404


def test_stranger_cannot_pause_or_lift_the_members_people(stranger_api, member):
    sam = add(member, "Sam", 30)
    reach_out.pause(member, sam, "snooze", 7)
    before = pauses(member)
    assert stranger_api.post(pause_path(sam), {"kind": "not_now"}).status_code == 404
    assert stranger_api.delete(pause_path(sam)).status_code == 404
    assert pauses(member) == before


def test_lifting_a_pause(api, member):
    sam = add(member, "Sam", 30)
    reach_out.pause(member, sam, "snooze", 14)
    assert api.delete(pause_path(sam)).status_code == 204
    assert pauses(member) == []
    assert api.get(LIST).json()["count"] == 1
    # Nothing left to lift.
    assert api.delete(pause_path(sam)).status_code == 404
