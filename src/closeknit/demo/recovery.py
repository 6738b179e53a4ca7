"""The demo member's recovery plan: goals, a year of appointments, coping strategies, a safety plan.

These parts come after the network's in `generate.PARTS` and build on what it
made, so the plan fits the rest of the demo: a therapy session or group meeting
is marked attended exactly when the contact log has it, the goal of going back
to the Tuesday group ends at a real comeback after the longest gap in going,
the safety plan is saved after therapy sessions, and it names the member's
inner circle and therapist.

Appointments are written directly as an `AppointmentSeries` plus its
materialised `Appointment` rows, from a year back (ten years at the heavy
scale) to three months ahead. Recurrences run on local wall-clock times, so
therapy stays at 11:00 across daylight saving. Everything uses the context's
seeded generator, so a seed always gives the same plan.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from closeknit.demo.cast import GROUPS, SCHEDULES
from closeknit.network import schedule as schedules
from closeknit.network.models import Group, Person
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

if TYPE_CHECKING:
    from closeknit.demo.generate import DemoContext, Part

BATCH_SIZE = 1000
DAY = dt.timedelta(days=1)

# How far back appointments go (never further than the history), and how far ahead.
HISTORY_DAYS: dict[str, int] = {"small": 365, "heavy": 3652}
DEFAULT_HISTORY_DAYS = 365
AHEAD_DAYS = 91


# --- Goals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalSpec:
    """A goal as days before now: steps are (title, done that many days ago or None)."""

    title: str
    why: str
    created: float
    helpers: tuple[str, ...]  # cast keys
    steps: tuple[tuple[str, float | None], ...]
    reflections: tuple[tuple[float, str], ...] = ()
    target_in: int | None = None  # days from today
    reached: bool = False  # reached with its last step
    # (step index or None for the goal itself, title, cast keys): celebrated with those people.
    milestones: tuple[tuple[int | None, str, tuple[str, ...]], ...] = ()


GOALS: tuple[GoalSpec, ...] = (
    GoalSpec(
        "Walk to the park twice a week",
        "Being outside clears my head, and the park is where I used to feel most like me.",
        created=70,
        helpers=("partner", "kofi"),
        steps=(
            ("Walk to the end of the road and back", 62),
            ("Walk as far as the park gate", 48),
            ("A whole lap of the park with Jamie", 30),
            ("Go twice in one week", None),
            ("Keep it up for four weeks", None),
        ),
        reflections=(
            (60, "Only got to the corner, but I went out."),
            (29, "Jamie came round the whole park with me. Felt proud after."),
            (8, "Rained all week and I didn't go. Starting again on Saturday."),
        ),
        target_in=45,
        milestones=((2, "First whole lap of the park", ("partner",)),),
    ),
    GoalSpec(
        "Sleep before midnight",
        "Everything is harder when I'm tired, and the late nights creep back when I'm low.",
        created=120,
        helpers=("therapist",),
        steps=(
            ("Phone on charge in the kitchen at 11", 100),
            ("Same wake-up time on weekdays", 75),
            ("Wind down with tea and a book", None),
            ("Lights out by 11:45 five nights a week", None),
        ),
        reflections=(
            (
                95,
                "Three nights in a row before midnight. Mornings feel less like wading through mud.",
            ),
            (20, "Slipped back a bit this week. Noor says that's part of it, not a failure."),
        ),
    ),
    GoalSpec(
        "Write to Gran once a month",
        "She loves a proper letter, and I miss her stories.",
        created=21,
        helpers=("mum",),
        steps=(("Buy nice paper and stamps", 14), ("Write the first letter", None)),
        target_in=60,
    ),
)


def _back_to_group(ctx: DemoContext) -> GoalSpec:
    """Going back to the Tuesday group, timed on the longest gap in going during the last year."""
    gap_start, comeback = _longest_gap(ctx)
    created = gap_start + (comeback - gap_start) / 3
    messaged = created - (created - comeback) / 3
    return GoalSpec(
        "Go back to the Tuesday group",
        "It's the one place I don't have to explain myself.",
        created=created,
        helpers=("dan", "best_friend"),
        steps=(
            ("Message Dan to say I'm thinking of coming back", messaged),
            ("Look up the bus times", messaged - (messaged - comeback) / 2),
            ("Go, even if I only stay for the first half", comeback),
        ),
        reflections=(
            (messaged, "Dan replied within the hour. Nobody minds that I stopped going."),
            (comeback - 1, "Went. Stayed for tea afterwards. I don't know why I waited so long."),
        ),
        target_in=round(7 - comeback),
        reached=True,
        milestones=((None, "Back at the Tuesday group", ("dan", "best_friend")),),
    )


def _longest_gap(ctx: DemoContext) -> tuple[float, float]:
    """(days ago of the meeting before the longest gap, days ago of the one after it)."""
    group = ctx.groups["peer_group"]
    earliest, latest = ctx.days_ago(365), ctx.days_ago(45)
    meetings = sorted(
        c.occurred_at
        for c in ctx.contacts
        if c.group is group and earliest <= c.occurred_at < latest
    )
    if len(meetings) < 2:
        return 200.0, 180.0
    before, after = max(itertools.pairwise(meetings), key=lambda pair: pair[1] - pair[0])
    return _days_before_now(ctx, before), _days_before_now(ctx, after)


def _days_before_now(ctx: DemoContext, moment: dt.datetime) -> float:
    return (ctx.now - moment).total_seconds() / 86400


def _local_day(ctx: DemoContext, days_ago: float) -> dt.date:
    return ctx.days_ago(days_ago).astimezone(ctx.zone).date()


def _evening(ctx: DemoContext, days_ago: float) -> dt.datetime:
    """Late in the evening of the day `days_ago` days back, never in the future."""
    # Late enough that an evening meeting that day is over.
    when = ctx.at(_local_day(ctx, days_ago), ctx.rng.randint(21, 22), ctx.rng.randrange(0, 60, 5))
    return when if when < ctx.now else when - DAY


@dataclass
class _GoalRows:
    goals: list[Goal] = field(default_factory=list)
    steps: list[GoalStep] = field(default_factory=list)
    reflections: list[GoalReflection] = field(default_factory=list)
    helpers: list[tuple[Goal, Person]] = field(default_factory=list)
    milestones: list[tuple[Milestone, list[Person]]] = field(default_factory=list)


def _goal_rows(ctx: DemoContext, spec: GoalSpec, rows: _GoalRows) -> None:
    target = ctx.today + dt.timedelta(days=spec.target_in) if spec.target_in is not None else None
    goal = Goal(
        owner=ctx.member,
        title=spec.title,
        why=spec.why,
        target_date=target,
        created_at=_evening(ctx, spec.created),
    )
    rows.goals.append(goal)
    rows.helpers.extend((goal, ctx.people[key]) for key in spec.helpers)
    steps = [
        GoalStep(
            owner=ctx.member,
            goal=goal,
            position=position,
            title=title,
            done_at=_evening(ctx, done) if done is not None else None,
        )
        for position, (title, done) in enumerate(spec.steps)
    ]
    rows.steps.extend(steps)
    if spec.reached:
        # Reached the moment its last step was done.
        goal.completed_at = max(step.done_at for step in steps if step.done_at is not None)
    rows.reflections.extend(
        GoalReflection(owner=ctx.member, goal=goal, text=text, written_at=_evening(ctx, days))
        for days, text in spec.reflections
    )
    for step_index, title, keys in spec.milestones:
        step = steps[step_index] if step_index is not None else None
        reached = step.done_at if step is not None else goal.completed_at
        assert reached is not None, "a milestone celebrates something done"
        milestone = Milestone(
            owner=ctx.member,
            title=title,
            achieved_on=reached.astimezone(ctx.zone).date(),
            goal=goal,
            step=step,
            created_at=reached,
        )
        rows.milestones.append((milestone, [ctx.people[key] for key in keys]))


def add_goals(ctx: DemoContext) -> None:
    """Four goals: one reached (with a milestone), the others part of the way, with reflections."""
    rows = _GoalRows()
    for spec in (*GOALS[:1], _back_to_group(ctx), *GOALS[1:]):
        _goal_rows(ctx, spec, rows)
    Goal.objects.bulk_create(rows.goals, batch_size=BATCH_SIZE)
    GoalStep.objects.bulk_create(rows.steps, batch_size=BATCH_SIZE)
    GoalReflection.objects.bulk_create(rows.reflections, batch_size=BATCH_SIZE)
    helpers = Goal.helpers.through
    helpers.objects.bulk_create(
        [helpers(goal_id=goal.pk, person_id=person.pk) for goal, person in rows.helpers],
        batch_size=BATCH_SIZE,
    )
    Milestone.objects.bulk_create([m for m, _people in rows.milestones], batch_size=BATCH_SIZE)
    people = Milestone.people.through
    people.objects.bulk_create(
        [
            people(milestone_id=milestone.pk, person_id=person.pk)
            for milestone, persons in rows.milestones
            for person in persons
        ],
        batch_size=BATCH_SIZE,
    )


# --- Appointments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSpec:
    kind: str
    title: str
    schedule: str  # an RRULE on local wall-clock times
    time: tuple[int, int]  # local (hour, minute)
    duration: int  # minutes
    location: str
    person: str | None = None  # a cast key
    group: str | None = None  # a key of the demo's groups


def _therapy() -> SeriesSpec:
    # The same rule and hour as the therapy sessions in the contact log.
    sessions = next(s for s in SCHEDULES if s.people == ("therapist",))
    return SeriesSpec(
        AppointmentKind.THERAPY,
        "Therapy with Noor",
        sessions.schedule,
        sessions.time,
        50,
        "Willow Centre, room 4",
        person="therapist",
    )


def _peer_group() -> SeriesSpec:
    spec = next(g for g in GROUPS if g.key == "peer_group")
    return SeriesSpec(
        AppointmentKind.SUPPORT_GROUP,
        spec.name,
        spec.schedule,
        spec.time,
        90,
        "Community centre, upstairs room",
        group=spec.key,
    )


PSYCHIATRY = SeriesSpec(
    AppointmentKind.PSYCHIATRY,
    "Psychiatry review",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=2MO",
    (14, 30),
    30,
    "Elm House, community mental health team",
)
# Of the psychiatry reviews (not in the contact log): attended, cancelled ahead, missed.
PSYCHIATRY_WEIGHTS: dict[str, int] = {
    AppointmentStatus.ATTENDED: 80,
    AppointmentStatus.CANCELLED: 12,
    AppointmentStatus.MISSED: 8,
}
# Of the sessions and meetings the member didn't go to: cancelled ahead, or missed.
NOT_THERE_WEIGHTS: dict[str, int] = {AppointmentStatus.CANCELLED: 55, AppointmentStatus.MISSED: 45}
NOTES: dict[str, tuple[str, ...]] = {
    AppointmentStatus.MISSED: (
        "Overslept after a rough night.",
        "Forgot; it wasn't in my calendar.",
        "Couldn't face going out today.",
    ),
    AppointmentStatus.CANCELLED: (
        "Rang ahead: train strike.",
        "Had the flu; rang to cancel.",
        "Family visit; moved it.",
    ),
}
NOTE_SHARE = 0.5


def _occurrences(
    ctx: DemoContext, schedule: str, anchor: dt.datetime, since: dt.datetime, until: dt.datetime
) -> list[dt.datetime]:
    """The occurrences in [since, until) of a rule repeating in local time from `anchor`."""
    start = anchor.astimezone(ctx.zone).replace(tzinfo=None)
    rule = schedules.parse(schedule, start)
    first = since.astimezone(ctx.zone).replace(tzinfo=None)
    last = until.astimezone(ctx.zone).replace(tzinfo=None)
    found = (when.replace(tzinfo=ctx.zone) for when in rule.between(first, last, inc=True))
    return [when for when in found if since <= when < until]


def _anchor(ctx: DemoContext, spec: SeriesSpec) -> dt.datetime:
    """Where a rule starts repeating: the group's first meeting, or the history's first day.

    The network's parts start their rules there too, so the appointments fall on
    the very days the contact log has.
    """
    if spec.group is not None:
        meets_from = ctx.groups[spec.group].meets_from
        if meets_from is not None:
            return meets_from
    return ctx.at(ctx.start.astimezone(ctx.zone).date(), *spec.time)


def _attended(ctx: DemoContext, spec: SeriesSpec) -> dict[dt.datetime, str]:
    """When the contact log has the member there, with the channel, for this series."""
    if spec.group is not None:
        group: Group = ctx.groups[spec.group]
        return {c.occurred_at: c.channel for c in ctx.contacts if c.group is group}
    if spec.person is not None:
        person = ctx.people[spec.person]
        return {c.occurred_at: c.channel for c in ctx.contacts if person in c.people}
    return {}


def _status(ctx: DemoContext, when: dt.datetime, attended: dict[dt.datetime, str] | None) -> str:
    if when >= ctx.now:
        return AppointmentStatus.SCHEDULED
    if attended is None:
        return _weighted(ctx, PSYCHIATRY_WEIGHTS)
    if when in attended:
        return AppointmentStatus.ATTENDED
    return _weighted(ctx, NOT_THERE_WEIGHTS)


def _weighted(ctx: DemoContext, weights: dict[str, int]) -> str:
    return ctx.rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True)
class _Details:
    """What an appointment shares with its series (or, for a one-off, is on its own)."""

    kind: str
    title: str
    person: Person | None
    group: Group | None
    duration: int
    location: str
    created_at: dt.datetime

    @classmethod
    def of(cls, series: AppointmentSeries) -> _Details:
        return cls(
            series.kind,
            series.title,
            series.person,
            series.group,
            series.duration_minutes,
            series.location,
            series.created_at,
        )


def _series_rows(
    ctx: DemoContext, spec: SeriesSpec, since: dt.datetime, until: dt.datetime
) -> tuple[AppointmentSeries, list[Appointment]]:
    times = _occurrences(ctx, spec.schedule, _anchor(ctx, spec), since, until)
    series = AppointmentSeries(
        owner=ctx.member,
        kind=spec.kind,
        title=spec.title,
        person=ctx.people[spec.person] if spec.person else None,
        group=ctx.groups[spec.group] if spec.group else None,
        starts_at=times[0],
        duration_minutes=spec.duration,
        schedule=spec.schedule,
        location=spec.location,
        created_at=times[0] - 7 * DAY,
    )
    details = _Details.of(series)
    in_log = spec.person is not None or spec.group is not None
    attended = _attended(ctx, spec) if in_log else None
    rows = [
        _appointment(
            ctx,
            details,
            when,
            _status(ctx, when, attended),
            (attended or {}).get(when),
            series=series,
        )
        for when in times
    ]
    return series, rows


def _appointment(
    ctx: DemoContext,
    details: _Details,
    when: dt.datetime,
    status: str,
    channel: str | None,
    series: AppointmentSeries | None = None,
) -> Appointment:
    duration = dt.timedelta(minutes=details.duration)
    # Made some weeks ahead, as a series is materialised; never after now.
    created = min(ctx.now, max(details.created_at, when - 42 * DAY))
    changed: dt.datetime | None = None
    if status in (AppointmentStatus.ATTENDED, AppointmentStatus.MISSED):
        # Marked afterwards, within a day or so.
        changed = min(ctx.now, when + duration + dt.timedelta(hours=ctx.rng.uniform(1, 30)))
    elif status == AppointmentStatus.CANCELLED:
        # Cancelled in advance.
        changed = max(created, when - dt.timedelta(days=ctx.rng.uniform(1, 4)))
    notes = ""
    if status in NOTES and ctx.rng.random() < NOTE_SHARE:
        notes = ctx.rng.choice(NOTES[status])
    return Appointment(
        owner=ctx.member,
        series=series,
        kind=details.kind,
        title=details.title,
        person=details.person,
        group=details.group,
        starts_at=when,
        duration_minutes=details.duration,
        # A session held by video happened on a screen, not in the room.
        location="Video call" if channel == "video" else details.location,
        notes=notes,
        status=status,
        status_changed_at=changed,
        created_at=created,
    )


def _one_offs(
    ctx: DemoContext, psychiatry: AppointmentSeries, reviews: list[Appointment]
) -> list[Appointment]:
    """A review moved after each cancelled one, and a medication check with the GP coming up."""
    rows = []
    review = _Details.of(psychiatry)
    for cancelled in (a for a in reviews if a.status == AppointmentStatus.CANCELLED):
        day = cancelled.starts_at.astimezone(ctx.zone).date() + 8 * DAY
        moved = ctx.at(day, 10, 0)
        status = AppointmentStatus.ATTENDED if moved < ctx.now else AppointmentStatus.SCHEDULED
        rows.append(_appointment(ctx, review, moved, status, None))
    check = _Details(
        AppointmentKind.OTHER,
        "Medication check with Dr Morgan",
        ctx.people["gp"],
        None,
        10,
        "Riverside Surgery",
        ctx.days_ago(5),
    )
    soon = ctx.at(ctx.today + 12 * DAY, 9, 40)
    rows.append(_appointment(ctx, check, soon, AppointmentStatus.SCHEDULED, None))
    return rows


def _make_sure_of_each_status(past: Sequence[Appointment]) -> None:
    """At least one missed and one cancelled in the past, whatever the seed, so the demo shows both."""
    not_there = [
        a for a in past if a.status in (AppointmentStatus.MISSED, AppointmentStatus.CANCELLED)
    ]
    if len(not_there) < 2 or len({a.status for a in not_there}) == 2:
        return
    flip = not_there[-1]
    if flip.status == AppointmentStatus.CANCELLED:
        flip.status, flip.status_changed_at = (
            AppointmentStatus.MISSED,
            flip.starts_at + dt.timedelta(hours=2),
        )
    else:
        flip.status, flip.status_changed_at = AppointmentStatus.CANCELLED, flip.starts_at - DAY


def add_appointments(ctx: DemoContext) -> None:
    """Therapy every other week, the peer group weekly and a psychiatry review every 3 months."""
    days = min(ctx.scale.days, HISTORY_DAYS.get(ctx.scale.name, DEFAULT_HISTORY_DAYS))
    since, until = ctx.days_ago(days), ctx.now + AHEAD_DAYS * DAY
    all_series: list[AppointmentSeries] = []
    rows: list[Appointment] = []
    reviews: list[Appointment] = []
    for spec in (_therapy(), _peer_group(), PSYCHIATRY):
        series, appointments = _series_rows(ctx, spec, since, until)
        all_series.append(series)
        rows.extend(appointments)
        if spec is PSYCHIATRY:
            reviews = appointments
    _make_sure_of_each_status([a for a in rows if a.starts_at < ctx.now])
    AppointmentSeries.objects.bulk_create(all_series, batch_size=BATCH_SIZE)
    # The one-offs borrow the psychiatry series' details, so they come after its statuses.
    rows.extend(_one_offs(ctx, all_series[-1], reviews))
    rows.sort(key=lambda a: a.starts_at)
    Appointment.objects.bulk_create(rows, batch_size=BATCH_SIZE)


# --- Coping strategies --------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategySpec:
    title: str
    description: str
    per_month: float  # uses in an average month
    helped: dict[int, int]  # weights of each rating, 1 to 5
    since: int = 400  # days since the member added it
    archived: int | None = None  # archived this many days ago
    hours: tuple[int, int] = (17, 23)  # local hours it tends to be used in


# The first two help most; scrolling clearly doesn't, and was put aside.
STRATEGIES: tuple[StrategySpec, ...] = (
    StrategySpec(
        "Walk round the block",
        "Ten minutes outside, no headphones.",
        6,
        {3: 2, 4: 5, 5: 5},
        hours=(8, 21),
    ),
    StrategySpec(
        "Ring or message someone I trust",
        "Priya, Hannah or Mum. I don't have to explain, just talk.",
        4,
        {3: 2, 4: 4, 5: 6},
        hours=(12, 22),
    ),
    StrategySpec(
        "Box breathing",
        "In for four, hold for four, out for four, hold for four. Five rounds.",
        5,
        {2: 2, 3: 5, 4: 3},
        since=300,
        hours=(7, 23),
    ),
    StrategySpec(
        "Calm playlist, lights off",
        "The slow one, lying down in the dark.",
        4,
        {2: 1, 3: 3, 4: 4, 5: 1},
    ),
    StrategySpec(
        "Write it all down",
        "Everything in my head onto paper, then close the notebook.",
        3,
        {2: 2, 3: 4, 4: 2},
    ),
    StrategySpec(
        "Cold water on my face",
        "Splash, or hold an ice cube. Resets my body when it's all too much.",
        2,
        {2: 1, 3: 3, 4: 3},
        since=180,
    ),
    StrategySpec(
        "Scrolling on my phone",
        "Feels like a break; usually isn't.",
        3,
        {1: 5, 2: 4, 3: 1},
        archived=30,
        hours=(20, 24),
    ),
)
USE_NOTES: tuple[str, ...] = (
    "Before the team meeting.",
    "After a hard phone call.",
    "Couldn't sleep.",
    "Sunday evening dread.",
    "Felt it building on the bus home.",
)
USE_NOTE_SHARE = 0.12
USE_DAYS = 365  # uses over the last year, at every scale


def _uses(ctx: DemoContext, strategy: CopingStrategy, spec: StrategySpec) -> list[CopingUse]:
    rng = ctx.rng
    first = min(spec.since, USE_DAYS)
    last = spec.archived or 0
    count = round(spec.per_month * (first - last) / 30.4 * rng.uniform(0.85, 1.15))
    uses = []
    for _ in range(count):
        day = _local_day(ctx, rng.uniform(last, first))
        hour = rng.randint(spec.hours[0], spec.hours[1] - 1)
        when = ctx.at(day, hour, rng.randrange(0, 60, 5))
        if not strategy.created_at <= when < (strategy.archived_at or ctx.now):
            continue
        uses.append(
            CopingUse(
                owner=ctx.member,
                strategy=strategy,
                used_at=when,
                helped=_weighted_rating(ctx, spec.helped),
                note=rng.choice(USE_NOTES) if rng.random() < USE_NOTE_SHARE else "",
            )
        )
    return sorted(uses, key=lambda use: use.used_at)


def _weighted_rating(ctx: DemoContext, weights: dict[int, int]) -> int:
    return ctx.rng.choices(list(weights), weights=list(weights.values()))[0]


def add_coping(ctx: DemoContext) -> None:
    """Seven strategies used over the year, rated as they went; some clearly help more."""
    strategies = [
        CopingStrategy(
            owner=ctx.member,
            title=spec.title,
            description=spec.description,
            created_at=ctx.days_ago(spec.since),
            archived_at=ctx.days_ago(spec.archived) if spec.archived is not None else None,
        )
        for spec in STRATEGIES
    ]
    CopingStrategy.objects.bulk_create(strategies, batch_size=BATCH_SIZE)
    uses = [
        use
        for strategy, spec in zip(strategies, STRATEGIES, strict=True)
        for use in _uses(ctx, strategy, spec)
    ]
    CopingUse.objects.bulk_create(uses, batch_size=BATCH_SIZE)


# --- The safety plan ----------------------------------------------------------------------------

# Each version as (saved about this many days ago, sections). People are cast keys,
# groups keys of the demo's groups; only the sections that take them have them.
SectionSpec = dict[str, tuple[str, ...]]
VERSIONS: tuple[tuple[int, dict[str, SectionSpec]], ...] = (
    (
        330,
        {
            "warning_signs": {
                "items": (
                    "Not answering messages",
                    "Staying up past 2am",
                    "Cancelling plans I was looking forward to",
                )
            },
            "on_my_own": {"items": ("Walk round the block", "Calm playlist, lights off")},
            "distractions": {
                "items": ("The library café", "Cooking something from scratch"),
                "people": ("best_friend",),
            },
            "ask_for_help": {"people": ("partner", "sister")},
            "professionals": {
                "items": ("GP surgery: 01632 960123", "NHS 111, any time"),
                "people": ("therapist",),
            },
            "safer_surroundings": {
                "items": ("Jamie keeps my medication and hands me each week's dose",)
            },
            "what_matters": {"items": ("Jamie", "Being there for Hannah's kids")},
        },
    ),
    (
        180,
        {
            "warning_signs": {
                "items": (
                    "Not answering messages",
                    "Staying up past 2am",
                    "Cancelling plans I was looking forward to",
                    "Feeling like a burden",
                    "Skipping meals",
                )
            },
            "on_my_own": {
                "items": (
                    "Walk round the block",
                    "Box breathing, five rounds",
                    "Calm playlist, lights off",
                )
            },
            "distractions": {
                "items": ("The library café", "Cooking something from scratch"),
                "people": ("best_friend", "partner"),
                "groups": ("park",),
            },
            "ask_for_help": {"people": ("partner", "best_friend", "sister")},
            "professionals": {
                "items": ("GP surgery: 01632 960123", "NHS 111, any time"),
                "people": ("therapist",),
            },
            "safer_surroundings": {
                "items": (
                    "Jamie keeps my medication and hands me each week's dose",
                    "The crisis line is in my phone's favourites",
                )
            },
            "what_matters": {
                "items": ("Jamie", "Being there for Hannah's kids", "The Tuesday group")
            },
        },
    ),
    (
        35,
        {
            "warning_signs": {
                "items": (
                    "Not answering messages",
                    "Staying up past 2am",
                    "Feeling like a burden",
                    "Skipping meals",
                    "Drinking more than usual",
                )
            },
            "on_my_own": {
                "items": (
                    "Walk round the block",
                    "Box breathing, five rounds",
                    "Cold water on my face",
                    "Calm playlist, lights off",
                )
            },
            "distractions": {
                "items": ("The library café", "Cooking something from scratch"),
                "people": ("best_friend",),
                "groups": ("park", "peer_group"),
            },
            "ask_for_help": {"people": ("partner", "best_friend", "sister", "mum")},
            "professionals": {
                "items": ("GP surgery: 01632 960123", "NHS 111, any time"),
                "people": ("therapist",),
            },
            "safer_surroundings": {
                "items": (
                    "Jamie keeps my medication and hands me each week's dose",
                    "The crisis line is in my phone's favourites",
                )
            },
            "what_matters": {
                "items": ("Jamie", "Being there for Hannah's kids", "The Tuesday group")
            },
        },
    ),
)


def _sections(ctx: DemoContext, spec: dict[str, SectionSpec]) -> dict[str, dict[str, list]]:
    """Every section, in the plan's order, with items and the ids of the people and groups."""
    return {
        slug: {
            "items": list(spec.get(slug, {}).get("items", ())),
            "people": [ctx.people[key].pk for key in spec.get(slug, {}).get("people", ())],
            "groups": [ctx.groups[key].pk for key in spec.get(slug, {}).get("groups", ())],
        }
        for slug in SAFETY_PLAN_SECTIONS
    }


def _after_therapy(ctx: DemoContext, days_ago: int) -> dt.datetime:
    """An hour after the therapy session nearest to `days_ago`: the plan was gone over there."""
    therapist = ctx.people["therapist"]
    target = ctx.days_ago(days_ago)
    sessions = [c.occurred_at for c in ctx.contacts if therapist in c.people]
    if not sessions:
        return target
    nearest = min(sessions, key=lambda when: abs(when - target))
    return min(ctx.now, nearest + dt.timedelta(hours=1))


def add_safety_plan(ctx: DemoContext) -> None:
    """Three versions over the year, each naming the inner circle and the therapist."""
    versions = []
    for days, spec in VERSIONS:
        version = SafetyPlanVersion(owner=ctx.member, created_at=_after_therapy(ctx, days))
        version.sections = _sections(ctx, spec)
        versions.append(version)
    SafetyPlanVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)


RECOVERY_PARTS: list[Part] = [add_goals, add_appointments, add_coping, add_safety_plan]
