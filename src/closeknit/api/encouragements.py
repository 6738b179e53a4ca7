"""/api/v1/encouragements: the notes of encouragement the caller's supporters sent them.

The member's own: listed newest first (only the favourites with `?favourite=true`), kept as
a favourite or not (PATCH), and deleted for good (DELETE; the supporter isn't told).
Supporters send notes through /api/v1/supporting/{id}/encouragements.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.circle import encouragement
from closeknit.circle.models import Encouragement

router = Router(tags=["circle"])


class EncouragementOut(Schema):
    id: int
    text: str
    author_name: str = Field(description="The supporter, by the name you know them by.")
    favourite: bool
    sent_at: UtcDateTime


class EncouragementFilters(Schema):
    favourite: bool | None = Field(None, description="true: only your favourites.")


class EncouragementPatch(Input):
    favourite: bool


@router.get(
    "",
    response={200: list[EncouragementOut], **ERRORS},
    summary="List your notes of encouragement, newest first",
)
@paginated
def list_encouragements(request: HttpRequest, filters: Query[EncouragementFilters]) -> Any:
    rows = encouragement.notes_of(request_owner(request))
    if filters.favourite is not None:
        rows = rows.filter(favourite=filters.favourite)
    return rows


@router.patch(
    "/{encouragement_id}",
    response={200: EncouragementOut, **NOT_FOUND_ERRORS},
    summary="Keep a note as a favourite, or not",
)
def update_encouragement(
    request: HttpRequest, encouragement_id: int, payload: EncouragementPatch
) -> Encouragement:
    return encouragement.set_favourite(request_owner(request), encouragement_id, payload.favourite)


@router.delete(
    "/{encouragement_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete a note of encouragement for good",
)
def delete_encouragement(request: HttpRequest, encouragement_id: int) -> Status[None]:
    encouragement.delete(request_owner(request), encouragement_id)
    return Status(204, None)
