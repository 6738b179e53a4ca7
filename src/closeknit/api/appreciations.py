"""/api/v1/appreciations: the gratitude log, with notes sent later by e-mail if the member asks.

A note is sent only when it has a `send_at`: then it goes by e-mail to `send_to`
(or, left empty, the address saved for its person) at that time, from this
Closeknit's own address. The rules are the gratitude page's own
(rhythms/appreciations_store.py): the message waits in the outbox with the note,
changes with it, and goes if the note stops being sent or is deleted, unless it
was already sent. `delivery` (read-only) tells where the message is.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import NOTES_MAX_LENGTH, Email, Id, Input, UtcDateTime
from closeknit.api.values import in_zone
from closeknit.api.writes import InvalidInput, owned_people
from closeknit.notify.vocab import MessageStatus
from closeknit.rhythms import appreciations_store as store
from closeknit.rhythms.models import Appreciation

router = Router(tags=["appreciations"])

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NOTES_MAX_LENGTH)
]


class AppreciationIn(Input):
    person: Id | None = Field(None, description="Id of a person in your network, if any.")
    text: Text = Field(description="Your note of thanks. Stored encrypted.")
    written_at: dt.datetime | None = Field(
        None, description="Without an offset it is read in your time zone. Left out, now."
    )
    send_to: Email = Field(
        "", description="Where to send it; left empty, the e-mail address saved for the person."
    )
    send_at: dt.datetime | None = Field(
        None,
        description="When to send it by e-mail (without an offset, in your time zone). "
        "Left out or null, it is not sent.",
    )


class DeliveryOut(Schema):
    status: MessageStatus
    due_at: UtcDateTime
    sent_at: UtcDateTime | None
    attempts: int
    error: str


class AppreciationOut(Schema):
    id: int
    person: int | None
    text: str
    written_at: UtcDateTime
    send_to: str
    send_at: UtcDateTime | None
    delivery: DeliveryOut | None = Field(
        description="Read-only: its e-mail, once it is to be sent (pending, sent or failed)."
    )

    @staticmethod
    def resolve_person(obj: Appreciation) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_delivery(obj: Appreciation) -> store.Delivery | None:
        return store.delivery_of(obj)


def notes_of(owner: User) -> QuerySet[Appreciation]:
    return store.notes_of(owner)


def _note(request: HttpRequest, appreciation_id: int) -> Appreciation:
    return get_object_or_404(notes_of(request_owner(request)), pk=appreciation_id)


def _fresh(owner: User, note: Appreciation) -> Appreciation:
    """The note as saved, with its message's state read again."""
    return notes_of(owner).get(pk=note.pk)


def save_appreciation(
    owner: User, note: Appreciation | None, payload: AppreciationIn
) -> Appreciation:
    """Create or replace a note and arrange its sending; a refused request changes nothing."""
    with transaction.atomic():
        note = note or Appreciation(owner=owner)
        if payload.person is not None:
            note.person = owned_people(owner, [payload.person], "person")[0]
        else:
            note.person = None
        note.text = payload.text
        if payload.written_at is not None:
            note.written_at = in_zone(payload.written_at, owner.zone)
        elif note.pk is None:
            note.written_at = timezone.now()
        send_at = in_zone(payload.send_at, owner.zone) if payload.send_at else None
        if send_at is None and payload.send_to:
            raise InvalidInput({"send_at": "Please say when to send it, or leave send_to out."})
        try:
            store.save_note(
                owner, note, send=send_at is not None, send_to=payload.send_to, send_at=send_at
            )
        except store.AppreciationError as error:
            raise InvalidInput(error.errors) from None
    return _fresh(owner, note)


@router.get(
    "",
    response={200: list[AppreciationOut], **ERRORS},
    summary="List your notes of thanks, newest first",
)
@paginated
def list_appreciations(request: HttpRequest) -> QuerySet[Appreciation]:
    return notes_of(request_owner(request))


@router.post("", response={201: AppreciationOut, **ERRORS}, summary="Write a note of thanks")
def create_appreciation(request: HttpRequest, payload: AppreciationIn) -> Status[Appreciation]:
    return Status(201, save_appreciation(request_owner(request), None, payload))


@router.get(
    "/{appreciation_id}",
    response={200: AppreciationOut, **NOT_FOUND_ERRORS},
    summary="One note of thanks",
)
def get_appreciation(request: HttpRequest, appreciation_id: int) -> Appreciation:
    return _note(request, appreciation_id)


@router.put(
    "/{appreciation_id}",
    response={200: AppreciationOut, **NOT_FOUND_ERRORS},
    summary="Replace a note of thanks (and when it is sent)",
)
def replace_appreciation(
    request: HttpRequest, appreciation_id: int, payload: AppreciationIn
) -> Appreciation:
    note = _note(request, appreciation_id)
    return save_appreciation(request_owner(request), note, payload)


@router.delete(
    "/{appreciation_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete a note of thanks (an e-mail not yet sent goes too)",
)
def delete_appreciation(request: HttpRequest, appreciation_id: int) -> Status[None]:
    store.delete_note(request_owner(request), _note(request, appreciation_id))
    return Status(204, None)
