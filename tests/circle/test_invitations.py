"""Invitations to a member's circle: a hashed token that works once, until it expires,
for one of the member's people, and the link it makes with exactly the scopes offered."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings

from closeknit.accounts.models import User, hash_token
from closeknit.circle import grants
from closeknit.circle import invitations as store
from closeknit.circle.models import AccessEntry, Invitation, Link
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via
from closeknit.network.models import Person
from closeknit.notify.delivery import deliver_due
from closeknit.notify.models import Message
from closeknit.notify.vocab import MessageKind

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sam(member: User) -> Person:
    return Person.objects.create(owner=member, name="Sam Rivera", email="sam@example.org")


def invitation_state() -> list[Any]:
    return [
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "accepted_at", "withdrawn_at", "link_id"
            )
        ),
        list(Link.objects.order_by("pk").values_list("pk", "supporter_id", "scopes", "ended_at")),
        list(AccessEntry.objects.order_by("pk").values_list("pk", "action", "part")),
        list(Message.objects.order_by("pk").values_list("pk", "dedup_key", "status")),
    ]


# Making one -----------------------------------------------------------------------------------


def test_only_the_tokens_sha256_is_stored(member, sam):
    invitation, token = store.invite(member, sam, [Scope.GOALS])
    assert len(token) >= 43
    invitation.refresh_from_db()
    assert invitation.digest == hash_token(token)
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in str(row)
    assert store.find_open(token) == invitation


def test_it_offers_exactly_the_scopes_chosen_and_lasts_the_configured_days(member, sam):
    invitation, _token = store.invite(member, sam, [Scope.SAFETY_PLAN, Scope.MOOD_TREND])
    assert store.ordered_scopes(invitation.scopes) == [Scope.MOOD_TREND, Scope.SAFETY_PLAN]
    assert invitation.expires_at == NOW + WEEK
    with override_settings(CIRCLE_INVITATION_DAYS=2):
        shorter, _token = store.invite(member, sam, [])
    assert shorter.expires_at == NOW + dt.timedelta(days=2)
    assert shorter.scopes == []


def test_an_invitation_by_link_sends_nothing(member, sam):
    store.invite(member, sam, [Scope.GOALS])
    assert not Message.objects.exists()


def test_an_invitation_by_email_waits_in_the_outbox_owned_by_the_member(member, sam):
    invitation, token = store.invite(member, sam, [Scope.GOALS, Scope.HELP_REQUESTS], "s@x.org")
    message = Message.objects.get()
    assert message.owner == member
    assert message.kind == "invitation"
    assert message.dedup_key == f"invitation:{invitation.pk}"
    assert message.to_address == "s@x.org"
    assert message.channel is None
    assert message.title == "Robin would like you in their circle of supporters"
    assert message.due_at == NOW
    # The secret travels in the body, encrypted at rest; never in the plain url column.
    assert message.url == ""
    assert f"http://127.0.0.1:8000/circle/join/{token}/" in message.body
    assert "My goals and their steps" in message.body
    assert "My “I need support” requests" in message.body
    assert "My safety plan" not in message.body
    assert "not their notes, not single days" in message.body
    assert "until Wednesday 25 March 2026, 10:30 (Europe/London time)" in message.body


def test_the_email_body_is_stored_encrypted(member, sam):
    _invitation, token = store.invite(member, sam, [], "s@x.org")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM notify_message")
        [(raw,)] = cursor.fetchall()
    assert token not in raw
    assert "Robin" not in raw


def test_with_nothing_offered_the_email_says_so(member, sam):
    store.invite(member, sam, [], "s@x.org")
    assert "For now Robin shares nothing with you" in Message.objects.get().body


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ("archived", "person", "Sam Rivera is archived"),
        ("linked", "person", "Sam Rivera is in your circle already"),
        ("strangers", "person", "We couldn't find that person in your network."),
        ("bad email", "email", "Please enter a whole e-mail address"),
    ],
)
def test_refused_invitations_change_nothing(member, sam, stranger, supporter, change, field, words):
    person, email = sam, ""
    if change == "archived":
        Person.objects.filter(pk=sam.pk).update(archived_at=NOW)
    elif change == "linked":
        Link.objects.create(owner=member, supporter=supporter, person=sam)
    elif change == "strangers":
        person = Person.objects.create(owner=stranger, name="Theirs")
    else:
        email = "not an address"
    before = invitation_state()
    with pytest.raises(store.InvitationError) as refused:
        store.invite(member, person, [Scope.GOALS], email)
    assert refused.value.field == field
    assert words in refused.value.message
    assert invitation_state() == before


def test_an_unknown_scope_is_a_bug(member, sam):
    with pytest.raises(ValueError):
        store.invite(member, sam, ["notes"])
    assert not Invitation.objects.exists()


def test_a_person_whose_link_ended_can_be_invited_again(member, sam, supporter):
    link = Link.objects.create(owner=member, supporter=supporter, person=sam)
    grants.end(link, EndedBy.SUPPORTER)
    invitation, _token = store.invite(member, sam, [])
    assert store.status_of(invitation) == store.OPEN


# Accepting -----------------------------------------------------------------------------------


def test_accepting_links_the_supporter_to_the_members_person_with_the_scopes(
    member, sam, supporter
):
    invitation, token = store.invite(member, sam, [Scope.SAFETY_PLAN, Scope.MOOD_TREND])
    link = store.accept(token, supporter)
    assert (link.owner, link.supporter, link.person) == (member, supporter, sam)
    assert set(Link.objects.get(pk=link.pk).scopes) == {Scope.MOOD_TREND, Scope.SAFETY_PLAN}
    assert link.created_at == NOW
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.link) == (NOW, link)
    assert store.status_of(invitation) == store.ACCEPTED
    # The access log says who joined, and each thing shared from that moment.
    log = list(
        AccessEntry.objects.owned_by(member)
        .order_by("pk")
        .values_list("action", "part", "supporter_name", "via", "link_id")
    )
    assert log == [
        (AccessAction.LINKED, "", "Sam Rivera", Via.WEB, link.pk),
        (AccessAction.GRANTED, Scope.MOOD_TREND, "Sam Rivera", Via.WEB, link.pk),
        (AccessAction.GRANTED, Scope.SAFETY_PLAN, "Sam Rivera", Via.WEB, link.pk),
    ]
    assert grants.grant(supporter, link.pk, Scope.SAFETY_PLAN) == link


def test_accepting_an_invitation_offering_nothing_shares_nothing(member, sam, supporter):
    _invitation, token = store.invite(member, sam, [])
    link = store.accept(token, supporter, via=Via.API)
    assert link.scopes == []
    assert list(AccessEntry.objects.values_list("action", "via")) == [
        (AccessAction.LINKED, Via.API)
    ]


def test_a_token_works_once(member, sam, supporter, stranger):
    _invitation, token = store.invite(member, sam, [Scope.GOALS])
    store.accept(token, supporter)
    before = invitation_state()
    with pytest.raises(store.InvitationGone) as gone:
        store.accept(token, stranger)
    assert gone.value.reason == store.ACCEPTED
    assert gone.value.message == store.GONE
    assert store.find_open(token) is None
    assert invitation_state() == before


def test_a_claim_that_lost_the_race_changes_nothing(member, sam, supporter, stranger):
    """Both accepts read the invitation open; the conditional UPDATE lets one through."""
    _invitation, token = store.invite(member, sam, [Scope.GOALS])
    seen_open = store.find_open(token)
    assert seen_open is not None
    store.accept(token, supporter)
    before = invitation_state()
    with pytest.raises(store.InvitationGone) as gone:
        store._claim(seen_open, stranger, NOW, Via.WEB)
    assert gone.value.reason == "raced"
    assert invitation_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_on_postgresql_make_one_link(make_user, member):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    sam = Person.objects.create(owner=member, name="Sam Rivera")
    _invitation, token = store.invite(member, sam, [Scope.GOALS])
    racers = [make_user(f"racer{i}@example.org") for i in range(4)]
    start = threading.Barrier(len(racers))
    outcomes: list[str] = []

    def race(user: User) -> None:
        try:
            start.wait()
            store.accept(token, user)
            outcomes.append("joined")
        except store.InvitationGone:
            outcomes.append("gone")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(user,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["gone", "gone", "gone", "joined"]
    assert Link.objects.count() == 1
    assert AccessEntry.objects.filter(action=AccessAction.LINKED).count() == 1


def test_an_invitation_works_until_just_before_it_expires(member, sam, supporter):
    invitation, token = store.invite(member, sam, [])
    with time_machine.travel(invitation.expires_at - dt.timedelta(seconds=1), tick=False):
        assert store.find_open(token) == invitation
    with time_machine.travel(invitation.expires_at, tick=False):
        assert store.find_open(token) is None
        assert store.status_of(invitation) == store.EXPIRED
        with pytest.raises(store.InvitationGone) as gone:
            store.accept(token, supporter)
    assert gone.value.reason == store.EXPIRED
    assert not Link.objects.exists()


def test_a_withdrawn_invitation_no_longer_works(member, sam, supporter):
    invitation, token = store.invite(member, sam, [], "s@x.org")
    assert store.withdraw(invitation)
    assert store.status_of(invitation) == store.WITHDRAWN
    # Its e-mail hadn't gone yet, so it won't.
    assert not Message.objects.exists()
    with pytest.raises(store.InvitationGone) as gone:
        store.accept(token, supporter)
    assert gone.value.reason == store.WITHDRAWN
    assert not store.withdraw(invitation)  # once is enough
    assert not Link.objects.exists()


def test_withdrawing_keeps_an_email_already_sent(member, sam):
    invitation, _token = store.invite(member, sam, [], "s@x.org")
    Message.objects.update(status="sent", sent_at=NOW)
    store.withdraw(invitation)
    assert Message.objects.get().status == "sent"


def test_a_used_invitation_cant_be_withdrawn(member, sam, supporter):
    invitation, token = store.invite(member, sam, [])
    store.accept(token, supporter)
    assert not store.withdraw(invitation)
    assert Invitation.objects.get(pk=invitation.pk).withdrawn_at is None


def test_the_member_cant_accept_their_own_invitation(member, sam):
    invitation, token = store.invite(member, sam, [Scope.GOALS])
    before = invitation_state()
    with pytest.raises(store.InvitationError) as refused:
        store.accept(token, member)
    assert not isinstance(refused.value, store.InvitationGone)
    assert refused.value.message.startswith("This is your own invitation.")
    assert invitation_state() == before
    assert store.find_open(token) == invitation


def test_someone_already_in_the_circle_cant_join_again(member, sam, supporter):
    Link.objects.create(owner=member, supporter=supporter, person=sam)
    lee = Person.objects.create(owner=member, name="Lee")
    invitation, token = store.invite(member, lee, [Scope.GOALS])
    before = invitation_state()
    with pytest.raises(store.InvitationError) as refused:
        store.accept(token, supporter)
    assert refused.value.message == "You're in Robin's circle already."
    assert invitation_state() == before
    assert store.find_open(token) == invitation


def test_joining_closes_the_persons_other_invitations(member, sam, supporter):
    first, first_token = store.invite(member, sam, [], "sam@example.org")
    _second, second_token = store.invite(member, sam, [Scope.GOALS])
    store.accept(second_token, supporter)
    assert store.status_of(Invitation.objects.get(pk=first.pk)) == store.WITHDRAWN
    assert not Message.objects.exists()  # the first's e-mail no longer has a purpose
    assert store.find_open(first_token) is None


@pytest.mark.parametrize(
    "close",
    [
        lambda invitation: store.withdraw(invitation),
        lambda invitation: invitation.person.delete(),
        lambda invitation: Invitation.objects.filter(pk=invitation.pk).update(expires_at=NOW),
    ],
    ids=["withdrawn", "person removed", "ran out"],
)
def test_an_invitation_closed_while_its_email_waited_is_not_sent(member, sam, smtp_inbox, close):
    invitation, _token = store.invite(member, sam, [], "sam@example.org")
    message = Message.objects.get(kind=MessageKind.INVITATION)
    # The first try failed; the e-mail waits for the next.
    Message.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=NOW + WEEK)
    close(invitation)
    deliver_due(now=NOW + WEEK)
    assert smtp_inbox.messages == []
    for left in Message.objects.filter(pk=message.pk):  # withdrawing deletes it at once
        assert (left.status, left.last_error) == ("failed", store.CLOSED_BEFORE_SENDING)


def test_an_open_invitations_email_goes(member, sam, smtp_inbox):
    store.invite(member, sam, [], "sam@example.org")
    deliver_due(now=NOW)
    assert [mail["To"] for mail in smtp_inbox.messages] == ["sam@example.org"]


def test_joining_leaves_an_expired_invitation_expired(member, sam, supporter):
    old, _token = store.invite(member, sam, [], now=NOW - 2 * WEEK)
    _new, token = store.invite(member, sam, [Scope.GOALS])
    store.accept(token, supporter)
    old.refresh_from_db()
    assert old.withdrawn_at is None
    assert store.status_of(old) == store.EXPIRED


def test_a_supporter_who_left_can_join_again_with_a_new_invitation(member, sam, supporter):
    _old, token = store.invite(member, sam, [])
    grants.end(store.accept(token, supporter), EndedBy.SUPPORTER)
    _new, token = store.invite(member, sam, [Scope.GOALS])
    link = store.accept(token, supporter)
    assert Link.objects.active().get() == link


def test_an_invitation_from_a_closed_account_no_longer_works(member, sam, supporter):
    _invitation, token = store.invite(member, sam, [])
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert store.find_open(token) is None
    with pytest.raises(store.InvitationGone):
        store.accept(token, supporter)


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 5000, "../../etc", "é"])
def test_a_made_up_token_finds_nothing(member, sam, token):
    store.invite(member, sam, [])
    assert store.find_open(token) is None


def test_accepted_by_finds_the_link_only_for_who_made_it(member, sam, supporter, stranger):
    _invitation, token = store.invite(member, sam, [])
    assert store.accepted_by(token, supporter) is None
    link = store.accept(token, supporter)
    assert store.accepted_by(token, supporter) == link
    assert store.accepted_by(token, stranger) is None
    assert store.accepted_by(token, member) is None
    grants.end(link, EndedBy.MEMBER)
    assert store.accepted_by(token, supporter) is None


# All the way through an inbox ------------------------------------------------------------------


def test_the_email_arrives_and_its_link_joins_the_circle(member, sam, supporter, smtp_inbox):
    _invitation, token = store.invite(member, sam, [Scope.GOALS], "sam@example.org")
    assert deliver_due() == 1
    [mail] = smtp_inbox.messages
    assert mail["To"] == "sam@example.org"
    assert mail["Subject"] == "Robin would like you in their circle of supporters"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "My goals and their steps" in text
    assert "circle of supporters. If you don't know them, you can ignore this e-mail." in text
    [url] = re.findall(r"http://127\.0\.0\.1:8000(/circle/join/[\w-]+/)", text)
    assert url == f"/circle/join/{token}/"
    client = Client()
    client.force_login(supporter)
    page = client.get(url)
    assert page.status_code == 200
    assert "Robin would like you in their circle of supporters" in page.content.decode()
    joined = client.post(url)
    link = Link.objects.get()
    assert joined["Location"] == f"/supporting/{link.pk}/"
    assert (link.supporter, link.person, link.scopes) == (supporter, sam, [Scope.GOALS])
