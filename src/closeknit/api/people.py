"""/api/v1/people: the people in the member's network."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import PeopleFilters, PersonIn, PersonOut, PersonPatch
from closeknit.api.writes import save_person
from closeknit.network.models import Person

router = Router(tags=["people"])


def people(owner: User, filters: PeopleFilters | None = None) -> QuerySet[Person]:
    rows = Person.objects.owned_by(owner)
    if filters is None:
        return rows
    if filters.q:
        rows = rows.filter(
            Q(name__icontains=filters.q)
            | Q(nickname__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    if filters.circle:
        rows = rows.filter(circle=filters.circle)
    if filters.role:
        rows = rows.filter(roles__has=filters.role.value)
    if filters.support_type:
        rows = rows.filter(support_types__has=filters.support_type.value)
    if filters.archived is not None:
        rows = rows.filter(archived_at__isnull=not filters.archived)
    return rows


def _person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(people(request_owner(request)), pk=person_id)


@router.get("", response={200: list[PersonOut], **ERRORS}, summary="List your people")
@paginated
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> QuerySet[Person]:
    return people(request_owner(request), filters)


@router.post("", response={201: PersonOut, **ERRORS}, summary="Add a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    return Status(201, save_person(request_owner(request), None, payload.model_dump()))


@router.get("/{person_id}", response={200: PersonOut, **NOT_FOUND_ERRORS}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> Person:
    return _person(request, person_id)


@router.put(
    "/{person_id}", response={200: PersonOut, **NOT_FOUND_ERRORS}, summary="Replace a person"
)
def replace_person(request: HttpRequest, person_id: int, payload: PersonIn) -> Person:
    person = _person(request, person_id)
    return save_person(request_owner(request), person, payload.model_dump())


@router.patch(
    "/{person_id}", response={200: PersonOut, **NOT_FOUND_ERRORS}, summary="Change some fields"
)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    person = _person(request, person_id)
    return save_person(request_owner(request), person, payload.model_dump(exclude_unset=True))


@router.delete("/{person_id}", response={204: None, **NOT_FOUND_ERRORS}, summary="Delete a person")
def delete_person(request: HttpRequest, person_id: int) -> Status[None]:
    _person(request, person_id).delete()
    return Status(204, None)
