"""/api/v1/supporters: the member's circle, and what they share with each supporter.

The same rules as the circle page: only active links are listed (an ended one is
history, kept for the access log); `scopes` starts empty and changes only when the
member sets it, each grant and revoke written to the access log at once
(circle/grants.py). `name` is the member's own name for the supporter; the
supporter's account e-mail is theirs and never shown. DELETE ends the link.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.circle import grants
from closeknit.circle import invitations as store
from closeknit.circle.models import Link
from closeknit.circle.vocab import EndedBy, Scope, Via

router = Router(tags=["circle"])


def _in_order(values: list[Scope]) -> list[Scope]:
    """Each scope once, in the vocabulary's order."""
    return [Scope(scope) for scope in store.ordered_scopes(values)]


Scopes = Annotated[list[Scope], AfterValidator(_in_order)]


class SupporterOut(Schema):
    id: int
    person_id: int | None = Field(description="Your entry for them in your network, if any.")
    name: str = Field(description="Their name in your network (else their account's name).")
    scopes: list[Scope] = Field(description="What you share with them.")
    since: UtcDateTime = Field(description="When they joined your circle.")

    @staticmethod
    def resolve_name(obj: Link) -> str:
        return grants.supporter_name(obj)

    @staticmethod
    def resolve_scopes(obj: Link) -> list[str]:
        return store.ordered_scopes(obj.scopes)

    @staticmethod
    def resolve_since(obj: Link) -> dt.datetime:
        return obj.created_at


class SupporterPatch(Input):
    scopes: Scopes = Field(
        description="Exactly what to share from now on; [] shares nothing. "
        "Each change is written to your access log."
    )


def supporters_of(owner: User) -> QuerySet[Link]:
    return store.supporters_of(owner)


def _link(request: HttpRequest, supporter_id: int) -> Link:
    return get_object_or_404(supporters_of(request_owner(request)), pk=supporter_id)


@router.get(
    "",
    response={200: list[SupporterOut], **ERRORS},
    summary="List your supporters, longest in your circle first",
)
@paginated
def list_supporters(request: HttpRequest) -> QuerySet[Link]:
    return supporters_of(request_owner(request))


@router.get(
    "/{supporter_id}",
    response={200: SupporterOut, **NOT_FOUND_ERRORS},
    summary="One supporter, and what you share with them",
)
def get_supporter(request: HttpRequest, supporter_id: int) -> Link:
    return _link(request, supporter_id)


@router.patch(
    "/{supporter_id}",
    response={200: SupporterOut, **NOT_FOUND_ERRORS},
    summary="Change what you share with a supporter (takes effect at once)",
)
def update_supporter(request: HttpRequest, supporter_id: int, payload: SupporterPatch) -> Link:
    link = _link(request, supporter_id)
    grants.set_scopes(link, payload.scopes, via=Via.API)
    return link


@router.delete(
    "/{supporter_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Remove a supporter from your circle (they see nothing from now on)",
)
def remove_supporter(request: HttpRequest, supporter_id: int) -> Status[None]:
    grants.end(_link(request, supporter_id), EndedBy.MEMBER, via=Via.API)
    return Status(204, None)
