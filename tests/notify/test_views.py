"""The notifications page: adding, verifying, changing and deleting channels; preferences;
turning on this browser; and the service worker. Deliveries go to real loopback receivers."""

from __future__ import annotations

import datetime as dt
import json
from html import unescape
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from closeknit.notify import channels, vapid
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.notify.verification import MAX_TRIES
from tests.notify.codes import mailed_code, other_code, posted_code
from tests.notify.push import PushBrowser, PushService

pytestmark = pytest.mark.django_db

CHANNELS = "/notifications/"


def html(response: Any) -> str:
    """The page's text as read, with entities (&#x27; for ') turned back into characters."""
    return unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def add_email(client: Any, address: str = "robin@example.org", **extra: str) -> Any:
    return client.post(
        reverse("notify:channel-new", args=["email"]), {"address": address, **extra}, follow=True
    )


@pytest.fixture
def verified(member: Any, smtp_inbox: Any) -> Channel:
    channel, _ = channels.create_channel(member, "email", {"address": "robin@example.org"})
    channels.verify(channel, mailed_code(smtp_inbox))
    channel.refresh_from_db()
    return channel


# The page


def test_an_empty_page_invites_a_first_channel(member_client):
    response = member_client.get(CHANNELS)
    assert response.status_code == 200
    page = html(response)
    assert "You haven't added anywhere for reminders to go yet" in page
    for kind in ("email", "ntfy", "webhook"):
        assert f'href="/notifications/new/{kind}/"' in page
    # The browser button waits for push.js: without JavaScript it isn't there to press.
    assert '<div id="push" class="push stack" hidden' in page
    assert f'data-key="{vapid.application_server_key()}"' in page
    assert "closeknit/push.js" in page


def test_a_broken_push_key_only_hides_the_browser_button(member_client, settings):
    settings.VAPID_PRIVATE_KEY = "not a key"
    response = member_client.get(CHANNELS)
    assert response.status_code == 200
    assert 'id="push"' not in html(response)
    assert 'href="/notifications/new/email/"' in html(response)


def test_reading_the_page_writes_nothing(member_client, member):
    member_client.get(CHANNELS)
    assert not Preferences.objects.filter(owner=member).exists()


def test_the_page_lists_each_channel_with_where_it_goes_and_its_state(member_client, member):
    Channel.objects.create(
        owner=member,
        kind="ntfy",
        label="Phone",
        config={"server": "https://ntfy.sh", "topic": "robin-7q2x", "token": "tk_hidden"},
        quiet_from=dt.time(22),
        quiet_until=dt.time(7),
        last_error="ntfy.sh answered 429: too many requests.",
        last_error_at=dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC),
    )
    page = html(member_client.get(CHANNELS))
    assert "Phone" in page
    assert "topic “robin-7q2x” on ntfy.sh" in page
    assert "Not verified yet" in page
    assert "From 22:00 to 07:00, your time" in page
    assert "On 2 March, 14:05: ntfy.sh answered 429" in page
    assert "tk_hidden" not in page


def test_the_page_never_shows_someone_elses_channels(member_client, stranger):
    Channel.objects.create(owner=stranger, kind="email", config={"address": "them@example.org"})
    assert "them@example.org" not in html(member_client.get(CHANNELS))


def test_midnight_is_a_quiet_hour_like_any_other(member_client, member):
    Channel.objects.create(
        owner=member,
        kind="email",
        config={"address": "robin@example.org"},
        quiet_from=dt.time(0),
        quiet_until=dt.time(6),
    )
    assert "From 00:00 to 06:00" in html(member_client.get(CHANNELS))


# Adding and verifying


def test_adding_an_email_channel_sends_the_code_and_asks_for_it(member_client, smtp_inbox):
    response = add_email(member_client, label="Inbox")
    channel = Channel.objects.get()
    assert response.redirect_chain[-1][0] == f"/notifications/channels/{channel.pk}/"
    assert "We sent a test message to robin@example.org" in messages_of(response)[0]
    page = html(response)
    assert "Type the code" in page
    assert len(smtp_inbox.messages) == 1
    assert channel.label == "Inbox"


