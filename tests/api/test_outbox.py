"""/api/v1/outbox: the member's messages, newest first, with their status and every try."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.notify.models import Attempt, Channel, Message
from tests.api.conftest import ApiClient, error_fields
from tests.notify import rows

OUTBOX = "/api/v1/outbox"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


# The answers never carry a message's body; every row here has one, to show it.
message = partial(rows.message, body="The body is not part of the outbox's answers.")


def channel_of(owner: Any) -> Channel:
    return Channel.objects.create(
        owner=owner, kind="email", config={"address": "robin@example.org"}, verified_at=START
    )


def test_a_message_with_its_tries(api, member):
    inbox = channel_of(member)
    with time_machine.travel(START, tick=False):
        row = message(
            member, inbox, "reach-out:1", title="It's been a while since you and Sam talked"
        )
    Attempt.objects.create(
        owner=member,
        message=row,
        started_at=START,
        duration_ms=250,
        error="The mail server didn't answer in time.",
    )
    Attempt.objects.create(
        owner=member,
        message=row,
        started_at=START + dt.timedelta(minutes=2),
        duration_ms=80,
        ok=True,
    )
    Message.objects.filter(pk=row.pk).update(
        status="sent", attempts=2, sent_at=START + dt.timedelta(minutes=2)
    )
    response = api.get(f"{OUTBOX}/{row.pk}")
    assert response.status_code == 200
    assert response.json() == {
        "id": row.pk,
        "kind": "reach_out",
        "channel": inbox.pk,
        "title": "It's been a while since you and Sam talked",
        "status": "sent",
        "attempts": 2,
        "last_error": "",
        "due_at": "2026-03-02T09:00:00+00:00",
        "next_attempt_at": None,
        "sent_at": "2026-03-02T09:02:00+00:00",
        "created_at": "2026-03-02T09:00:00+00:00",
        "attempt_log": [
            {
                "started_at": "2026-03-02T09:00:00+00:00",
                "duration_ms": 250,
                "ok": False,
                "permanent": False,
                "error": "The mail server didn't answer in time.",
            },
            {
                "started_at": "2026-03-02T09:02:00+00:00",
                "duration_ms": 80,
                "ok": True,
                "permanent": False,
                "error": "",
            },
        ],
    }


def test_a_waiting_message_says_when_it_is_tried_next(api, member):
    later = START + dt.timedelta(minutes=5)
    row = message(
        member, channel_of(member), "w", attempts=1, next_attempt_at=later, last_error="Busy"
    )
    body = api.get(f"{OUTBOX}/{row.pk}").json()
    assert (body["status"], body["next_attempt_at"], body["last_error"]) == (
        "pending",
        "2026-03-02T09:05:00+00:00",
        "Busy",
    )


def test_a_test_message_never_shows_its_code(api, member):
    message(
        member,
        channel_of(member),
        "verify:1:1",
        kind="verification",
        title="Your Closeknit test message",
        body="Your code is 042917.",
    )
    text = api.get(OUTBOX).content.decode()
    assert "Your Closeknit test message" in text
    assert "042917" not in text


def test_newest_first_filtered_by_status_and_kind(api, member):
    inbox = channel_of(member)
    for n, (status, kind) in enumerate(
        [("sent", "reach_out"), ("failed", "occasion"), ("pending", "reach_out")]
    ):
        with time_machine.travel(START + dt.timedelta(hours=n), tick=False):
            message(member, inbox, f"m{n}", status=status, kind=kind)
    assert [m["title"] for m in api.get(OUTBOX).json()["items"]] == [
        "Reminder m2",
        "Reminder m1",
        "Reminder m0",
    ]
    assert [m["title"] for m in api.get(f"{OUTBOX}?status=failed").json()["items"]] == [
        "Reminder m1"
    ]
    assert api.get(f"{OUTBOX}?kind=reach_out").json()["count"] == 2
    assert error_fields(api.get(f"{OUTBOX}?status=lost")) == ["status"]


def test_pages_of_messages(api, member):
    inbox = channel_of(member)
    for n in range(5):
        message(member, inbox, f"p{n}")
    body = api.get(f"{OUTBOX}?limit=2&offset=4").json()
    assert body["count"] == 5
    assert len(body["items"]) == 1


def build(owner: Any, size: int) -> None:
    inbox = channel_of(owner)
    for n in range(size):
        row = message(owner, inbox, f"{owner.pk}:{n}")
        Attempt.objects.bulk_create(Attempt(owner=owner, message=row, ok=bool(k)) for k in range(2))


def test_the_outbox_costs_the_same_queries_for_3_messages_or_60(
    api, member, make_user, django_assert_max_num_queries
):
    from closeknit.accounts.models import ApiToken

    other = make_user("other@example.org")
    build(member, 3)
    build(other, 60)
    with CaptureQueriesContext(connection) as small:
        assert api.get(OUTBOX).status_code == 200
    other_api = ApiClient(ApiToken.issue(other, "tests")[1])
    with django_assert_max_num_queries(len(small)):
        body = other_api.get(OUTBOX).json()
    assert body["count"] == 60
    assert all(len(item["attempt_log"]) == 2 for item in body["items"])


def test_a_stranger_sees_none_of_the_members_messages(api, stranger_api, member):
    row = message(member, channel_of(member), "mine", title="Robin's reminder")
    assert stranger_api.get(f"{OUTBOX}/{row.pk}").status_code == 404
    assert stranger_api.get(OUTBOX).json() == {"items": [], "count": 0}


def test_the_outbox_needs_a_token(anonymous_api):
    assert anonymous_api.get(OUTBOX).status_code == 401
