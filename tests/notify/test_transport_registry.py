"""The registry: one transport per kind of channel, and each kind's settings checked."""

from __future__ import annotations

import pytest

from closeknit.notify.transports import registry
from closeknit.notify.transports.email import EmailTransport
from closeknit.notify.transports.ntfy import NtfyTransport
from closeknit.notify.transports.webhook import WebhookTransport
from closeknit.notify.transports.webpush import WebPushTransport
from closeknit.notify.vocab import ChannelKind
from tests.notify.push import PushBrowser


def test_every_channel_kind_has_a_transport():
    assert set(registry.REGISTRY) == set(ChannelKind.values)


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("email", EmailTransport),
        ("ntfy", NtfyTransport),
        ("webhook", WebhookTransport),
        ("webpush", WebPushTransport),
    ],
)
def test_transport_for_builds_the_kinds_transport(kind, cls):
    assert isinstance(registry.transport_for(kind, {}), cls)


def test_an_unknown_kind_has_no_transport():
    with pytest.raises(KeyError):
        registry.transport_for("pigeon", {})
    assert list(registry.validate_config("pigeon", {})) == ["kind"]


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("email", {"address": "robin@example.org"}),
        ("ntfy", {"server": "https://ntfy.sh", "topic": "robin-r7q2x", "token": ""}),
        ("webhook", {"url": "https://hooks.example.org/x", "secret": "s" * 43}),
        ("webpush", PushBrowser().subscription("https://fcm.googleapis.com/fcm/send/abc")),
    ],
)
def test_good_settings_have_no_errors(settings, kind, raw):
    settings.HTTP_ALLOW_PRIVATE = False
    assert registry.validate_config(kind, raw) == {}


@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("email", ["address"]),
        ("ntfy", ["topic"]),
        ("webhook", ["url", "secret"]),
        ("webpush", ["endpoint", "keys"]),
    ],
)
def test_empty_settings_name_every_missing_field(kind, fields):
    assert list(registry.validate_config(kind, {})) == fields


def test_normalise_config_tidies_a_pasted_ntfy_address():
    assert registry.normalise_config("ntfy", {"server": "https://ntfy.sh/robin-r7q2x/"}) == {
        "server": "https://ntfy.sh",
        "topic": "robin-r7q2x",
        "token": "",
    }
