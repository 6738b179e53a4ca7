"""The gratitude log: writing, listing, editing and deleting notes of thanks, and sending one
later through the outbox, whose message always follows the note."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.network.models import Person
from closeknit.notify.models import Message
from closeknit.rhythms import appreciations_store as store
from closeknit.rhythms.models import Appreciation
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # 10:30 in London (GMT)
LATER = "2026-06-14T09:00"  # in London (BST): 08:00 UTC
LATER_UTC = dt.datetime(2026, 6, 14, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sam(member: Any) -> Person:
    return Person.objects.create(
        owner=member, name="Sam Rivera", nickname="Sam", email="sam@example.org"
    )


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response: Any) -> str:
    return response.content.decode()


def write(client: Any, **fields: Any) -> Any:
    return client.post(reverse("rhythms:appreciation-new"), fields)


def edit(client: Any, note: Appreciation, **fields: Any) -> Any:
    return client.post(reverse("rhythms:appreciation-edit", args=[note.pk]), fields)


def the_message(note: Appreciation) -> Message | None:
    return Message.objects.filter(dedup_key=f"appreciation-{note.pk}").first()


# Writing -----------------------------------------------------------------------------------


def test_a_note_just_for_the_log_sends_nothing(member_client, member, sam):
    response = write(member_client, person=sam.pk, text="Thank you for the soup.")
    assert response["Location"] == reverse("rhythms:appreciations")
    note = Appreciation.objects.owned_by(member).get()
    assert (note.person, note.text, note.send_to, note.send_at) == (
        sam,
        "Thank you for the soup.",
        "",
        None,
    )
    assert note.written_at == NOW
    assert not Message.objects.exists()
    assert messages_of(response) == ["Saved to your notes of thanks."]


def test_a_note_needs_words(member_client):
    response = write(member_client, text="   ")
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == ["Please write a few words of thanks."]
    assert not Appreciation.objects.exists()


def test_a_note_for_no_one_in_particular(member_client, member):
    write(member_client, text="Grateful for a quiet morning.")
    assert Appreciation.objects.owned_by(member).get().person is None


def test_sending_later_puts_the_message_in_the_outbox_with_the_note(member_client, member, sam):
    response = write(
        member_client, person=sam.pk, text="Thank you for Sunday.", send="on", send_at=LATER
    )
    note = Appreciation.objects.owned_by(member).get()
    # The address saved for Sam, and the time read in the member's own zone.
    assert (note.send_to, note.send_at) == ("sam@example.org", LATER_UTC)
    message = the_message(note)
    assert message is not None
    assert message.owner == member
    assert message.kind == "appreciation"
    assert message.channel is None
    assert message.to_address == "sam@example.org"
    assert message.title == "A note of thanks from Robin"
    assert message.body == "Thank you for Sunday."
    assert message.status == "pending"
    assert message.due_at == message.next_attempt_at == LATER_UTC
    assert messages_of(response)[0].startswith("Saved. It will be sent by e-mail")


def test_an_address_given_is_used_instead_of_the_persons(member_client, sam):
    write(
        member_client,
        person=sam.pk,
        text="Thanks!",
        send="on",
        send_to="sam@work.example",
        send_at=LATER,
    )
    assert Message.objects.get().to_address == "sam@work.example"


def test_sending_needs_an_address(member_client, member):
    nobody = Person.objects.create(owner=member, name="Lee")
    response = write(member_client, person=nobody.pk, text="Thanks!", send="on", send_at=LATER)
    assert response.status_code == 200
    assert response.context["form"].errors["send_to"] == [
        "Please give the e-mail address to send it to; we don't have one for Lee."
    ]
    assert not Appreciation.objects.exists()
    assert not Message.objects.exists()


def test_sending_needs_a_time_still_ahead(member_client, sam):
    response = write(member_client, person=sam.pk, text="Thanks!", send="on")
    assert response.context["form"].errors["send_at"] == ["Please choose when to send it."]
    response = write(
        member_client, person=sam.pk, text="Thanks!", send="on", send_at="2026-03-01T09:00"
    )
    assert "That time has passed" in response.context["form"].errors["send_at"][0]
    assert not Appreciation.objects.exists()
    assert not Message.objects.exists()


def test_the_send_fields_are_ignored_unless_sending_is_ticked(member_client, sam):
    write(member_client, person=sam.pk, text="Thanks!", send_to="x@example.org", send_at=LATER)
    note = Appreciation.objects.get()
    assert (note.send_to, note.send_at) == ("", None)
    assert not Message.objects.exists()


def test_the_form_explains_where_the_note_goes_and_is_accessible(member_client, sam):
    response = member_client.get(reverse("rhythms:appreciation-new") + f"?person={sam.pk}")
    page = Page(response.content)
    assert_every_control_is_labelled(page)
    assert_one_h1(page)
    assert page.find("legend").text == "Send it later"
    assert "this Closeknit's own address" in html(response).replace("&#x27;", "'")
    [chosen] = [option for option in page.options("person") if "selected" in option.attrs]
    assert chosen.get("value") == str(sam.pk)


def test_a_strangers_person_cant_be_thanked(member_client, stranger):
    theirs = Person.objects.create(owner=stranger, name="Theirs", email="t@example.org")
    response = write(member_client, person=theirs.pk, text="Hi", send="on", send_at=LATER)
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Appreciation.objects.exists()
    assert not Message.objects.exists()


# Changing and deleting -------------------------------------------------------------------------


@pytest.fixture
def waiting(member_client, member, sam) -> Appreciation:
    write(member_client, person=sam.pk, text="Thank you for Sunday.", send="on", send_at=LATER)
    return Appreciation.objects.owned_by(member).get()


def test_editing_a_waiting_note_changes_its_message(member_client, waiting, sam):
    url = reverse("rhythms:appreciation-edit", args=[waiting.pk])
    page = Page(member_client.get(url).content)
    assert "checked" in page.control("send").attrs
    assert page.control("send_at").get("value") == LATER
    edit(
        member_client,
        waiting,
        person=sam.pk,
        text="Thank you for Sunday, truly.",
        send="on",
        send_to="sam@new.example",
        send_at="2026-06-15T18:30",
    )
    message = the_message(waiting)
    assert message is not None
    assert message.body == "Thank you for Sunday, truly."
    assert message.to_address == "sam@new.example"
    expected = dt.datetime(2026, 6, 15, 17, 30, tzinfo=dt.UTC)
    assert message.due_at == message.next_attempt_at == expected
    assert Message.objects.count() == 1


def test_unticking_send_takes_the_waiting_message_back(member_client, waiting, sam):
    edit(member_client, waiting, person=sam.pk, text="Keeping it for me.")
    waiting.refresh_from_db()
    assert (waiting.send_to, waiting.send_at) == ("", None)
    assert the_message(waiting) is None


def test_ticking_send_again_puts_a_message_back(member_client, waiting, sam):
    edit(member_client, waiting, person=sam.pk, text="Keeping it for me.")
    edit(member_client, waiting, person=sam.pk, text="Sending after all.", send="on", send_at=LATER)
    message = the_message(waiting)
    assert message is not None and message.body == "Sending after all."


def test_deleting_a_waiting_note_asks_first_and_takes_its_message(member_client, waiting):
    url = reverse("rhythms:appreciation-delete", args=[waiting.pk])
    response = member_client.get(url)
    assert "It won't be sent, either." in html(response)
    assert Appreciation.objects.exists()
    response = member_client.post(url)
    assert response["Location"] == reverse("rhythms:appreciations")
    assert not Appreciation.objects.exists()
    assert not Message.objects.exists()


def mark(note: Appreciation, **fields: Any) -> None:
    Message.objects.filter(dedup_key=f"appreciation-{note.pk}").update(**fields)


def test_a_sent_note_stays_sent(member_client, waiting, sam):
    sent_at = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC)
    mark(waiting, status="sent", sent_at=sent_at)
    url = reverse("rhythms:appreciation-edit", args=[waiting.pk])
    response = member_client.get(url)
    assert "Sent on 18 March 2026 at 10:00." in html(response)
    page = Page(response.content)
    assert not [e for e in page.elements if e.get("name") in ("send", "send_to", "send_at")]
    # The words can still change in the log; what was sent, and when, stays as it was.
    edit(member_client, waiting, person=sam.pk, text="Edited afterwards.", send="", send_at="")
    waiting.refresh_from_db()
    assert waiting.text == "Edited afterwards."
    assert waiting.send_at == LATER_UTC
    message = the_message(waiting)
    assert message is not None
    assert (message.status, message.body) == ("sent", "Thank you for Sunday.")
    member_client.post(reverse("rhythms:appreciation-delete", args=[waiting.pk]))
    assert not Appreciation.objects.exists()
    assert the_message(waiting) is not None


def test_a_note_that_couldnt_be_sent_gets_a_fresh_start_when_changed(member_client, waiting, sam):
    mark(waiting, status="failed", attempts=5, last_error="The address was refused.")
    response = member_client.get(reverse("rhythms:appreciation-edit", args=[waiting.pk]))
    assert "Couldn&#x27;t be sent: The address was refused." in html(response)
    edit(
        member_client,
        waiting,
        person=sam.pk,
        text="Thank you for Sunday.",
        send="on",
        send_to="sam@right.example",
        send_at=LATER,
    )
    message = the_message(waiting)
    assert message is not None
    assert (message.status, message.attempts, message.last_error, message.to_address) == (
        "pending",
        0,
        "",
        "sam@right.example",
    )


def test_words_can_change_while_a_message_waits_past_its_time(member_client, member, waiting, sam):
    # The worker is retrying a message whose time has passed: editing the words is fine.
    with time_machine.travel(LATER_UTC + dt.timedelta(hours=2), tick=False):
        member_client.force_login(member)  # months later: a fresh sign-in
        edit(
            member_client,
            waiting,
            person=sam.pk,
            text="A small fix.",
            send="on",
            send_at=LATER,
        )
    message = the_message(waiting)
    assert message is not None and message.body == "A small fix."


def test_the_store_refuses_to_change_where_a_sent_note_went(member, waiting):
    mark(waiting, status="sent", sent_at=NOW)
    note = Appreciation.objects.get(pk=waiting.pk)
    with pytest.raises(store.AppreciationError):
        store.save_note(member, note, send=True, send_to="other@example.org", send_at=LATER_UTC)
    with pytest.raises(store.AppreciationError):
        store.save_note(member, note, send=False)
    # Saying the same again is no change at all.
    store.save_note(member, note, send=True, send_to="sam@example.org", send_at=LATER_UTC)
    assert the_message(note).status == "sent"


# The list -------------------------------------------------------------------------------------


def test_the_log_lists_notes_newest_first_with_how_each_is_going(member_client, member, sam):
    old = Appreciation.objects.create(
        owner=member, person=sam, text="For the lift.", written_at=NOW - dt.timedelta(days=40)
    )
    write(member_client, person=sam.pk, text="Thank you for Sunday.", send="on", send_at=LATER)
    mark(old, status="sent")  # no message for the old one: nothing to say
    Appreciation.objects.create(
        owner=member, text="Just for me.", written_at=NOW - dt.timedelta(days=1)
    )
    response = member_client.get(reverse("rhythms:appreciations"))
    texts = [row["note"].text for row in response.context["rows"]]
    assert texts == ["Thank you for Sunday.", "Just for me.", "For the lift."]
    assert [row["delivery"] for row in response.context["rows"]] == [
        "Will be sent on 14 June 2026 at 09:00.",
        "",
        "",
    ]
    page = html(response)
    assert "A note for yourself" in page
    assert_one_h1(Page(response.content))


def test_the_log_shows_no_one_elses_notes(member_client, stranger):
    Appreciation.objects.create(owner=stranger, text="Their private thanks")
    assert "Their private thanks" not in html(member_client.get(reverse("rhythms:appreciations")))


def test_an_empty_log_invites(member_client):
    assert "Write your first note" in html(member_client.get(reverse("rhythms:appreciations")))


def test_the_log_comes_in_pages_of_fifty(member_client, member):
    Appreciation.objects.bulk_create(
        Appreciation(owner=member, text=f"Note {n}", written_at=NOW - dt.timedelta(hours=n))
        for n in range(51)
    )
    first = member_client.get(reverse("rhythms:appreciations"))
    second = member_client.get(reverse("rhythms:appreciations") + "?page=2")
    assert len(first.context["rows"]) == 50
    assert [row["note"].text for row in second.context["rows"]] == ["Note 50"]


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_log_reads_every_notes_message_in_the_same_query(make_user, client):
    counts = []
    for size in (2, 40):
        owner = make_user(f"size{size}@example.org")
        person = Person.objects.create(owner=owner, name="Sam", email="sam@example.org")
        for n in range(size):
            note = Appreciation(owner=owner, person=person, text=f"Note {n}")
            store.save_note(owner, note, send=n % 2 == 0, send_at=LATER_UTC)
        client.force_login(owner)
        counts.append(count_queries(client, reverse("rhythms:appreciations")))
    assert counts[0] == counts[1], counts


def test_another_members_note_is_not_found(member_client, stranger):
    theirs = Appreciation.objects.create(owner=stranger, text="Theirs")
    for name in ("rhythms:appreciation-edit", "rhythms:appreciation-delete"):
        url = reverse(name, args=[theirs.pk])
        assert member_client.get(url).status_code == 404
        assert member_client.post(url, {"text": "Mine"}).status_code == 404
    assert Appreciation.objects.get(pk=theirs.pk).text == "Theirs"


# All the way to an inbox -------------------------------------------------------------------------


def test_a_note_sent_later_arrives_by_e_mail_and_then_shows_as_sent(
    member_client, waiting, smtp_inbox
):
    from closeknit.notify.delivery import deliver_due

    assert deliver_due() == 0  # not yet
    with time_machine.travel(LATER_UTC + dt.timedelta(minutes=1), tick=False):
        assert deliver_due() == 1
    response = member_client.get(reverse("rhythms:appreciations"))
    [mail] = smtp_inbox.messages
    assert mail["To"] == "sam@example.org"
    assert mail["Subject"] == "A note of thanks from Robin"
    assert "Thank you for Sunday." in mail.get_body(preferencelist=("plain",)).get_content()
    assert response.context["rows"][0]["delivery"] == "Sent on 14 June 2026 at 09:01."
