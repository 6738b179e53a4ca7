"""Web Push, end to end: our transport encrypts and signs; a test browser and push service
(tests/notify/push.py) check the signature and decrypt what arrives."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.notify import vapid
from closeknit.notify.transports.base import Outgoing, TransportError
from closeknit.notify.transports.webpush import MAX_PAYLOAD_BYTES, WebPushTransport, payload
from tests.notify.push import PushBrowser, PushService, b64url

NOW = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)
REMINDER = Outgoing(
    key="reach-out:7:2027-01-05",
    kind="reach_out",
    title="It's been a while since you and Zoë talked",
    body="You and Zoë last talked 23 days ago; you hoped for every 14. 🌱",
    url="/people/12/",
)


@pytest.fixture
def browser() -> PushBrowser:
    return PushBrowser()


@pytest.fixture
def push_service(settings, tmp_path, http_receiver, browser):
    settings.HTTP_ALLOW_PRIVATE = True
    settings.BASE_URL = "https://closeknit.example.org"
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "vapid_private.pem"
    settings.VAPID_SUBJECT = ""
    settings.DEFAULT_FROM_EMAIL = "Closeknit <reminders@closeknit.example.org>"
    service = PushService(browser, vapid.application_server_key())
    http_receiver.respond = service
    return service


@pytest.fixture
def endpoint(http_receiver) -> str:
    return http_receiver.url + "/wpush/v2/gAAAAABexample"


@time_machine.travel(NOW, tick=False)
def test_the_browser_decrypts_the_message_and_the_service_accepts_the_signature(
    push_service, http_receiver, browser, endpoint
):
    WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    (request,) = http_receiver.requests
    assert (request.method, request.path) == ("POST", "/wpush/v2/gAAAAABexample")
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == "86400"
    assert request.headers["urgency"] == "normal"
    assert "Zoë".encode() not in request.body
    assert push_service.payloads == [
        {
            "title": "It's been a while since you and Zoë talked",
            "body": "You and Zoë last talked 23 days ago; you hoped for every 14. 🌱",
            "url": "https://closeknit.example.org/people/12/",
            "tag": "reach-out:7:2027-01-05",
        }
    ]
    (claims,) = push_service.claims
    assert claims == {
        "aud": http_receiver.url,
        "sub": "mailto:reminders@closeknit.example.org",
        "exp": int((NOW + dt.timedelta(hours=12)).timestamp()),
    }


def test_the_subject_setting_is_used_when_set(push_service, browser, endpoint, settings):
    settings.VAPID_SUBJECT = "https://closeknit.example.org/contact"
    WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert push_service.claims[0]["sub"] == "https://closeknit.example.org/contact"


@pytest.mark.parametrize(("subject", "from_email"), [("", ""), ("robin@example.org", "")])
def test_without_a_usable_contact_it_waits_for_the_operator(
    push_service, http_receiver, browser, endpoint, settings, subject, from_email
):
    settings.VAPID_SUBJECT, settings.DEFAULT_FROM_EMAIL = subject, from_email
    with pytest.raises(TransportError, match="CLOSEKNIT_VAPID_SUBJECT") as caught:
        WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert not caught.value.permanent
    assert http_receiver.requests == []


def test_a_signature_by_another_key_is_refused_by_the_push_service(
    push_service, browser, endpoint, settings, tmp_path
):
    # The browser subscribed with the old key; the server's key has since changed.
    settings.VAPID_KEY_FILE = tmp_path / "another.pem"
    with pytest.raises(TransportError) as caught:
        WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert "401 Unauthorized: the push service did not accept" in str(caught.value)
    assert caught.value.permanent
    assert push_service.payloads == []


def test_a_message_for_another_browser_cannot_be_read(push_service, http_receiver, endpoint):
    someone_else = PushBrowser()
    with pytest.raises(TransportError) as caught:
        WebPushTransport(someone_else.subscription(endpoint)).send(REMINDER)
    assert caught.value.permanent  # the service answered 400: that subscription is not ours
    assert len(http_receiver.requests) == 1
    assert push_service.payloads == []


@pytest.mark.parametrize("status", [404, 410])
def test_an_ended_subscription_stops_for_good(
    push_service, http_receiver, browser, endpoint, status
):
    http_receiver.respond = lambda request: (status, b"")
    with pytest.raises(TransportError, match="subscription has ended") as caught:
        WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert caught.value.permanent


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_push_service_is_tried_again(push_service, http_receiver, browser, endpoint, status):
    http_receiver.respond = lambda request: (status, b"")
    with pytest.raises(TransportError) as caught:
        WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert not caught.value.permanent


def test_a_damaged_subscription_fails_for_good_without_a_request(
    push_service, http_receiver, browser, endpoint
):
    subscription = browser.subscription(endpoint)
    subscription["keys"]["p256dh"] = "not-a-key"
    with pytest.raises(TransportError, match="damaged") as caught:
        WebPushTransport(subscription).send(REMINDER)
    assert caught.value.permanent
    assert http_receiver.requests == []


def test_a_push_service_on_a_private_network_is_refused(
    push_service, http_receiver, browser, endpoint, settings
):
    settings.HTTP_ALLOW_PRIVATE = False
    with pytest.raises(TransportError, match="private or local network"):
        WebPushTransport(browser.subscription(endpoint)).send(REMINDER)
    assert http_receiver.requests == []


def test_a_long_message_is_shortened_to_fit_a_push(push_service, http_receiver, browser, endpoint):
    long = Outgoing(
        key="digest:7:2027-w01", kind="digest", title="Your week", body="Zoë 🌱 " * 2000
    )
    WebPushTransport(browser.subscription(endpoint)).send(long)
    (request,) = http_receiver.requests
    assert len(request.body) <= 4096
    (delivered,) = push_service.payloads
    assert delivered["body"].endswith("…")
    assert long.body.startswith(delivered["body"][:-1])
    assert delivered["title"] == "Your week"


@pytest.mark.parametrize("size", [0, 10, 2900, 3000, 5000])
def test_payload_never_exceeds_the_limit(size):
    data = payload(Outgoing(key="k", kind="digest", title="t", body="é" * size))
    assert len(data) <= MAX_PAYLOAD_BYTES


def test_clean_config_keeps_what_sending_needs(browser, settings):
    settings.HTTP_ALLOW_PRIVATE = False
    given = browser.subscription("https://updates.push.services.mozilla.com/wpush/v2/abc")
    config, errors = WebPushTransport.clean_config(given)
    assert errors == {}
    assert config == {"endpoint": given["endpoint"], "keys": given["keys"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "ftp://push.example.org/x"}, "endpoint"),
        ({"endpoint": "https://10.0.0.1/x"}, "endpoint"),
        ({"keys": {}}, "keys"),
        ({"keys": None}, "keys"),
        ({"keys": {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": b64url(b"a" * 16)}}, "keys"),
        ({"keys": {"p256dh": "", "auth": b64url(b"a" * 16)}}, "keys"),
    ],
)
def test_clean_config_refuses_a_broken_subscription(browser, settings, change, field):
    settings.HTTP_ALLOW_PRIVATE = False
    raw = {**browser.subscription("https://fcm.googleapis.com/fcm/send/abc"), **change}
    assert list(WebPushTransport.clean_config(raw)[1]) == [field]


def test_a_short_auth_secret_is_refused(browser):
    raw = browser.subscription("https://fcm.googleapis.com/fcm/send/abc")
    raw["keys"]["auth"] = b64url(b"short")
    assert list(WebPushTransport.clean_config(raw)[1]) == ["keys"]
