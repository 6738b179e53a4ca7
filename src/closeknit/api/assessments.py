"""/api/v1/assessments: the questionnaires the member answered, and the score each gave.

Answers are the option codes of `GET /instruments/{code}`, in item order, null for one
left unanswered. They are scored by the one scorer (wellbeing/scoring.py) and kept with
their score (wellbeing/store.py), exactly as when answered on the questionnaire page.

When an answer tells of thoughts of self-harm (PHQ-9 item 9 above 0), the answer to
POST carries `support`: the crisis lines for the member's country and a pointer to
their safety plan. Nothing is sent to anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.crisis_lines import CrisisLineOut, line_out
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.api.values import in_zone
from closeknit.api.writes import InvalidInput
from closeknit.recovery import crisis
from closeknit.wellbeing import instruments, scoring, store
from closeknit.wellbeing.models import Assessment
from closeknit.wellbeing.scoring import AnswerError
from closeknit.wellbeing.vocab import SELF_HARM_THOUGHTS, InstrumentCode

router = Router(tags=["questionnaires"])

# No questionnaire has nearly this many questions; a longer list can only be a mistake.
MAX_ANSWERS = 100
# A result is noted once answered; a little slack covers a clock or zone mix-up.
FUTURE_SLACK = timedelta(hours=12)
# Strict: true, 1.5 or "2" is not an answer code, and must not be read as one.
Answer = StrictInt | None
Number = int | float

SUPPORT_WORDS = (
    "Thank you for answering honestly. If thoughts of being better off dead or of hurting "
    "yourself are with you, you don't have to carry them alone: your safety plan is there "
    "for moments like this"
)
NOTHING_SENT = "Nothing has been sent to anyone."


class AssessmentIn(Input):
    instrument: InstrumentCode
    answers: Annotated[list[Answer], Field(max_length=MAX_ANSWERS)] = Field(
        description="The code of each answer, in question order; null for one left unanswered."
    )
    taken_at: datetime | None = Field(
        None,
        description="When it was answered; without an offset it is read in your time zone. "
        "Left out, it is now.",
    )


class AssessmentOut(Schema):
    id: int
    instrument: InstrumentCode
    total: Number | None = Field(
        description="A whole number for a sum, a mean to two decimals; null when incomplete."
    )
    subscales: dict[str, Number | None] = Field(description="By subscale slug, as the total.")
    band: str | None = Field(description="The slug of the total's band; null when incomplete.")
    complete: bool
    prorated: bool = Field(description="A missing answer was filled in from the others.")
    flags: list[str] = Field(description="Safety flags, e.g. self_harm_thoughts.")
    taken_at: UtcDateTime
    answers: list[int | None]

    @staticmethod
    def resolve_total(obj: Assessment) -> Number | None:
        return scoring.stored(instruments.get(obj.instrument), obj.total)

    @staticmethod
    def resolve_subscales(obj: Assessment) -> dict[str, Number | None]:
        instrument = instruments.get(obj.instrument)
        return {slug: scoring.stored(instrument, value) for slug, value in obj.subscales.items()}

    @staticmethod
    def resolve_band(obj: Assessment) -> str | None:
        return obj.band or None


class SupportOut(Schema):
    message: str
    safety_plan_url: str = Field(description="Your safety plan in Closeknit.")
    country: str
    lines: list[CrisisLineOut]
    emergency_number: str | None = Field(description="The local emergency number, when we know it.")
    directory_url: str = Field(description="A world-wide directory of free helplines.")


class AssessmentResultOut(AssessmentOut):
    support: SupportOut | None = Field(
        description="Crisis lines and your safety plan, when an answer raised a safety flag; "
        "null otherwise."
    )

    @staticmethod
    def resolve_support(obj: Assessment, context: dict[str, Any]) -> SupportOut | None:
        if SELF_HARM_THOUGHTS not in obj.flags:
            return None
        request = context["request"]
        return support_for(request, request_owner(request))


class AssessmentFilters(Schema):
    instrument: InstrumentCode | None = None


def assessments(owner: User) -> QuerySet[Assessment]:
    return Assessment.objects.owned_by(owner)


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return get_object_or_404(assessments(request_owner(request)), pk=assessment_id)


def support_for(request: HttpRequest, owner: User) -> SupportOut:
    """Where to turn now, for the member's country; read here, never sent anywhere."""
    country = (owner.country or "").upper()
    lines = crisis.lines_for(country)
    emergency = crisis.emergency_number(country)
    if lines:
        words = [f"{SUPPORT_WORDS}, and the crisis lines listed here are free and confidential."]
    else:
        words = [f"{SUPPORT_WORDS}, and {crisis.DIRECTORY_URL} lists free, confidential lines."]
    if emergency:
        words.append(f"If you are in danger right now, please call {emergency}.")
    words.append(NOTHING_SENT)
    return SupportOut(
        message=" ".join(words),
        safety_plan_url=request.build_absolute_uri(reverse("recovery:safety-plan")),
        country=country,
        lines=[line_out(line) for line in lines],
        emergency_number=emergency or None,
        directory_url=crisis.DIRECTORY_URL,
    )


@router.post(
    "",
    response={201: AssessmentResultOut, **ERRORS},
    summary="Answer a questionnaire, and get its score",
)
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> Status[Assessment]:
    owner, now = request_owner(request), timezone.now()
    taken_at = in_zone(payload.taken_at, owner.zone) if payload.taken_at else now
    if taken_at > now + FUTURE_SLACK:
        raise InvalidInput({"taken_at": "That's still ahead; answer once the time has come."})
    try:
        assessment, _result = store.record_assessment(
            owner, payload.instrument.value, payload.answers, taken_at
        )
    except AnswerError as error:
        raise InvalidInput({"answers": str(error)}) from None
    return Status(201, assessment)


@router.get(
    "",
    response={200: list[AssessmentOut], **ERRORS},
    summary="List your questionnaire results, newest first",
)
@paginated
def list_assessments(
    request: HttpRequest, filters: Query[AssessmentFilters]
) -> QuerySet[Assessment]:
    rows = assessments(request_owner(request))
    if filters.instrument:
        rows = rows.filter(instrument=filters.instrument.value)
    return rows.order_by("-taken_at", "-id")


@router.get(
    "/{assessment_id}",
    response={200: AssessmentOut, **NOT_FOUND_ERRORS},
    summary="One questionnaire result",
)
def get_assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return _assessment(request, assessment_id)


@router.delete(
    "/{assessment_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete a questionnaire result",
)
def delete_assessment(request: HttpRequest, assessment_id: int) -> Status[None]:
    _assessment(request, assessment_id).delete()
    return Status(204, None)
