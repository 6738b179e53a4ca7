"""/api/v1/groups: the groups and communities the member belongs to."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import GroupFilters, GroupIn, GroupOut, GroupPatch
from closeknit.api.writes import save_group
from closeknit.network.models import Group, Person

router = Router(tags=["groups"])


def groups(owner: User, filters: GroupFilters | None = None) -> QuerySet[Group]:
    # Members' ids come in one extra query for the whole page, not one per group.
    member_ids = Person.objects.owned_by(owner).only("id").order_by()
    rows = Group.objects.owned_by(owner).prefetch_related(Prefetch("members", queryset=member_ids))
    if filters is None:
        return rows
    if filters.q:
        rows = rows.filter(name__icontains=filters.q)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.archived is not None:
        rows = rows.filter(archived_at__isnull=not filters.archived)
    return rows


def _group(request: HttpRequest, group_id: int) -> Group:
    return get_object_or_404(groups(request_owner(request)), pk=group_id)


@router.get("", response={200: list[GroupOut], **ERRORS}, summary="List your groups")
@paginated
def list_groups(request: HttpRequest, filters: Query[GroupFilters]) -> QuerySet[Group]:
    return groups(request_owner(request), filters)


@router.post("", response={201: GroupOut, **ERRORS}, summary="Add a group")
def create_group(request: HttpRequest, payload: GroupIn) -> Status[Group]:
    return Status(201, save_group(request_owner(request), None, payload.model_dump()))


@router.get("/{group_id}", response={200: GroupOut, **NOT_FOUND_ERRORS}, summary="One group")
def get_group(request: HttpRequest, group_id: int) -> Group:
    return _group(request, group_id)


@router.put("/{group_id}", response={200: GroupOut, **NOT_FOUND_ERRORS}, summary="Replace a group")
def replace_group(request: HttpRequest, group_id: int, payload: GroupIn) -> Group:
    group = _group(request, group_id)
    return save_group(request_owner(request), group, payload.model_dump())


@router.patch(
    "/{group_id}", response={200: GroupOut, **NOT_FOUND_ERRORS}, summary="Change some fields"
)
def update_group(request: HttpRequest, group_id: int, payload: GroupPatch) -> Group:
    group = _group(request, group_id)
    return save_group(request_owner(request), group, payload.model_dump(exclude_unset=True))


@router.delete("/{group_id}", response={204: None, **NOT_FOUND_ERRORS}, summary="Delete a group")
def delete_group(request: HttpRequest, group_id: int) -> Status[None]:
    # Contact logged with the group stays in the log, without the group.
    _group(request, group_id).delete()
    return Status(204, None)
