"""Webhooks, delivered to a loopback receiver that checks the signature as a member's would."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest
import time_machine

from closeknit.notify.transports.base import Outgoing, TransportError
from closeknit.notify.transports.webhook import WebhookTransport, signature

SECRET = "kXG8Fh2-example-secret-of-the-channel"
NOW = dt.datetime(2027, 1, 5, 9, 0, 0, 250000, tzinfo=dt.UTC)
REMINDER = Outgoing(
    key="reach-out:7:2027-01-05",
    kind="reach_out",
    title="It's been a while since you and Zoë talked",
    body="You and Zoë last talked 23 days ago; you hoped for every 14. 🌱",
    url="/people/12/",
)


def signed_correctly(request, secret: str) -> bool:
    """What a receiver does: recompute the HMAC of "<timestamp>.<raw body>" and compare."""
    timestamp = request.headers["x-closeknit-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(request.headers["x-closeknit-signature"], f"sha256={expected}")


@pytest.fixture
def receiver(settings, http_receiver):
    """A webhook endpoint that answers 401 to anything not signed with SECRET."""
    settings.HTTP_ALLOW_PRIVATE = True
    settings.BASE_URL = "https://closeknit.example.org"
    http_receiver.respond = lambda request: (
        (204, b"") if signed_correctly(request, SECRET) else (401, b"bad signature")
    )
    return http_receiver


@time_machine.travel(NOW, tick=False)
def test_posts_signed_json_with_the_delivery_key(receiver):
    WebhookTransport({"url": receiver.url + "/hooks/closeknit", "secret": SECRET}).send(REMINDER)
    (request,) = receiver.requests
    assert (request.method, request.path) == ("POST", "/hooks/closeknit")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-closeknit-delivery"] == "reach-out:7:2027-01-05"
    assert request.headers["x-closeknit-timestamp"] == str(int(NOW.timestamp()))
    assert signed_correctly(request, SECRET)
    assert json.loads(request.body.decode("utf-8")) == {
        "id": "reach-out:7:2027-01-05",
        "kind": "reach_out",
        "title": "It's been a while since you and Zoë talked",
        "body": "You and Zoë last talked 23 days ago; you hoped for every 14. 🌱",
        "url": "https://closeknit.example.org/people/12/",
        "sent_at": "2027-01-05T09:00:00Z",
    }


def test_a_receiver_with_another_secret_refuses_it_and_we_stop(receiver):
    transport = WebhookTransport({"url": receiver.url, "secret": "not-the-secret-they-have"})
    with pytest.raises(TransportError) as caught:
        transport.send(REMINDER)
    assert caught.value.permanent
    assert "401 Unauthorized: the receiver did not accept the signature" in str(caught.value)
    (request,) = receiver.requests
    assert not signed_correctly(request, SECRET)
    assert signed_correctly(request, "not-the-secret-they-have")


def test_a_retry_carries_the_same_delivery_key_and_a_fresh_signature(receiver):
    transport = WebhookTransport({"url": receiver.url, "secret": SECRET})
    with time_machine.travel(NOW, tick=False):
        transport.send(REMINDER)
    with time_machine.travel(NOW + dt.timedelta(minutes=2), tick=False):
        transport.send(REMINDER)
    first, retry = receiver.requests
    assert first.headers["x-closeknit-delivery"] == retry.headers["x-closeknit-delivery"]
    assert json.loads(first.body)["id"] == json.loads(retry.body)["id"]
    assert (
        int(retry.headers["x-closeknit-timestamp"]) - int(first.headers["x-closeknit-timestamp"])
        == 120
    )
    assert first.headers["x-closeknit-signature"] != retry.headers["x-closeknit-signature"]
    assert signed_correctly(retry, SECRET)


@pytest.mark.parametrize(
    ("status", "permanent", "words"),
    [
        (404, True, "The server answered 404 Not Found: check the webhook's address."),
        (410, True, "The server answered 410 Gone."),
        (408, False, "The server answered 408 Request Timeout."),
        (503, False, "The server answered 503 Service Unavailable."),
    ],
)
def test_failures_are_permanent_only_when_retrying_cannot_help(receiver, status, permanent, words):
    receiver.respond = lambda request: (status, b"")
    with pytest.raises(TransportError) as caught:
        WebhookTransport({"url": receiver.url, "secret": SECRET}).send(REMINDER)
    assert str(caught.value) == words
    assert caught.value.permanent is permanent


def test_a_webhook_into_the_servers_own_network_is_refused(receiver, settings):
    settings.HTTP_ALLOW_PRIVATE = False
    with pytest.raises(TransportError, match="private or local network") as caught:
        WebhookTransport({"url": receiver.url, "secret": SECRET}).send(REMINDER)
    assert caught.value.permanent
    assert receiver.requests == []


def test_signature_matches_a_known_value():
    # Computed independently: printf '1799139600.{"id":"x"}' | openssl dgst -sha256 -hmac secret
    assert signature("secret", 1799139600, b'{"id":"x"}') == (
        "sha256=fac507e556bdfd02f36eb3b0f2b239cb99edc536acf045eff030ee983c833ce4"
    )


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ({"url": "https://hooks.example.org/x", "secret": SECRET}, []),
        ({"url": "hooks.example.org/x", "secret": SECRET}, ["url"]),
        ({"url": "http://10.1.2.3/x", "secret": SECRET}, ["url"]),
        ({"url": "https://hooks.example.org/x", "secret": "short"}, ["secret"]),
        ({}, ["url", "secret"]),
    ],
)
def test_clean_config(settings, raw, errors):
    settings.HTTP_ALLOW_PRIVATE = False
    config, found = WebhookTransport.clean_config(raw)
    assert list(found) == errors
    assert set(config) == {"url", "secret"}
