"""/api/v1/reach-out: the reach-out list, ranked, and pausing someone on it.

The list is the reach-out page's own (rhythms/reach_out.py gathers, rhythms/ranking.py
ranks), for the member's local today. Someone paused is off the list until their
pause's day, so `paused_until` of a listed person is always null.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input
from closeknit.api.writes import InvalidInput
from closeknit.network.models import Person
from closeknit.rhythms import reach_out
from closeknit.rhythms.models import ReachOutPause
from closeknit.rhythms.ranking import SNOOZE_DAYS, Suggestion
from closeknit.rhythms.vocab import PauseKind

router = Router(tags=["reach-out"])

SNOOZE_WORDS = ", ".join(str(days) for days in SNOOZE_DAYS[:-1]) + f" or {SNOOZE_DAYS[-1]}"
NEEDS_DAYS = f"A snooze is for {SNOOZE_WORDS} days; please send one of them as days."
NO_DAYS = "'Not now' is until tomorrow, so it takes no days; leave days out."


class PersonRef(Schema):
    id: int
    name: str


class SuggestionOut(Schema):
    person: PersonRef
    reason: str = Field(description="Why now, in one plain sentence.")
    days_since_contact: int | None = Field(
        description="Days since you were last in touch, in your time zone; null if never."
    )
    rhythm_days: int | None = Field(description="How often you hope to be in touch, in days.")
    score: float = Field(description="Higher comes first; only the order means anything.")
    paused_until: dt.date | None = Field(
        description="Always null here: someone paused is off the list until that day."
    )

    @staticmethod
    def resolve_person(obj: Suggestion) -> dict[str, Any]:
        return {"id": obj.person_id, "name": obj.name}

    @staticmethod
    def resolve_score(obj: Suggestion) -> float:
        return round(obj.score, 3)

    @staticmethod
    def resolve_paused_until(obj: Suggestion) -> None:
        return None


class PauseIn(Input):
    kind: PauseKind = Field(description="not_now: until tomorrow; snooze: for `days`.")
    days: int | None = Field(None, description=f"For a snooze: {SNOOZE_WORDS}.")


class PauseOut(Schema):
    person: PersonRef
    kind: PauseKind
    until: dt.date = Field(description="Back on the list from this day, your time.")

    @staticmethod
    def resolve_person(obj: ReachOutPause) -> dict[str, Any]:
        return {"id": obj.person.pk, "name": obj.person.name}


def _person(owner: User, person_id: int) -> Person:
    return get_object_or_404(Person.objects.owned_by(owner), pk=person_id)


@router.get(
    "",
    response={200: list[SuggestionOut], **ERRORS},
    summary="Whom to reach out to today, most pressing first, each with a reason",
)
@paginated
def list_reach_out(request: HttpRequest) -> list[Suggestion]:
    return reach_out.suggestions(request_owner(request))


@router.post(
    "/{person_id}/pause",
    response={200: PauseOut, **NOT_FOUND_ERRORS},
    summary="Leave someone off the list: not now (until tomorrow), or snooze for some days",
)
def pause_reach_out(request: HttpRequest, person_id: int, payload: PauseIn) -> ReachOutPause:
    owner = request_owner(request)
    person = _person(owner, person_id)
    if payload.kind == PauseKind.SNOOZE and payload.days not in SNOOZE_DAYS:
        raise InvalidInput({"days": NEEDS_DAYS})
    if payload.kind == PauseKind.NOT_NOW and payload.days is not None:
        raise InvalidInput({"days": NO_DAYS})
    return reach_out.pause(owner, person, payload.kind.value, payload.days)


@router.delete(
    "/{person_id}/pause",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Put someone back on the list now (404 if they weren't paused)",
)
def lift_reach_out_pause(request: HttpRequest, person_id: int) -> Status[None]:
    owner = request_owner(request)
    if not reach_out.lift_pause(owner, _person(owner, person_id)):
        raise Http404
    return Status(204, None)
