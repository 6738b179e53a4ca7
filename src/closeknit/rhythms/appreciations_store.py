"""Saving notes of thanks, and the message that sends one later, in one transaction.

The gratitude page and /api/v1/appreciations both call `save_note` and
`delete_note`, so a note changed in either place treats its message alike:

- asked to be sent: the message is put in the outbox (`notify.outbox.enqueue`)
  in the same transaction as the note, so one exists exactly when the other does;
- changed while its message still waits (or could not be sent): the message
  changes with it and waits for the new time;
- no longer to be sent, or deleted: a message not yet sent is deleted;
- already sent: it stays sent, and where and when it went can't change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.notify.models import Message
from closeknit.notify.outbox import enqueue
from closeknit.rhythms import appreciations as rules
from closeknit.rhythms.appreciations import Delivery
from closeknit.rhythms.models import Appreciation

PAGE_SIZE = 50


class AppreciationError(ValueError):
    """Sending that can't be arranged; `errors` maps each field to a message for the member."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


# Reading -------------------------------------------------------------------------------------


def with_delivery(rows: QuerySet[Appreciation]) -> QuerySet[Appreciation]:
    """Each note with its message's state, in the same query (the key is unique and indexed)."""
    message = Message.objects.filter(
        owner=OuterRef("owner"),
        dedup_key=Concat(
            Value(rules.KEY_PREFIX), Cast(OuterRef("pk"), output_field=models.CharField())
        ),
    )

    def column(name: str) -> Subquery:
        return Subquery(message.values(name)[:1])

    return rows.annotate(
        delivery_status=column("status"),
        delivery_due_at=column("due_at"),
        delivery_sent_at=column("sent_at"),
        delivery_error=column("last_error"),
        delivery_attempts=column("attempts"),
    )


def notes_of(owner: Any) -> QuerySet[Appreciation]:
    """The member's notes, newest first, each with its person and its message's state."""
    rows = (
        Appreciation.objects.owned_by(owner)
        .select_related("person")
        .defer("person__notes")
        .order_by("-written_at", "-id")
    )
    return with_delivery(rows)


def delivery_of(note: Appreciation) -> Delivery | None:
    """The note's message as plain data: from `with_delivery`'s columns, else one query."""
    if not hasattr(note, "delivery_status"):
        if note.pk is None:
            return None
        note = with_delivery(Appreciation.objects.filter(pk=note.pk)).get()
    status: str | None = getattr(note, "delivery_status", None)
    if status is None:
        return None
    return Delivery(
        status=status,
        due_at=note.delivery_due_at,  # type: ignore[attr-defined]
        sent_at=note.delivery_sent_at,  # type: ignore[attr-defined]
        error=note.delivery_error or "",  # type: ignore[attr-defined]
        attempts=note.delivery_attempts or 0,  # type: ignore[attr-defined]
    )


# Writing -------------------------------------------------------------------------------------


def _message(owner: Any, note: Appreciation) -> Message | None:
    if note.pk is None:
        return None
    return (
        Message.objects.owned_by(owner)
        .select_for_update()
        .filter(dedup_key=rules.message_key(note.pk))
        .first()
    )


def save_note(
    owner: User,
    note: Appreciation,
    *,
    send: bool | None,
    send_to: str = "",
    send_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Appreciation:
    """Save a note (its text and person as set on it) and arrange its sending.

    `send` True: send it to `send_to` (or the person's saved address) at `send_at`;
    False: don't send it (a waiting message goes); None: leave its sending as it is.
    `note.send_to` and `note.send_at` must still hold what was saved before.
    AppreciationError changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = _message(owner, note)
        if send is None:
            note.save()
            return note
        person_email = note.person.email if note.person is not None else ""
        address = rules.address_for(send_to, person_email)
        if message is not None and message.status == rules.SENT:
            if not send or (address, send_at) != (note.send_to, note.send_at):
                raise AppreciationError({"send_at": rules.ALREADY_SENT})
            note.save()
            return note
        if not send:
            note.send_to, note.send_at = "", None
            note.save()
            if message is not None:
                message.delete()
            return note
        unchanged = message is not None and send_at == note.send_at
        problems = rules.send_problems(address, send_at, now, unchanged_time=unchanged)
        if problems:
            raise AppreciationError(problems)
        assert send_at is not None
        note.send_to, note.send_at = address, send_at
        note.save()
        _arrange(owner, note, message, address, send_at)
    return note


def _arrange(
    owner: User, note: Appreciation, message: Message | None, address: str, when: dt.datetime
) -> None:
    title = rules.message_title(owner.name)
    if message is None:
        enqueue(
            owner,
            key=rules.message_key(note.pk),
            kind=rules.KIND,
            title=title,
            body=note.text,
            to_address=address,
            due_at=when,
        )
        return
    message.title, message.body, message.to_address = title, note.text, address
    message.due_at = message.next_attempt_at = when
    if message.status == rules.FAILED:
        # Tried before and given up on: with the member's change, it gets a fresh start.
        message.status, message.attempts, message.last_error = rules.PENDING, 0, ""
        message.claimed_until = None
    message.save()


def delete_note(owner: User, note: Appreciation) -> None:
    """Delete a note and its message if that hasn't gone; a sent one stays in the outbox."""
    with transaction.atomic():
        Message.objects.owned_by(owner).filter(dedup_key=rules.message_key(note.pk)).exclude(
            status=rules.SENT
        ).delete()
        note.delete()
