"""The outbox page: every message newest first, its state in plain words and in the member's
time, each try at sending it, never a test message's code, and no N+1."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.notify.models import Attempt, Channel, Message
from closeknit.notify.views import status_words
from tests.notify.rows import message

pytestmark = pytest.mark.django_db

OUTBOX = "/notifications/outbox/"
# 13:05 UTC on a June day is 14:05 in London (British Summer Time).
JUNE = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


def html(response: Any) -> str:
    """The page's text as read: no tags, entities turned back into characters."""
    return unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def channel_of(owner: Any, label: str = "Inbox") -> Channel:
    return Channel.objects.create(
        owner=owner,
        kind="email",
        label=label,
        config={"address": "robin@example.org"},
        verified_at=JUNE,
    )


def build(owner: Any, size: int) -> None:
    """`size` messages over two channels, each tried twice, in every state."""
    channels = [channel_of(owner, "Inbox"), channel_of(owner, "Work")]
    statuses = ["sent", "pending", "failed"]
    for n in range(size):
        row = message(owner, channels[n % 2], f"bulk:{n}", status=statuses[n % 3])
        Attempt.objects.bulk_create(
            Attempt(owner=owner, message=row, ok=k == 1, error="" if k else "Timed out")
            for k in range(2)
        )


def test_an_empty_outbox_says_what_will_appear_here(member_client):
    page = html(member_client.get(OUTBOX))
    assert "Nothing has been sent yet." in page


def test_messages_come_newest_first_with_channel_kind_and_tries(member_client, member):
    inbox = channel_of(member)
    with time_machine.travel(JUNE, tick=False):
        older = message(member, inbox, "a", title="It's been a while since you and Sam talked")
    with time_machine.travel(JUNE + dt.timedelta(hours=1), tick=False):
        newer = message(member, inbox, "b", kind="occasion", title="Sam's birthday is tomorrow")
    Attempt.objects.create(
        owner=member,
        message=older,
        started_at=JUNE + dt.timedelta(minutes=1),
        duration_ms=412,
        error="The mail server didn't answer in time.",
    )
    Attempt.objects.create(
        owner=member,
        message=older,
        started_at=JUNE + dt.timedelta(minutes=3),
        duration_ms=96,
        ok=True,
    )
    Message.objects.filter(pk=older.pk).update(status="sent", sent_at=JUNE)
    response = member_client.get(OUTBOX)
    assert [row["message"].pk for row in response.context["rows"]] == [newer.pk, older.pk]
    page = html(response)
    assert page.index("Sam's birthday is tomorrow") < page.index("It's been a while since")
    assert "Reach-out reminder" in page and "Occasion" in page
    assert "Inbox" in page
    assert "2 tries" in page
    # Times are the member's: 12:01 UTC is 13:01 in London in June.
    assert "10 Jun, 13:01:00, 412 ms: The mail server didn't answer in time." in page
    assert "10 Jun, 13:03:00, 96 ms: delivered" in page


def test_a_test_message_shows_its_title_but_never_its_code(member_client, member):
    message(
        member,
        channel_of(member),
        "verify:1:1",
        kind="verification",
        title="Your Closeknit test message",
        body="Your code is 042917. Type it on the notifications page.",
    )
    page = html(member_client.get(OUTBOX))
    assert "Your Closeknit test message" in page
    assert "042917" not in page
    assert "its code isn't kept here" in page


def test_the_status_is_in_plain_words_and_local_time(member):
    inbox = channel_of(member)
    with time_machine.travel(JUNE, tick=False):
        waiting = message(
            member, inbox, "w", next_attempt_at=JUNE + dt.timedelta(hours=1, minutes=5)
        )
        tomorrow = message(member, inbox, "t", next_attempt_at=JUNE + dt.timedelta(days=1))
        now_due = message(member, inbox, "n", next_attempt_at=JUNE)
        sent = message(member, inbox, "s", status="sent", sent_at=JUNE)
        failed = message(member, inbox, "f", status="failed", last_error="ntfy.sh answered 404.")
        from django.utils import timezone

        with timezone.override(member.zone):
            assert status_words(waiting, JUNE) == "Waiting to be sent — next try at 14:05"
            assert (
                status_words(tomorrow, JUNE) == "Waiting to be sent — next try at 11 Jun at 13:00"
            )
            assert status_words(now_due, JUNE) == "Waiting to be sent"
            assert status_words(sent, JUNE) == "Sent"
            assert status_words(failed, JUNE) == "Couldn't be sent: ntfy.sh answered 404."
            failed.last_error = ""
            assert status_words(failed, JUNE) == "Couldn't be sent."


def test_the_page_shows_the_waiting_time_in_the_members_zone(member_client, member):
    with time_machine.travel(JUNE, tick=False):
        message(member, channel_of(member), "w", next_attempt_at=JUNE + dt.timedelta(minutes=65))
        page = html(member_client.get(OUTBOX))
    assert "Waiting to be sent — next try at 14:05" in page


def test_filtering_by_status(member_client, member):
    inbox = channel_of(member)
    message(member, inbox, "s", status="sent", title="Went out")
    message(member, inbox, "f", status="failed", title="Stuck")
    page = html(member_client.get(OUTBOX + "?status=failed"))
    assert "Stuck" in page and "Went out" not in page
    page = html(member_client.get(OUTBOX + "?status=bogus"))
    assert "Stuck" in page and "Went out" in page
    assert "No messages here." in html(member_client.get(OUTBOX + "?status=pending"))


def test_fifty_to_a_page(member_client, member):
    build(member, 51)
    first = member_client.get(OUTBOX)
    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2" in html(first)
    assert len(member_client.get(OUTBOX + "?page=2").context["rows"]) == 1


def test_a_stranger_sees_only_their_own_outbox(stranger_client, member):
    message(member, channel_of(member), "m", title="Robin's reminder")
    page = html(stranger_client.get(OUTBOX))
    assert "Robin's reminder" not in page
    assert "Nothing has been sent yet." in page


def test_the_outbox_costs_the_same_queries_for_3_messages_or_60(
    member_client, member, make_user, django_assert_max_num_queries
):
    from django.test import Client

    other = make_user("other@example.org")
    build(member, 3)
    build(other, 60)
    with CaptureQueriesContext(connection) as small:
        assert member_client.get(OUTBOX).status_code == 200
    client = Client()
    client.force_login(other)
    with django_assert_max_num_queries(len(small)):
        response = client.get(OUTBOX)
    assert len(response.context["rows"]) == 50


def test_the_outbox_needs_signing_in(client):
    response = client.get(reverse("notify:outbox"))
    assert response.status_code == 302
