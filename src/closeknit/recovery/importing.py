"""Bringing the recovery plan and the safety plan of a JSON export into an account.

`network.importing.import_document` reads the people and groups first; this
module reads the rest of the document (`read_plan`, pure: it checks everything
and names the record at fault) and writes it (`import_plan`), mapping every
person and group id of the export to the one the import matched or created.
Both run inside the import's one transaction, so a damaged document changes
nothing.

Nothing is added twice. What is "already there", among the member's own records:

- a **goal** with the same title (case and spaces aside). Its steps (same title),
  reflections (same time and text) and helpers that are missing are added, and
  an empty "why", target date or completion filled in; nothing is overwritten;
- a **milestone** with the same title on the same day; missing people are added;
- an **appointment series** of the same kind, first time and rule;
- an **appointment** of the same series at the same time (the database allows one
  per occurrence) or, without a series, one at the same time of the same kind
  with the same person and group;
- a **coping strategy** with the same title; missing uses (same time, same
  rating) are added and an empty description filled in;
- a **safety-plan version** saved at the same time with the same sections.

Records with the same key within one document each get their own match, so a
document holding two goals of the same name brings back two goals. The counts
are one per goal, milestone, series, appointment, strategy and version.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.network import schedule as schedules

# The network import's record checks, so that every message of one import reads alike.
from closeknit.network.importing import (
    BATCH_SIZE,
    ImportResult,
    Outcome,
    _field,
    _list,
    _Record,
    _taken,
    _unique_keys,
    name_key,
)
from closeknit.recovery.exporting import SECTION_PARTS, Sections, sections_of
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
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS, AppointmentKind, AppointmentStatus

__all__ = ["Plan", "import_plan", "read_plan"]

TITLE_MAX = 200
LOCATION_MAX = 200
# A positive whole number that every database's integer column holds.
POSITION_MAX = 2**31 - 1
# An appointment lasts at most a week; anything longer is almost certainly a typo.
DURATION_MAX = 7 * 24 * 60
DEFAULT_DURATION = 50

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


# The checked plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    title: str
    done_at: datetime | None
    position: int


@dataclass(frozen=True)
class ReflectionEntry:
    text: str
    written_at: datetime


@dataclass(frozen=True)
class GoalEntry:
    key: object
    title: str
    why: str
    target_date: date | None
    helpers: list[object]
    completed_at: datetime | None
    archived_at: datetime | None
    created_at: datetime | None
    steps: list[StepEntry]
    reflections: list[ReflectionEntry]


@dataclass(frozen=True)
class MilestoneEntry:
    title: str
    achieved_on: date
    goal: object | None
    step: int | None  # the step's place in its goal's steps
    people: list[object]
    created_at: datetime | None


@dataclass(frozen=True)
class SeriesEntry:
    key: object
    kind: str
    title: str
    person: object | None
    group: object | None
    starts_at: datetime
    duration_minutes: int
    schedule: str
    location: str
    ended_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True)
class AppointmentEntry:
    series: object | None
    kind: str
    title: str
    person: object | None
    group: object | None
    starts_at: datetime
    duration_minutes: int
    location: str
    notes: str
    status: str
    status_changed_at: datetime | None
    created_at: datetime | None


@dataclass(frozen=True)
class UseEntry:
    used_at: datetime
    helped: int
    note: str


@dataclass(frozen=True)
class StrategyEntry:
    title: str
    description: str
    archived_at: datetime | None
    created_at: datetime | None
    uses: list[UseEntry]


@dataclass(frozen=True)
class VersionEntry:
    created_at: datetime
    sections: dict[str, dict[str, list[Any]]]  # people and groups still by export id


@dataclass(frozen=True)
class Plan:
    """A checked recovery plan: every value valid, every reference pointing into the export."""

    goals: list[GoalEntry] = field(default_factory=list)
    milestones: list[MilestoneEntry] = field(default_factory=list)
    series: list[SeriesEntry] = field(default_factory=list)
    appointments: list[AppointmentEntry] = field(default_factory=list)
    strategies: list[StrategyEntry] = field(default_factory=list)
    versions: list[VersionEntry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(
            len(records)
            for records in (
                self.goals,
                self.milestones,
                self.series,
                self.appointments,
                self.strategies,
                self.versions,
            )
        )


# Reading (pure) -------------------------------------------------------------------------


def read_plan(doc: dict[str, Any], people: set[object], groups: set[object]) -> Plan:
    """Check the recovery part of an export and turn it into plain entries.

    `people` and `groups` are the ids the export's "people" and "groups" use.
    Raises ImportFileError naming the record at fault (“Goal 2, step 3: …”).
    """
    goals = [
        _read_goal(_Record(item, f"Goal {n}"), people)
        for n, item in enumerate(_list(doc, "goals"), 1)
    ]
    _unique_keys([goal.key for goal in goals], "goal")
    steps = {goal.key: len(goal.steps) for goal in goals}
    milestones = [
        _read_milestone(_Record(item, f"Milestone {n}"), people, steps)
        for n, item in enumerate(_list(doc, "milestones"), 1)
    ]
    series = [
        _read_series(_Record(item, f"Appointment series {n}"), people, groups)
        for n, item in enumerate(_list(doc, "appointment_series"), 1)
    ]
    series_keys = _unique_keys([one.key for one in series], "appointment series")
    appointments = _read_appointments(_list(doc, "appointments"), people, groups, series_keys)
    strategies = [
        _read_strategy(_Record(item, f"Coping strategy {n}"))
        for n, item in enumerate(_list(doc, "coping_strategies"), 1)
    ]
    versions = [
        _read_version(_Record(item, f"Safety plan version {n}"), people, groups)
        for n, item in enumerate(_list(doc, "safety_plan_versions"), 1)
    ]
    return Plan(goals, milestones, series, appointments, strategies, versions)


def _nested(record: _Record, key: str, what: str) -> list[_Record]:
    """The records of a list inside a record, each named after both ("Goal 2, step 3")."""
    items = _field(record.item, key, list, record.where, default=[])
    return [_Record(item, f"{record.where}, {what} {n}") for n, item in enumerate(items, 1)]


def _reference(record: _Record, key: str, known: set[object], what: str) -> object | None:
    """The export id in `key` (or None), which must be one of `known`; `what` is "a person"."""
    value = record.item.get(key)
    if value is not None and (value not in known or isinstance(value, bool)):
        raise record.fail(f"it names {what} ({value!r}) that isn't in the export.")
    return value


def _required_moment(record: _Record, key: str) -> datetime:
    moment = record.moment(key, required=True)
    assert moment is not None
    return moment


def _title(record: _Record) -> str:
    return record.text("title", TITLE_MAX, required=True).strip()


def _duration(record: _Record) -> int:
    minutes = record.number("duration_minutes", 1, DURATION_MAX)
    return DEFAULT_DURATION if minutes is None else minutes


def _read_goal(record: _Record, people: set[object]) -> GoalEntry:
    key = record.key()
    steps = [
        StepEntry(
            title=_title(step),
            done_at=step.moment("done_at"),
            position=_or(step.number("position", 0, POSITION_MAX), place),
        )
        for place, step in enumerate(_nested(record, "steps", "step"))
    ]
    reflections = [
        ReflectionEntry(
            text=reflection.text("text", required=True),
            written_at=_required_moment(reflection, "written_at"),
        )
        for reflection in _nested(record, "reflections", "reflection")
    ]
    return GoalEntry(
        key=key,
        title=_title(record),
        why=record.text("why"),
        target_date=record.day("target_date"),
        helpers=record.references("helpers", people, "person"),
        completed_at=record.moment("completed_at"),
        archived_at=record.moment("archived_at"),
        created_at=record.moment("created_at"),
        steps=steps,
        reflections=reflections,
    )


def _or(value: T | None, default: T) -> T:
    return default if value is None else value


def _read_milestone(
    record: _Record, people: set[object], steps: dict[object, int]
) -> MilestoneEntry:
    goal = _reference(record, "goal", set(steps), "a goal")
    step = record.item.get("step")
    if step is not None:
        count = steps.get(goal, 0) if goal is not None else 0
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < count:
            raise record.fail(
                "its “step” should be the place of a step in its goal's “steps” "
                "(0 for the first), or empty."
            )
    achieved_on = record.day("achieved_on")
    if achieved_on is None:
        raise record.fail("its “achieved_on” is empty.")
    return MilestoneEntry(
        title=_title(record),
        achieved_on=achieved_on,
        goal=goal,
        step=step,
        people=record.references("people", people, "person"),
        created_at=record.moment("created_at"),
    )


def _read_series(record: _Record, people: set[object], groups: set[object]) -> SeriesEntry:
    key = record.key()
    try:
        schedule = schedules.validate(record.text("schedule", 500, required=True))
    except schedules.ScheduleError as error:
        raise record.fail(f"its “schedule”: {error}") from None
    return SeriesEntry(
        key=key,
        kind=record.choice("kind", AppointmentKind.values, AppointmentKind.OTHER),
        title=record.text("title", TITLE_MAX).strip(),
        person=_reference(record, "person", people, "a person"),
        group=_reference(record, "group", groups, "a group"),
        starts_at=_required_moment(record, "starts_at"),
        duration_minutes=_duration(record),
        schedule=schedule,
        location=record.text("location", LOCATION_MAX),
        ended_at=record.moment("ended_at"),
        created_at=record.moment("created_at"),
    )


def _read_appointments(
    items: list[Any], people: set[object], groups: set[object], series: set[object]
) -> list[AppointmentEntry]:
    entries = []
    occurrences: set[tuple[object, datetime]] = set()
    for n, item in enumerate(items, 1):
        record = _Record(item, f"Appointment {n}")
        entry = _read_appointment(record, people, groups, series)
        if entry.series is not None:
            # The database keeps one row per occurrence of a series.
            occurrence = (entry.series, entry.starts_at)
            if occurrence in occurrences:
                raise record.fail("another appointment of the same series starts at that time.")
            occurrences.add(occurrence)
        entries.append(entry)
    return entries


def _read_appointment(
    record: _Record, people: set[object], groups: set[object], series: set[object]
) -> AppointmentEntry:
    return AppointmentEntry(
        series=_reference(record, "series", series, "an appointment series"),
        kind=record.choice("kind", AppointmentKind.values, AppointmentKind.OTHER),
        title=record.text("title", TITLE_MAX).strip(),
        person=_reference(record, "person", people, "a person"),
        group=_reference(record, "group", groups, "a group"),
        starts_at=_required_moment(record, "starts_at"),
        duration_minutes=_duration(record),
        location=record.text("location", LOCATION_MAX),
        notes=record.text("notes"),
        status=record.choice("status", AppointmentStatus.values, AppointmentStatus.SCHEDULED),
        status_changed_at=record.moment("status_changed_at"),
        created_at=record.moment("created_at"),
    )


def _read_strategy(record: _Record) -> StrategyEntry:
    uses = []
    for use in _nested(record, "uses", "use"):
        helped = use.number("helped", 1, 5)
        if helped is None:
            raise use.fail("its “helped” should be a whole number from 1 to 5.")
        uses.append(
            UseEntry(used_at=_required_moment(use, "used_at"), helped=helped, note=use.text("note"))
        )
    return StrategyEntry(
        title=_title(record),
        description=record.text("description"),
        archived_at=record.moment("archived_at"),
        created_at=record.moment("created_at"),
        uses=uses,
    )


def _read_version(record: _Record, people: set[object], groups: set[object]) -> VersionEntry:
    created_at = _required_moment(record, "created_at")
    given = _field(record.item, "sections", dict, record.where, default={})
    unknown = [slug for slug in given if slug not in SAFETY_PLAN_SECTIONS]
    if unknown:
        raise record.fail(
            f"“{unknown[0]}” isn't a section of the safety plan we know "
            f"(use {', '.join(SAFETY_PLAN_SECTIONS)})."
        )
    sections: dict[str, dict[str, list[Any]]] = {}
    for slug in SAFETY_PLAN_SECTIONS:
        section = _Record(given.get(slug) or {}, f"{record.where}, section “{slug}”")
        extra = [part for part in section.item if part not in SECTION_PARTS]
        if extra:
            raise section.fail(
                f"“{extra[0]}” isn't part of a section (use {', '.join(SECTION_PARTS)})."
            )
        items = _field(section.item, "items", list, section.where, default=[])
        if not all(isinstance(item, str) for item in items):
            raise section.fail("its “items” should all be text.")
        sections[slug] = {
            "items": list(items),
            "people": section.references("people", people, "person"),
            "groups": section.references("groups", groups, "group"),
        }
    return VersionEntry(created_at=created_at, sections=sections)


# Writing --------------------------------------------------------------------------------


class _Claims(Generic[K, T]):
    """Records already saved, by natural key; each can be matched by one entry only."""

    def __init__(self, records: Iterable[tuple[K, T]]) -> None:
        self.free: dict[K, list[T]] = defaultdict(list)
        for key, record in records:
            self.free[key].append(record)

    def claim(self, key: K) -> T | None:
        waiting = self.free.get(key)
        return waiting.pop(0) if waiting else None


@dataclass
class _Ids:
    """The export's ids mapped to the account's."""

    people: dict[object, int]
    groups: dict[object, int]
    goals: dict[object, Goal] = field(default_factory=dict)
    steps: dict[object, list[GoalStep]] = field(default_factory=dict)
    series: dict[object, AppointmentSeries] = field(default_factory=dict)

    def person(self, key: object | None) -> int | None:
        return self.people[key] if key is not None else None

    def group(self, key: object | None) -> int | None:
        return self.groups[key] if key is not None else None


def import_plan(
    owner: User, plan: Plan, people: dict[object, int], groups: dict[object, int]
) -> ImportResult:
    """Write a checked plan into the owner's account; call it inside the import's transaction.

    `people` and `groups` map the export's ids to the account's.
    """
    ids = _Ids(people, groups)
    now = timezone.now()
    return (
        _import_goals(owner, plan, ids, now)
        + _import_milestones(owner, plan, ids, now)
        + _import_series(owner, plan, ids, now)
        + _import_appointments(owner, plan, ids, now)
        + _import_strategies(owner, plan, now)
        + _import_versions(owner, plan, ids)
    )


@dataclass
class _GoalWrites:
    new_goals: list[Goal] = field(default_factory=list)
    changed_goals: list[Goal] = field(default_factory=list)
    new_steps: list[GoalStep] = field(default_factory=list)
    done_steps: list[GoalStep] = field(default_factory=list)
    reflections: list[GoalReflection] = field(default_factory=list)
    helpers: list[tuple[Goal, int]] = field(default_factory=list)


def _import_goals(owner: User, plan: Plan, ids: _Ids, now: datetime) -> ImportResult:
    saved = list(Goal.objects.owned_by(owner).order_by("created_at", "pk"))
    goals = _Claims((name_key(goal.title), goal) for goal in saved)
    steps: dict[int, list[GoalStep]] = defaultdict(list)
    for step in GoalStep.objects.owned_by(owner).order_by("position", "pk"):
        steps[step.goal_id].append(step)
    reflections = Counter(
        GoalReflection.objects.owned_by(owner).values_list("goal_id", "written_at", "text")
    )
    helpers = set(
        Goal.helpers.through.objects.filter(goal__owner=owner).values_list("goal_id", "person_id")
    )
    writes = _GoalWrites()
    outcomes: list[Outcome] = []
    for entry in plan.goals:
        goal = goals.claim(name_key(entry.title))
        if goal is None:
            goal = _new_goal(owner, entry, now)
            writes.new_goals.append(goal)
            outcomes.append("created")
            goal_steps = [_new_step(owner, goal, step) for step in entry.steps]
            writes.new_steps.extend(goal_steps)
            writes.reflections.extend(_new_reflection(owner, goal, r) for r in entry.reflections)
            writes.helpers.extend((goal, ids.people[key]) for key in entry.helpers)
        else:
            changed, goal_steps = _merge_goal(
                owner, goal, entry, ids, steps, reflections, helpers, writes
            )
            outcomes.append("merged" if changed else "skipped")
        ids.goals[entry.key] = goal
        ids.steps[entry.key] = goal_steps
    Goal.objects.bulk_create(writes.new_goals, batch_size=BATCH_SIZE)
    Goal.objects.bulk_update(
        writes.changed_goals, ["why", "target_date", "completed_at"], batch_size=BATCH_SIZE
    )
    GoalStep.objects.bulk_create(writes.new_steps, batch_size=BATCH_SIZE)
    GoalStep.objects.bulk_update(writes.done_steps, ["done_at"], batch_size=BATCH_SIZE)
    GoalReflection.objects.bulk_create(writes.reflections, batch_size=BATCH_SIZE)
    through = Goal.helpers.through
    through.objects.bulk_create(
        [
            through(goal_id=goal.pk, person_id=person_id)
            for goal, person_id in dict.fromkeys(writes.helpers)
        ],
        batch_size=BATCH_SIZE,
    )
    return ImportResult.of(outcomes)


def _new_goal(owner: User, entry: GoalEntry, now: datetime) -> Goal:
    return Goal(
        owner=owner,
        title=entry.title,
        why=entry.why,
        target_date=entry.target_date,
        completed_at=entry.completed_at,
        archived_at=entry.archived_at,
        created_at=entry.created_at or now,
    )


def _new_step(owner: User, goal: Goal, entry: StepEntry) -> GoalStep:
    return GoalStep(
        owner=owner, goal=goal, title=entry.title, done_at=entry.done_at, position=entry.position
    )


def _new_reflection(owner: User, goal: Goal, entry: ReflectionEntry) -> GoalReflection:
    return GoalReflection(owner=owner, goal=goal, text=entry.text, written_at=entry.written_at)


def _merge_goal(
    owner: User,
    goal: Goal,
    entry: GoalEntry,
    ids: _Ids,
    steps: dict[int, list[GoalStep]],
    reflections: Counter[tuple[int, datetime, str]],
    helpers: set[tuple[int, int]],
    writes: _GoalWrites,
) -> tuple[bool, list[GoalStep]]:
    """Fill in what the saved goal is missing; whether anything changed, and its steps."""
    filled = _fill(goal, entry, ("why", "target_date", "completed_at"))
    if filled:
        writes.changed_goals.append(goal)
    saved_steps = _Claims((name_key(step.title), step) for step in steps[goal.pk])
    goal_steps = []
    steps_changed = False
    for step_entry in entry.steps:
        step = saved_steps.claim(name_key(step_entry.title))
        if step is None:
            step = _new_step(owner, goal, step_entry)
            writes.new_steps.append(step)
            steps_changed = True
        elif _fill(step, step_entry, ("done_at",)):
            writes.done_steps.append(step)
            steps_changed = True
        goal_steps.append(step)
    new_reflections = [
        _new_reflection(owner, goal, reflection)
        for reflection in entry.reflections
        if not _taken(reflections, (goal.pk, reflection.written_at, reflection.text))
    ]
    writes.reflections.extend(new_reflections)
    new_helpers = [
        (goal, person_id)
        for person_id in (ids.people[key] for key in entry.helpers)
        if (goal.pk, person_id) not in helpers
    ]
    writes.helpers.extend(new_helpers)
    changed = filled or steps_changed or bool(new_reflections) or bool(new_helpers)
    return changed, goal_steps


def _fill(record: Any, entry: Any, names: Iterable[str]) -> bool:
    """Copy the entry's values into the record's empty fields; whether any was empty."""
    filled = False
    for name in names:
        value = getattr(entry, name)
        if value not in (None, "") and getattr(record, name) in (None, ""):
            setattr(record, name, value)
            filled = True
    return filled


def _import_milestones(owner: User, plan: Plan, ids: _Ids, now: datetime) -> ImportResult:
    saved = _Claims(
        ((name_key(m.title), m.achieved_on), m)
        for m in Milestone.objects.owned_by(owner).order_by("created_at", "pk")
    )
    through = Milestone.people.through
    links = set(
        through.objects.filter(milestone__owner=owner).values_list("milestone_id", "person_id")
    )
    outcomes: list[Outcome] = []
    new: list[Milestone] = []
    people: list[tuple[Milestone, int]] = []
    for entry in plan.milestones:
        person_ids = [ids.people[key] for key in entry.people]
        milestone = saved.claim((name_key(entry.title), entry.achieved_on))
        if milestone is None:
            milestone = _new_milestone(owner, entry, ids, now)
            new.append(milestone)
            people.extend((milestone, pk) for pk in person_ids)
            outcomes.append("created")
            continue
        missing = [pk for pk in person_ids if (milestone.pk, pk) not in links]
        people.extend((milestone, pk) for pk in missing)
        outcomes.append("merged" if missing else "skipped")
    Milestone.objects.bulk_create(new, batch_size=BATCH_SIZE)
    through.objects.bulk_create(
        [through(milestone_id=m.pk, person_id=pk) for m, pk in dict.fromkeys(people)],
        batch_size=BATCH_SIZE,
    )
    return ImportResult.of(outcomes)


def _new_milestone(owner: User, entry: MilestoneEntry, ids: _Ids, now: datetime) -> Milestone:
    goal = ids.goals[entry.goal] if entry.goal is not None else None
    step = (
        ids.steps[entry.goal][entry.step]
        if entry.goal is not None and entry.step is not None
        else None
    )
    return Milestone(
        owner=owner,
        title=entry.title,
        achieved_on=entry.achieved_on,
        goal=goal,
        step=step,
        created_at=entry.created_at or now,
    )


def _import_series(owner: User, plan: Plan, ids: _Ids, now: datetime) -> ImportResult:
    saved = _Claims(
        ((s.kind, s.starts_at, schedules.normalise(s.schedule)), s)
        for s in AppointmentSeries.objects.owned_by(owner).order_by("created_at", "pk")
    )
    outcomes: list[Outcome] = []
    new: list[AppointmentSeries] = []
    for entry in plan.series:
        series = saved.claim((entry.kind, entry.starts_at, entry.schedule))
        if series is None:
            series = AppointmentSeries(
                owner=owner,
                kind=entry.kind,
                title=entry.title,
                person_id=ids.person(entry.person),
                group_id=ids.group(entry.group),
                starts_at=entry.starts_at,
                duration_minutes=entry.duration_minutes,
                schedule=entry.schedule,
                location=entry.location,
                ended_at=entry.ended_at,
                created_at=entry.created_at or now,
            )
            new.append(series)
            outcomes.append("created")
        else:
            outcomes.append("skipped")
        ids.series[entry.key] = series
    AppointmentSeries.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return ImportResult.of(outcomes)


def _import_appointments(owner: User, plan: Plan, ids: _Ids, now: datetime) -> ImportResult:
    rows = Appointment.objects.owned_by(owner).values_list(
        "series_id", "starts_at", "kind", "person_id", "group_id"
    )
    occurrences: set[tuple[int, datetime]] = set()
    one_offs: Counter[tuple[datetime, str, int | None, int | None]] = Counter()
    for series_id, starts_at, kind, person_id, group_id in rows:
        if series_id is None:
            one_offs[(starts_at, kind, person_id, group_id)] += 1
        else:
            occurrences.add((series_id, starts_at))
    outcomes: list[Outcome] = []
    new: list[Appointment] = []
    for entry in plan.appointments:
        series = ids.series[entry.series] if entry.series is not None else None
        person_id, group_id = ids.person(entry.person), ids.group(entry.group)
        if series is None:
            there = _taken(one_offs, (entry.starts_at, entry.kind, person_id, group_id))
        else:
            there = (series.pk, entry.starts_at) in occurrences
        if there:
            outcomes.append("skipped")
            continue
        new.append(
            Appointment(
                owner=owner,
                series=series,
                kind=entry.kind,
                title=entry.title,
                person_id=person_id,
                group_id=group_id,
                starts_at=entry.starts_at,
                duration_minutes=entry.duration_minutes,
                location=entry.location,
                notes=entry.notes,
                status=entry.status,
                status_changed_at=entry.status_changed_at,
                created_at=entry.created_at or now,
            )
        )
        outcomes.append("created")
    Appointment.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return ImportResult.of(outcomes)


def _import_strategies(owner: User, plan: Plan, now: datetime) -> ImportResult:
    saved = _Claims(
        (name_key(s.title), s)
        for s in CopingStrategy.objects.owned_by(owner).order_by("created_at", "pk")
    )
    uses = Counter(
        CopingUse.objects.owned_by(owner).values_list("strategy_id", "used_at", "helped")
    )
    outcomes: list[Outcome] = []
    new: list[CopingStrategy] = []
    described: list[CopingStrategy] = []
    new_uses: list[CopingUse] = []
    for entry in plan.strategies:
        strategy = saved.claim(name_key(entry.title))
        if strategy is None:
            strategy = CopingStrategy(
                owner=owner,
                title=entry.title,
                description=entry.description,
                archived_at=entry.archived_at,
                created_at=entry.created_at or now,
            )
            new.append(strategy)
            outcomes.append("created")
            missing = entry.uses
        else:
            if _fill(strategy, entry, ("description",)):
                described.append(strategy)
            missing = [
                use
                for use in entry.uses
                if not _taken(uses, (strategy.pk, use.used_at, use.helped))
            ]
            outcomes.append("merged" if missing or strategy in described else "skipped")
        new_uses.extend(
            CopingUse(
                owner=owner,
                strategy=strategy,
                used_at=use.used_at,
                helped=use.helped,
                note=use.note,
            )
            for use in missing
        )
    CopingStrategy.objects.bulk_create(new, batch_size=BATCH_SIZE)
    CopingStrategy.objects.bulk_update(described, ["description"], batch_size=BATCH_SIZE)
    CopingUse.objects.bulk_create(new_uses, batch_size=BATCH_SIZE)
    return ImportResult.of(outcomes)


def _import_versions(owner: User, plan: Plan, ids: _Ids) -> ImportResult:
    there = Counter(
        (version.created_at, _canonical(sections_of(version.sections)))
        for version in SafetyPlanVersion.objects.owned_by(owner)
    )
    outcomes: list[Outcome] = []
    new: list[SafetyPlanVersion] = []
    for entry in plan.versions:
        sections = _mapped(entry.sections, ids)
        if _taken(there, (entry.created_at, _canonical(sections))):
            outcomes.append("skipped")
            continue
        version = SafetyPlanVersion(owner=owner, created_at=entry.created_at)
        version.sections = sections
        new.append(version)
        outcomes.append("created")
    SafetyPlanVersion.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return ImportResult.of(outcomes)


def _mapped(sections: dict[str, dict[str, list[Any]]], ids: _Ids) -> Sections:
    """The sections with the account's ids; two export people matched to one person appear once."""
    return {
        slug: {
            "items": list(part["items"]),
            "people": list(dict.fromkeys(ids.people[key] for key in part["people"])),
            "groups": list(dict.fromkeys(ids.groups[key] for key in part["groups"])),
        }
        for slug, part in sections.items()
    }


def _canonical(sections: Sections) -> str:
    return json.dumps(sections, sort_keys=True, ensure_ascii=False)
