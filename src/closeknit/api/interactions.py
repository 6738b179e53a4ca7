"""/api/v1/interactions: the log of contact with people and groups."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import (
    InteractionFilters,
    InteractionIn,
    InteractionOut,
    InteractionPatch,
    InteractionPut,
)
from closeknit.api.values import lower_bound, parse_moment, upper_bound
from closeknit.api.writes import InvalidInput, save_interaction
from closeknit.network.models import Interaction, Person

router = Router(tags=["interactions"])


def interactions(owner: User) -> QuerySet[Interaction]:
    # People's ids come in one extra query for the whole page, not one per row.
    people_ids = Person.objects.owned_by(owner).only("id").order_by()
    return Interaction.objects.owned_by(owner).prefetch_related(
        Prefetch("people", queryset=people_ids)
    )


def filtered(owner: User, filters: InteractionFilters) -> QuerySet[Interaction]:
    rows = interactions(owner)
    if filters.person is not None:
        rows = rows.filter(people=filters.person)
    if filters.group is not None:
        rows = rows.filter(group=filters.group)
    start = lower_bound(parse_moment(filters.since), owner.zone) if filters.since else None
    end = upper_bound(parse_moment(filters.until), owner.zone) if filters.until else None
    if start is not None and end is not None and end <= start:
        raise InvalidInput({"until": "Please choose an 'until' after 'since'."}, ("query",))
    if start is not None:
        rows = rows.filter(occurred_at__gte=start)
    if end is not None:
        rows = rows.filter(occurred_at__lt=end)
    return rows


def _interaction(request: HttpRequest, interaction_id: int) -> Interaction:
    return get_object_or_404(interactions(request_owner(request)), pk=interaction_id)


@router.get(
    "", response={200: list[InteractionOut], **ERRORS}, summary="List contact, newest first"
)
@paginated
def list_interactions(
    request: HttpRequest, filters: Query[InteractionFilters]
) -> QuerySet[Interaction]:
    return filtered(request_owner(request), filters)


@router.post("", response={201: InteractionOut, **ERRORS}, summary="Log contact")
def create_interaction(request: HttpRequest, payload: InteractionIn) -> Status[Interaction]:
    interaction = save_interaction(request_owner(request), None, payload.model_dump())
    return Status(201, interaction)


@router.get(
    "/{interaction_id}",
    response={200: InteractionOut, **NOT_FOUND_ERRORS},
    summary="One logged contact",
)
def get_interaction(request: HttpRequest, interaction_id: int) -> Interaction:
    return _interaction(request, interaction_id)


@router.put(
    "/{interaction_id}",
    response={200: InteractionOut, **NOT_FOUND_ERRORS},
    summary="Replace a logged contact",
)
def replace_interaction(
    request: HttpRequest, interaction_id: int, payload: InteractionPut
) -> Interaction:
    interaction = _interaction(request, interaction_id)
    return save_interaction(request_owner(request), interaction, payload.model_dump())


@router.patch(
    "/{interaction_id}",
    response={200: InteractionOut, **NOT_FOUND_ERRORS},
    summary="Change some fields",
)
def update_interaction(
    request: HttpRequest, interaction_id: int, payload: InteractionPatch
) -> Interaction:
    interaction = _interaction(request, interaction_id)
    data = payload.model_dump(exclude_unset=True)
    return save_interaction(request_owner(request), interaction, data)


@router.delete(
    "/{interaction_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete a logged contact",
)
def delete_interaction(request: HttpRequest, interaction_id: int) -> Status[None]:
    _interaction(request, interaction_id).delete()
    return Status(204, None)
