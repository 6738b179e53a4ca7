"""/api/v1/appointments: therapy, groups and other appointments, how they went, and attendance."""

from __future__ import annotations

from datetime import datetime
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, Input, Moment, Notes, UtcDateTime, patch_schema
from closeknit.api.values import in_zone, lower_bound, parse_moment, upper_bound
from closeknit.api.writes import InvalidInput, owned_group, owned_people
from closeknit.network import schedule
from closeknit.recovery import appointments as booked
from closeknit.recovery import attendance as rules
from closeknit.recovery.models import Appointment
from closeknit.recovery.vocab import AppointmentKind, AppointmentStatus

router = Router(tags=["appointments"])

MAX_MINUTES = 24 * 60
MAX_WINDOW_DAYS = 366


def _rule(value: str) -> str:
    # The same rules as the web form's "something else", so both accept the same text.
    try:
        return schedule.validate(value)
    except schedule.ScheduleError as error:
        raise PydanticCustomError("value_error", str(error)) from None


Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Location = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Minutes = Annotated[int, Field(ge=5, le=MAX_MINUTES)]
Repeat = Annotated[str, StringConstraints(max_length=500), AfterValidator(_rule)]


class AppointmentPut(Input):
    kind: AppointmentKind
    title: Title = ""
    person: Id | None = Field(None, description="Id of a person in your network.")
    group: Id | None = Field(None, description="Id of one of your groups.")
    starts_at: datetime = Field(description="Without an offset it is read in your time zone.")
    duration_minutes: Minutes = 50
    location: Location = ""
    notes: Notes = ""
    status: AppointmentStatus = Field(
        AppointmentStatus.SCHEDULED,
        description="attended and missed only once it has started; cancelled at any time.",
    )


class AppointmentIn(AppointmentPut):
    repeat: Repeat = Field(
        "",
        description="An iCalendar RRULE (e.g. FREQ=WEEKLY): this appointment becomes the first "
        "of a series, and the ones after it are added up to 120 days ahead as time goes on.",
    )


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    AppointmentPatch = AppointmentPut
else:
    AppointmentPatch = patch_schema(AppointmentPut, "AppointmentPatch")


class AppointmentOut(Schema):
    id: int
    kind: AppointmentKind
    title: str
    person: int | None
    group: int | None
    starts_at: UtcDateTime
    duration_minutes: int
    location: str
    notes: str
    status: AppointmentStatus
    status_changed_at: UtcDateTime | None
    series: int | None = Field(description="The repeating series it belongs to, if any.")

    @staticmethod
    def resolve_person(obj: Appointment) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_group(obj: Appointment) -> int | None:
        return obj.group_id

    @staticmethod
    def resolve_series(obj: Appointment) -> int | None:
        return obj.series_id


class AppointmentFilters(Schema):
    status: AppointmentStatus | None = None
    kind: AppointmentKind | None = None
    since: Moment | None = Field(
        None, description="ISO date or date-time; a date starts at midnight in your time zone."
    )
    until: Moment | None = Field(
        None, description="ISO date or date-time, inclusive; a date covers its whole day."
    )


class AttendanceOut(Schema):
    attended: int
    missed: int
    rate: float | None = Field(description="attended ÷ (attended + missed); null with neither.")
    window_days: int


class AttendanceQuery(Schema):
    window_days: int = Field(rules.WINDOW_DAYS, ge=1, le=MAX_WINDOW_DAYS)


class Scope(StrEnum):
    THIS = booked.THIS
    FUTURE = booked.FUTURE
    ALL = booked.ALL


class DeleteQuery(Schema):
    scope: Scope = Field(
        Scope.THIS,
        description="For one of a series: this one only, this one and every later one "
        "(attended and missed ones stay), or the whole series.",
    )


def appointments(owner: User) -> QuerySet[Appointment]:
    return Appointment.objects.owned_by(owner)


def filtered(owner: User, filters: AppointmentFilters) -> QuerySet[Appointment]:
    rows = appointments(owner)
    if filters.status:
        rows = rows.filter(status=filters.status.value)
    if filters.kind:
        rows = rows.filter(kind=filters.kind.value)
    start = lower_bound(parse_moment(filters.since), owner.zone) if filters.since else None
    end = upper_bound(parse_moment(filters.until), owner.zone) if filters.until else None
    if start is not None and end is not None and end <= start:
        raise InvalidInput({"until": "Please choose an 'until' after 'since'."}, ("query",))
    if start is not None:
        rows = rows.filter(starts_at__gte=start)
    if end is not None:
        rows = rows.filter(starts_at__lt=end)
    return rows.order_by("starts_at", "id")


