"""/api/v1/outbox: the member's messages, newest first, with every try at delivering them.

Read-only: messages are made by reminders and test messages, and sent by the
worker. A test message's text (which held its code) is never shown, only its title.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import UtcDateTime
from closeknit.notify.models import Attempt, Message
from closeknit.notify.outbox import listed
from closeknit.notify.vocab import MessageKind, MessageStatus

router = Router(tags=["notifications"])


class AttemptOut(Schema):
    started_at: UtcDateTime
    duration_ms: int
    ok: bool
    permanent: bool = Field(description="A failure that is not tried again (e.g. a 404).")
    error: str


class MessageOut(Schema):
    id: int
    kind: MessageKind
    channel: int | None = Field(description="The channel's id; null for e-mail to someone else.")
    title: str
    status: MessageStatus = Field(description="pending until sent, or failed for good.")
    attempts: int = Field(description="How many tries so far.")
    last_error: str
    due_at: UtcDateTime
    next_attempt_at: UtcDateTime | None = Field(
        description="When it is tried next; null once done."
    )
    sent_at: UtcDateTime | None
    created_at: UtcDateTime
    attempt_log: list[AttemptOut] = Field(description="Every try, oldest first.")

    @staticmethod
    def resolve_channel(obj: Message) -> int | None:
        return obj.channel_id

    @staticmethod
    def resolve_next_attempt_at(obj: Message) -> dt.datetime | None:
        return obj.next_attempt_at if obj.status == MessageStatus.PENDING else None

    @staticmethod
    def resolve_attempt_log(obj: Message) -> list[Attempt]:
        return list(obj.attempt_log.all())


class OutboxFilters(Schema):
    status: MessageStatus | None = None
    kind: MessageKind | None = None


def messages(owner: User) -> QuerySet[Message]:
    # The body is never answered here, so it is not read (or decrypted) either.
    return (
        listed(owner)
        .defer("body")
        .prefetch_related(
            Prefetch("attempt_log", queryset=Attempt.objects.order_by("started_at", "id"))
        )
    )


@router.get(
    "", response={200: list[MessageOut], **ERRORS}, summary="List your messages, newest first"
)
@paginated
def list_outbox(request: HttpRequest, filters: Query[OutboxFilters]) -> QuerySet[Message]:
    rows = messages(request_owner(request))
    if filters.status:
        rows = rows.filter(status=filters.status.value)
    if filters.kind:
        rows = rows.filter(kind=filters.kind.value)
    return rows.order_by("-created_at", "-id")


@router.get("/{message_id}", response={200: MessageOut, **NOT_FOUND_ERRORS}, summary="One message")
def get_outbox_message(request: HttpRequest, message_id: int) -> Message:
    return get_object_or_404(messages(request_owner(request)), pk=message_id)
