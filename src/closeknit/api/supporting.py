"""/api/v1/supporting: the caller as a supporter — whom they support, and what each shares.

The caller's token acts for them as a supporter here. Every operation on one member goes
through the consent gate (`grants.grant`): without an active link that shares the scope
asked for, the answer is the same 404 as for a missing id, whatever the reason. Each
read of shared data writes one line to the member's access log, marked "via the API".

- `mood-trend`: weekly means of mood and stress (one decimal) and the days behind each;
  never a note or a single day.
- `safety-plan`: the member's current plan, section by section, as their plan page shows
  it (people by name, with the phone number the plan shows).
- `goals`: goals not archived and not yet reached, with their steps.
- `help-requests`: the member's recent "I need support" requests to the caller that
  they have not answered yet.
- `encouragements`: send a short note (any active link may), at most 10 a day.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.api.writes import InvalidInput
from closeknit.circle import encouragement, grants, sharing, trend
from closeknit.circle.models import OVERVIEW, HelpAnswer, Link
from closeknit.circle.vocab import Scope, Via

router = Router(tags=["circle"])


class SupportingOut(Schema):
    id: int = Field(description="The link's id: use it in the operations below.")
    member_name: str
    scopes: list[Scope] = Field(description="What the member shares with you, in a fixed order.")
    since: UtcDateTime = Field(description="When you joined their circle.")

    @staticmethod
    def resolve_member_name(obj: Link) -> str:
        return sharing.member_name(obj)

    @staticmethod
    def resolve_scopes(obj: Link) -> list[str]:
        return [scope for scope in Scope.values if scope in obj.scopes]

    @staticmethod
    def resolve_since(obj: Link) -> dt.datetime:
        return obj.created_at


class WeekOut(Schema):
    start: dt.date = Field(description="The Monday that starts the week, in the member's days.")
    end: dt.date
    mood: float | None = Field(
        description="Mean mood, 0–10, one decimal; null: fewer than two days with a mood."
    )
    mood_days: int = Field(description="How many days of the week have a mood.")
    stress: float | None = Field(
        description="Mean stress, 0–10, one decimal; null: fewer than two days with one."
    )
    stress_days: int


class MoodTrendOut(Schema):
    today: dt.date = Field(description="Today in the member's own time zone.")
    weeks: list[WeekOut] = Field(
        description="Full weeks, oldest first, ending with the last one before this week."
    )


class TrendFilters(Schema):
    weeks: int = Field(trend.WEEKS, ge=1, le=52, description="How many weeks, at most 52.")


class PlanPersonOut(Schema):
    name: str
    phone: str
    removed: bool = Field(description="No longer in the member's network.")


class PlanGroupOut(Schema):
    name: str
    removed: bool


class PlanSectionOut(Schema):
    slug: str
    title: str
    items: list[str]
    people: list[PlanPersonOut]
    groups: list[PlanGroupOut]


class SharedPlanOut(Schema):
    sections: list[PlanSectionOut] = Field(description="Empty until the member writes a plan.")
    updated_at: UtcDateTime | None


class StepOut(Schema):
    title: str
    done: bool


class GoalOut(Schema):
    id: int
    title: str
    target_date: dt.date | None
    steps_done: int
    steps_total: int
    steps: list[StepOut]

    @staticmethod
    def resolve_steps_done(obj: sharing.SharedGoal) -> int:
        return obj.progress.done

    @staticmethod
    def resolve_steps_total(obj: sharing.SharedGoal) -> int:
        return obj.progress.total


class HelpRequestOut(Schema):
    id: int = Field(description="The id of your answer to give (not the member's request).")
    message: str
    sent_at: UtcDateTime

    @staticmethod
    def resolve_message(obj: HelpAnswer) -> str:
        return obj.request.message

    @staticmethod
    def resolve_sent_at(obj: HelpAnswer) -> dt.datetime:
        return obj.request.created_at


Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=encouragement.MAX_LENGTH),
]


class EncouragementIn(Input):
    text: Note = Field(description=f"1 to {encouragement.MAX_LENGTH} characters.")


class SentOut(Schema):
    id: int
    text: str
    sent_at: UtcDateTime


def _seen(request: HttpRequest, link_id: int, scope: str | None) -> Link:
    """The link, through the consent gate, with the view written to the member's log."""
    link = grants.grant(request_owner(request), link_id, scope)
    grants.record_view(link, scope or OVERVIEW, Via.API)
    return link


