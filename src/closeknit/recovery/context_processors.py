"""What every page needs to know about the recovery plan: whether there is a safety plan.

The header links to the plan once it exists, so it is one tap from every page.
The answer is lazy: a page that never asks (no base.html) costs no query,
and one that does costs exactly one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from closeknit.recovery.models import SafetyPlanVersion


def safety_plan(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_safety_plan": False}
    return {
        "has_safety_plan": SimpleLazyObject(
            lambda: SafetyPlanVersion.objects.owned_by(user).exists()
        )
    }
