"""Row snapshots the circle's tests compare before and after a request that must change nothing."""

from __future__ import annotations

from typing import Any

from closeknit.accounts.models import User
from closeknit.circle.models import RuleSetting


def rule_rows(owner: User) -> list[tuple[Any, ...]]:
    """The owner's stored early-warning rules, as the member set them."""
    return list(
        RuleSetting.objects.filter(owner=owner)
        .order_by("pk")
        .values_list(
            "kind",
            "enabled",
            "threshold",
            "days_needed",
            "window_days",
            "cooldown_days",
            "nudge_supporters",
        )
    )
