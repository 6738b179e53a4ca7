"""/api/v1/occasions: the days the member keeps, and every occasion coming up.

The stored occasions are anniversaries, recovery starts and anything else (`kind`);
birthdays belong to people (`/api/v1/people`, `birthday`). `GET /upcoming` gives
both together, worked out for a span of days by the same rules as the occasions
page (rhythms/occasions.py): birthdays, yearly returns, and a recovery start's
milestones (1 week, 30, 60 and 90 days, 6 months, then every year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, Input, UtcDateTime, patch_schema
from closeknit.api.writes import InvalidInput, owned_people
from closeknit.rhythms import occasions_store
from closeknit.rhythms.models import Occasion
from closeknit.rhythms.occasions import RECOVERY, RECOVERY_DEFAULT_TITLE, UpcomingOccasion
from closeknit.rhythms.vocab import OccasionKind
from closeknit.wellbeing.store import today as local_today

router = Router(tags=["occasions"])

DEFAULT_DAYS = 60
MAX_DAYS = 400
EARLIEST_YEAR = 1900
LATEST_YEARS_AHEAD = 10

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class StoredKind(StrEnum):
    """The kinds a member keeps; a birthday is kept on the person."""

    ANNIVERSARY = OccasionKind.ANNIVERSARY.value
    RECOVERY = OccasionKind.RECOVERY.value
    CUSTOM = OccasionKind.CUSTOM.value


class OccasionIn(Input):
    kind: StoredKind = Field(
        description="anniversary, recovery (the day recovery started) or custom."
    )
    title: Title = Field(
        "",
        description=f"What the day is. May be left out for a recovery start "
        f"(“{RECOVERY_DEFAULT_TITLE}”).",
    )
    day: dt.date = Field(description="A day in your own calendar (ISO date).")
    repeats_yearly: bool = Field(
        True, description="Comes round every year. A recovery start always does."
    )
    person: Id | None = Field(None, description="Id of a person in your network.")


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    OccasionPatch = OccasionIn
else:
    OccasionPatch = patch_schema(OccasionIn, "OccasionPatch")


class OccasionOut(Schema):
    id: int
    kind: StoredKind
    title: str
    day: dt.date
    repeats_yearly: bool
    person: int | None
    created_at: UtcDateTime

    @staticmethod
    def resolve_person(obj: Occasion) -> int | None:
        return obj.person_id


class UpcomingOut(Schema):
    key: str = Field(description="Stable and unique for this occurrence (a calendar UID uses it).")
    date: dt.date
    kind: OccasionKind
    title: str
    person: int | None
    prompt: str = Field(description="A few kind words to celebrate or mark it.")
    occasion: int | None = Field(description="The stored occasion; null for a birthday.")
    years: int | None = Field(description="A known age, or how many years an anniversary marks.")

    @staticmethod
    def resolve_date(obj: UpcomingOccasion) -> dt.date:
        return obj.day

    @staticmethod
    def resolve_person(obj: UpcomingOccasion) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_occasion(obj: UpcomingOccasion) -> int | None:
        return obj.occasion_id


class UpcomingFilters(Schema):
    # "from" is a Python keyword, hence the alias.
    first: dt.date | None = Field(
        None, alias="from", description="The first day (ISO date). Left out, today."
    )
    last: dt.date | None = Field(
        None,
        alias="to",
        description=f"The last day, inclusive. Left out, {DEFAULT_DAYS} days in all; "
        f"at most {MAX_DAYS} days after 'from'.",
    )


def occasions_of(owner: User) -> QuerySet[Occasion]:
    return Occasion.objects.owned_by(owner)


def _occasion(request: HttpRequest, occasion_id: int) -> Occasion:
    return get_object_or_404(occasions_of(request_owner(request)), pk=occasion_id)


def _check(occasion: Occasion) -> None:
    if occasion.day.year < EARLIEST_YEAR:
        raise InvalidInput({"day": f"Please choose a date after {EARLIEST_YEAR}."})
    if occasion.day.year > timezone.now().year + LATEST_YEARS_AHEAD:
        raise InvalidInput(
            {"day": f"Please choose a date within the next {LATEST_YEARS_AHEAD} years."}
        )
    if occasion.kind == RECOVERY:
        if not occasion.repeats_yearly:
            raise InvalidInput(
                {
                    "repeats_yearly": "A recovery start's milestones always come round; "
                    "leave repeats_yearly out, or true."
                }
            )
        occasion.title = occasion.title or RECOVERY_DEFAULT_TITLE
    elif not occasion.title:
        raise InvalidInput({"title": "Please say what the day is, in a few words."})
    try:
        occasion.full_clean(exclude=["owner", "person"], validate_unique=False)
    except DjangoValidationError as error:
        raise InvalidInput(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from None


def save_occasion(owner: User, occasion: Occasion | None, data: Mapping[str, Any]) -> Occasion:
    """Create or change a stored occasion; a refused request changes nothing."""
    fields = dict(data)
    sent_person = "person" in fields
    person_id = fields.pop("person", None)
    with transaction.atomic():
        occasion = occasion or Occasion(owner=owner)
        if sent_person:
            occasion.person = (
                owned_people(owner, [person_id], "person")[0] if person_id is not None else None
            )
        for name, value in fields.items():
            setattr(occasion, name, value.value if isinstance(value, StrEnum) else value)
        _check(occasion)
        occasion.save()
    return occasion


@router.get(
    "",
    response={200: list[OccasionOut], **ERRORS},
    summary="List the days you keep (anniversaries, recovery starts, others)",
)
@paginated
def list_occasions(request: HttpRequest) -> QuerySet[Occasion]:
    return occasions_of(request_owner(request)).order_by("day", "id")


@router.post("", response={201: OccasionOut, **ERRORS}, summary="Keep a day")
def create_occasion(request: HttpRequest, payload: OccasionIn) -> Status[Occasion]:
    return Status(201, save_occasion(request_owner(request), None, payload.model_dump()))


@router.get(
    "/upcoming",
    response={200: list[UpcomingOut], **ERRORS},
    summary="Every occasion in a span of days: birthdays, anniversaries, milestones",
)
def upcoming_occasions(
    request: HttpRequest, filters: Query[UpcomingFilters]
) -> list[UpcomingOccasion]:
    owner = request_owner(request)
    first = filters.first or local_today(owner)
    last = filters.last or first + dt.timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise InvalidInput({"to": "Please choose a 'to' day on or after 'from'."}, ("query",))
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput({"to": f"Please ask for at most {MAX_DAYS} days at a time."}, ("query",))
    return occasions_store.upcoming(owner, first, last)


@router.get(
    "/{occasion_id}", response={200: OccasionOut, **NOT_FOUND_ERRORS}, summary="One kept day"
)
def get_occasion(request: HttpRequest, occasion_id: int) -> Occasion:
    return _occasion(request, occasion_id)


@router.put(
    "/{occasion_id}", response={200: OccasionOut, **NOT_FOUND_ERRORS}, summary="Replace a kept day"
)
def replace_occasion(request: HttpRequest, occasion_id: int, payload: OccasionIn) -> Occasion:
    occasion = _occasion(request, occasion_id)
    return save_occasion(request_owner(request), occasion, payload.model_dump())


@router.patch(
    "/{occasion_id}", response={200: OccasionOut, **NOT_FOUND_ERRORS}, summary="Change some fields"
)
def update_occasion(request: HttpRequest, occasion_id: int, payload: OccasionPatch) -> Occasion:
    occasion = _occasion(request, occasion_id)
    return save_occasion(request_owner(request), occasion, payload.model_dump(exclude_unset=True))


@router.delete(
    "/{occasion_id}", response={204: None, **NOT_FOUND_ERRORS}, summary="Stop keeping a day"
)
def delete_occasion(request: HttpRequest, occasion_id: int) -> Status[None]:
    _occasion(request, occasion_id).delete()
    return Status(204, None)