def test_the_code_from_the_mail_verifies_the_channel(member_client, smtp_inbox):
    add_email(member_client)
    channel = Channel.objects.get()
    response = member_client.post(
        reverse("notify:channel-verify", args=[channel.pk]),
        {"code": mailed_code(smtp_inbox)},
        follow=True,
    )
    assert "This channel is ready for your reminders" in messages_of(response)[0]
    channel.refresh_from_db()
    assert channel.is_verified
    assert "Verified on" in html(response)


def test_a_wrong_code_says_so_and_changes_nothing(member_client, smtp_inbox):
    add_email(member_client)
    channel = Channel.objects.get()
    wrong = other_code(mailed_code(smtp_inbox))
    response = member_client.post(
        reverse("notify:channel-verify", args=[channel.pk]), {"code": wrong}
    )
    assert response.status_code == 200
    assert "That isn't the code we sent" in html(response)
    assert "4 more tries" in html(response)
    assert not Channel.objects.get(pk=channel.pk).is_verified


def test_after_five_wrong_codes_a_new_test_message_is_needed(member_client, smtp_inbox):
    add_email(member_client)
    channel = Channel.objects.get()
    code = mailed_code(smtp_inbox)
    url = reverse("notify:channel-verify", args=[channel.pk])
    for _ in range(MAX_TRIES):
        member_client.post(url, {"code": other_code(code)})
    response = member_client.post(url, {"code": code})
    assert "tried too many times" in html(response)
    assert not Channel.objects.get(pk=channel.pk).is_verified

    response = member_client.post(reverse("notify:channel-test", args=[channel.pk]), follow=True)
    assert "We sent a test message" in messages_of(response)[0]
    member_client.post(url, {"code": mailed_code(smtp_inbox)})
    assert Channel.objects.get(pk=channel.pk).is_verified


def test_a_code_that_is_not_six_digits_is_explained(member_client, smtp_inbox):
    add_email(member_client)
    channel = Channel.objects.get()
    response = member_client.post(
        reverse("notify:channel-verify", args=[channel.pk]), {"code": "12"}
    )
    assert "The code is six digits" in html(response)
    assert Channel.objects.get(pk=channel.pk).verification_tries == 0


def test_a_bad_address_is_explained_and_nothing_is_added(member_client, smtp_inbox):
    response = add_email(member_client, address="robin@")
    assert response.status_code == 200
    assert "Something needs another look" in html(response)
    assert not Channel.objects.exists()
    assert smtp_inbox.messages == []


def test_an_unknown_kind_of_channel_is_not_found(member_client):
    assert member_client.get("/notifications/new/pigeon/").status_code == 404
    assert member_client.get("/notifications/new/webpush/").status_code == 404


