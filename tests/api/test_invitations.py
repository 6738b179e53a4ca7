"""/api/v1/invitations: inviting by e-mail or by a link shown once, withdrawing, and joining
someone's circle with a token, once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine

from closeknit.accounts.models import ApiToken, User, hash_token
from closeknit.circle import grants
from closeknit.circle import invitations as store
from closeknit.circle.models import AccessEntry, Invitation, Link
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via
from closeknit.network.models import Person
from closeknit.notify.models import Message
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for
from tests.circle.conftest import supporter
from tests.circle.rows import people_to_invite

# The circle's fixture: Sam, who will join the member's circle.
__all__ = ["supporter"]

INVITATIONS = "/api/v1/invitations"
ACCEPT = "/api/v1/invitations/accept"
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sam(member: User) -> Person:
    return Person.objects.create(owner=member, name="Sam Rivera", email="sam@example.org")


@pytest.fixture
def supporter_api(supporter: User) -> ApiClient:
    return ApiClient(ApiToken.issue(supporter, "tests")[1])


def state() -> list[Any]:
    return [
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "person_id", "email", "scopes", "accepted_at", "withdrawn_at", "link_id"
            )
        ),
        list(Link.objects.order_by("pk").values_list("pk", "supporter_id", "scopes", "ended_at")),
        list(AccessEntry.objects.order_by("pk").values_list("pk", "action", "part")),
        list(Message.objects.order_by("pk").values_list("pk", "dedup_key", "to_address")),
    ]


# Inviting ------------------------------------------------------------------------------------


def test_an_invitation_without_email_answers_its_link_once(api, member, sam):
    response = api.post(INVITATIONS, {"person_id": sam.pk, "scopes": ["safety_plan", "goals"]})
    assert response.status_code == 201, response.content
    body = response.json()
    token = body.pop("token")
    invitation = Invitation.objects.get()
    assert body == {
        "id": invitation.pk,
        "person_id": sam.pk,
        "email": "",
        "scopes": ["safety_plan", "goals"],
        "status": "open",
        "created_at": "2026-03-18T10:30:00+00:00",
        "expires_at": "2026-03-25T10:30:00+00:00",
        "accepted_at": None,
        "withdrawn_at": None,
        "supporter_id": None,
        "url": f"http://127.0.0.1:8000/circle/join/{token}/",
    }
    assert invitation.digest == hash_token(token)
    assert not Message.objects.exists()
    # Never again: not in the list, not anywhere else.
    listed = api.get(INVITATIONS)
    assert token not in listed.content.decode()
    assert "token" not in listed.json()["items"][0]


def test_an_invitation_by_email_is_sent_and_its_link_never_comes_back(api, member, sam):
    response = api.post(
        INVITATIONS, {"person_id": sam.pk, "scopes": [], "email": "sam@work.example"}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["scopes"], body["token"], body["url"]) == (
        "sam@work.example",
        [],
        None,
        None,
    )
    message = Message.objects.get()
    assert (message.owner, message.kind, message.to_address, message.url) == (
        member,
        "invitation",
        "sam@work.example",
        "",
    )
    assert re.search(r"/circle/join/[\w-]{43}/", message.body)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"person_id": "THEIRS"}, "person_id", "is in your network"),
        ({"person_id": 999999}, "person_id", "No one with id 999999 is in your network."),
        ({"person_id": "OLD"}, "person_id", "Old Friend is archived"),
        ({"person_id": "LINKED"}, "person_id", "Ada is in your circle already"),
        ({"person_id": "SAM", "scopes": ["notes"]}, "scopes", "'mood_trend'"),
        ({"person_id": "SAM", "email": "nope"}, "email", "a whole e-mail address"),
        ({"person_id": "SAM", "expires_at": "2030-01-01"}, "expires_at", "not permitted"),
        ({"scopes": []}, "person_id", "required"),
        ({"person_id": 0}, "person_id", "greater than or equal to 1"),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(
    api, member, stranger, supporter, sam, body, field, words
):
    people = people_to_invite(member, stranger, supporter, sam, archived_at=NOW)
    if body.get("person_id") in people:
        body = {**body, "person_id": people[body["person_id"]].pk}
    before = state()
    response = api.post(INVITATIONS, body)
    assert error_fields(response) == [field]
    assert words in error_messages(response)
    assert state() == before


# Listing and withdrawing ---------------------------------------------------------------------


def test_the_list_has_open_and_past_invitations_with_their_status(
    api, member, sam, supporter, make_user
):
    people = [Person.objects.create(owner=member, name=f"P{i}") for i in range(4)]
    opened, _t = store.invite(member, people[0], [Scope.GOALS])
    used, token = store.invite(member, people[1], [])
    link = store.accept(token, supporter)
    withdrawn, _t = store.invite(member, people[2], [])
    store.withdraw(withdrawn)
    with time_machine.travel(NOW - dt.timedelta(days=8), tick=False):
        expired, _t = store.invite(member, people[3], [])
    items = {item["id"]: item for item in api.get(INVITATIONS).json()["items"]}
    assert {pk: item["status"] for pk, item in items.items()} == {
        opened.pk: "open",
        used.pk: "accepted",
        withdrawn.pk: "withdrawn",
        expired.pk: "expired",
    }
    assert items[used.pk]["supporter_id"] == link.pk
    assert items[used.pk]["accepted_at"] == "2026-03-18T10:30:00+00:00"
    assert items[withdrawn.pk]["withdrawn_at"] == "2026-03-18T10:30:00+00:00"


def test_the_list_pages_and_takes_the_same_queries_for_3_or_80(api, member):
    def add(count: int) -> None:
        for i in range(count):
            store.invite(member, Person.objects.create(owner=member, name=f"P{i}"), [])

    add(3)
    api.get(INVITATIONS)  # the token's first use is noted: one write that comes once
    small = queries_for(api, INVITATIONS)
    add(77)
    assert queries_for(api, INVITATIONS) == small
    body = api.get(INVITATIONS).json()
    assert (body["count"], len(body["items"])) == (80, 50)
    assert len(api.get(f"{INVITATIONS}?offset=50").json()["items"]) == 30


def test_withdrawing_stops_the_link_and_is_harmless_twice(api, member, sam):
    invitation, token = store.invite(member, sam, [], "sam@example.org")
    response = api.delete(f"{INVITATIONS}/{invitation.pk}")
    assert response.status_code == 204
    assert store.find_open(token) is None
    assert not Message.objects.exists()
    assert api.delete(f"{INVITATIONS}/{invitation.pk}").status_code == 204


def test_a_used_invitation_cant_be_withdrawn(api, member, sam, supporter):
    invitation, token = store.invite(member, sam, [])
    store.accept(token, supporter)
    before = state()
    response = api.delete(f"{INVITATIONS}/{invitation.pk}")
    assert error_fields(response) == ["invitation_id"]
    assert "remove the supporter" in error_messages(response)
    assert state() == before


def test_a_stranger_cant_see_or_withdraw_the_members_invitations(stranger_api, member, sam):
    invitation, token = store.invite(member, sam, [])
    assert stranger_api.get(INVITATIONS).json() == {"items": [], "count": 0}
    assert stranger_api.delete(f"{INVITATIONS}/{invitation.pk}").status_code == 404
    assert store.find_open(token) == invitation


def test_signed_out_gets_401(anonymous_api, member, sam):
    _invitation, token = store.invite(member, sam, [])
    assert anonymous_api.get(INVITATIONS).status_code == 401
    assert anonymous_api.post(ACCEPT, {"token": token}).status_code == 401
    assert store.find_open(token) is not None


# Accepting -----------------------------------------------------------------------------------


def test_accepting_joins_the_circle_as_the_tokens_owner(supporter_api, member, sam, supporter):
    _invitation, token = store.invite(member, sam, [Scope.SAFETY_PLAN, Scope.MOOD_TREND])
    response = supporter_api.post(ACCEPT, {"token": token})
    assert response.status_code == 201, response.content
    link = Link.objects.get()
    assert response.json() == {
        "id": link.pk,
        "member_name": "Robin",
        "scopes": ["mood_trend", "safety_plan"],
        "since": "2026-03-18T10:30:00+00:00",
    }
    assert (link.owner, link.supporter, link.person) == (member, supporter, sam)
    assert list(AccessEntry.objects.order_by("pk").values_list("action", "via")) == [
        (AccessAction.LINKED, Via.API),
        (AccessAction.GRANTED, Via.API),
        (AccessAction.GRANTED, Via.API),
    ]
    assert grants.grant(supporter, link.pk, Scope.SAFETY_PLAN) == link


@pytest.mark.parametrize("reason", ["unknown", "used", "expired", "withdrawn"])
def test_a_token_that_no_longer_works_is_one_404(reason, supporter_api, member, sam, make_user):
    invitation, token = store.invite(member, sam, [])
    if reason == "unknown":
        token = "B" * 43
    elif reason == "used":
        store.accept(token, make_user("first@example.org"))
    elif reason == "withdrawn":
        store.withdraw(invitation)
    before = state()
    moment = invitation.expires_at if reason == "expired" else NOW
    with time_machine.travel(moment, tick=False):
        response = supporter_api.post(ACCEPT, {"token": token})
    assert response.status_code == 404
    assert response.json() == {
        "detail": "We couldn't find that. It may have been deleted, or the id may be mistyped."
    }
    assert state() == before


def test_the_member_cant_accept_their_own(api, member, sam):
    _invitation, token = store.invite(member, sam, [])
    before = state()
    response = api.post(ACCEPT, {"token": token})
    assert error_fields(response) == ["token"]
    assert "This is your own invitation." in error_messages(response)
    assert state() == before


def test_someone_in_the_circle_already_is_told(supporter_api, member, sam, supporter):
    Link.objects.create(owner=member, supporter=supporter)
    _invitation, token = store.invite(member, sam, [])
    before = state()
    response = supporter_api.post(ACCEPT, {"token": token})
    assert error_fields(response) == ["token"]
    assert error_messages(response) == "You're in Robin's circle already."
    assert state() == before


def test_a_supporter_who_left_can_join_again(supporter_api, member, sam, supporter):
    _invitation, token = store.invite(member, sam, [])
    grants.end(store.accept(token, supporter), EndedBy.SUPPORTER)
    _invitation, token = store.invite(member, sam, [Scope.GOALS])
    assert supporter_api.post(ACCEPT, {"token": token}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"), [({}, "token"), ({"token": "x" * 101}, "token"), ({"token": 5}, "token")]
)
def test_a_malformed_accept_is_refused(supporter_api, body, field):
    assert error_fields(supporter_api.post(ACCEPT, body)) == [field]
