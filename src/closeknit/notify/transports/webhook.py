"""Webhook: a signed JSON POST to an address of the member's choosing.

The signature lets the receiver check a request really came from this
Closeknit and was not changed: an HMAC-SHA256, keyed with the channel's secret,
of "<timestamp>.<raw body>". The timestamp is signed too, so a receiver can
refuse old requests replayed later; X-Closeknit-Delivery is the message's
de-duplication key, the same on every retry. docs/notification-formats.md
shows how to check both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from closeknit.lib.http import HttpError, post, url_problem
from closeknit.notify.transports.base import Outgoing, absolute_url, http_failure

HINTS = {
    401: "the receiver did not accept the signature; check the secret it uses.",
    403: "the receiver did not accept the signature; check the secret it uses.",
    404: "check the webhook's address.",
    405: "check the webhook's address; it should accept POST requests.",
}
MIN_SECRET_LENGTH = 16


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Closeknit-Signature value for a body sent at `timestamp` (unix seconds)."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


class WebhookTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        self.url = str(config.get("url", ""))
        self.secret = str(config.get("secret", ""))

    @staticmethod
    def clean_config(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        url = str(raw.get("url") or "").strip()
        secret = str(raw.get("secret") or "").strip()
        errors = {}
        problem = url_problem(url)
        if problem:
            errors["url"] = problem
        if len(secret) < MIN_SECRET_LENGTH:
            errors["secret"] = (
                f"The signing secret should be at least {MIN_SECRET_LENGTH} characters long."
            )
        return {"url": url, "secret": secret}, errors

    def send(self, message: Outgoing) -> None:
        now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
        body = json.dumps(
            {
                "id": message.key,
                "kind": message.kind,
                "title": message.title,
                "body": message.body,
                "url": absolute_url(message.url),
                "sent_at": now.isoformat().replace("+00:00", "Z"),
            },
            ensure_ascii=False,
        ).encode()
        timestamp = int(now.timestamp())
        headers = {
            "Content-Type": "application/json",
            "X-Closeknit-Delivery": message.key,
            "X-Closeknit-Timestamp": str(timestamp),
            "X-Closeknit-Signature": signature(self.secret, timestamp, body),
        }
        try:
            post(self.url, data=body, headers=headers)
        except HttpError as error:
            raise http_failure(error, HINTS) from None
