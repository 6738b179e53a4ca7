"""/api/v1/reach-out: the reach-out list, ranked."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reach-out"])
