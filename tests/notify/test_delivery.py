"""Delivering the outbox to real receivers on loopback: leases, attempts, retries, quiet hours."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from closeknit.notify import delivery, retry
from closeknit.notify.delivery import Outcome
from closeknit.notify.models import Attempt, Channel, Message
from closeknit.notify.outbox import enqueue
from tests.receivers import free_port

UTC = dt.UTC
NOW = dt.datetime(2027, 1, 5, 12, 0, tzinfo=UTC)  # noon in London
SECRET = "a-webhook-secret-for-delivery-tests"
LEASE = dt.timedelta(seconds=120)


# Helpers shared by the other delivery and worker tests ----------------------------------------


def webhook_channel(owner: Any, url: str, *, verified: bool = True, **extra: Any) -> Channel:
    return Channel.objects.create(
        owner=owner,
        kind="webhook",
        label="My webhook",
        config={"url": url, "secret": SECRET},
        verified_at=timezone.now() if verified else None,
        **extra,
    )


def outbox_message(owner: Any, channel: Channel | None, key: str, **extra: Any) -> Message:
    extra.setdefault("kind", "reach_out")
    extra.setdefault("title", "Maybe reach out today")
    extra.setdefault("body", "You and Sam last talked 23 days ago; you hoped for every 14.")
    message, _created = enqueue(owner, key=key, channel=channel, **extra)
    return message


def reload(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


@pytest.fixture
def receiver(settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    settings.BASE_URL = "https://closeknit.example.org"
    return http_receiver


@pytest.fixture
def hook(member, receiver) -> Channel:
    return webhook_channel(member, receiver.url + "/hook")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# Claiming -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_claim_holds_due_messages_for_one_lease(frozen, member, hook):
    message = outbox_message(member, hook, "k1")
    (claimed,) = delivery.claim()
    assert claimed.pk == message.pk
    assert claimed.claimed_until == NOW + LEASE
    assert reload(message).claimed_until == NOW + LEASE


@pytest.mark.django_db
def test_a_held_message_is_not_claimed_twice(frozen, member, hook):
    outbox_message(member, hook, "k1")
    assert len(delivery.claim()) == 1
    assert delivery.claim() == []


@pytest.mark.django_db
def test_a_message_is_claimed_again_once_the_lease_ran_out(frozen, member, hook):
    outbox_message(member, hook, "k1")
    delivery.claim()
    frozen.shift(LEASE)
    assert delivery.claim() == []  # exactly at the end of the lease it is still held
    frozen.shift(dt.timedelta(seconds=1))
    (again,) = delivery.claim()
    assert again.claimed_until == NOW + 2 * LEASE + dt.timedelta(seconds=1)


@pytest.mark.django_db
def test_only_pending_messages_that_are_due_are_claimed(frozen, member, hook):
    outbox_message(member, hook, "later", due_at=NOW + dt.timedelta(minutes=1))
    outbox_message(member, hook, "sent")
    outbox_message(member, hook, "failed")
    Message.objects.filter(dedup_key="sent").update(status="sent")
    Message.objects.filter(dedup_key="failed").update(status="failed")
    due = outbox_message(member, hook, "due")
    assert [one.pk for one in delivery.claim()] == [due.pk]


@pytest.mark.django_db
def test_claim_takes_the_oldest_due_first_up_to_the_limit(frozen, member, hook):
    for minutes in (3, 1, 2, 5, 4):
        outbox_message(member, hook, f"k{minutes}", due_at=NOW - dt.timedelta(minutes=minutes))
    assert [one.dedup_key for one in delivery.claim(limit=3)] == ["k5", "k4", "k3"]
    assert [one.dedup_key for one in delivery.claim(limit=3)] == ["k2", "k1"]


@pytest.mark.django_db
def test_release_lets_go_of_held_messages(frozen, member, hook):
    outbox_message(member, hook, "k1")
    delivery.release(delivery.claim())
    assert len(delivery.claim()) == 1


# Sending ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_message_is_sent_and_its_attempt_recorded(frozen, member, hook, receiver):
    message = outbox_message(member, hook, "reach-out:1:2027-01-05:1", url="/reach-out/")
    assert delivery.deliver_due() == 1
    (request,) = receiver.requests
    assert request.path == "/hook"
    assert request.headers["x-closeknit-delivery"] == "reach-out:1:2027-01-05:1"
    payload = json.loads(request.body)
    assert payload["title"] == "Maybe reach out today"
    assert payload["url"] == "https://closeknit.example.org/reach-out/"
    message = reload(message)
    assert (message.status, message.sent_at, message.attempts) == ("sent", NOW, 1)
    assert message.claimed_until is None
    assert message.last_error == ""
    (attempt,) = message.attempt_log.all()
    assert attempt.ok and not attempt.permanent and attempt.error == ""
    assert attempt.started_at == NOW
    assert attempt.duration_ms >= 0
    assert attempt.owner_id == member.pk


@pytest.mark.django_db
def test_a_sent_message_is_never_sent_again(frozen, member, hook, receiver):
    outbox_message(member, hook, "k1")
    delivery.deliver_due()
    frozen.shift(dt.timedelta(days=2))
    assert delivery.deliver_due() == 0
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_nothing_due_does_nothing(frozen, member, hook, receiver):
    outbox_message(member, hook, "k1", due_at=NOW + dt.timedelta(hours=1))
    assert delivery.deliver_due() == 0
    assert receiver.requests == []


@pytest.mark.django_db
def test_a_permanent_error_stops_retries_after_one_attempt(frozen, member, hook, receiver):
    receiver.respond = lambda request: (404, b"no such hook")
    message = outbox_message(member, hook, "k1")
    delivery.deliver_due()
    message = reload(message)
    assert message.status == "failed"
    assert message.attempts == 1
    assert "404" in message.last_error
    (attempt,) = message.attempt_log.all()
    assert attempt.permanent and not attempt.ok
    assert "404" in attempt.error
    hook.refresh_from_db()
    assert "404" in hook.last_error
    assert hook.last_error_at == NOW
    # However long one waits, it is not tried again.
    frozen.shift(dt.timedelta(days=3))
    assert delivery.deliver_due() == 0
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_server_error_is_retried_with_back_off_then_succeeds(frozen, member, hook, receiver):
    answers = iter([(500, b"oops"), (503, b"busy"), (200, b"{}")])
    receiver.respond = lambda request: next(answers)
    message = outbox_message(member, hook, "k1")

    delivery.deliver_due()
    message = reload(message)
    assert (message.status, message.attempts) == ("pending", 1)
    first_wait = retry.wait_after(1, "k1")
    assert message.next_attempt_at == NOW + first_wait
    assert message.claimed_until is None
    assert "500" in message.last_error
    hook.refresh_from_db()
    assert "500" in hook.last_error

    # Not before its time.
    frozen.shift(first_wait - dt.timedelta(seconds=1))
    assert delivery.deliver_due() == 0
    frozen.shift(dt.timedelta(seconds=1))
    assert delivery.deliver_due() == 1
    message = reload(message)
    assert (message.status, message.attempts) == ("pending", 2)
    second_wait = retry.wait_after(2, "k1")
    assert second_wait > first_wait
    assert message.next_attempt_at == timezone.now() + second_wait

    frozen.shift(second_wait)
    assert delivery.deliver_due() == 1
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert [one.ok for one in message.attempt_log.all()] == [False, False, True]
    assert len(receiver.requests) == 3
    assert {request.headers["x-closeknit-delivery"] for request in receiver.requests} == {"k1"}
    hook.refresh_from_db()
    assert hook.last_error == ""  # cleared by the message that went through


@pytest.mark.django_db
def test_the_last_attempt_marks_the_message_failed(frozen, settings, member, hook, receiver):
    settings.WORKER_MAX_ATTEMPTS = 3
    receiver.respond = lambda request: (500, b"down")
    message = outbox_message(member, hook, "k1")
    for _ in range(3):
        delivery.deliver_due()
        frozen.shift(retry.LONGEST_WAIT)
    message = reload(message)
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.attempt_log.count() == 3
    assert delivery.deliver_due() == 0


@pytest.mark.django_db
def test_an_unverified_channel_gets_no_reminder(frozen, member, receiver):
    channel = webhook_channel(member, receiver.url + "/hook", verified=False)
    message = outbox_message(member, channel, "k1")
    delivery.deliver_due()
    assert receiver.requests == []
    message = reload(message)
    assert message.status == "failed"
    assert message.last_error == delivery.NOT_VERIFIED
    assert message.attempt_log.get().permanent
    channel.refresh_from_db()
    assert channel.last_error == ""  # not the channel's fault


@pytest.mark.django_db
def test_a_reminder_that_could_not_go_within_a_day_is_dropped(frozen, member, hook, receiver):
    receiver.respond = lambda request: (503, b"down for maintenance")
    message = outbox_message(member, hook, "reach-out:1:2027-01-05:1")
    delivery.deliver_due()
    receiver.respond = lambda request: (200, b"{}")
    frozen.shift(dt.timedelta(days=1))
    delivery.deliver_due()
    assert len(receiver.requests) == 1  # only the first try reached it
    message = reload(message)
    assert message.status == "failed"
    assert message.last_error == "The day it was meant for had passed before it could go."
    hook.refresh_from_db()
    assert "503" in hook.last_error  # from the real try; dropping it is not the channel's doing


@pytest.mark.django_db
def test_an_appointment_reminder_is_not_sent_after_the_appointment_began(
    frozen, member, hook, receiver
):
    starts = NOW + dt.timedelta(hours=2)
    key = f"appointment:7:{starts.isoformat()}:{hook.pk}"
    message = outbox_message(member, hook, key, kind="appointment")
    frozen.shift(dt.timedelta(hours=2))
    delivery.deliver_due()
    assert receiver.requests == []
    message = reload(message)
    assert message.status == "failed"
    assert message.last_error == "The appointment had begun before the reminder could go."


@pytest.mark.django_db
def test_the_test_message_goes_to_an_unverified_channel(frozen, member, receiver):
    channel = webhook_channel(member, receiver.url + "/hook", verified=False)
    message = outbox_message(member, channel, "verify:1:1", kind="verification")
    delivery.deliver_due()
    assert len(receiver.requests) == 1
    assert reload(message).status == "sent"


@pytest.mark.django_db
def test_quiet_hours_hold_a_message_until_they_end_without_counting_a_try(member, receiver):
    late = dt.datetime(2027, 1, 5, 23, 0, tzinfo=UTC)  # 23:00 in London
    with time_machine.travel(late, tick=False) as traveller:
        hook = webhook_channel(
            member, receiver.url + "/hook", quiet_from=dt.time(22), quiet_until=dt.time(7)
        )
        message = outbox_message(member, hook, "k1")
        assert delivery.deliver_due() == 1
        assert receiver.requests == []
        message = reload(message)
        assert message.status == "pending"
        assert message.attempts == 0
        assert message.next_attempt_at == dt.datetime(2027, 1, 6, 7, 0, tzinfo=UTC)
        assert message.claimed_until is None
        assert not message.attempt_log.exists()

        traveller.move_to(dt.datetime(2027, 1, 6, 6, 59, tzinfo=UTC))
        assert delivery.deliver_due() == 0
        traveller.move_to(dt.datetime(2027, 1, 6, 7, 0, tzinfo=UTC))
        assert delivery.deliver_due() == 1
    assert len(receiver.requests) == 1
    assert reload(message).status == "sent"


@pytest.mark.django_db
def test_quiet_hours_are_the_members_local_time(member, receiver):
    member.time_zone = "America/Los_Angeles"
    member.save()
    # 06:00 UTC is 22:00 in Los Angeles: quiet for them, though morning in London.
    with time_machine.travel(dt.datetime(2027, 1, 5, 6, 0, tzinfo=UTC), tick=False):
        hook = webhook_channel(
            member, receiver.url + "/hook", quiet_from=dt.time(21), quiet_until=dt.time(8)
        )
        message = outbox_message(member, hook, "k1")
        delivery.deliver_due()
    assert receiver.requests == []
    assert reload(message).next_attempt_at == dt.datetime(2027, 1, 5, 16, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_test_message_ignores_quiet_hours(member, receiver):
    with time_machine.travel(dt.datetime(2027, 1, 5, 23, 0, tzinfo=UTC), tick=False):
        hook = webhook_channel(
            member, receiver.url + "/hook", quiet_from=dt.time(22), quiet_until=dt.time(7)
        )
        outbox_message(member, hook, "verify:1:1", kind="verification")
        delivery.deliver_due()
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_note_of_thanks_goes_by_email_to_the_person(frozen, member, smtp_inbox):
    message = outbox_message(
        member,
        None,
        "appreciation-7",
        kind="appreciation",
        title="A note of thanks from Robin",
        body="Thank you for the walks in March.",
        to_address="sam@example.org",
    )
    delivery.deliver_due()
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "sam@example.org"
    assert mail["Subject"] == "A note of thanks from Robin"
    assert "Thank you for the walks in March." in mail.get_content()
    assert reload(message).status == "sent"


@pytest.mark.django_db
def test_a_note_of_thanks_is_tried_again_when_the_mail_server_is_down(frozen, member, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    message = outbox_message(
        member, None, "appreciation-8", kind="appreciation", to_address="sam@example.org"
    )
    delivery.deliver_due()
    message = reload(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error


@pytest.mark.django_db
def test_a_channel_whose_transport_breaks_is_tried_again_later(frozen, member, receiver, caplog):
    channel = Channel.objects.create(
        owner=member, kind="pigeon", config={}, verified_at=timezone.now()
    )
    message = outbox_message(member, channel, "k1")
    delivery.deliver_due()
    message = reload(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == delivery.OUR_SIDE
    assert "failed unexpectedly" in caplog.text


# Leases -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_does_not_send(frozen, member, hook, receiver):
    message = outbox_message(member, hook, "k1")
    (mine,) = delivery.claim()
    # Meanwhile the lease ran out and another worker took the message.
    Message.objects.filter(pk=message.pk).update(claimed_until=NOW + 2 * LEASE)
    outcome, attempt = delivery.deliver(mine)
    assert (outcome, attempt) == (Outcome.LOST, None)
    assert receiver.requests == []
    assert reload(message).claimed_until == NOW + 2 * LEASE


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_lost_its_lease_while_sending_does_not_overwrite_the_outcome(
    frozen, member, hook, receiver
):
    message = outbox_message(member, hook, "k1")
    other_lease = NOW + 3 * LEASE

    def slow_then_taken_over(request):
        # While this worker waits for the answer, another one takes the message over.
        from django.db import connection

        Message.objects.filter(pk=message.pk).update(claimed_until=other_lease)
        connection.close()
        return 500, b"too slow"

    receiver.respond = slow_then_taken_over
    (mine,) = delivery.claim()
    outcome, attempt = delivery.deliver(mine)
    assert outcome == Outcome.LOST
    assert attempt is not None and not attempt.ok  # the try itself is still on record
    message = reload(message)
    assert (message.status, message.attempts, message.last_error) == ("pending", 0, "")
    assert message.claimed_until == other_lease


@pytest.mark.django_db
def test_a_batch_stops_after_the_message_being_sent_when_asked(frozen, member, hook, receiver):
    for n in range(4):
        outbox_message(member, hook, f"k{n}", due_at=NOW - dt.timedelta(minutes=10 - n))
    asked = iter([False, True])
    batch = delivery.deliver_batch(should_stop=lambda: next(asked, True))
    assert batch.outcomes == (Outcome.SENT,)
    assert len(receiver.requests) == 1
    # The rest were let go at once, not left held until the lease runs out.
    rest = Message.objects.filter(status="pending")
    assert rest.count() == 3
    assert not rest.filter(claimed_until__isnull=False).exists()
    assert len(delivery.claim()) == 3


def test_a_batch_summary_reads_plainly():
    batch = delivery.Batch((Outcome.SENT, Outcome.SENT, Outcome.RETRY, Outcome.HELD))
    assert batch.summary() == (
        "Delivered a batch of 4: 2 sent, 1 to try again, 0 failed, 1 held for quiet hours."
    )
    assert "another worker" in delivery.Batch((Outcome.LOST,)).summary()


# deliver_now --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deliver_now_sends_at_once_and_returns_the_attempt(frozen, member, receiver):
    channel = webhook_channel(
        member,
        receiver.url + "/hook",
        verified=False,
        quiet_from=dt.time(0),
        quiet_until=dt.time(23, 59),
    )
    message = outbox_message(member, channel, "verify:1:1", kind="verification")
    attempt = delivery.deliver_now(message)
    assert attempt.pk is not None and attempt.ok
    assert len(receiver.requests) == 1
    assert reload(message).status == "sent"


@pytest.mark.django_db
def test_deliver_now_shows_the_error_on_the_channel(frozen, member, receiver):
    receiver.respond = lambda request: (404, b"")
    channel = webhook_channel(member, receiver.url + "/nope", verified=False)
    message = outbox_message(member, channel, "verify:1:1", kind="verification")
    attempt = delivery.deliver_now(message)
    assert not attempt.ok and attempt.permanent
    assert "404" in attempt.error
    channel.refresh_from_db()
    assert "404" in channel.last_error


@pytest.mark.django_db
def test_deliver_now_does_not_wait_for_the_message_to_be_due(frozen, member, hook, receiver):
    message = outbox_message(member, hook, "k1", due_at=NOW + dt.timedelta(days=1))
    assert delivery.deliver_now(message).ok
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_deliver_now_on_a_sent_message_gives_its_last_attempt(frozen, member, hook, receiver):
    message = outbox_message(member, hook, "k1")
    delivery.deliver_due()
    attempt = delivery.deliver_now(message)
    assert attempt == Attempt.objects.get(message=message)
    assert len(receiver.requests) == 1
