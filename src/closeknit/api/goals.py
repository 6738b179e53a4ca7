"""/api/v1/goals: the member's goals, with their steps in order and their progress.

Steps travel inside their goal as `[{"id", "title", "done"}]`. A PUT (or a PATCH that
sends `steps`) replaces the whole list: a step sent with its `id` is kept (renamed,
moved, ticked), one without an `id` is added, one left out is deleted. Ticking and
reaching follow the same milestone rules as the goal pages (recovery/goals.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, Ids, Input, Notes, UtcDateTime, patch_schema
from closeknit.api.writes import InvalidInput, mark_archived, owned_people
from closeknit.network.models import Person
from closeknit.recovery import goals
from closeknit.recovery.goals_forms import (
    delete_steps,
    reach_goal,
    refresh_reached,
    reopen_goal,
    tick_step,
    untick_step,
)
from closeknit.recovery.models import Goal, GoalStep

router = Router(tags=["goals"])

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class StepIn(Input):
    id: Id | None = Field(None, description="Leave out to add a new step.")
    title: Title
    done: bool = False


class GoalIn(Input):
    title: Title
    why: Notes = Field("", description="Why it matters to you.")
    target_date: date | None = None
    helpers: Ids = Field(default_factory=list, description="Ids of people in your network.")
    steps: list[StepIn] = Field(
        default_factory=list,
        max_length=goals.MAX_STEPS,
        description="All the goal's steps, in order: sent ids are kept, others deleted.",
    )
    completed: bool = Field(
        False, description="Reached. Allowed when the goal has no steps or all are done."
    )
    archived: bool = False


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    GoalPatch = GoalIn
else:
    GoalPatch = patch_schema(GoalIn, "GoalPatch")


class StepOut(Schema):
    id: int
    title: str
    done: bool

    @staticmethod
    def resolve_done(obj: GoalStep) -> bool:
        return obj.done_at is not None


class ProgressOut(Schema):
    done: int
    total: int


class GoalOut(Schema):
    id: int
    title: str
    why: str
    target_date: date | None
    helpers: list[int]
    steps: list[StepOut]
    progress: ProgressOut = Field(description="Steps done of all steps; read-only.")
    completed: bool
    completed_at: UtcDateTime | None
    archived: bool
    created_at: UtcDateTime

    @staticmethod
    def resolve_helpers(obj: Goal) -> list[int]:
        return sorted(person.pk for person in obj.helpers.all())

    @staticmethod
    def resolve_steps(obj: Goal) -> list[GoalStep]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_progress(obj: Goal) -> dict[str, int]:
        current = goals.progress(step.done_at is not None for step in obj.steps.all())
        return {"done": current.done, "total": current.total}

    @staticmethod
    def resolve_completed(obj: Goal) -> bool:
        return obj.completed_at is not None

    @staticmethod
    def resolve_archived(obj: Goal) -> bool:
        return obj.archived_at is not None


class GoalFilters(Schema):
    completed: bool | None = Field(None, description="Leave out for both.")
    archived: bool | None = Field(None, description="Leave out for both.")


def goal_rows(owner: User) -> QuerySet[Goal]:
    # Steps and helpers' ids come in one extra query each for the whole page.
    return Goal.objects.owned_by(owner).prefetch_related(
        Prefetch("steps", queryset=GoalStep.objects.order_by("position", "id")),
        Prefetch("helpers", queryset=Person.objects.only("id").order_by()),
    )


def _goal(request: HttpRequest, goal_id: int) -> Goal:
    return get_object_or_404(goal_rows(request_owner(request)), pk=goal_id)


def _fresh(owner: User, goal: Goal) -> Goal:
    """The goal as saved, with its steps and helpers read again."""
    return goal_rows(owner).get(pk=goal.pk)


def _check(goal: Goal) -> None:
    """The model's own checks, as a last guard; their messages name the field."""
    try:
        goal.full_clean(exclude=["owner", "helpers"], validate_unique=False)
    except DjangoValidationError as error:
        raise InvalidInput(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from None


def _replace_steps(owner: User, goal: Goal, steps: list[Mapping[str, Any]]) -> None:
    """Make the goal's steps exactly `steps`, in that order, through the milestone rules."""
    existing = {step.pk: step for step in GoalStep.objects.filter(goal=goal)}
    for step in existing.values():
        step.goal = goal  # the same object, so its reached state is seen by every step
    try:
        plan = goals.plan_steps(existing, [step.get("id") for step in steps])
    except ValueError as error:
        raise InvalidInput({"steps": str(error)}) from None
    delete_steps(goal, list(plan.delete))
    now, zone = timezone.now(), owner.zone
    for position, wanted in enumerate(steps):
        step = existing.get(wanted["id"]) if wanted.get("id") else None
        if step is None:
            step = GoalStep.objects.create(
                owner=owner, goal=goal, title=wanted["title"], position=position
            )
        else:
            step.title, step.position = wanted["title"], position
            step.save(update_fields=["title", "position"])
        if wanted["done"]:
            tick_step(step, now, zone)
        else:
            untick_step(step, now, zone)
    refresh_reached(goal)


def _set_completed(owner: User, goal: Goal, completed: bool) -> None:
    now, zone = timezone.now(), owner.zone
    if not completed:
        reopen_goal(goal, now, zone)
        return
    current = goals.progress(
        done_at is not None for done_at in goal.steps.values_list("done_at", flat=True)
    )
    if not goals.can_be_reached(current):
        raise InvalidInput(
            {
                "completed": f"A goal is reached once all its steps are done; "
                f"{current.label} are. Tick the others off, or remove them, first."
            }
        )
    reach_goal(goal, now, zone)


def save_goal(owner: User, goal: Goal | None, data: Mapping[str, Any]) -> Goal:
    """Create or change a goal; a refused request changes nothing (one transaction)."""
    fields = dict(data)
    helper_ids = fields.pop("helpers", None)
    steps = fields.pop("steps", None)
    completed = fields.pop("completed", None)
    archived = fields.pop("archived", None)
    with transaction.atomic():
        helpers = owned_people(owner, helper_ids, "helpers") if helper_ids is not None else None
        goal = goal or Goal(owner=owner)
        for name, value in fields.items():
            setattr(goal, name, value)
        if archived is not None:
            mark_archived(goal, archived)
        _check(goal)
        goal.save()
        if helpers is not None:
            goal.helpers.set(helpers)
        if steps is not None:
            _replace_steps(owner, goal, steps)
        if completed is not None:
            goal.refresh_from_db(fields=["completed_at"])
            _set_completed(owner, goal, completed)
    return _fresh(owner, goal)


@router.get("", response={200: list[GoalOut], **ERRORS}, summary="List your goals")
@paginated
def list_goals(request: HttpRequest, filters: Query[GoalFilters]) -> QuerySet[Goal]:
    rows = goal_rows(request_owner(request))
    if filters.completed is not None:
        rows = rows.filter(completed_at__isnull=not filters.completed)
    if filters.archived is not None:
        rows = rows.filter(archived_at__isnull=not filters.archived)
    return rows.order_by("created_at", "id")


@router.post("", response={201: GoalOut, **ERRORS}, summary="Add a goal")
def create_goal(request: HttpRequest, payload: GoalIn) -> Status[Goal]:
    return Status(201, save_goal(request_owner(request), None, payload.model_dump()))


@router.get("/{goal_id}", response={200: GoalOut, **NOT_FOUND_ERRORS}, summary="One goal")
def get_goal(request: HttpRequest, goal_id: int) -> Goal:
    return _goal(request, goal_id)


@router.put(
    "/{goal_id}", response={200: GoalOut, **NOT_FOUND_ERRORS}, summary="Replace a goal and steps"
)
def replace_goal(request: HttpRequest, goal_id: int, payload: GoalIn) -> Goal:
    goal = _goal(request, goal_id)
    return save_goal(request_owner(request), goal, payload.model_dump())


@router.patch(
    "/{goal_id}", response={200: GoalOut, **NOT_FOUND_ERRORS}, summary="Change some fields"
)
def update_goal(request: HttpRequest, goal_id: int, payload: GoalPatch) -> Goal:
    goal = _goal(request, goal_id)
    return save_goal(request_owner(request), goal, payload.model_dump(exclude_unset=True))


@router.delete("/{goal_id}", response={204: None, **NOT_FOUND_ERRORS}, summary="Delete a goal")
def delete_goal(request: HttpRequest, goal_id: int) -> Status[None]:
    # Its steps and reflections go with it; milestones reached on the way stay.
    _goal(request, goal_id).delete()
    return Status(204, None)
