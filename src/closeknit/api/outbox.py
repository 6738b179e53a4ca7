"""/api/v1/outbox: the outbox: messages and their delivery."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["outbox"])
