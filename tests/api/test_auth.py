"""Bearer tokens: the only way into the API, and a token reaches only its owner's data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from closeknit.accounts.models import ApiToken
from closeknit.network.models import Person
from tests.api.conftest import ApiClient

PEOPLE = "/api/v1/people"


def _detail(response):
    return response.json()["detail"]


def test_no_token_gets_401_with_a_message_saying_how_to_get_one(anonymous_api):
    response = anonymous_api.get(PEOPLE)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Settings → API tokens" in _detail(response)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_scheme_gets_401(member_token, db):
    response = Client().get(PEOPLE, headers={"Authorization": f"Token {member_token}"})
    assert response.status_code == 401
    assert "Bearer" in _detail(response)


def test_bearer_without_a_token_gets_401(db):
    response = Client().get(PEOPLE, headers={"Authorization": "Bearer "})
    assert response.status_code == 401


def test_an_unknown_token_gets_401(db):
    response = ApiClient("ck_not-a-real-token").get(PEOPLE)
    assert response.status_code == 401
    assert "isn't valid" in _detail(response)


def test_a_revoked_token_gets_401(member, member_token, api):
    assert api.get(PEOPLE).status_code == 200
    ApiToken.objects.owned_by(member).delete()
    response = api.get(PEOPLE)
    assert response.status_code == 401
    assert "revoked" in _detail(response)


def test_a_deactivated_members_token_gets_401(member, api):
    member.is_active = False
    member.save()
    assert api.get(PEOPLE).status_code == 401


def test_a_signed_in_session_without_a_token_gets_401(member_client, network):
    # The API never falls back to the session cookie, so a page cannot call it for you.
    response = member_client.get(PEOPLE)
    assert response.status_code == 401


def test_writes_with_a_token_need_no_csrf_token(member_token, member):
    client = ApiClient(member_token, Client(enforce_csrf_checks=True))
    response = client.post(PEOPLE, {"name": "Lee"})
    assert response.status_code == 201, response.content


def test_the_token_owner_is_the_one_whose_data_is_written(member, stranger, stranger_api):
    response = stranger_api.post(PEOPLE, {"name": "Lee"})
    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).owner == stranger


def test_first_use_records_when_the_token_was_used(member, api):
    token = ApiToken.objects.get(owner=member)
    assert token.last_used_at is None
    with time_machine.travel("2024-07-01 12:00:00Z", tick=False):
        api.get(PEOPLE)
    token.refresh_from_db()
    assert token.last_used_at == datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


def test_use_within_a_minute_does_not_write_again(member, api, django_assert_num_queries):
    with time_machine.travel("2024-07-01 12:00:00Z", tick=False) as traveller:
        api.get(PEOPLE)
        traveller.shift(timedelta(seconds=30))
        # Token lookup, count, page: no UPDATE of the token.
        with django_assert_num_queries(3):
            api.get(PEOPLE)
    token = ApiToken.objects.get(owner=member)
    assert token.last_used_at == datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


def test_use_after_a_minute_is_recorded(member, api):
    with time_machine.travel("2024-07-01 12:00:00Z", tick=False) as traveller:
        api.get(PEOPLE)
        traveller.shift(timedelta(minutes=2))
        api.get(PEOPLE)
    token = ApiToken.objects.get(owner=member)
    assert token.last_used_at == datetime(2024, 7, 1, 12, 2, tzinfo=UTC)


def test_errors_are_json_even_for_a_body_that_is_not_json(api):
    response = api.client.post(
        PEOPLE,
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 400
    assert json.loads(response.content)["detail"]
