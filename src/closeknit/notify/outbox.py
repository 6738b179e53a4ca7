"""Putting messages in the outbox. Callers do this inside the transaction that decided to
send, so a message exists exactly when the change that called for it does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from closeknit.notify.models import Channel, Message
from closeknit.notify.vocab import MessageKind

# About someone else, and theirs to keep back until it is due (circle/early_warning.py):
# its recipient doesn't see it in their outbox before then.
KEPT_BACK_UNTIL_DUE = (MessageKind.CHECKIN_NUDGE,)


def enqueue(
    owner: Any,
    *,
    key: str,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    channel: Channel | None = None,
    to_address: str = "",
    due_at: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Add a message unless one with the same de-duplication key is there; (row, created)."""
    when = due_at or timezone.now()
    return Message.objects.get_or_create(
        dedup_key=key,
        defaults={
            "owner": owner,
            "channel": channel,
            "to_address": to_address,
            "kind": kind,
            "title": title,
            "body": body,
            "url": url,
            "due_at": when,
            "next_attempt_at": when,
        },
    )


def listed(owner: Any, now: dt.datetime | None = None) -> QuerySet[Message]:
    """The owner's messages as their outbox shows them: none still kept back (see above)."""
    return Message.objects.owned_by(owner).exclude(
        kind__in=KEPT_BACK_UNTIL_DUE, due_at__gt=now or timezone.now()
    )
