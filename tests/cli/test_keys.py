"""`closeknit keys rotate`: old notes stay readable, and afterwards need only the new key."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from closeknit import cli as cli_module
from closeknit.accounts.models import User
from closeknit.network.models import Group, Interaction, Person

pytestmark = pytest.mark.django_db

NOTES = {
    "person": "Sam knows about the hard winter",
    "group": "First names only",
    "interaction": "Talked about the panic on the bus",
}


def _new_key() -> str:
    return Fernet.generate_key().decode()


def _write_keys(path, *keys: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write("\n".join(keys) + "\n")


@pytest.fixture
def key_file(settings, tmp_path):
    """No keys in the environment: the key file holds one old key."""
    settings.ENCRYPTION_KEYS = []
    settings.ENCRYPTION_KEY_FILE = tmp_path / "encryption.keys"
    old = _new_key()
    _write_keys(settings.ENCRYPTION_KEY_FILE, old)
    return settings.ENCRYPTION_KEY_FILE, old


def _store_notes() -> User:
    owner = User.objects.create_user("keys@example.org", "x")
    person = Person.objects.create(owner=owner, name="Sam", notes=NOTES["person"])
    Person.objects.create(owner=owner, name="Lee")  # no notes: stays empty
    Group.objects.create(owner=owner, name="Circle", notes=NOTES["group"])
    contact = Interaction.objects.create(owner=owner, note=NOTES["interaction"])
    contact.people.add(person)
    return owner


def _raw_tokens() -> list[str]:
    tokens = []
    with connection.cursor() as cursor:
        for table, column in [
            ("network_person", "notes"),
            ("network_group", "notes"),
            ("network_interaction", "note"),
        ]:
            cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")
            tokens.extend(row[0] for row in cursor.fetchall())
    return tokens


def _readable() -> dict[str, str]:
    return {
        "person": Person.objects.get(name="Sam").notes,
        "group": Group.objects.get().notes,
        "interaction": Interaction.objects.get().note,
    }


def test_every_encrypted_column_is_found_generically():
    found = {(model.__name__, field.name) for model, field in cli_module.encrypted_fields()}
    assert {
        ("Person", "notes"),
        ("Group", "notes"),
        ("Interaction", "note"),
        ("SafetyPlanVersion", "sections"),
        ("GoalReflection", "text"),
    } <= found


def test_rotating_the_key_file_re_encrypts_everything_with_a_new_key(cli, key_file):
    path, old = key_file
    _store_notes()
    assert all(Fernet(old.encode()).decrypt(t.encode()) for t in _raw_tokens())

    run = cli("keys", "rotate")
    assert run.code == 0, run.err
    assert "Re-encrypted 3 values" in run.out

    new, kept = path.read_text().split()
    assert kept == old and new != old
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert _readable() == NOTES
    tokens = _raw_tokens()
    assert len(tokens) == 3
    for token in tokens:
        assert Fernet(new.encode()).decrypt(token.encode()).decode() in NOTES.values()
        with pytest.raises(InvalidToken):
            Fernet(old.encode()).decrypt(token.encode())
    assert Person.objects.get(name="Lee").notes == ""

    # The old key can now go: everything reads with the new key alone.
    _write_keys(path, new)
    assert _readable() == NOTES


def test_rotation_works_in_batches(cli, key_file, monkeypatch):
    monkeypatch.setattr(cli_module, "ROTATE_BATCH", 2)
    owner = _store_notes()
    for number in range(5):
        Person.objects.create(owner=owner, name=f"Extra {number}", notes=f"note {number}")
    run = cli("keys", "rotate")
    assert run.code == 0, run.err
    assert "Re-encrypted 8 values" in run.out
    new = key_file[0].read_text().split()[0]
    for token in _raw_tokens():
        Fernet(new.encode()).decrypt(token.encode())
    assert Person.objects.get(name="Extra 4").notes == "note 4"


def test_with_environment_keys_it_re_encrypts_with_the_first_one(cli, settings, tmp_path):
    settings.ENCRYPTION_KEY_FILE = tmp_path / "encryption.keys"
    old, new = _new_key(), _new_key()
    settings.ENCRYPTION_KEYS = [old]
    _store_notes()
    # The operator puts a new key in front of the variable and restarts.
    settings.ENCRYPTION_KEYS = [new, old]

    run = cli("keys", "rotate")
    assert run.code == 0, run.err
    assert "CLOSEKNIT_ENCRYPTION_KEYS" in run.out
    assert not settings.ENCRYPTION_KEY_FILE.exists()
    for token in _raw_tokens():
        Fernet(new.encode()).decrypt(token.encode())

    settings.ENCRYPTION_KEYS = [new]
    assert _readable() == NOTES


def test_with_a_single_environment_key_there_is_nothing_to_rotate_to(cli, settings):
    only = _new_key()
    settings.ENCRYPTION_KEYS = [only]
    _store_notes()
    before = _raw_tokens()
    run = cli("keys", "rotate")
    assert run.code == 1
    assert "one key" in run.err
    assert _raw_tokens() == before


def test_a_value_no_key_can_read_stops_the_rotation_with_a_clear_message(cli, key_file):
    _store_notes()
    stray = Fernet(_new_key().encode()).encrypt(b"from another server").decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE network_group SET notes = %s", [stray])
    run = cli("keys", "rotate")
    assert run.code == 1
    assert "can't be decrypted" in run.err
    assert "Traceback" not in run.err