def _appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    return get_object_or_404(appointments(request_owner(request)), pk=appointment_id)


def _apply(owner: User, appointment: Appointment, data: dict[str, Any]) -> None:
    """Put the fields sent on the appointment, checking that people and groups are the owner's."""
    fields = dict(data)
    if "person" in fields:
        person_id = fields.pop("person")
        appointment.person = owned_people(owner, [person_id], "person")[0] if person_id else None
    if "group" in fields:
        appointment.group = owned_group(owner, fields.pop("group"))
    if fields.get("starts_at") is not None:
        fields["starts_at"] = in_zone(fields["starts_at"], owner.zone)
    for field, value in fields.items():
        if value is None:
            raise InvalidInput({field: "This can't be empty; leave it out to keep it as it is."})
        setattr(appointment, field, value.value if isinstance(value, Enum) else value)


def _check_status(appointment: Appointment, now: datetime) -> None:
    problem = rules.status_problem(appointment.status, appointment.starts_at, now)
    if problem is not None:
        raise InvalidInput({"status": problem})


@router.get(
    "", response={200: list[AppointmentOut], **ERRORS}, summary="List appointments, soonest first"
)
@paginated
def list_appointments(
    request: HttpRequest, filters: Query[AppointmentFilters]
) -> QuerySet[Appointment]:
    owner = request_owner(request)
    booked.materialise_due(owner, timezone.now())
    return filtered(owner, filters)


@router.post("", response={201: AppointmentOut, **ERRORS}, summary="Add an appointment")
def create_appointment(request: HttpRequest, payload: AppointmentIn) -> Status[Appointment]:
    owner, now = request_owner(request), timezone.now()
    data = payload.model_dump()
    repeat = data.pop("repeat")
    with transaction.atomic():
        appointment = Appointment(owner=owner)
        _apply(owner, appointment, data)
        _check_status(appointment, now)
        try:
            booked.create(appointment, repeat, now=now, zone=owner.zone)
        except booked.RepeatError as error:
            raise InvalidInput({"starts_at": str(error)}) from None
    return Status(201, appointment)


# Before "/{appointment_id}", so that "attendance" is never read as an id.
@router.get(
    "/attendance",
    response={200: AttendanceOut, **ERRORS},
    summary="How many appointments you went to lately",
)
def get_attendance(request: HttpRequest, query: Query[AttendanceQuery]) -> rules.Attendance:
    return booked.attendance_of(request_owner(request), timezone.now(), query.window_days)


@router.get(
    "/{appointment_id}",
    response={200: AppointmentOut, **NOT_FOUND_ERRORS},
    summary="One appointment",
)
def get_appointment(request: HttpRequest, appointment_id: int) -> Appointment:
    return _appointment(request, appointment_id)


def _save(request: HttpRequest, appointment_id: int, data: dict[str, Any]) -> Appointment:
    owner, now = request_owner(request), timezone.now()
    with transaction.atomic():
        appointment = _appointment(request, appointment_id)
        previous_start, previous_status = appointment.starts_at, appointment.status
        _apply(owner, appointment, data)
        if appointment.status != previous_status or appointment.starts_at != previous_start:
            _check_status(appointment, now)
        if appointment.status != previous_status:
            appointment.status_changed_at = now
        booked.update(appointment, previous_start, now=now, zone=owner.zone)
    return appointment


@router.put(
    "/{appointment_id}",
    response={200: AppointmentOut, **NOT_FOUND_ERRORS},
    summary="Replace an appointment",
)
def replace_appointment(
    request: HttpRequest, appointment_id: int, payload: AppointmentPut
) -> Appointment:
    return _save(request, appointment_id, payload.model_dump())


@router.patch(
    "/{appointment_id}",
    response={200: AppointmentOut, **NOT_FOUND_ERRORS},
    summary="Change some fields, e.g. the status",
)
def update_appointment(
    request: HttpRequest, appointment_id: int, payload: AppointmentPatch
) -> Appointment:
    return _save(request, appointment_id, payload.model_dump(exclude_unset=True))


@router.delete(
    "/{appointment_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete an appointment (or with scope, more of its series)",
)
def delete_appointment(
    request: HttpRequest, appointment_id: int, query: Query[DeleteQuery]
) -> Status[None]:
    owner = request_owner(request)
    appointment = get_object_or_404(appointments(owner).select_related("series"), pk=appointment_id)
    booked.delete(appointment, query.scope.value, now=timezone.now(), zone=owner.zone)
    return Status(204, None)
