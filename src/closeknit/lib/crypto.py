"""Encryption at rest for free text (notes), with key rotation.

Keys are Fernet keys, newest first. They come from CLOSEKNIT_ENCRYPTION_KEYS or,
when that is empty, from a key file in the data directory that is created
(mode 0600) on first use. MultiFernet encrypts with the first key and decrypts
with any, so adding a key in front and re-encrypting rotates without downtime.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from closeknit.lib.env import secret_from_file

__all__ = ["InvalidToken", "decrypt", "encrypt", "keys", "multifernet", "rotate_token"]


def key_file() -> Path:
    return Path(settings.ENCRYPTION_KEY_FILE)


def keys() -> list[str]:
    if settings.ENCRYPTION_KEYS:
        return list(settings.ENCRYPTION_KEYS)
    path = key_file()
    if not path.exists():
        secret_from_file(path, make=lambda: Fernet.generate_key().decode())
    # Keyed on the modification time, so a rotation by another process is picked up.
    return list(_file_keys(str(path), path.stat().st_mtime_ns))


@functools.cache
def _file_keys(path: str, mtime_ns: int) -> tuple[str, ...]:
    raw = Path(path).read_text()
    return tuple(line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip())


@functools.cache
def _multifernet(key_tuple: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in key_tuple])


def multifernet() -> MultiFernet:
    return _multifernet(tuple(keys()))


def encrypt(plaintext: str) -> str:
    return multifernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    return multifernet().decrypt(token.encode("ascii")).decode()


def rotate_token(token: str) -> str:
    """Re-encrypt a token with the newest key (MultiFernet.rotate)."""
    return multifernet().rotate(token.encode("ascii")).decode("ascii")


def add_key_to_file() -> str:
    """Put a new key in front of the key file and return it (the old keys stay for reading)."""
    path = key_file()
    old = keys() if path.exists() else []
    new = Fernet.generate_key().decode()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join([new, *old]) + "\n")
    tmp.replace(path)
    return new
