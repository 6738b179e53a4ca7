"""Fixtures for import and export: the sample files, and a second, empty account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from closeknit.accounts.models import User

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_file() -> Callable[[str], bytes]:
    """The bytes of a sample file in tests/transfer/data/."""

    def read(name: str) -> bytes:
        return (DATA / name).read_bytes()

    return read


@pytest.fixture
def new_account(db: Any) -> User:
    """A fresh account, with every profile value still at its default."""
    return User.objects.create_user("moved@example.org", "a-long-and-kind-passphrase")
