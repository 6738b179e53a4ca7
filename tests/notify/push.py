"""A browser and a push service for web-push tests, built from the standards, not our code.

`PushBrowser` makes what a browser makes when it subscribes: its own P-256 key
pair and a 16-byte auth secret. `PushService` is the responder for the loopback
`http_receiver`: like a real push service it checks the VAPID signature (and
answers 401 when it is wrong), and like the browser behind it, it decrypts the
payload with the subscription's private key (RFC 8291, aes128gcm).
"""

from __future__ import annotations

import base64
import json
import os
import threading
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt

from tests.receivers import Received


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushBrowser:
    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    def subscription(self, endpoint: str) -> dict[str, Any]:
        """What PushSubscription.toJSON() gives the page."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth_secret)},
        }

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


def vapid_claims(authorization: str, application_server_key: str) -> dict[str, Any]:
    """The JWT's claims from an `Authorization: vapid t=…,k=…` header, signature checked.

    Raises InvalidSignature when the token was not signed by the key the browser
    was given, or when the header names another key.
    """
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise InvalidSignature(f"not a vapid header: {authorization!r}")
    parts = dict(param.strip().split("=", 1) for param in params.split(","))
    if parts.get("k") != application_server_key:
        raise InvalidSignature("signed with another key")
    header = json.loads(b64url_decode(parts["t"].split(".")[0]))
    if header != {"typ": "JWT", "alg": "ES256"}:
        raise InvalidSignature(f"unexpected JWT header {header}")
    return jwt.decode(parts["t"], application_server_key)


class PushService:
    """Checks the signature and decrypts each push; keeps what it could read."""

    def __init__(self, browser: PushBrowser, application_server_key: str) -> None:
        self.browser = browser
        self.application_server_key = application_server_key
        self.payloads: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def __call__(self, request: Received) -> tuple[int, bytes]:
        try:
            claims = vapid_claims(
                request.headers.get("authorization", ""), self.application_server_key
            )
        except (InvalidSignature, KeyError, ValueError):
            return 401, b'{"reason": "BadJwtToken"}'
        try:
            payload = self.browser.decrypt(request.body)
        except Exception:  # http_ece raises several kinds; any of them means unreadable
            return 400, b'{"reason": "BadPayload"}'
        with self._lock:
            self.claims.append(claims)
            self.payloads.append(payload)
        return 201, b""
