"""Channels in the database: the test message goes out at once, only a hash of its code is
kept, the code verifies the channel, and moving a channel elsewhere means verifying again.

Deliveries are real: e-mail to a loopback SMTP server, webhooks to a loopback HTTP server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings

from closeknit.notify import channels, verification
from closeknit.notify.models import Attempt, Channel, Message
from closeknit.notify.verification import MAX_TRIES, Outcome
from tests.notify.codes import mailed_code, mailed_text, other_code, posted, posted_code

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


# Pure rules


@pytest.mark.parametrize(
    ("kind", "config", "words"),
    [
        ("email", {"address": "robin@example.org"}, "robin@example.org"),
        (
            "ntfy",
            {"server": "https://ntfy.sh", "topic": "robin-7q2x"},
            "topic “robin-7q2x” on ntfy.sh",
        ),
        (
            "ntfy",
            {"server": "https://push.example.org/ntfy/", "topic": "t"},
            "topic “t” on push.example.org/ntfy",
        ),
        (
            "webhook",
            {"url": "https://hooks.example.org/a/b?c=d", "secret": "s"},
            "hooks.example.org",
        ),
        ("webpush", {"endpoint": "https://fcm.example/x", "keys": {}}, channels.THIS_BROWSER),
    ],
)
def test_destination_says_where_a_channel_goes_in_a_few_words(kind, config, words):
    assert channels.destination(kind, config) == words


@pytest.mark.parametrize(
    ("kind", "before", "after", "changed"),
    [
        ("email", {"address": "a@example.org"}, {"address": "b@example.org"}, True),
        ("email", {"address": "a@example.org"}, {"address": "a@example.org"}, False),
        ("ntfy", {"server": "https://ntfy.sh", "topic": "a", "token": ""}, {"server": "https://ntfy.sh", "topic": "b", "token": ""}, True),
        ("ntfy", {"server": "https://ntfy.sh", "topic": "a"}, {"server": "https://n.example", "topic": "a"}, True),
        ("ntfy", {"server": "https://ntfy.sh", "topic": "a", "token": ""}, {"server": "https://ntfy.sh", "topic": "a", "token": "tk_1"}, False),
        ("webhook", {"url": "https://a.example/h", "secret": "s"}, {"url": "https://b.example/h", "secret": "s"}, True),
        ("webhook", {"url": "https://a.example/h", "secret": "s"}, {"url": "https://a.example/h", "secret": "t"}, False),
    ],
)  # fmt: skip
def test_only_a_new_address_topic_or_url_needs_verifying_again(kind, before, after, changed):
    assert channels.where_changed(kind, before, after) is changed


def test_settings_shown_back_never_hold_tokens_or_push_keys():
    assert channels.public_config("ntfy", {"server": "s", "topic": "t", "token": "tk"}) == {
        "server": "s",
        "topic": "t",
    }
    assert channels.public_config("webpush", {"endpoint": "e", "keys": {"auth": "a"}}) == {}
    webhook = {"url": "https://a.example", "secret": "shh"}
    assert channels.public_config("webhook", webhook) == {"url": "https://a.example"}
    assert channels.public_config("webhook", webhook, with_secret=True)["secret"] == "shh"
    assert "secret" not in channels.public_config("ntfy", {"secret": "x"}, with_secret=True)


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        (None, None, True),
        (dt.time(22), dt.time(7), True),
        (dt.time(0), dt.time(6), True),
        (dt.time(22), None, False),
        (None, dt.time(7), False),
        (dt.time(9), dt.time(9), False),
    ],
)
def test_quiet_hours_are_both_times_or_neither(start, end, ok):
    assert (channels.quiet_hours_problem(start, end) is None) is ok


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (
            "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
            "Firefox on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36 Edg/124.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/124.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("curl/8.0", "A browser"),
        ("", "A browser"),
    ],
)
def test_a_browser_gets_a_name_its_owner_recognises(agent, label):
    assert channels.browser_label(agent) == label


def test_a_webhook_secret_is_long_and_new_each_time():
    first, second = channels.new_webhook_secret(), channels.new_webhook_secret()
    assert len(first) >= 32
    assert first != second


# Adding and testing


def add_email(owner: Any, address: str = "robin@example.org") -> tuple[Channel, Any]:
    return channels.create_channel(owner, "email", {"address": address}, label="Inbox")


def test_adding_a_channel_sends_its_code_at_once_and_keeps_only_a_hash(member, smtp_inbox):
    channel, result = add_email(member)
    assert result == channels.TestResult(sent=True)
    assert len(smtp_inbox.messages) == 1
    assert smtp_inbox.messages[0]["To"] == "robin@example.org"
    code = mailed_code(smtp_inbox)
    channel.refresh_from_db()
    assert channel.verified_at is None
    assert channel.verification_sent_at is not None
    assert channel.verification_digest == verification.digest(
        code, channel.pk, django_settings.SECRET_KEY
    )
    (message,) = Message.objects.filter(channel=channel)
    assert message.kind == "verification"
    assert message.dedup_key == f"verify:{channel.pk}:1"
    assert message.status == "sent"
    assert code not in message.title
    # Once sent, the code is blotted out of the outbox too: nowhere is it kept in the clear.
    assert code not in message.body
    assert "••••••" in message.body
    assert Attempt.objects.filter(message=message, ok=True).count() == 1


def test_the_code_from_the_mail_verifies_the_channel(member, smtp_inbox):
    channel, _ = add_email(member)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)):
        outcome, _tries = channels.verify(channel, mailed_code(smtp_inbox))
    assert outcome is Outcome.VERIFIED
    channel.refresh_from_db()
    assert channel.is_verified
    assert channel.verification_digest == ""


def test_a_wrong_code_changes_nothing_but_the_count_of_tries(member, smtp_inbox):
    channel, _ = add_email(member)
    code = mailed_code(smtp_inbox)
    outcome, tries = channels.verify(channel, other_code(code))
    assert (outcome, tries) == (Outcome.WRONG, 1)
    channel.refresh_from_db()
    assert channel.verified_at is None
    assert channel.verification_digest
    assert channels.verify(channel, code)[0] is Outcome.VERIFIED


def test_five_wrong_tries_use_up_the_code_and_a_new_test_message_brings_a_new_one(
    member, smtp_inbox
):
    channel, _ = add_email(member)
    code = mailed_code(smtp_inbox)
    for attempt in range(1, MAX_TRIES + 1):
        assert channels.verify(channel, other_code(code)) == (Outcome.WRONG, attempt)
    assert channels.verify(channel, code)[0] is Outcome.TOO_MANY_TRIES
    assert not Channel.objects.get(pk=channel.pk).is_verified

    assert channels.send_test(channel).sent
    new_code = mailed_code(smtp_inbox)
    assert Message.objects.filter(channel=channel).count() == 2
    assert channels.verify(channel, new_code)[0] is Outcome.VERIFIED


def test_a_new_test_message_makes_the_old_code_stop_working(member, smtp_inbox):
    channel, _ = add_email(member)
    old = mailed_code(smtp_inbox)
    channels.send_test(channel)
    new = mailed_code(smtp_inbox)
    assert {m.dedup_key for m in Message.objects.filter(channel=channel)} == {
        f"verify:{channel.pk}:1",
        f"verify:{channel.pk}:2",
    }
    if old != new:
        assert channels.verify(channel, old)[0] is Outcome.WRONG
    assert channels.verify(channel, new)[0] is Outcome.VERIFIED


def test_a_code_is_good_for_an_hour(member, smtp_inbox):
    with time_machine.travel(NOON, tick=False):
        channel, _ = add_email(member)
    code = mailed_code(smtp_inbox)
    with time_machine.travel(NOON + dt.timedelta(hours=1, seconds=1), tick=False):
        assert channels.verify(channel, code)[0] is Outcome.EXPIRED
    with time_machine.travel(NOON + dt.timedelta(minutes=59), tick=False):
        assert channels.verify(channel, code)[0] is Outcome.VERIFIED


def test_a_webhook_gets_its_code_in_the_signed_json(member, settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    config = {"url": http_receiver.url + "/hook", "secret": channels.new_webhook_secret()}
    channel, result = channels.create_channel(member, "webhook", config)
    assert result.sent
    (request,) = http_receiver.requests
    assert request.path == "/hook"
    assert "x-closeknit-signature" in request.headers
    assert posted(http_receiver)["kind"] == "verification"
    assert channels.verify(channel, posted_code(http_receiver))[0] is Outcome.VERIFIED


def test_when_the_test_fails_the_transports_words_become_the_last_error(
    member, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    http_receiver.respond = lambda request: (404, b"{}")
    config = {"url": http_receiver.url + "/gone", "secret": channels.new_webhook_secret()}
    channel, result = channels.create_channel(member, "webhook", config)
    assert not result.sent
    assert "404" in result.error
    channel.refresh_from_db()
    assert channel.last_error == result.error
    assert channel.last_error_at is not None
    (message,) = Message.objects.filter(channel=channel)
    # Tried once, while the member waits; never retried later with a stale code.
    assert message.status == "failed"
    assert len(http_receiver.requests) == 1
    assert posted_code(http_receiver) not in message.body


def test_a_test_that_gets_through_clears_the_last_error(member, settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    http_receiver.respond = lambda request: (500, b"{}")
    config = {"url": http_receiver.url + "/flaky", "secret": channels.new_webhook_secret()}
    channel, result = channels.create_channel(member, "webhook", config)
    assert not result.sent
    http_receiver.respond = lambda request: (200, b"{}")
    assert channels.send_test(channel).sent
    channel.refresh_from_db()
    assert (channel.last_error, channel.last_error_at) == ("", None)


def test_a_verified_channel_stays_verified_after_a_plain_test(member, smtp_inbox):
    channel, _ = add_email(member)
    channels.verify(channel, mailed_code(smtp_inbox))
    assert channels.send_test(channel).sent
    channel.refresh_from_db()
    assert channel.is_verified
    assert "robin@example.org" in mailed_text(smtp_inbox)


# Changing a channel


def test_a_new_address_must_be_verified_again(member, smtp_inbox):
    channel, _ = add_email(member)
    channels.verify(channel, mailed_code(smtp_inbox))
    result = channels.update_channel(
        channel,
        label="New inbox",
        quiet_from=None,
        quiet_until=None,
        config={"address": "robin@new.example.org"},
    )
    assert result is not None and result.sent
    channel.refresh_from_db()
    assert not channel.is_verified
    assert smtp_inbox.messages[-1]["To"] == "robin@new.example.org"
    assert channels.verify(channel, mailed_code(smtp_inbox))[0] is Outcome.VERIFIED


def test_a_new_name_or_quiet_hours_keep_the_channel_verified(member, smtp_inbox):
    channel, _ = add_email(member)
    channels.verify(channel, mailed_code(smtp_inbox))
    result = channels.update_channel(
        channel,
        label="Evenings off",
        quiet_from=dt.time(21, 30),
        quiet_until=dt.time(7, 0),
        config={"address": "robin@example.org"},
    )
    assert result is None
    assert len(smtp_inbox.messages) == 1
    channel.refresh_from_db()
    assert channel.is_verified
    assert (channel.label, channel.quiet_from, channel.quiet_until) == (
        "Evenings off",
        dt.time(21, 30),
        dt.time(7, 0),
    )


def test_deleting_a_channel_takes_its_messages_with_it(member, smtp_inbox):
    channel, _ = add_email(member)
    channel.delete()
    assert not Message.objects.filter(owner=member).exists()
    assert not Attempt.objects.filter(owner=member).exists()


def test_test_messages_pause_after_ten_in_an_hour(member, smtp_inbox):
    with time_machine.travel(NOON, tick=False):
        channel, _ = add_email(member)
        for _ in range(verification.MAX_TESTS_PER_HOUR - 1):
            assert channels.send_test(channel).sent
        refused = channels.send_test(channel)
    assert refused == channels.TestResult(sent=False, error=verification.TOO_MANY_TESTS)
    assert len(smtp_inbox.messages) == verification.MAX_TESTS_PER_HOUR
    assert Message.objects.filter(channel=channel).count() == verification.MAX_TESTS_PER_HOUR
    channel.refresh_from_db()
    assert channel.last_error == ""  # not the channel's fault
    with time_machine.travel(NOON + dt.timedelta(hours=1, seconds=1), tick=False):
        assert channels.send_test(channel).sent
