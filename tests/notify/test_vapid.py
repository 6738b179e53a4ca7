"""The VAPID key pair: generated once into a 0600 file, or given by the operator."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid

from closeknit import checks
from closeknit.notify import vapid
from tests.notify.push import b64url, b64url_decode, vapid_claims


@pytest.fixture
def key_file(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "keys" / "vapid_private.pem"
    return settings.VAPID_KEY_FILE


def pem_of(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def public_point(key) -> str:
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def test_the_key_is_generated_on_first_use_into_a_0600_file(key_file):
    assert not key_file.exists()
    pem = vapid.private_key_pem()
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert vapid.load_private_key(key_file.read_text()).private_numbers() == (
        vapid.load_private_key(pem).private_numbers()
    )


def test_the_key_stays_the_same_across_calls(key_file):
    first_pem, first_public = vapid.private_key_pem(), vapid.application_server_key()
    assert vapid.private_key_pem() == first_pem
    assert vapid.application_server_key() == first_public


def test_the_application_server_key_is_the_uncompressed_public_point(key_file):
    public = vapid.application_server_key()
    assert "=" not in public
    raw = b64url_decode(public)
    assert len(raw) == 65
    assert raw[0] == 0x04
    assert public == public_point(vapid.load_private_key(vapid.private_key_pem()))


def test_a_signature_made_with_the_private_key_verifies_with_the_public_one(key_file):
    signer = Vapid.from_pem(vapid.private_key_pem().encode())
    headers = signer.sign({"sub": "mailto:ops@example.org", "aud": "https://push.example.org"})
    claims = vapid_claims(headers["Authorization"], vapid.application_server_key())
    assert claims["aud"] == "https://push.example.org"


def test_an_operator_given_key_is_used_and_no_file_is_made(key_file, settings):
    given = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = pem_of(given)
    assert vapid.application_server_key() == public_point(given)
    assert vapid.load_private_key(vapid.private_key_pem()).private_numbers() == (
        given.private_numbers()
    )
    assert not key_file.exists()


def test_an_operator_key_on_one_line_with_escaped_newlines_is_read(key_file, settings):
    given = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = pem_of(given).strip().replace("\n", "\\n")
    assert vapid.application_server_key() == public_point(given)


def test_an_existing_key_file_is_read_not_replaced(key_file):
    given = ec.generate_private_key(ec.SECP256R1())
    key_file.parent.mkdir()
    key_file.write_text(pem_of(given))
    assert vapid.application_server_key() == public_point(given)
    assert key_file.read_text() == pem_of(given)


@pytest.mark.parametrize(
    "bad",
    [
        "not a key",
        pem_of(ec.generate_private_key(ec.SECP384R1())),
        pem_of(rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ],
)
def test_an_unusable_key_is_reported_plainly(key_file, settings, bad):
    settings.VAPID_PRIVATE_KEY = bad
    with pytest.raises(ImproperlyConfigured, match="VAPID private key"):
        vapid.application_server_key()


@pytest.mark.parametrize(
    ("subject", "from_email", "expected"),
    [
        ("mailto:ops@example.org", "Closeknit <x@example.net>", "mailto:ops@example.org"),
        ("", "Closeknit <reminders@example.net>", "mailto:reminders@example.net"),
        ("", "reminders@example.net", "mailto:reminders@example.net"),
        ("", "", ""),
    ],
)
def test_subject(settings, subject, from_email, expected):
    settings.VAPID_SUBJECT, settings.DEFAULT_FROM_EMAIL = subject, from_email
    assert vapid.subject() == expected


@pytest.mark.parametrize(
    ("subject", "from_email", "fine"),
    [
        ("mailto:ops@example.org", "", True),
        ("https://closeknit.example.org/contact", "", True),
        ("", "Closeknit <reminders@closeknit.example.org>", True),
        ("", "Closeknit <closeknit@localhost>", False),
        ("", "", False),
        ("ops@example.org", "", False),
        ("https://localhost", "", False),
        ("mailto:me@printer.local", "", False),
    ],
)
def test_startup_check_warns_when_push_services_may_refuse_the_contact(
    settings, subject, from_email, fine
):
    settings.VAPID_SUBJECT, settings.DEFAULT_FROM_EMAIL = subject, from_email
    warnings = checks.web_push_contact(None)
    if fine:
        assert warnings == []
    else:
        assert [w.id for w in warnings] == ["closeknit.W006"]
