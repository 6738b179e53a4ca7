"""Which transport sends for which kind of channel, and what each kind's settings must be.

A transport class has `send(message)` (see base.py) and a static
`clean_config(raw) -> (config, errors)` that tidies what a member typed (or a
browser sent) into the config stored on the channel, with an error per field
for the form or the API to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from closeknit.notify.transports.base import Outgoing
from closeknit.notify.transports.email import EmailTransport
from closeknit.notify.transports.ntfy import NtfyTransport
from closeknit.notify.transports.webhook import WebhookTransport
from closeknit.notify.transports.webpush import WebPushTransport
from closeknit.notify.vocab import ChannelKind


class ChannelTransport(Protocol):
    def __init__(self, config: dict[str, Any]) -> None: ...

    def send(self, message: Outgoing) -> None: ...

    @staticmethod
    def clean_config(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]: ...


REGISTRY: dict[str, type[ChannelTransport]] = {
    ChannelKind.EMAIL.value: EmailTransport,
    ChannelKind.NTFY.value: NtfyTransport,
    ChannelKind.WEBHOOK.value: WebhookTransport,
    ChannelKind.WEBPUSH.value: WebPushTransport,
}


def transport_for(kind: str, config: dict[str, Any]) -> ChannelTransport:
    """The transport for a channel; KeyError for a kind nobody registered."""
    return REGISTRY[kind](config)


def clean_config(kind: str, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(the config to store, errors by field); store the config only when errors is empty."""
    if kind not in REGISTRY:
        return {}, {"kind": "Choose one of: " + ", ".join(REGISTRY) + "."}
    return REGISTRY[kind].clean_config(raw)


def validate_config(kind: str, raw: Mapping[str, Any]) -> dict[str, str]:
    """Errors by field name (empty when the config is fine)."""
    return clean_config(kind, raw)[1]


def normalise_config(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The tidied config; call validate_config first, as this keeps bad values as they are."""
    return clean_config(kind, raw)[0]
