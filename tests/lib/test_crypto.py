from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet

from closeknit.lib import crypto


@pytest.fixture
def key_file_only(settings, tmp_path):
    """No keys in the environment: the key file in the data directory is used."""
    settings.ENCRYPTION_KEYS = []
    settings.ENCRYPTION_KEY_FILE = tmp_path / "encryption.keys"
    return settings.ENCRYPTION_KEY_FILE


def test_round_trip_hides_the_plaintext():
    token = crypto.encrypt("I felt lonely on Sunday")
    assert "lonely" not in token
    assert crypto.decrypt(token) == "I felt lonely on Sunday"


def test_key_file_is_generated_on_first_use_with_mode_0600(key_file_only):
    assert not key_file_only.exists()
    token = crypto.encrypt("hello")
    assert stat.S_IMODE(os.stat(key_file_only).st_mode) == 0o600
    (key,) = key_file_only.read_text().split()
    assert Fernet(key.encode()).decrypt(token.encode()) == b"hello"


def test_adding_a_key_keeps_old_text_readable_and_encrypts_with_the_new_key(key_file_only):
    old_token = crypto.encrypt("before rotation")
    new_key = crypto.add_key_to_file()
    assert key_file_only.read_text().split()[0] == new_key
    assert crypto.decrypt(old_token) == "before rotation"
    rotated = crypto.rotate_token(old_token)
    assert Fernet(new_key.encode()).decrypt(rotated.encode()) == b"before rotation"
    assert Fernet(new_key.encode()).decrypt(crypto.encrypt("after").encode()) == b"after"
    assert stat.S_IMODE(os.stat(key_file_only).st_mode) == 0o600


def test_keys_from_settings_come_first(settings):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [first, second]
    token = crypto.encrypt("x")
    assert Fernet(first.encode()).decrypt(token.encode()) == b"x"


def test_tampered_token_is_refused():
    token = crypto.encrypt("note")
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(token[:-4] + "AAAA")
