"""Outbox rows for tests that read them back (the outbox page and its API)."""

from __future__ import annotations

from typing import Any

from closeknit.notify.models import Channel, Message
from closeknit.notify.outbox import enqueue


def message(
    owner: Any, channel: Channel | None, key: str, *, body: str = "", **fields: Any
) -> Message:
    """A message in the outbox; any other `fields` (status, attempts …) are set after."""
    row, _ = enqueue(
        owner,
        key=key,
        kind=fields.pop("kind", "reach_out"),
        title=fields.pop("title", f"Reminder {key}"),
        body=body,
        channel=channel,
    )
    if fields:
        Message.objects.filter(pk=row.pk).update(**fields)
        row.refresh_from_db()
    return row
