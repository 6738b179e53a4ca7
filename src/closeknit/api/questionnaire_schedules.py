"""/api/v1/questionnaire-schedules: the questionnaires the member chose to repeat, and when.

A schedule is one per questionnaire, named by its code in the address. It is due
`every_days` after the local day it was last answered, and at once when it was never
answered (wellbeing/schedules.py, the rule the pages use).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input
from closeknit.wellbeing import instruments, store
from closeknit.wellbeing.models import QuestionnaireSchedule
from closeknit.wellbeing.schedules import next_due
from closeknit.wellbeing.vocab import InstrumentCode

router = Router(tags=["questionnaires"])

EveryDays = Annotated[int, Field(ge=1, le=366)]


class ScheduleIn(Input):
    every_days: EveryDays = Field(description="Days between answers, 1 to 366 (7 for weekly).")


class ScheduleOut(Schema):
    instrument: InstrumentCode
    name: str = Field(description="The questionnaire's short name, e.g. PHQ-9.")
    every_days: int
    last_taken: dt.date | None = Field(description="The day you last answered it, your time.")
    next_due: dt.date = Field(description="The day it is next due, your time.")
    due: bool = Field(description="Due today or earlier.")


@dataclass(frozen=True)
class ScheduleRow:
    instrument: str
    name: str
    every_days: int
    last_taken: dt.date | None
    next_due: dt.date
    due: bool


def rows_of(owner: User, schedules: list[QuestionnaireSchedule]) -> list[ScheduleRow]:
    """Each schedule with when it is next due (one query for every last answer)."""
    zone = owner.zone
    today = store.today(owner)
    last = store.last_taken(owner, zone) if schedules else {}
    rows = []
    for schedule in schedules:
        when = next_due(store.plan_of(schedule, zone), last.get(schedule.instrument))
        rows.append(
            ScheduleRow(
                instrument=schedule.instrument,
                name=instruments.get(schedule.instrument).name,
                every_days=schedule.every_days,
                last_taken=last.get(schedule.instrument),
                next_due=when,
                due=when <= today,
            )
        )
    return rows


@router.get(
    "",
    response={200: list[ScheduleOut], **ERRORS},
    summary="List the questionnaires you repeat, and when each is next due",
)
@paginated
def list_questionnaire_schedules(request: HttpRequest) -> list[ScheduleRow]:
    owner = request_owner(request)
    return rows_of(owner, list(QuestionnaireSchedule.objects.owned_by(owner)))


@router.put(
    "/{code}",
    response={200: ScheduleOut, **ERRORS},
    summary="Repeat a questionnaire every so many days (or change how often)",
)
def set_questionnaire_schedule(
    request: HttpRequest, code: InstrumentCode, payload: ScheduleIn
) -> ScheduleRow:
    owner = request_owner(request)
    return rows_of(owner, [store.set_schedule(owner, code.value, payload.every_days)])[0]


@router.delete(
    "/{code}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Stop repeating a questionnaire",
)
def delete_questionnaire_schedule(request: HttpRequest, code: InstrumentCode) -> Status[None]:
    if not store.stop_schedule(request_owner(request), code.value):
        raise Http404
    return Status(204, None)
