"""Web Push: a notification in the member's browser, through its push service (RFC 8030).

The payload is encrypted for that one browser (RFC 8291, aes128gcm) with the
keys it gave when it subscribed, so the push service (Google, Mozilla, Apple)
carries it without being able to read it. The request is signed with our VAPID
key (RFC 8292). pywebpush does the encryption and py_vapid the signature; the
request itself goes through closeknit.lib.http like every other.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPusher, WebPushException

from closeknit.lib.http import HttpError, post, url_problem
from closeknit.notify import vapid
from closeknit.notify.transports.base import Outgoing, TransportError, absolute_url, http_failure

# How long the push service keeps a message for a browser that is offline.
TTL_SECONDS = 24 * 60 * 60
TOKEN_LIFETIME = dt.timedelta(hours=12)
# Push services accept 4096 encrypted bytes; aes128gcm adds 103, and JSON escapes some more.
MAX_PAYLOAD_BYTES = 3000
GONE = "this browser's subscription has ended. Turn notifications on again in that browser."
HINTS = {
    401: "the push service did not accept this server's signature.",
    403: "the push service did not accept this server's signature.",
    404: GONE,
    410: GONE,
    413: "the message was too long for the push service.",
}


class WebPushTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        self.endpoint = str(config.get("endpoint", ""))
        self.keys = dict(config.get("keys") or {})

    @staticmethod
    def clean_config(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Check a browser's PushSubscription.toJSON(); keep only what sending needs."""
        endpoint = str(raw.get("endpoint") or "").strip()
        given = raw.get("keys")
        keys: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
        p256dh = str(keys.get("p256dh") or "").strip()
        auth = str(keys.get("auth") or "").strip()
        errors = {}
        problem = url_problem(endpoint)
        if problem:
            errors["endpoint"] = problem
        if not (_is_p256_point(p256dh) and len(_b64url(auth) or b"") == 16):
            errors["keys"] = (
                "This browser's subscription is incomplete; please turn notifications on again."
            )
        return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}, errors

    def send(self, message: Outgoing) -> None:
        subscription = {"endpoint": self.endpoint, "keys": self.keys}
        try:
            encrypted = WebPusher(subscription).encode(payload(message), "aes128gcm")
        except (WebPushException, ValueError, TypeError, binascii.Error):
            raise TransportError(
                "This browser's subscription is damaged; turn notifications on again there.",
                permanent=True,
            ) from None
        headers = {
            **vapid_headers(self.endpoint),
            "TTL": str(TTL_SECONDS),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "Urgency": "normal",
        }
        try:
            post(self.endpoint, data=encrypted["body"], headers=headers)
        except HttpError as error:
            raise http_failure(error, HINTS) from None


def payload(message: Outgoing) -> bytes:
    """The JSON the service worker gets; a long body is shortened to fit a push message."""
    fields = {
        "title": message.title,
        "body": message.body,
        "url": absolute_url(message.url),
        "tag": message.key,
    }
    data = json.dumps(fields, ensure_ascii=False).encode()
    body = message.body
    while len(data) > MAX_PAYLOAD_BYTES and body:
        # Cut in UTF-8 bytes (JSON escapes only add to them, hence the loop); the
        # 3 bytes are for the "…" that says something was cut.
        excess = len(data) - MAX_PAYLOAD_BYTES + 3
        raw = body.encode()
        body = raw[: max(0, len(raw) - excess)].decode("utf-8", errors="ignore").rstrip()
        fields["body"] = body + "…" if body else ""
        data = json.dumps(fields, ensure_ascii=False).encode()
    return data


def vapid_headers(endpoint: str) -> dict[str, str]:
    """The Authorization header: a JWT for the push service's origin, signed with our key."""
    parts = urlsplit(endpoint)
    subject = vapid.subject()
    claims = {
        "sub": subject,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((timezone.now() + TOKEN_LIFETIME).timestamp()),
    }
    if not subject.startswith(("mailto:", "https://")):
        # The operator's contact setting, not the member's browser: retried once it is fixed.
        raise TransportError(
            "Web push is not fully set up on this server; whoever runs Closeknit needs "
            "to set CLOSEKNIT_VAPID_SUBJECT."
        )
    signer = Vapid.from_pem(vapid.private_key_pem().encode())
    # py_vapid's own check of `sub` refuses https:// addresses with a path, which
    # RFC 8292 allows; the check above is ours instead.
    signer.conf = {"no-strict": True}
    return dict(signer.sign(claims))


def _b64url(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        return None


def _is_p256_point(value: str) -> bool:
    raw = _b64url(value)
    if raw is None or len(raw) != 65:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return False
    return True
