"""/api/v1/safety-plan: the member's safety plan, and every earlier version of it.

The plan is one document: `{"sections": {slug: {"items", "people", "groups"}}}`.
A PUT that changes nothing makes no new version. People and groups are ids of
the member's own; any other id is refused with 422 naming the section.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status
from pydantic import ConfigDict

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, UtcDateTime, ValidationErrors
from closeknit.recovery import safety_plan, safety_views
from closeknit.recovery.models import SafetyPlanVersion
from closeknit.recovery.safety_plan import Plan, PlanError
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS

router = Router(tags=["safety plan"])

SECTIONS_DOC = ", ".join(SAFETY_PLAN_SECTIONS)
# No member saves a billion versions; a larger number can only be a mistake (and is a 404).
MAX_VERSION = 10**9


class SectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(
        default_factory=list,
        description=f"Lines in the member's own words, each at most "
        f"{safety_plan.MAX_ITEM_LENGTH} characters.",
    )
    people: list[Id] = Field(
        default_factory=list,
        description="Ids of people in your network (distractions, ask_for_help, professionals).",
    )
    groups: list[Id] = Field(
        default_factory=list, description="Ids of your groups (distractions only)."
    )


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sections: dict[str, SectionIn] = Field(
        description=f"By section: {SECTIONS_DOC}. Sections left out are empty."
    )
    # A client may send back what it read; these two are answers, not input.
    updated_at: datetime | None = Field(None, description="Ignored.")
    version: int | None = Field(None, description="Ignored.")


class SectionOut(Schema):
    items: list[str]
    people: list[int]
    groups: list[int]


class PlanOut(Schema):
    sections: dict[str, SectionOut]
    updated_at: UtcDateTime | None = Field(description="When this version was saved.")
    version: int | None = Field(description="1 for the first version saved, and so on.")


class VersionOut(Schema):
    version: int
    created_at: UtcDateTime

    @staticmethod
    def resolve_version(obj: SafetyPlanVersion) -> int:
        return int(obj.number)  # type: ignore[attr-defined]


def _out(version: SafetyPlanVersion | None, number: int | None) -> dict[str, Any]:
    return {
        "sections": safety_views.current_plan(version),
        "updated_at": version.created_at if version else None,
        "version": number,
    }


def _current(owner: User) -> dict[str, Any]:
    version = safety_views.latest(owner)
    if version is None:
        return _out(None, None)
    return _out(version, safety_views.versions(owner).count())


def _invalid(error: PlanError) -> Status[dict[str, Any]]:
    """422 naming each field inside `sections`, as django-ninja names fields of the body."""
    detail = [
        {"loc": ["body", "payload", "sections", *path], "msg": message, "type": "value_error"}
        for path, message in error.errors.items()
    ]
    return Status(422, {"detail": detail})


def _received(owner: User, payload: PlanIn) -> Plan:
    """The plan sent, normalised; ids of anyone removed since the current version are dropped.

    A client that reads the plan and writes it back would otherwise be refused
    for an id that was fine when it was saved.
    """
    plan = safety_plan.normalise(
        {slug: section.model_dump() for slug, section in payload.sections.items()}
    )
    now = safety_views.current_plan(safety_views.latest(owner))
    gone_people = safety_plan.people_ids(now) - set(
        safety_views.contacts(owner, safety_plan.people_ids(now))
    )
    gone_groups = safety_plan.group_ids(now) - set(
        safety_views.group_names(owner, safety_plan.group_ids(now))
    )
    return safety_plan.without_ids(plan, gone_people, gone_groups)


@router.get("", response={200: PlanOut, **NOT_FOUND_ERRORS}, summary="Your safety plan")
def get_safety_plan(request: HttpRequest) -> dict[str, Any]:
    owner = request_owner(request)
    if safety_views.latest(owner) is None:
        raise Http404
    return _current(owner)


@router.put(
    "",
    response={200: PlanOut, 201: PlanOut, **ERRORS, 422: ValidationErrors},
    summary="Save your safety plan",
    description="Replaces the whole plan. A new version is kept only when something changed; "
    "the first version answers 201.",
)
def put_safety_plan(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    owner = request_owner(request)
    try:
        plan = _received(owner, payload)
        saved = safety_views.save_plan(owner, plan)
    except PlanError as error:
        return _invalid(error)
    first = saved is not None and safety_views.versions(owner).count() == 1
    return Status(201 if first else 200, _current(owner))


@router.get(
    "/versions",
    response={200: list[VersionOut], **ERRORS},
    summary="Every version of your safety plan, newest first",
)
@paginated
def list_safety_plan_versions(request: HttpRequest) -> QuerySet[SafetyPlanVersion]:
    return safety_views.numbered(request_owner(request)).only("id", "owner", "created_at")


@router.get(
    "/versions/{version}",
    response={200: PlanOut, **NOT_FOUND_ERRORS},
    summary="One version of your safety plan",
)
def get_safety_plan_version(
    request: HttpRequest, version: Annotated[int, Path(description="1 for the first saved.")]
) -> dict[str, Any]:
    if not 1 <= version <= MAX_VERSION:
        raise Http404
    owner = request_owner(request)
    oldest_first = safety_views.versions(owner).order_by("created_at", "id")
    found = next(iter(oldest_first[version - 1 : version]), None)
    if found is None:
        raise Http404
    return _out(found, version)
