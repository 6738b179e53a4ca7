"""The recovery plan's part of the JSON export: goals, milestones, appointments, coping, safety plan.

`network.exporting.export_document` adds these keys to the document, with the
same conventions as the rest of it: records carry their database id, other
records point at them by that id, instants are ISO 8601 in UTC, vocabularies
are slugs, private text is decrypted, and every list has a fixed order, so two
exports of the same data are equal.

A goal's steps have no id: a milestone names its step by the step's place in
its goal's `steps` list (0 for the first). A person or group that is not in the
export (someone since deleted, whom an old safety-plan version still names) is
left out, so every reference in the document points at a record in it.

The queries are a fixed number, however large the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from datetime import date
from typing import Any

from django.db.models import Prefetch

from closeknit.accounts.models import User
from closeknit.network.exporting import utc
from closeknit.recovery.models import (
    Appointment,
    AppointmentSeries,
    CopingStrategy,
    CopingUse,
    Goal,
    GoalReflection,
    GoalStep,
    Milestone,
    SafetyPlanVersion,
)
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS

# What a safety-plan section holds: the member's own words, network people, network groups.
SECTION_PARTS = ("items", "people", "groups")

Sections = dict[str, dict[str, list[Any]]]


def recovery_document(
    owner: User, people: dict[int, int], groups: Container[int]
) -> dict[str, Any]:
    """The recovery keys of the export document.

    `people` maps the id of each exported person to their place in the document's
    "people" list (lists of people follow that order); `groups` holds the exported
    group ids. References to anyone else are dropped.
    """

    def person(pk: int | None) -> int | None:
        return pk if pk in people else None

    def has_group(pk: int) -> bool:
        return pk in groups

    def group(pk: int | None) -> int | None:
        return pk if pk is not None and has_group(pk) else None

    def in_order(ids: Iterable[int]) -> list[int]:
        return sorted({pk for pk in ids if pk in people}, key=people.__getitem__)

    goals = _goals(owner)
    goal_ids = {goal.pk for goal in goals}
    step_places: dict[int | None, tuple[int, int]] = {
        step.pk: (goal.pk, place) for goal in goals for place, step in enumerate(goal.steps.all())
    }
    series = sorted(AppointmentSeries.objects.owned_by(owner), key=lambda s: (s.starts_at, s.pk))
    series_ids = {one.pk for one in series}
    helpers = _links(Goal.helpers.through.objects.filter(goal__owner=owner), "goal_id", goals)
    milestones = sorted(Milestone.objects.owned_by(owner), key=lambda m: (m.achieved_on, m.pk))
    celebrated = _links(
        Milestone.people.through.objects.filter(milestone__owner=owner), "milestone_id", milestones
    )
    return {
        "goals": [_goal(goal, in_order(helpers[goal.pk])) for goal in goals],
        "milestones": [
            _milestone(milestone, goal_ids, step_places, in_order(celebrated[milestone.pk]))
            for milestone in milestones
        ],
        "appointment_series": [
            _series(one, person(one.person_id), group(one.group_id)) for one in series
        ],
        "appointments": [
            _appointment(
                appointment,
                appointment.series_id if appointment.series_id in series_ids else None,
                person(appointment.person_id),
                group(appointment.group_id),
            )
            for appointment in sorted(
                Appointment.objects.owned_by(owner), key=lambda a: (a.starts_at, a.pk)
            )
        ],
        "coping_strategies": [_strategy(strategy) for strategy in _strategies(owner)],
        "safety_plan_versions": [
            {
                "created_at": utc(version.created_at),
                "sections": sections_of(version.sections, people.__contains__, has_group),
            }
            for version in sorted(
                SafetyPlanVersion.objects.owned_by(owner), key=lambda v: (v.created_at, v.pk)
            )
        ],
    }


def sections_of(
    stored: Any,
    has_person: Callable[[int], bool] | None = None,
    has_group: Callable[[int], bool] | None = None,
) -> Sections:
    """A safety plan's sections in their complete, canonical form.

    Every section of SAFETY_PLAN_SECTIONS, in order, each with `items`, `people`
    and `groups` lists; anything else in the stored value is left out. The
    member's order of items and people is kept (whom to call first matters) and
    each id appears once. `has_person` and `has_group` say which ids to keep
    (by default, all).
    """
    stored = stored if isinstance(stored, dict) else {}
    sections: Sections = {}
    for slug in SAFETY_PLAN_SECTIONS:
        part = stored.get(slug)
        part = part if isinstance(part, dict) else {}
        sections[slug] = {
            "items": [item for item in _list(part.get("items")) if isinstance(item, str)],
            "people": _ids(part.get("people"), has_person),
            "groups": _ids(part.get("groups"), has_group),
        }
    return sections


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _ids(value: Any, keep: Callable[[int], bool] | None) -> list[int]:
    ids = [pk for pk in _list(value) if isinstance(pk, int) and not isinstance(pk, bool)]
    return [pk for pk in dict.fromkeys(ids) if keep is None or keep(pk)]


def _links(through: Any, owner_column: str, owners: list[Any]) -> dict[int, set[int]]:
    """The people linked to each of `owners`, read from the many-to-many table.

    Read directly: prefetching would decrypt every person's notes. Without any
    owners there is nothing to read, which keeps an empty plan's export short.
    """
    links: dict[int, set[int]] = defaultdict(set)
    if not owners:
        return links
    for owner_id, person_id in through.values_list(owner_column, "person_id"):
        links[owner_id].add(person_id)
    return links


def _goals(owner: User) -> list[Goal]:
    steps = GoalStep.objects.owned_by(owner).order_by("position", "pk")
    reflections = GoalReflection.objects.owned_by(owner).order_by("written_at", "pk")
    goals = Goal.objects.owned_by(owner).prefetch_related(
        Prefetch("steps", queryset=steps), Prefetch("reflections", queryset=reflections)
    )
    return sorted(goals, key=lambda goal: (goal.created_at, goal.pk))


def _strategies(owner: User) -> list[CopingStrategy]:
    uses = CopingUse.objects.owned_by(owner).order_by("used_at", "pk")
    strategies = CopingStrategy.objects.owned_by(owner).prefetch_related(
        Prefetch("uses", queryset=uses)
    )
    # Sorted here, not by the database, so SQLite and PostgreSQL collations agree.
    return sorted(strategies, key=lambda s: (s.title.casefold(), s.title, s.pk))


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _goal(goal: Goal, helpers: list[int]) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "title": goal.title,
        "why": goal.why,
        "target_date": _day(goal.target_date),
        "helpers": helpers,
        "completed_at": utc(goal.completed_at),
        "archived_at": utc(goal.archived_at),
        "created_at": utc(goal.created_at),
        "steps": [
            {"title": step.title, "done_at": utc(step.done_at), "position": step.position}
            for step in goal.steps.all()
        ],
        "reflections": [
            {"text": reflection.text, "written_at": utc(reflection.written_at)}
            for reflection in goal.reflections.all()
        ],
    }


def _milestone(
    milestone: Milestone,
    goals: set[int],
    step_places: dict[int | None, tuple[int, int]],
    people: list[int],
) -> dict[str, Any]:
    goal_id, place = step_places.get(milestone.step_id, (None, None))
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "achieved_on": _day(milestone.achieved_on),
        "goal": milestone.goal_id if milestone.goal_id in goals else None,
        # A step is named by its place within the milestone's own goal; any other step cannot be.
        "step": place if goal_id is not None and goal_id == milestone.goal_id else None,
        "people": people,
        "created_at": utc(milestone.created_at),
    }


def _series(series: AppointmentSeries, person: int | None, group: int | None) -> dict[str, Any]:
    return {
        "id": series.pk,
        "kind": series.kind,
        "title": series.title,
        "person": person,
        "group": group,
        "starts_at": utc(series.starts_at),
        "duration_minutes": series.duration_minutes,
        "schedule": series.schedule,
        "location": series.location,
        "ended_at": utc(series.ended_at),
        "created_at": utc(series.created_at),
    }


def _appointment(
    appointment: Appointment, series: int | None, person: int | None, group: int | None
) -> dict[str, Any]:
    return {
        "id": appointment.pk,
        "series": series,
        "kind": appointment.kind,
        "title": appointment.title,
        "person": person,
        "group": group,
        "starts_at": utc(appointment.starts_at),
        "duration_minutes": appointment.duration_minutes,
        "location": appointment.location,
        "notes": appointment.notes,
        "status": appointment.status,
        "status_changed_at": utc(appointment.status_changed_at),
        "created_at": utc(appointment.created_at),
    }


def _strategy(strategy: CopingStrategy) -> dict[str, Any]:
    return {
        "id": strategy.pk,
        "title": strategy.title,
        "description": strategy.description,
        "archived_at": utc(strategy.archived_at),
        "created_at": utc(strategy.created_at),
        "uses": [
            {"used_at": utc(use.used_at), "helped": use.helped, "note": use.note}
            for use in strategy.uses.all()
        ],
    }


__all__ = ["SECTION_PARTS", "Sections", "recovery_document", "sections_of"]
