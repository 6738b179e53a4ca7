"""/api/v1/occasions: occasions to celebrate."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["occasions"])