def test_a_webhook_is_verified_through_its_own_receiver_and_shows_its_secret(
    member_client, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    response = member_client.post(
        reverse("notify:channel-new", args=["webhook"]),
        {"url": http_receiver.url + "/closeknit"},
        follow=True,
    )
    channel = Channel.objects.get()
    page = html(response)
    assert channel.config["secret"] in page
    assert "Checking signatures" in page
    member_client.post(
        reverse("notify:channel-verify", args=[channel.pk]), {"code": posted_code(http_receiver)}
    )
    assert Channel.objects.get(pk=channel.pk).is_verified
    # The list never shows the secret; only the channel's own page does.
    assert channel.config["secret"] not in html(member_client.get(CHANNELS))


def test_a_webhook_answering_404_shows_the_error_right_there(
    member_client, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    http_receiver.respond = lambda request: (404, b"{}")
    response = member_client.post(
        reverse("notify:channel-new", args=["webhook"]),
        {"url": http_receiver.url + "/nothing-here"},
        follow=True,
    )
    channel = Channel.objects.get()
    assert channel.last_error
    assert "404" in channel.last_error
    note = messages_of(response)[0]
    assert note.startswith("We couldn't send the test message to 127.0.0.1")
    assert channel.last_error in note
    page = html(response)
    assert "The last message couldn't get through." in page
    assert Message.objects.get(channel=channel).status == "failed"


def test_an_ntfy_channel_is_verified_with_the_code_it_received(
    member_client, member, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    member_client.post(
        reverse("notify:channel-new", args=["ntfy"]),
        {"server": http_receiver.url, "topic": "robin-7q2x"},
    )
    channel = Channel.objects.get(owner=member)
    sent = json.loads(http_receiver.requests[-1].body)
    assert sent["topic"] == "robin-7q2x"
    code = sent["message"].split("Your code is ")[1][:6]
    member_client.post(reverse("notify:channel-verify", args=[channel.pk]), {"code": code})
    assert Channel.objects.get(pk=channel.pk).is_verified


# Changing and deleting


def test_quiet_hours_and_name_change_without_a_new_code(member_client, verified, smtp_inbox):
    response = member_client.post(
        reverse("notify:channel-edit", args=[verified.pk]),
        {
            "address": "robin@example.org",
            "label": "Evenings off",
            "quiet_from": "21:30",
            "quiet_until": "07:00",
        },
        follow=True,
    )
    assert messages_of(response) == ["Saved."]
    verified.refresh_from_db()
    assert (verified.label, verified.quiet_from, verified.quiet_until) == (
        "Evenings off",
        dt.time(21, 30),
        dt.time(7),
    )
    assert verified.is_verified
    assert len(smtp_inbox.messages) == 1


def test_a_new_address_needs_verifying_again(member_client, verified, smtp_inbox):
    response = member_client.post(
        reverse("notify:channel-edit", args=[verified.pk]),
        {"address": "robin@new.example.org", "label": ""},
        follow=True,
    )
    assert "We sent a test message to robin@new.example.org" in messages_of(response)[0]
    verified.refresh_from_db()
    assert not verified.is_verified
    assert smtp_inbox.messages[-1]["To"] == "robin@new.example.org"


def test_the_edit_form_warns_that_moving_a_channel_means_a_new_code(member_client, verified):
    page = html(member_client.get(reverse("notify:channel-edit", args=[verified.pk])))
    assert "If you change where it goes, we'll send a new test message there" in page
    assert 'value="robin@example.org"' in page
    assert "<legend>Quiet hours</legend>" in page


def test_delete_asks_first_then_deletes(member_client, verified):
    url = reverse("notify:channel-delete", args=[verified.pk])
    page = html(member_client.get(url))
    assert "Reminders will no longer go to robin@example.org" in page
    assert Channel.objects.filter(pk=verified.pk).exists()
    response = member_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == CHANNELS
    assert not Channel.objects.filter(pk=verified.pk).exists()
    assert "Nothing more will be sent there" in messages_of(response)[0]


@pytest.mark.parametrize("name", ["channel", "channel-edit", "channel-delete"])
def test_a_stranger_gets_404_for_the_members_channel(stranger_client, verified, name):
    url = reverse(f"notify:{name}", args=[verified.pk])
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, {"label": "Mine now"}).status_code == 404
    assert Channel.objects.get(pk=verified.pk).label == ""


@pytest.mark.parametrize("name", ["channel-verify", "channel-test"])
def test_a_stranger_cannot_test_or_verify_the_members_channel(
    stranger_client, verified, smtp_inbox, name
):
    url = reverse(f"notify:{name}", args=[verified.pk])
    assert stranger_client.post(url, {"code": "123456"}).status_code == 404
    assert len(smtp_inbox.messages) == 1


def test_signed_out_visitors_are_asked_to_sign_in(client):
    response = client.get(CHANNELS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# Preferences


def test_preferences_are_saved_from_the_same_page(member_client, member):
    response = member_client.post(
        reverse("notify:preferences"),
        {
            "remind_at": "08:30",
            "kinds": ["reach_out", "occasion"],
            "appointment_hours_before": "2",
            "digest": "weekly",
            "digest_weekday": "4",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == CHANNELS + "#preferences"
    assert messages_of(response) == ["Saved your reminder preferences."]
    saved = Preferences.objects.get(owner=member)
    assert (saved.remind_at, sorted(saved.kinds), saved.digest, saved.digest_weekday) == (
        dt.time(8, 30),
        ["occasion", "reach_out"],
        "weekly",
        4,
    )


def test_bad_preferences_are_explained_and_not_saved(member_client, member):
    response = member_client.post(
        reverse("notify:preferences"),
        {"remind_at": "later", "appointment_hours_before": "0", "digest": "hourly"},
    )
    assert response.status_code == 200
    assert "Something needs another look" in html(response)
    assert not Preferences.objects.filter(owner=member).exists()


def test_the_digest_says_it_needs_a_verified_email_channel(member_client):
    page = html(member_client.get(CHANNELS))
    assert "it starts once you have a verified e-mail channel" in page


def test_with_a_verified_email_the_digest_note_goes(member_client, verified):
    page = html(member_client.get(CHANNELS))
    assert "it starts once you have a verified e-mail channel" not in page
    assert "It goes to your verified e-mail channels." in page


# This browser


def subscribe(client: Any, body: Any, **headers: str) -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        reverse("notify:push-subscribe"), data, content_type="application/json", **headers
    )


def test_turning_on_this_browser_adds_a_channel_and_pushes_the_code(
    member_client, member, settings, http_receiver
):
    settings.HTTP_ALLOW_PRIVATE = True
    browser = PushBrowser()
    service = PushService(browser, vapid.application_server_key())
    http_receiver.respond = service
    subscription = browser.subscription(http_receiver.url + "/push/robin")
    response = subscribe(
        member_client,
        subscription,
        HTTP_USER_AGENT="Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
    )
    assert response.status_code == 201
    channel = Channel.objects.get(owner=member)
    assert response.json() == {"redirect": f"/notifications/channels/{channel.pk}/"}
    assert (channel.kind, channel.label) == ("webpush", "Firefox on Android")
    (payload,) = service.payloads
    assert payload["title"] == "Your Closeknit test message"
    code = payload["body"].split("Your code is ")[1][:6]
    member_client.post(reverse("notify:channel-verify", args=[channel.pk]), {"code": code})
    assert Channel.objects.get(pk=channel.pk).is_verified

    # The same browser again keeps its channel rather than adding a second one.
    again = subscribe(member_client, subscription)
    assert again.status_code == 200
    assert Channel.objects.filter(owner=member).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        {"endpoint": "https://push.example/x"},
        {"endpoint": 5, "keys": {"p256dh": "a", "auth": "b"}},
        {"endpoint": "https://push.example/x", "keys": {"p256dh": 1, "auth": "b"}},
        b"{" + b" " * 5000 + b"}",
    ],
)
def test_a_subscription_that_cannot_be_read_is_refused_kindly(member_client, member, body):
    response = subscribe(member_client, body)
    assert response.status_code == 400
    assert "couldn't read" in response.json()["error"]
    assert not Channel.objects.exists()


def test_an_incomplete_subscription_is_refused_with_the_transports_words(member_client):
    response = subscribe(
        member_client, {"endpoint": "https://push.example/x", "keys": {"p256dh": "a", "auth": "b"}}
    )
    assert response.status_code == 422
    assert "turn notifications on again" in response.json()["error"]
    assert not Channel.objects.exists()


def test_subscribing_needs_the_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = subscribe(client, {"endpoint": "https://push.example/x", "keys": {}})
    assert response.status_code == 403


def test_subscribing_is_a_post(member_client):
    assert member_client.get(reverse("notify:push-subscribe")).status_code == 405


# The service worker


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source
    assert "showNotification" in source
