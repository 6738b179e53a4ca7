"""Passwords are hashed with Argon2 in production (the tests use a faster hasher)."""

from __future__ import annotations

import importlib

from django.contrib.auth.hashers import make_password
from django.test import override_settings

from closeknit.accounts.models import User
from tests.accounts.conftest import sign_in, signed_in_user_id
from tests.conftest import PASSWORD

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def production_hashers() -> list[str]:
    return list(importlib.import_module("closeknit.settings").PASSWORD_HASHERS)


def test_production_settings_list_argon2_first():
    assert production_hashers()[0] == ARGON2


def test_production_settings_can_still_read_older_pbkdf2_hashes():
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production_hashers()[1:]


def test_argon2_really_hashes_with_the_production_list():
    with override_settings(PASSWORD_HASHERS=production_hashers()):
        encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")


def test_signing_in_upgrades_an_older_hash_to_argon2(client, db):
    with override_settings(PASSWORD_HASHERS=production_hashers()):
        user = User.objects.create_user("old@example.org")
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save()
        sign_in(client, "old@example.org", PASSWORD)
    assert signed_in_user_id(client) == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
