"""/api/v1/supporters: the member's circle, what each supporter sees, and removing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.http import Http404

from closeknit.accounts.models import ApiToken, User
from closeknit.circle import grants
from closeknit.circle.models import AccessEntry, Link
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for
from tests.circle.conftest import make_link, supporter

# The circle's fixtures: Sam, a supporter, and links from the member to them.
__all__ = ["make_link", "supporter"]

SUPPORTERS = "/api/v1/supporters"
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(link: Link | int) -> str:
    return f"{SUPPORTERS}/{link if isinstance(link, int) else link.pk}"


def state() -> list[Any]:
    return [
        list(Link.objects.order_by("pk").values_list("pk", "scopes", "ended_at", "ended_by")),
        list(AccessEntry.objects.order_by("pk").values_list("pk", "action", "part", "via")),
    ]


@pytest.fixture
def sharing(make_link, member: User, supporter: User) -> Link:
    return make_link(member, supporter, [Scope.SAFETY_PLAN, Scope.MOOD_TREND], name="Sam R.")


def test_the_list_shows_each_active_supporter_by_the_members_name_for_them(
    api, member, supporter, sharing, make_link, make_user
):
    gone = make_link(member, make_user("gone@example.org"), name="Gone")
    grants.end(gone, EndedBy.SUPPORTER)
    body = api.get(SUPPORTERS).json()
    assert body == {
        "count": 1,
        "items": [
            {
                "id": sharing.pk,
                "person_id": sharing.person_id,
                "name": "Sam R.",
                "scopes": ["mood_trend", "safety_plan"],  # the vocabulary's order
                "since": "2026-03-18T10:30:00+00:00",
            }
        ],
    }
    # The supporter's account e-mail is theirs, never the member's to see.
    assert supporter.email not in api.get(SUPPORTERS).content.decode()


def test_without_their_person_the_accounts_name_is_used(api, sharing):
    sharing.person.delete()
    item = api.get(url(sharing)).json()
    assert (item["person_id"], item["name"]) == (None, "Sam")


def test_the_list_pages_and_takes_the_same_queries_for_3_or_80(api, member, make_link, make_user):
    for i in range(3):
        make_link(member, make_user(f"s{i}@example.org"))
    api.get(SUPPORTERS)  # the token's first use is noted: one write that comes once
    small = queries_for(api, SUPPORTERS)
    for i in range(3, 80):
        make_link(member, make_user(f"s{i}@example.org"))
    assert queries_for(api, SUPPORTERS) == small
    first = api.get(SUPPORTERS).json()
    assert (first["count"], len(first["items"])) == (80, 50)
    last = api.get(f"{SUPPORTERS}?limit=50&offset=50").json()
    assert len(last["items"]) == 30
    assert error_fields(api.get(f"{SUPPORTERS}?limit=501")) == ["limit"]


def test_one_supporter(api, sharing):
    response = api.get(url(sharing))
    assert response.status_code == 200
    assert response.json()["scopes"] == ["mood_trend", "safety_plan"]


def test_an_ended_link_is_not_found(api, sharing):
    grants.end(sharing, EndedBy.MEMBER)
    assert api.get(url(sharing)).status_code == 404
    assert api.patch(url(sharing), {"scopes": []}).status_code == 404
    assert api.delete(url(sharing)).status_code == 404


def test_changing_scopes_takes_effect_at_once_and_is_logged_as_via_the_api(api, supporter, sharing):
    response = api.patch(url(sharing), {"scopes": ["goals", "safety_plan", "goals"]})
    assert response.status_code == 200, response.content
    assert response.json()["scopes"] == ["safety_plan", "goals"]
    assert set(Link.objects.get(pk=sharing.pk).scopes) == {Scope.GOALS, Scope.SAFETY_PLAN}
    assert list(AccessEntry.objects.order_by("pk").values_list("action", "part", "via")) == [
        (AccessAction.GRANTED, Scope.GOALS, Via.API),
        (AccessAction.REVOKED, Scope.MOOD_TREND, Via.API),
    ]
    with pytest.raises(Http404):
        grants.grant(supporter, sharing.pk, Scope.MOOD_TREND)
    assert api.patch(url(sharing), {"scopes": []}).json()["scopes"] == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"scopes": ["goals", "notes"]}, "scopes", "'mood_trend'"),
        ({"scopes": "goals"}, "scopes", "list"),
        ({}, "scopes", "required"),
        ({"scopes": [], "email": "x@example.org"}, "email", "not permitted"),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(api, sharing, body, field, words):
    before = state()
    response = api.patch(url(sharing), body)
    assert error_fields(response) == [field]
    assert words in error_messages(response)
    assert state() == before


def test_removing_a_supporter_ends_the_link(api, supporter, sharing):
    response = api.delete(url(sharing))
    assert response.status_code == 204
    sharing.refresh_from_db()
    assert (sharing.is_active, sharing.ended_by) == (False, EndedBy.MEMBER)
    assert AccessEntry.objects.get().action == AccessAction.ENDED
    assert AccessEntry.objects.get().via == Via.API
    with pytest.raises(Http404):
        grants.grant(supporter, sharing.pk)
    assert api.get(SUPPORTERS).json()["count"] == 0


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_stranger_and_the_supporter_get_404_and_change_nothing(
    stranger_api, supporter, sharing, method
):
    supporter_api = ApiClient(ApiToken.issue(supporter, "tests")[1])
    before = state()
    for caller in (stranger_api, supporter_api):
        call = getattr(caller, method)
        response = call(url(sharing), {"scopes": []}) if method == "patch" else call(url(sharing))
        assert response.status_code == 404
    assert state() == before


def test_a_strangers_list_is_their_own_empty_circle(stranger_api, sharing):
    assert stranger_api.get(SUPPORTERS).json() == {"items": [], "count": 0}


def test_signed_out_gets_401(anonymous_api, sharing):
    assert anonymous_api.get(SUPPORTERS).status_code == 401
    assert anonymous_api.delete(url(sharing)).status_code == 401
    assert Link.objects.get(pk=sharing.pk).is_active