@router.get(
    "",
    response={200: list[SupportingOut], **ERRORS},
    summary="List the people you support, and what each shares with you",
)
@paginated
def list_supporting(request: HttpRequest) -> Any:
    return sharing.overview(request_owner(request))


@router.get(
    "/{link_id}",
    response={200: SupportingOut, **NOT_FOUND_ERRORS},
    summary="One person you support (logged for them)",
)
def get_supporting(request: HttpRequest, link_id: int) -> Link:
    return _seen(request, link_id, None)


@router.get(
    "/{link_id}/mood-trend",
    response={200: MoodTrendOut, **NOT_FOUND_ERRORS},
    summary="Their mood and stress as weekly averages (when shared; logged for them)",
)
def get_supporting_mood_trend(
    request: HttpRequest, link_id: int, filters: Query[TrendFilters]
) -> dict[str, Any]:
    link = _seen(request, link_id, Scope.MOOD_TREND)
    today = sharing.member_today(link)
    weeks = sharing.mood_trend(link, today, filters.weeks)
    return {
        "today": today,
        "weeks": [
            {
                "start": week.start,
                "end": week.end,
                "mood": trend.rounded(week.mood),
                "mood_days": week.mood_days,
                "stress": trend.rounded(week.stress),
                "stress_days": week.stress_days,
            }
            for week in weeks
        ],
    }


@router.get(
    "/{link_id}/safety-plan",
    response={200: SharedPlanOut, **NOT_FOUND_ERRORS},
    summary="Their safety plan (when shared; logged for them)",
)
def get_supporting_safety_plan(request: HttpRequest, link_id: int) -> dict[str, Any]:
    shared = sharing.safety_plan(_seen(request, link_id, Scope.SAFETY_PLAN))
    if shared is None:
        return {"sections": [], "updated_at": None}
    sections = [
        {
            "slug": part.slug,
            "title": part.section.title,
            "items": part.items,
            "people": [
                {
                    "name": sharing.REMOVED_PERSON if person.removed else person.name,
                    "phone": person.phone,
                    "removed": person.removed,
                }
                for person in part.people
            ],
            "groups": [
                {
                    "name": sharing.REMOVED_GROUP if group.removed else group.name,
                    "removed": group.removed,
                }
                for group in part.groups
            ],
        }
        for part in shared.plan.sections
    ]
    return {"sections": sections, "updated_at": shared.changed_at}


@router.get(
    "/{link_id}/goals",
    response={200: list[GoalOut], **NOT_FOUND_ERRORS},
    summary="The goals they are working on (when shared; logged for them)",
)
@paginated
def get_supporting_goals(request: HttpRequest, link_id: int) -> list[sharing.SharedGoal]:
    return sharing.goals(_seen(request, link_id, Scope.GOALS))


@router.get(
    "/{link_id}/help-requests",
    response={200: list[HelpRequestOut], **NOT_FOUND_ERRORS},
    summary="Their recent requests for support to you, not yet answered (when shared)",
)
@paginated
def list_supporting_help_requests(request: HttpRequest, link_id: int) -> Any:
    link = _seen(request, link_id, Scope.HELP_REQUESTS)
    return sharing.open_help_requests(request_owner(request), link)


@router.post(
    "/{link_id}/encouragements",
    response={201: SentOut, **NOT_FOUND_ERRORS},
    summary="Send them a note of encouragement",
)
def send_encouragement(request: HttpRequest, link_id: int, payload: EncouragementIn) -> Status[Any]:
    link = grants.grant(request_owner(request), link_id)
    try:
        note = encouragement.send(link, payload.text)
    except encouragement.EncouragementError as error:
        raise InvalidInput({"text": str(error)}) from None
    return Status(201, note)
