"""/api/v1/appreciations: the gratitude log."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["appreciations"])
