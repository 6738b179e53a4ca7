"""/api/v1/checkins: the member's daily check-ins, one per day of their own calendar.

A check-in belongs to a local day in the member's time zone (23:30 in London is still
that London day). Posting for a day that already has one changes it: the fields sent
are set (null clears one), the fields left out keep what was saved. The rules are the
check-in page's own (wellbeing/store.py); this module only reads and answers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictFloat, StrictInt

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, Notes, UtcDateTime
from closeknit.api.writes import InvalidInput
from closeknit.wellbeing import checkins, store
from closeknit.wellbeing.models import SCALE_MAX, SCALE_MIN, SLEEP_MAX, CheckIn
from closeknit.wellbeing.vocab import SelfCare

router = Router(tags=["check-ins"])

# Strict, so that true or "7" is refused rather than read as a number.
Scale = Annotated[StrictInt, Field(ge=SCALE_MIN, le=SCALE_MAX)]
SleepHours = Annotated[StrictFloat, Field(ge=0, le=float(SLEEP_MAX), allow_inf_nan=False)]
# The store's field names where they differ from the API's, and "__all__": the whole body.
FIELD_NAMES = {"day": "date", "__all__": "payload"}


class CheckInIn(Input):
    date: dt.date | None = Field(
        None, description="The day it is for (ISO date). Left out, today in your time zone."
    )
    mood: Scale | None = Field(None, description="0 very low, 10 very good.")
    stress: Scale | None = Field(None, description="0 none at all, 10 overwhelming.")
    sleep_hours: SleepHours | None = Field(
        None, description="Hours slept, 0 to 24, up to two decimals (7.5 for seven and a half)."
    )
    self_care: list[SelfCare] | None = Field(None, description="What you did to look after you.")
    connected: Scale | None = Field(None, description="0 not at all, 10 very connected.")
    note: Notes | None = None


class CheckInOut(Schema):
    date: dt.date
    mood: int | None
    stress: int | None
    sleep_hours: float | None
    self_care: list[SelfCare]
    connected: int | None
    note: str
    created_at: UtcDateTime
    updated_at: UtcDateTime

    @staticmethod
    def resolve_date(obj: CheckIn) -> dt.date:
        return obj.day

    @staticmethod
    def resolve_sleep_hours(obj: CheckIn) -> float | None:
        return checkins.sleep_value(obj.sleep_hours)


class CheckInFilters(Schema):
    # "from" is a Python keyword, hence the alias.
    first: dt.date | None = Field(
        None, alias="from", description="The earliest day (ISO date), inclusive."
    )
    last: dt.date | None = Field(None, alias="to", description="The latest day, inclusive.")


def checkins_of(owner: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.owned_by(owner)


def _checkin(request: HttpRequest, day: dt.date) -> CheckIn:
    return get_object_or_404(checkins_of(request_owner(request)), day=day)


def _store_value(name: str, value: Any) -> Any:
    """A value as the model keeps it: a cleared list or note is empty, a cleared number null."""
    if name == "self_care":
        return [slug.value for slug in value or []]
    if name == "note":
        return value or ""
    if name == "sleep_hours" and value is not None:
        # Through its text, so 7.1 is 7.1 and not 7.0999…; the model refuses a third decimal.
        return Decimal(str(value))
    return value


def _refused(error: store.CheckInError) -> InvalidInput:
    errors = {FIELD_NAMES.get(name, name): message for name, message in error.errors.items()}
    if list(errors) == ["payload"]:
        # About the check-in as a whole (nothing filled in): where django-ninja puts an
        # error about the whole body.
        return InvalidInput(errors, ("body",))
    return InvalidInput(errors)


@router.post(
    "",
    response={200: CheckInOut, 201: CheckInOut, **ERRORS},
    summary="Check in for a day (a second time the same day changes it)",
)
def create_checkin(request: HttpRequest, payload: CheckInIn) -> Status[CheckIn]:
    owner, now = request_owner(request), timezone.now()
    sent = payload.model_dump(exclude_unset=True)
    day = sent.pop("date", None) or store.today(owner, now)
    values = {name: _store_value(name, value) for name, value in sent.items()}
    try:
        entry, created = store.save_checkin(owner, day, values, now)
    except store.CheckInError as error:
        raise _refused(error) from None
    return Status(201 if created else 200, entry)


@router.get(
    "", response={200: list[CheckInOut], **ERRORS}, summary="List your check-ins, newest first"
)
@paginated
def list_checkins(request: HttpRequest, filters: Query[CheckInFilters]) -> QuerySet[CheckIn]:
    rows = checkins_of(request_owner(request))
    if filters.first and filters.last and filters.first > filters.last:
        raise InvalidInput({"to": "Please choose a 'to' day on or after 'from'."}, ("query",))
    if filters.first:
        rows = rows.filter(day__gte=filters.first)
    if filters.last:
        rows = rows.filter(day__lte=filters.last)
    return rows.order_by("-day")


@router.get(
    "/{day}", response={200: CheckInOut, **NOT_FOUND_ERRORS}, summary="The check-in of one day"
)
def get_checkin(request: HttpRequest, day: dt.date) -> CheckIn:
    return _checkin(request, day)


@router.delete(
    "/{day}", response={204: None, **NOT_FOUND_ERRORS}, summary="Delete the check-in of one day"
)
def delete_checkin(request: HttpRequest, day: dt.date) -> Status[None]:
    _checkin(request, day).delete()
    return Status(204, None)
