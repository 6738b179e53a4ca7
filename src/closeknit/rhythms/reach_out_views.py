"""Pages of reach-out."""

from __future__ import annotations

from typing import Any

from closeknit.accounts.models import User


def home_context(owner: User) -> dict[str, Any]:
    """What the home page shows of this part."""
    return {}
