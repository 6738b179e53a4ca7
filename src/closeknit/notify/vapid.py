"""The server's VAPID key pair, which signs every web-push message (RFC 8292).

The browser is given the public key when it subscribes and the push service
then accepts only messages signed with the private key. The key comes from
settings.VAPID_PRIVATE_KEY (PEM) or, when that is empty, from a PEM file in the
data directory that is generated (mode 0600) on first use, like the other key
files. Changing the key ends every browser subscription, so the file must be
backed up with the others.
"""

from __future__ import annotations

import base64
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from closeknit.lib.env import secret_from_file


def generate_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return _to_pem(key)


def private_key_pem() -> str:
    """The private key as PKCS#8 PEM, from the setting or the (generated) key file."""
    configured = str(settings.VAPID_PRIVATE_KEY or "").strip()
    if configured:
        # An environment file may hold the PEM on one line with literal "\n"s.
        return _to_pem(load_private_key(configured.replace("\\n", "\n")))
    stored = secret_from_file(Path(settings.VAPID_KEY_FILE), make=generate_pem)
    return _to_pem(load_private_key(stored))


def load_private_key(pem: str) -> ec.EllipticCurvePrivateKey:
    """Parse a PEM private key, refusing anything but a P-256 (prime256v1) EC key."""
    try:
        key = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "The VAPID private key is not a readable, unencrypted PEM private key."
        ) from error
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ImproperlyConfigured("The VAPID private key must be an EC key on the P-256 curve.")
    return key


def application_server_key() -> str:
    """The public key for pushManager.subscribe(): the 65-byte uncompressed point, base64url."""
    public = load_private_key(private_key_pem()).public_key()
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode("ascii")


def subject() -> str:
    """The contact push services may use to reach the operator (the JWT's `sub` claim)."""
    if settings.VAPID_SUBJECT:
        return str(settings.VAPID_SUBJECT)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"mailto:{address}" if address else ""


def subject_problem() -> str | None:
    """Why push services may refuse our subject, or None when it looks usable."""
    sub = subject()
    if not sub:
        return "There is no contact address for push services."
    if not sub.startswith(("mailto:", "https://")):
        return f"The contact for push services ({sub}) should start with mailto: or https://."
    host = sub.rsplit("@", 1)[-1] if sub.startswith("mailto:") else sub[len("https://") :]
    host = host.split("/", 1)[0].lower()
    if "." not in host or host == "localhost" or host.endswith((".localhost", ".local")):
        return f"The contact for push services ({sub}) is not a public address."
    return None


def _to_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
