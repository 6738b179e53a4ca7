"""/api/v1/channels: notification channels."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["channels"])
