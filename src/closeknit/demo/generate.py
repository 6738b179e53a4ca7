"""Demo members: a made-up but believable support network, for exploring and for benchmarks.

The data is built in parts (people, groups, contact …): each part is a
function that takes a `DemoContext` and adds its share. A later feature
(check-ins, goals, appointments) writes its own part and appends it to
`PARTS`; the context hands it what earlier parts made (the people by cast
key, the groups) and one seeded random generator, so the whole member stays
deterministic for a given seed.

Everything is written with `bulk_create`, which keeps the heavy scale
(about 1,000 people and 50,000 contacts over ten years) well under a minute.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle.models import Link
from closeknit.demo.cast import (
    CAST,
    DIRECTION_WEIGHTS,
    EXTRA_CHANNELS,
    EXTRA_CIRCLES,
    EXTRA_GROUPS,
    EXTRA_KINDS,
    EXTRA_RHYTHMS,
    FEELING_WEIGHTS,
    FIRST_NAMES,
    GROUPS,
    LAST_NAMES,
    NOTE_SHARE,
    NOTES,
    SCALES,
    SCHEDULES,
    WINDOWS,
    Appointment,
    Cast,
    Scale,
)
from closeknit.demo.circle import CIRCLE_PARTS, SUPPORTER_PREFIX, remove_made_up_supporters
from closeknit.demo.recovery import RECOVERY_PARTS
from closeknit.demo.rhythms import RHYTHMS_PARTS
from closeknit.demo.wellbeing import add_wellbeing
from closeknit.network import schedule as schedules
from closeknit.network.models import Group, Interaction, Person

Progress = Callable[[int, int], None]
T = TypeVar("T")

DEMO_DOMAIN = "demo.closeknit.invalid"
DEMO_TIME_ZONE = "Europe/London"
DEMO_COUNTRY = "GB"
DEMO_NAME = "Alex"
BATCH_SIZE = 1000
# Quiet spells: one starts on about this share of days, lasts this many days, and never
# falls in the last weeks (the reach-out list and the home page show recent contact).
QUIET_START = 0.12
QUIET_SPELL_DAYS = (1, 3)
QUIET_CLEAR_DAYS = 21
# Interactions are saved this many at a time, with their links to people.
SAVE_CHUNK = 5000


class DemoEmailTaken(ValueError):
    """The e-mail address asked for already belongs to an account."""


# --- The context every part works with ----------------------------------------------------------


@dataclass
class Rhythm:
    """How often the member is in touch with one person; the contact part plays it out."""

    person: Person
    every: float  # mean days between contacts
    last_days_ago: float
    since_days: float  # no contact before this many days ago
    window: str  # a key of WINDOWS
    channels: tuple[str, ...]
    support: tuple[str, ...]
    notes: str  # a key of NOTES
    receives: bool = False


@dataclass
class GroupPlan:
    group: Group
    schedule: str
    time: tuple[int, int]
    channel: str
    attendance: float
    members: list[Person]


@dataclass
class PlannedContact:
    occurred_at: dt.datetime
    people: list[Person]
    channel: str
    direction: str
    support: list[str]
    feeling: int | None
    note: str
    group: Group | None = None


@dataclass
class DemoContext:
    member: User
    scale: Scale
    rng: random.Random
    now: dt.datetime
    zone: ZoneInfo
    progress: Progress | None = None
    part_index: int = 0
    people: dict[str, Person] = field(default_factory=dict)  # the cast, by key
    extras: list[Person] = field(default_factory=list)  # generated people (heavy scale)
    rhythms: list[Rhythm] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    group_plans: list[GroupPlan] = field(default_factory=list)
    contacts: list[PlannedContact] = field(default_factory=list)
    # Local days of quiet spells, when the member kept to themselves (see quiet_days()).
    quiet: frozenset[dt.date] = frozenset()
    circle: dict[str, Link] = field(default_factory=dict)  # supporters' links, by cast key

    @property
    def start(self) -> dt.datetime:
        """The first moment of the member's history."""
        return self.now - dt.timedelta(days=self.scale.days)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(self.zone).date()

    def at(self, day: dt.date, hour: int, minute: int) -> dt.datetime:
        """A local wall-clock time on `day`, aware, in the member's zone."""
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)

    def days_ago(self, days: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days)

    def since(self, days: int | None) -> dt.datetime:
        """The start of something that began `days` ago, never before the history starts."""
        if days is None:
            return self.start
        return max(self.start, self.days_ago(days))

    def report(self, done: int, total: int) -> None:
        """Progress within the current part; the whole bar is 100 steps per part."""
        if self.progress is not None and total > 0:
            self.progress(self.part_index * 100 + 100 * done // total, 100 * len(PARTS))


Part = Callable[[DemoContext], None]


# --- Helpers ------------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _note(rng: random.Random, pool: str) -> str:
    if pool not in NOTES or rng.random() >= NOTE_SHARE:
        return ""
    return rng.choice(NOTES[pool])


def _some(rng: random.Random, options: Sequence[str], most: int = 2) -> list[str]:
    """One to `most` of the options, in their original order."""
    if not options:
        return []
    picked = set(rng.sample(list(options), k=min(len(options), rng.randint(1, most))))
    return [option for option in options if option in picked]


def _birthday(month: int, day: int, year: int | None) -> tuple[dt.date, bool]:
    # "Any year will do" for an unknown year; 2000 is a leap year, so 29 February fits too.
    return dt.date(year or 2000, month, day), year is not None


def _occurrences(
    ctx: DemoContext, schedule: str, time: tuple[int, int], since: dt.datetime
) -> list[dt.datetime]:
    """The occurrences of a local wall-clock RRULE from `since` until now."""
    first_day = since.astimezone(ctx.zone).date()
    start = dt.datetime(first_day.year, first_day.month, first_day.day, *time)
    end = ctx.now.astimezone(ctx.zone).replace(tzinfo=None)
    # The rule runs on naive local times so that 19:00 stays 19:00 across daylight saving.
    rule = schedules.parse(schedule, start)
    found = (when.replace(tzinfo=ctx.zone) for when in rule.between(start, end, inc=True))
    return [when for when in found if since <= when < ctx.now]


def quiet_days(seed: int, today: dt.date, days: int) -> frozenset[dt.date]:
    """Quiet spells of one to three days, about a fifth of the history, none in the last weeks.

    Everyone has days when they keep to themselves. Without them the demo's log would
    have contact nearly every day, and the insights' "days with contact vs without"
    would have nothing to compare. Drawn from a generator of their own, so the rest of
    the demo stays as the seed made it.
    """
    rng = random.Random(f"quiet-{seed}")
    quiet: set[dt.date] = set()
    day = today - dt.timedelta(days=days)
    last = today - dt.timedelta(days=QUIET_CLEAR_DAYS)
    while day <= last:
        if rng.random() < QUIET_START:
            for offset in range(rng.randint(*QUIET_SPELL_DAYS)):
                quiet.add(day + dt.timedelta(days=offset))
            day += dt.timedelta(days=QUIET_SPELL_DAYS[1] + 1)
        else:
            day += dt.timedelta(days=1)
    return frozenset(quiet)


def _local_moment(ctx: DemoContext, moment: dt.datetime, window: str) -> dt.datetime:
    """The day of `moment` (or the latest fitting day before it) at a plausible local hour.

    A fitting day is one of the window's weekdays and not in a quiet spell.
    """
    (first_hour, last_hour), weekdays = WINDOWS[window]
    day = moment.astimezone(ctx.zone).date()
    while day.weekday() not in weekdays or day in ctx.quiet:
        day -= dt.timedelta(days=1)
    hour = ctx.rng.randint(first_hour, last_hour - 1)
    minute = ctx.rng.randrange(0, 60, 5)
    when = ctx.at(day, hour, minute)
    if when >= ctx.now:
        # Later today than now: it happened the day before instead, never in the future.
        when = ctx.at(day - dt.timedelta(days=1), hour, minute)
    return when


def _contact(
    ctx: DemoContext,
    when: dt.datetime,
    people: list[Person],
    channels: Sequence[str],
    support: Sequence[str],
    notes: str,
    direction: str | None = None,
    group: Group | None = None,
) -> PlannedContact:
    rng = ctx.rng
    return PlannedContact(
        occurred_at=when,
        people=people,
        channel=rng.choice(list(channels)),
        direction=direction or _weighted(rng, DIRECTION_WEIGHTS),
        support=_some(rng, support) if rng.random() < 0.85 else [],
        feeling=_weighted(rng, FEELING_WEIGHTS),
        note=_note(rng, notes),
        group=group,
    )


# --- Part 1: people -----------------------------------------------------------------------------


def _cast_person(ctx: DemoContext, cast: Cast) -> Person:
    birthday: dt.date | None = None
    year_known = True
    if cast.birthday_soon:
        # A birthday nine days ahead, so the demo always has one coming up to celebrate.
        soon = ctx.today + dt.timedelta(days=9)
        birthday, year_known = _birthday(soon.month, soon.day, None)
    elif cast.birthday:
        birthday, year_known = _birthday(*cast.birthday)
    return Person(
        owner=ctx.member,
        name=cast.name,
        nickname=cast.nickname,
        roles=list(cast.roles),
        support_types=list(cast.support),
        circle=cast.circle,
        rhythm_days=cast.rhythm,
        preferred_channels=list(cast.channels),
        birthday=birthday,
        birthday_year_known=year_known,
        notes=cast.about,
        created_at=ctx.since(cast.since),
    )


def _last_contact(ctx: DemoContext, every: float, rhythm: int, overdue: float) -> float:
    """Days since the last contact: within the rhythm, or `overdue` rhythms ago."""
    if overdue:
        return rhythm * overdue * ctx.rng.uniform(1.0, 1.1)
    return ctx.rng.uniform(0.05, 0.8) * min(every, rhythm)


def _cast_rhythm(ctx: DemoContext, cast: Cast, person: Person) -> Rhythm | None:
    if cast.every is None or cast.rhythm is None:
        return None  # only in touch through a group or an appointment
    return Rhythm(
        person=person,
        every=cast.every,
        last_days_ago=_last_contact(ctx, cast.every, cast.rhythm, cast.overdue),
        since_days=min(cast.since or ctx.scale.days, ctx.scale.days),
        window=cast.window,
        channels=cast.channels,
        support=cast.support,
        notes=cast.notes,
        receives=cast.receives,
    )


def _extra_names(ctx: DemoContext, count: int) -> list[str]:
    taken = {cast.name for cast in CAST}
    pool = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    return ctx.rng.sample([name for name in pool if name not in taken], k=count)


def _extra_person(ctx: DemoContext, name: str) -> tuple[Person, Rhythm]:
    """A generated person; their hoped-for rhythm is set later, see _settle_extra_rhythms."""
    rng = ctx.rng
    roles, support, _weight = rng.choices(EXTRA_KINDS, weights=[k[2] for k in EXTRA_KINDS])[0]
    circle = _weighted(rng, EXTRA_CIRCLES)
    since = rng.uniform(30, ctx.scale.days)
    channels = tuple(rng.sample(EXTRA_CHANNELS, k=rng.randint(1, 3)))
    person = Person(
        owner=ctx.member,
        name=name,
        roles=list(roles),
        support_types=_some(rng, support),
        circle=circle,
        preferred_channels=list(channels),
        created_at=ctx.days_ago(since),
    )
    if rng.random() < 0.25:
        year = rng.choice([None, rng.randint(1940, 2005)])
        person.birthday, person.birthday_year_known = _birthday(
            rng.randint(1, 12), rng.randint(1, 28), year
        )
    work = "colleague" in roles
    rhythm = Rhythm(
        person=person,
        every=rng.uniform(*EXTRA_RHYTHMS[circle]),
        last_days_ago=0.0,
        since_days=since,
        window="work" if work else rng.choice(["evening", "daytime", "weekend"]),
        channels=channels,
        support=tuple(person.support_types),
        notes="work" if work else "family" if "family" in roles else "friend",
    )
    return person, rhythm


def add_people(ctx: DemoContext) -> None:
    """The hand-written cast, plus generated people at the heavy scale."""
    for cast in CAST:
        ctx.people[cast.key] = _cast_person(ctx, cast)
    extra_rhythms = []
    for name in _extra_names(ctx, ctx.scale.extra_people):
        person, rhythm = _extra_person(ctx, name)
        ctx.extras.append(person)
        extra_rhythms.append(rhythm)
    Person.objects.bulk_create([*ctx.people.values(), *ctx.extras], batch_size=BATCH_SIZE)
    for cast in CAST:
        cast_rhythm = _cast_rhythm(ctx, cast, ctx.people[cast.key])
        if cast_rhythm is not None:
            ctx.rhythms.append(cast_rhythm)
    ctx.rhythms.extend(extra_rhythms)


# --- Part 2: groups -----------------------------------------------------------------------------


def _group(
    ctx: DemoContext,
    name: str,
    kind: str,
    schedule: str,
    time: tuple[int, int],
    since: dt.datetime,
    notes: str = "",
) -> Group:
    first = _occurrences(ctx, schedule, time, since)
    meets_from = first[0] if first else ctx.at(since.astimezone(ctx.zone).date(), *time)
    return Group(
        owner=ctx.member,
        name=name,
        kind=kind,
        schedule=schedule,
        meets_from=meets_from,
        notes=notes,
        created_at=since,
    )


def add_groups(ctx: DemoContext) -> None:
    """The groups the member belongs to, with members and a repeating schedule."""
    for spec in GROUPS:
        since = ctx.since(spec.since)
        group = _group(ctx, spec.name, spec.kind, spec.schedule, spec.time, since, spec.notes)
        members = [ctx.people[key] for key in spec.members]
        ctx.groups[spec.key] = group
        ctx.group_plans.append(
            GroupPlan(group, spec.schedule, spec.time, spec.channel, spec.attendance, members)
        )
    for index, extra in enumerate(EXTRA_GROUPS[: ctx.scale.extra_groups]):
        name, kind, schedule, time, channel = extra
        since = ctx.days_ago(ctx.rng.uniform(60, ctx.scale.days))
        group = _group(ctx, name, kind, schedule, time, since)
        members = ctx.rng.sample(ctx.extras, k=min(len(ctx.extras), ctx.rng.randint(6, 25)))
        ctx.groups[f"extra_{index}"] = group
        attendance = ctx.rng.uniform(0.5, 0.9)
        ctx.group_plans.append(GroupPlan(group, schedule, time, channel, attendance, members))
    Group.objects.bulk_create([plan.group for plan in ctx.group_plans], batch_size=BATCH_SIZE)
    membership = Group.members.through
    membership.objects.bulk_create(
        [
            membership(group_id=plan.group.pk, person_id=person.pk)
            for plan in ctx.group_plans
            for person in plan.members
        ],
        batch_size=BATCH_SIZE,
    )


# --- Part 3: contact ----------------------------------------------------------------------------


def _from_rhythm(ctx: DemoContext, rhythm: Rhythm) -> list[PlannedContact]:
    """Contact going back in time from the last one, about `every` days apart."""
    first = ctx.days_ago(rhythm.since_days)
    moment = ctx.days_ago(rhythm.last_days_ago)
    direction = "received" if rhythm.receives else None
    planned = []
    while moment >= first:
        when = _local_moment(ctx, moment, rhythm.window)
        if first <= when < ctx.now:
            planned.append(
                _contact(
                    ctx,
                    when,
                    [rhythm.person],
                    rhythm.channels,
                    rhythm.support,
                    rhythm.notes,
                    direction,
                )
            )
        moment -= dt.timedelta(days=rhythm.every * ctx.rng.uniform(0.6, 1.4))
    return planned


def _from_appointment(ctx: DemoContext, appointment: Appointment) -> list[PlannedContact]:
    people = [ctx.people[key] for key in appointment.people]
    planned = []
    for when in _occurrences(ctx, appointment.schedule, appointment.time, ctx.start):
        if ctx.rng.random() >= appointment.attendance:
            continue
        present = [person for person in people if person.created_at <= when]
        if appointment.together and len(present) > appointment.together:
            chosen = set(ctx.rng.sample(range(len(present)), k=appointment.together))
            present = [person for index, person in enumerate(present) if index in chosen]
        if present:
            planned.append(
                _contact(
                    ctx,
                    when,
                    present,
                    appointment.channels,
                    appointment.support,
                    appointment.notes,
                    appointment.direction,
                )
            )
    return planned


def _from_group(ctx: DemoContext, plan: GroupPlan) -> list[PlannedContact]:
    """The meetings the member went to, with the members who were there."""
    assert plan.group.meets_from is not None
    support = ("emotional", "companionship")
    planned = []
    for when in _occurrences(ctx, plan.schedule, plan.time, plan.group.meets_from):
        if ctx.rng.random() >= plan.attendance:
            continue
        members = [person for person in plan.members if person.created_at <= when]
        present = ctx.rng.sample(members, k=min(len(members), ctx.rng.randint(2, 5)))
        present.sort(key=lambda person: person.name)
        planned.append(
            _contact(ctx, when, present, [plan.channel], support, "group", "mutual", plan.group)
        )
    return planned


def _settle_extra_rhythms(ctx: DemoContext, extras: list[Rhythm], wanted: int) -> None:
    """Space the generated people's contact so the total lands near the scale's target.

    Then give each a hoped-for rhythm that fits how often they are actually in
    touch, with a few of them overdue, as in any real network.
    """
    expected = sum(max(0.0, r.since_days) / r.every for r in extras)
    factor = expected / wanted if wanted > 0 and expected > 0 else 1.0
    for rhythm in extras:
        rhythm.every = max(1.0, rhythm.every * factor)
        hoped = max(1, min(3650, round(rhythm.every / ctx.rng.uniform(0.7, 1.0))))
        rhythm.person.rhythm_days = hoped
        overdue = ctx.rng.uniform(2.0, 3.0) if ctx.rng.random() < 0.05 else 0.0
        rhythm.last_days_ago = _last_contact(ctx, rhythm.every, hoped, overdue)


def add_contact(ctx: DemoContext) -> None:
    """The interaction log: rhythms with people, appointments and group meetings."""
    cast_people = {id(person) for person in ctx.people.values()}
    planned: list[PlannedContact] = []
    for appointment in SCHEDULES:
        planned.extend(_from_appointment(ctx, appointment))
    for plan in ctx.group_plans:
        planned.extend(_from_group(ctx, plan))
    for rhythm in ctx.rhythms:
        if id(rhythm.person) in cast_people:
            planned.extend(_from_rhythm(ctx, rhythm))
    extra_rhythms = [r for r in ctx.rhythms if id(r.person) not in cast_people]
    if extra_rhythms:
        _settle_extra_rhythms(ctx, extra_rhythms, (ctx.scale.interactions or 0) - len(planned))
        Person.objects.bulk_update(
            [rhythm.person for rhythm in extra_rhythms], ["rhythm_days"], batch_size=BATCH_SIZE
        )
        for rhythm in extra_rhythms:
            planned.extend(_from_rhythm(ctx, rhythm))
    planned.sort(key=lambda contact: contact.occurred_at)
    _save_contacts(ctx, planned)
    ctx.contacts = planned


def _save_contacts(ctx: DemoContext, planned: list[PlannedContact]) -> None:
    link = Interaction.people.through
    for offset in range(0, len(planned), SAVE_CHUNK):
        chunk = planned[offset : offset + SAVE_CHUNK]
        rows = [
            Interaction(
                owner=ctx.member,
                group=contact.group,
                occurred_at=contact.occurred_at,
                channel=contact.channel,
                direction=contact.direction,
                support_types=contact.support,
                feeling=contact.feeling,
                note=contact.note,
                # Logged a little later, as people do; never in the future.
                created_at=min(ctx.now, contact.occurred_at + dt.timedelta(minutes=20)),
            )
            for contact in chunk
        ]
        Interaction.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        link.objects.bulk_create(
            [
                link(interaction_id=row.pk, person_id=person.pk)
                for row, contact in zip(rows, chunk, strict=True)
                for person in contact.people
            ],
            batch_size=BATCH_SIZE,
        )
        ctx.report(offset + len(chunk), len(planned))


# --- Putting it together ------------------------------------------------------------------------

# Each part adds its share of a demo member's data, in this order. A feature
# that wants demo data (check-ins, goals, appointments) appends its part here.
PARTS: list[Part] = [
    add_people,
    add_groups,
    add_contact,
    *RECOVERY_PARTS,
    add_wellbeing,
    *RHYTHMS_PARTS,
    *CIRCLE_PARTS,
]


def demo_email() -> str:
    """A fresh address that can never receive mail (.invalid is reserved for that)."""
    return f"demo-{secrets.token_hex(5)}@{DEMO_DOMAIN}"


def create_demo_member(
    email: str | None = None,
    scale: str = "small",
    seed: int = 7,
    progress: Progress | None = None,
    *,
    now: dt.datetime | None = None,
) -> User:
    """A new demo member (`is_demo`, no usable password) with a whole made-up network.

    The same seed gives the same people and contact, relative to `now`.
    Raises DemoEmailTaken when the address has an account, KeyError for an unknown scale.
    """
    chosen = SCALES[scale]
    address = (email or demo_email()).strip().lower()
    if User.objects.filter(email__iexact=address).exists():
        raise DemoEmailTaken(f"There is already an account for {address}.")
    with transaction.atomic():
        member = User.objects.create_user(
            address,
            None,
            display_name=DEMO_NAME,
            time_zone=DEMO_TIME_ZONE,
            country=DEMO_COUNTRY,
            is_demo=True,
        )
        ctx = DemoContext(
            member=member,
            scale=chosen,
            rng=random.Random(seed),
            now=(now or timezone.now()).replace(microsecond=0),
            zone=member.zone,
            progress=progress,
        )
        ctx.quiet = quiet_days(seed, ctx.today, chosen.days)
        for index, part in enumerate(PARTS):
            ctx.part_index = index
            part(ctx)
            ctx.report(1, 1)
    return member


def demo_members() -> QuerySet[User]:
    """The demo members, without the made-up supporters of their circles."""
    return User.objects.filter(is_demo=True).exclude(email__startswith=SUPPORTER_PREFIX)


def prune_demo_members(older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the demo members who joined longer than `older_than` ago; return how many.

    Each goes with the made-up supporters of their circle, which aren't counted.
    """
    cutoff = (now or timezone.now()) - older_than
    stale = list(demo_members().filter(date_joined__lt=cutoff).values_list("pk", flat=True))
    for pk in stale:
        # One member per transaction, so pruning never holds one huge transaction open.
        with transaction.atomic():
            member = User.objects.filter(pk=pk, is_demo=True).first()
            if member is not None:
                remove_made_up_supporters(member)
                member.delete()
    return len(stale)
