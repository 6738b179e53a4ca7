"""/api/v1/appreciations: the gratitude log, and notes sent later through the outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.notify.models import Message
from closeknit.rhythms.models import Appreciation
from tests.api.conftest import error_fields, error_messages, queries_for

THANKS = "/api/v1/appreciations"
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)
LATER = "2026-06-14T09:00"  # naive: read in London (BST), 08:00 UTC
LATER_UTC = dt.datetime(2026, 6, 14, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(note: Appreciation | int) -> str:
    return f"{THANKS}/{note if isinstance(note, int) else note.pk}"


def state(owner: User) -> list[tuple[Any, ...]]:
    notes = [
        (n.pk, n.person_id, n.text, n.written_at, n.send_to, n.send_at)
        for n in Appreciation.objects.owned_by(owner).order_by("pk")
    ]
    messages = [
        (m.dedup_key, m.status, m.title, m.body, m.to_address, m.due_at, m.next_attempt_at)
        for m in Message.objects.owned_by(owner).order_by("pk")
    ]
    return [notes, messages]


def message_of(note_id: int) -> Message | None:
    return Message.objects.filter(dedup_key=f"appreciation-{note_id}").first()


@pytest.fixture
def note(member: User, network: dict[str, Any]) -> Appreciation:
    return Appreciation.objects.create(
        owner=member,
        person=network["sam"],
        text="Thank you for the soup.",
        written_at=NOW - dt.timedelta(days=3),
    )


def test_list_newest_first_with_delivery(api, member, network, note):
    response = api.post(
        THANKS, {"person": network["sam"].pk, "text": "For Sunday.", "send_at": LATER}
    )
    assert response.status_code == 201, response.content
    body = api.get(THANKS).json()
    assert body["count"] == 2
    newest, older = body["items"]
    assert newest == {
        "id": response.json()["id"],
        "person": network["sam"].pk,
        "text": "For Sunday.",
        "written_at": "2026-03-18T10:30:00+00:00",
        "send_to": "sam@example.org",
        "send_at": "2026-06-14T08:00:00+00:00",
        "delivery": {
            "status": "pending",
            "due_at": "2026-06-14T08:00:00+00:00",
            "sent_at": None,
            "attempts": 0,
            "error": "",
        },
    }
    assert older["text"] == "Thank you for the soup."
    assert older["delivery"] is None


def test_a_note_just_for_the_log(api, member):
    response = api.post(THANKS, {"text": "Grateful for a quiet morning."})
    assert response.status_code == 201
    assert response.json()["person"] is None
    assert not Message.objects.exists()


def test_sending_later_puts_a_message_in_the_outbox_with_the_note(api, member, network):
    response = api.post(
        THANKS,
        {
            "person": network["sam"].pk,
            "text": "For Sunday.",
            "send_to": "sam@work.example",
            "send_at": "2026-06-14T09:00:00+01:00",
        },
    )
    message = message_of(response.json()["id"])
    assert message is not None
    assert (message.owner, message.kind, message.to_address, message.body) == (
        member,
        "appreciation",
        "sam@work.example",
        "For Sunday.",
    )
    assert message.title == "A note of thanks from Robin"
    assert message.due_at == message.next_attempt_at == LATER_UTC


def test_a_written_at_without_offset_is_local(api):
    response = api.post(THANKS, {"text": "Hi", "written_at": "2026-03-01T09:00"})
    assert response.json()["written_at"] == "2026-03-01T09:00:00+00:00"  # GMT in March


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 20_001}, "text"),
        ({"text": "Hi", "send_at": LATER}, "send_to"),  # no person, no address
        ({"text": "Hi", "send_to": "sam@example.org"}, "send_at"),  # an address but no time
        ({"text": "Hi", "send_to": "sam@", "send_at": LATER}, "send_to"),
        ({"text": "Hi", "send_to": "sam@example.org", "send_at": "2026-03-01T09:00"}, "send_at"),
        ({"text": "Hi", "send_to": "sam@example.org", "send_at": "2036-03-01T09:00"}, "send_at"),
        ({"text": "Hi", "person": 10**9}, "person"),
        ({"text": "Hi", "mood": 3}, "mood"),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_changes_nothing(api, member, note, body, field):
    before = state(member)
    response = api.post(THANKS, body)
    assert field in error_fields(response)
    assert state(member) == before


def test_a_person_from_another_network_is_refused(api, member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Theirs", email="t@example.org")
    response = api.post(THANKS, {"person": theirs.pk, "text": "Hi", "send_at": LATER})
    assert error_fields(response) == ["person"]
    assert not Appreciation.objects.exists() and not Message.objects.exists()


def test_put_changes_a_waiting_message(api, member, network):
    created = api.post(THANKS, {"person": network["sam"].pk, "text": "v1", "send_at": LATER})
    note_id = created.json()["id"]
    response = api.put(
        url(note_id),
        {
            "person": network["sam"].pk,
            "text": "v2",
            "send_to": "sam@new.example",
            "send_at": "2026-06-15T18:30",
        },
    )
    assert response.status_code == 200
    message = message_of(note_id)
    assert message is not None
    assert (message.body, message.to_address) == ("v2", "sam@new.example")
    assert message.due_at == dt.datetime(2026, 6, 15, 17, 30, tzinfo=dt.UTC)
    assert response.json()["delivery"]["due_at"] == "2026-06-15T17:30:00+00:00"


def test_put_without_a_time_stops_the_sending(api, member, network):
    note_id = api.post(
        THANKS, {"person": network["sam"].pk, "text": "v1", "send_at": LATER}
    ).json()["id"]
    response = api.put(url(note_id), {"person": network["sam"].pk, "text": "Just for me."})
    assert response.json()["delivery"] is None
    assert response.json()["send_at"] is None
    assert message_of(note_id) is None


def test_a_sent_notes_sending_cant_change(api, member, network):
    note_id = api.post(
        THANKS, {"person": network["sam"].pk, "text": "v1", "send_at": LATER}
    ).json()["id"]
    Message.objects.filter(dedup_key=f"appreciation-{note_id}").update(status="sent", sent_at=NOW)
    before = state(member)
    response = api.put(url(note_id), {"person": network["sam"].pk, "text": "v2"})
    assert error_fields(response) == ["send_at"]
    assert "already sent" in error_messages(response)
    assert state(member) == before
    # The same sending as before, with new words: fine, and the e-mail stays as it went.
    response = api.put(url(note_id), {"person": network["sam"].pk, "text": "v2", "send_at": LATER})
    assert response.status_code == 200
    assert response.json()["delivery"]["status"] == "sent"
    assert message_of(note_id).body == "v1"


def test_delete_takes_a_waiting_message_and_keeps_a_sent_one(api, member, network):
    waiting = api.post(THANKS, {"person": network["sam"].pk, "text": "a", "send_at": LATER}).json()
    sent = api.post(THANKS, {"person": network["sam"].pk, "text": "b", "send_at": LATER}).json()
    Message.objects.filter(dedup_key=f"appreciation-{sent['id']}").update(status="sent")
    assert api.delete(url(waiting["id"])).status_code == 204
    assert api.delete(url(sent["id"])).status_code == 204
    assert not Appreciation.objects.exists()
    assert list(Message.objects.values_list("dedup_key", flat=True)) == [
        f"appreciation-{sent['id']}"
    ]


def test_get_one(api, note):
    assert api.get(url(note)).json()["text"] == "Thank you for the soup."


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_a_stranger_gets_404_and_changes_nothing(stranger_api, member, note, method):
    before = state(member)
    call = getattr(stranger_api, method)
    response = call(url(note), {"text": "Mine"}) if method == "put" else call(url(note))
    assert response.status_code == 404
    assert "soup" not in response.content.decode()
    assert state(member) == before


def test_a_strangers_list_never_shows_the_members_notes(stranger_api, note):
    assert stranger_api.get(THANKS).json() == {"items": [], "count": 0}


def test_signed_out_gets_401(anonymous_api, note):
    assert anonymous_api.get(THANKS).status_code == 401


def test_list_reads_every_notes_delivery_in_the_same_query(api, member, network):
    api.get(THANKS)  # the token's first use is noted: one write that comes once
    small = queries_for(api, THANKS)
    for n in range(30):
        body: dict[str, Any] = {"person": network["sam"].pk, "text": f"Note {n}"}
        if n % 2:
            body["send_at"] = LATER
        assert api.post(THANKS, body).status_code == 201
    assert queries_for(api, THANKS) == small
