"""The network's health, the way a counsellor would draw it: pure functions over plain facts.

Everything here takes the member's people and their logged contact (already turned
into the member's local days by `store.py`) and "today", and returns typed figures
with the counts behind them. Nothing reads the database or the clock.

The rules, in one place:

- Windows are in the member's local days ending `today`, inclusive: "the last 14 days"
  is today-13 … today. Contact dated after today is ignored everywhere (it cannot
  happen, but a clock skew must not make a figure wrong).
- A contact may name people who are not in `people` (archived people). Their ids are
  left out of every per-person figure (givers, per-person balance, concentration,
  diversity), but the contact itself still counts for the runs, the weekly counts, the
  in-person share and the overall balance: it happened. The same goes for a contact
  logged without names (a group meeting).
- People per circle: inner, middle, outer, with labels; an empty circle shows 0.
- Role diversity is *inspired by* Cohen's Social Network Index (Cohen et al. 1997),
  observed from the log rather than asked: a role counts when at least one person with
  that role had contact in the last DIVERSITY_DAYS days. Our roles map to SNI-like
  ones (`SNI_ROLES`); family counts once, as we cannot tell a parent from an in-law;
  support-group members and peers are both Cohen's "other group member". Mentors,
  therapists, doctors and "other" are no SNI role and are not counted. Bands are
  Cohen's: 0 none, 1–3 low, 4–5 moderate, 6 or more high.
- Coverage, for each support type over the last RECENT_DAYS days: the logged support of
  a type is the contact logged as "received" or "mutual" with that type; each (contact,
  known person) pair is one time for that person, and `logged` is the sum of the
  times. The givers are the people marked as giving the type and anyone with a logged
  time, most times first, then by name. One giver with strictly over SINGLE_POINT_SHARE
  of the logged times is a single point, but only from SINGLE_POINT_MIN_LOGGED logged
  times on. A type nobody gives is missing.
- Reciprocity over RECENT_DAYS: contact counted by direction (gave → given, received →
  received, mutual → mutual), overall and for each known person on it, most contact first.
- In-person share over RECENT_DAYS: contact in person ÷ all contact; None with none.
- Weekly counts: WEEKS Monday-start weeks, oldest first, the week holding today last
  (it is partial, and that is fine).
- Runs: a contact day is a local day with at least one contact. `current` is the days
  since the last contact day (0 when today has contact, 1 when the last was yesterday),
  None when no contact is given at all. `longest` is the longest stretch of whole days
  without contact in the last RUN_DAYS days: the stretch before the first contact day
  counts from the window's start, and the stretch since the last contact day counts up
  to and including yesterday, because today is not over yet. So a member last in touch
  9 days ago has `current` 9 and a current stretch of 8 whole days. Of two equally long
  stretches the more recent is given. With contact every day, `longest` is 0 and has no
  dates; with no contact in the window it is None.
- Concentration over RECENT_DAYS: each known person's share of the person-contacts
  (each (contact, person) pair), the Herfindahl index Σ share² (1/n when n people share
  contact evenly, 1 when it all goes to one), and 1/index as "as if this many people,
  equally". None with no person-contacts.

Each figure is its own small function, and `network_health` puts them together. All are
linear in the people and the contacts (plus sorting): a heavy member's thousand people
and five thousand contacts take about ten milliseconds, most of it building the givers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from closeknit.network.vocab import Channel, Circle, Direction, Role, SupportType

# Windows, in local days ending today (inclusive).
DIVERSITY_DAYS = 14  # Cohen's SNI counts roles with contact at least every two weeks
RECENT_DAYS = 90  # support coverage, reciprocity, in-person share, concentration
WEEKS = 12  # weekly contact counts
RUN_DAYS = 365  # the longest run without contact is looked for within the last year
SINGLE_POINT_SHARE = 0.5  # over half of one type's support from one person
# One or two logged times say too little: with one, its giver always has all of it, and
# with two, either the same person twice or an even split. From three on, "over half"
# starts to describe a pattern rather than a coincidence.
SINGLE_POINT_MIN_LOGGED = 3

# Our roles, mapped to roles like those of Cohen's Social Network Index, in Cohen's order.
# Not here, and so never counted: mentor, therapist, doctor and other.
SNI_ROLES: dict[str, str] = {
    Role.PARTNER.value: "Partner or spouse",
    Role.FAMILY.value: "Family",
    Role.FRIEND.value: "Close friends",
    Role.FAITH.value: "Faith community",
    Role.CLASSMATE.value: "Studies",
    Role.COLLEAGUE.value: "Work",
    Role.NEIGHBOUR.value: "Neighbours",
    Role.VOLUNTEER.value: "Volunteering",
    Role.SUPPORT_GROUP.value: "Groups",
    Role.PEER.value: "Groups",
}
SNI_LABELS: tuple[str, ...] = tuple(dict.fromkeys(SNI_ROLES.values()))

# Cohen's cut-offs: the lowest score of each band, highest first.
DIVERSITY_BANDS: tuple[tuple[int, str], ...] = ((6, "high"), (4, "moderate"), (1, "low"))

# Contact logged like this means the member was given support.
RECEIVING = frozenset({Direction.RECEIVED.value, Direction.MUTUAL.value})
# Direction slug -> where it counts in Balance(given, received, mutual).
BALANCE_SLOTS: dict[str, int] = {
    Direction.GAVE.value: 0,
    Direction.RECEIVED.value: 1,
    Direction.MUTUAL.value: 2,
}


# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """One person in the network (archived people are left out by the caller)."""

    person_id: int
    name: str  # the name to show (nickname when set)
    circle: str  # a network.vocab.Circle slug
    roles: frozenset[str]  # network.vocab.Role slugs
    support_types: frozenset[str]  # SupportType slugs the member marked them as giving
    rhythm_days: int | None


@dataclass(frozen=True)
class ContactFacts:
    """One logged contact, on the member's local day it happened."""

    day: dt.date
    person_ids: frozenset[int]  # may be empty: a group meeting logged without names
    channel: str  # a network.vocab.Channel slug
    direction: str  # a network.vocab.Direction slug
    support_types: frozenset[str]


# --- Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleCount:
    circle: str
    label: str
    people: int


@dataclass(frozen=True)
class RoleDiversity:
    """Network diversity inspired by Cohen's Social Network Index, from the log."""

    score: int  # roles with contact in the last DIVERSITY_DAYS days
    possible: int  # how many roles the mapping can count
    roles: list[str]  # labels of the roles counted, in a stable order
    band: str  # "low", "moderate" or "high" (Cohen's cut-offs), "none" at 0
    people: int  # people with contact in those roles in the window


@dataclass(frozen=True)
class Giver:
    person_id: int
    name: str
    times: int  # logged times they gave this type in the window
    share: float | None  # times / all logged times of this type; None when nothing logged
    marked: bool  # the member marked them as giving this type


@dataclass(frozen=True)
class Coverage:
    """One support type: who gives it and whether it hangs on one person."""

    support_type: str
    label: str
    givers: list[Giver]  # most logged first, then by name
    logged: int  # logged times of this type received in the window
    single_point: Giver | None  # the giver with over half of the logged support, if any

    @property
    def covered(self) -> bool:
        return bool(self.givers)


@dataclass(frozen=True)
class Balance:
    """Giving and receiving over the window: contact logged as gave, received or mutual."""

    given: int
    received: int
    mutual: int

    @property
    def total(self) -> int:
        return self.given + self.received + self.mutual


@dataclass(frozen=True)
class PersonBalance:
    person_id: int
    name: str
    balance: Balance


@dataclass(frozen=True)
class InPersonShare:
    in_person: int
    total: int
    share: float | None  # None with no contact in the window


@dataclass(frozen=True)
class WeekCount:
    start: dt.date  # the Monday the week starts on
    contacts: int


@dataclass(frozen=True)
class Runs:
    """Days without any contact."""

    current: int | None  # days since the last contact day (0 when today has contact); None: never
    longest: int | None  # the longest run within the last RUN_DAYS days; None: no contact at all
    longest_from: dt.date | None  # the first day of that run
    longest_to: dt.date | None  # its last day


@dataclass(frozen=True)
class Concentration:
    """How much of the member's contact goes to few people (Herfindahl index)."""

    index: float | None  # sum of squared shares, 1/n … 1; None with no contact
    effective_people: float | None  # 1 / index
    contacts: int  # person-contacts behind it
    people: int


@dataclass(frozen=True)
class NetworkHealth:
    today: dt.date
    people: int
    circles: list[CircleCount]  # inner, middle, outer
    diversity: RoleDiversity
    coverage: list[Coverage]  # in SupportType order
    missing_types: list[str]  # SupportType slugs nobody gives
    reciprocity: Balance
    reciprocity_by_person: list[PersonBalance]  # most contact first
    in_person: InPersonShare
    weekly: list[WeekCount]  # oldest first, WEEKS of them, the current week last
    runs: Runs
    concentration: Concentration


@dataclass(frozen=True)
class Reciprocity:
    """The balance over the window, overall and for each known person on the contact."""

    overall: Balance
    by_person: list[PersonBalance]  # most contact first, then by name


# --- The figures --------------------------------------------------------------------------------


def network_health(
    people: Sequence[PersonFacts], contacts: Sequence[ContactFacts], today: dt.date
) -> NetworkHealth:
    """Every figure of the network page, from the member's people and their logged contact."""
    # Only the runs look back a year; every other window fits in this one, so the year of
    # contact is filtered once and the figures each filter a quarter of it again.
    recent = _within(contacts, today, max(RECENT_DAYS, DIVERSITY_DAYS, WEEKS * 7))
    covered = coverage(people, recent, today)
    balance = reciprocity(people, recent, today)
    return NetworkHealth(
        today=today,
        people=len(people),
        circles=people_per_circle(people),
        diversity=role_diversity(people, recent, today),
        coverage=covered,
        missing_types=missing_types(covered),
        reciprocity=balance.overall,
        reciprocity_by_person=balance.by_person,
        in_person=in_person_share(recent, today),
        weekly=weekly_counts(recent, today),
        runs=runs(contacts, today),
        concentration=concentration(people, recent, today),
    )


def people_per_circle(people: Iterable[PersonFacts]) -> list[CircleCount]:
    """How many people are in each circle, inner first; an empty circle shows 0."""
    counts = Counter(person.circle for person in people)
    return [
        CircleCount(circle=circle.value, label=str(circle.label), people=counts[circle.value])
        for circle in Circle
    ]


def role_diversity(
    people: Sequence[PersonFacts], contacts: Iterable[ContactFacts], today: dt.date
) -> RoleDiversity:
    """Roles with contact in the last DIVERSITY_DAYS days, inspired by Cohen's SNI.

    Only the SNI-like roles of `SNI_ROLES` count: mentor, therapist, doctor and other are
    not roles of the index, so contact with them (and with nobody named) adds nothing.
    """
    known = _by_id(people)
    in_touch = _known_ids(_within(contacts, today, DIVERSITY_DAYS), known)
    roles: set[str] = set()
    counted = 0
    for person_id in in_touch:
        mapped = {SNI_ROLES[role] for role in known[person_id].roles if role in SNI_ROLES}
        roles |= mapped
        counted += bool(mapped)
    return RoleDiversity(
        score=len(roles),
        possible=len(SNI_LABELS),
        roles=[label for label in SNI_LABELS if label in roles],
        band=diversity_band(len(roles)),
        people=counted,
    )


def diversity_band(score: int) -> str:
    """Cohen's bands: 0 none, 1–3 low, 4–5 moderate, 6 or more high."""
    for lowest, band in DIVERSITY_BANDS:
        if score >= lowest:
            return band
    return "none"


def coverage(
    people: Sequence[PersonFacts], contacts: Iterable[ContactFacts], today: dt.date
) -> list[Coverage]:
    """For each support type, in vocabulary order: who gives it and whether one person does."""
    known = _by_id(people)
    kinds = [kind.value for kind in SupportType]
    marked: dict[str, set[int]] = {kind: set() for kind in kinds}
    for person in people:
        for kind in person.support_types:
            if kind in marked:
                marked[kind].add(person.person_id)
    times: dict[str, dict[int, int]] = {kind: {} for kind in kinds}
    for contact in _within(contacts, today, RECENT_DAYS):
        if contact.direction not in RECEIVING:
            continue
        givers = [person_id for person_id in contact.person_ids if person_id in known]
        for kind in contact.support_types:
            counts = times.get(kind)
            if counts is None:
                continue
            for person_id in givers:
                counts[person_id] = counts.get(person_id, 0) + 1
    return [
        _coverage_of(kind.value, str(kind.label), times[kind.value], marked[kind.value], known)
        for kind in SupportType
    ]


def _coverage_of(
    kind: str,
    label: str,
    times: dict[int, int],
    marked: set[int],
    known: dict[int, PersonFacts],
) -> Coverage:
    logged = sum(times.values())
    # Sorted as plain tuples before any Giver is built, which is cheaper than sorting the
    # objects: a thousand people can mean a thousand givers of one type.
    order = sorted(
        (-times.get(person_id, 0), known[person_id].name.casefold(), person_id)
        for person_id in marked | times.keys()
    )
    givers = [
        Giver(
            person_id=person_id,
            name=known[person_id].name,
            times=-negative,
            share=-negative / logged if logged else None,
            marked=person_id in marked,
        )
        for negative, _, person_id in order
    ]
    return Coverage(
        support_type=kind,
        label=label,
        givers=givers,
        logged=logged,
        single_point=single_point(givers, logged),
    )


def single_point(givers: Iterable[Giver], logged: int) -> Giver | None:
    """The one giver with strictly over half of the logged times, from enough logged times on."""
    if logged < SINGLE_POINT_MIN_LOGGED:
        return None
    for giver in givers:
        if giver.share is not None and giver.share > SINGLE_POINT_SHARE:
            return giver
    return None


def missing_types(covered: Iterable[Coverage]) -> list[str]:
    """The support types nobody gives: nobody marked, nothing logged."""
    return [one.support_type for one in covered if not one.covered]


def reciprocity(
    people: Sequence[PersonFacts], contacts: Iterable[ContactFacts], today: dt.date
) -> Reciprocity:
    """Given, received and mutual over the last RECENT_DAYS days, overall and per person."""
    known = _by_id(people)
    overall = [0, 0, 0]
    each: dict[int, list[int]] = {}
    for contact in _within(contacts, today, RECENT_DAYS):
        slot = BALANCE_SLOTS.get(contact.direction)
        if slot is None:
            continue
        overall[slot] += 1
        for person_id in contact.person_ids:
            if person_id in known:
                each.setdefault(person_id, [0, 0, 0])[slot] += 1
    by_person = [
        PersonBalance(person_id=person_id, name=known[person_id].name, balance=_balance(counts))
        for person_id, counts in each.items()
    ]
    by_person.sort(key=lambda one: (-one.balance.total, one.name.casefold(), one.person_id))
    return Reciprocity(overall=_balance(overall), by_person=by_person)


def _balance(counts: list[int]) -> Balance:
    given, received, mutual = counts
    return Balance(given=given, received=received, mutual=mutual)


def in_person_share(contacts: Iterable[ContactFacts], today: dt.date) -> InPersonShare:
    """The part of the last RECENT_DAYS days' contact that was in person."""
    total = in_person = 0
    for contact in _within(contacts, today, RECENT_DAYS):
        total += 1
        in_person += contact.channel == Channel.IN_PERSON.value
    return InPersonShare(
        in_person=in_person, total=total, share=in_person / total if total else None
    )


def weekly_counts(contacts: Iterable[ContactFacts], today: dt.date) -> list[WeekCount]:
    """Contacts in each of the last WEEKS Monday-start weeks, oldest first, this week last."""
    this_monday = today - dt.timedelta(days=today.weekday())
    first_monday = this_monday - dt.timedelta(weeks=WEEKS - 1)
    counts: Counter[int] = Counter()
    for contact in contacts:
        if first_monday <= contact.day <= today:
            counts[(contact.day - first_monday).days // 7] += 1
    return [
        WeekCount(start=first_monday + dt.timedelta(weeks=week), contacts=counts[week])
        for week in range(WEEKS)
    ]


def runs(contacts: Iterable[ContactFacts], today: dt.date) -> Runs:
    """Days since the last contact, and the longest stretch without any in the last RUN_DAYS."""
    days = {contact.day for contact in contacts if contact.day <= today}
    if not days:
        return Runs(current=None, longest=None, longest_from=None, longest_to=None)
    current = (today - max(days)).days
    start = today - dt.timedelta(days=RUN_DAYS - 1)
    in_window = sorted(day for day in days if day >= start)
    if not in_window:
        return Runs(current=current, longest=None, longest_from=None, longest_to=None)
    longest, first, last = _longest_gap(in_window, start, today)
    return Runs(current=current, longest=longest, longest_from=first, longest_to=last)


def _longest_gap(
    contact_days: list[dt.date], start: dt.date, today: dt.date
) -> tuple[int, dt.date | None, dt.date | None]:
    """The longest stretch of days without contact between start and yesterday, the latest on ties."""
    one = dt.timedelta(days=1)
    # Each stretch runs from the day after one contact day to the day before the next; the
    # window's start and today stand in for the contact days before and after the window.
    bounds = [start - one, *contact_days, today]
    best: tuple[int, dt.date | None, dt.date | None] = (0, None, None)
    for before, after in pairwise(bounds):
        length = (after - before).days - 1
        if length > 0 and length >= best[0]:
            best = (length, before + one, after - one)
    return best


def concentration(
    people: Sequence[PersonFacts], contacts: Iterable[ContactFacts], today: dt.date
) -> Concentration:
    """How evenly the last RECENT_DAYS days' contact is spread over people (Herfindahl)."""
    known = _by_id(people)
    counts: dict[int, int] = {}
    for contact in _within(contacts, today, RECENT_DAYS):
        for person_id in contact.person_ids:
            if person_id in known:
                counts[person_id] = counts.get(person_id, 0) + 1
    total = sum(counts.values())
    if not total:
        return Concentration(index=None, effective_people=None, contacts=0, people=0)
    # Σ (n/total)² computed as Σ n² / total², which keeps 1/n exact for an even split.
    squares = sum(count * count for count in counts.values())
    return Concentration(
        index=squares / total**2,
        effective_people=total**2 / squares,
        contacts=total,
        people=len(counts),
    )


# --- Helpers ------------------------------------------------------------------------------------


def _within(contacts: Iterable[ContactFacts], today: dt.date, days: int) -> list[ContactFacts]:
    """The contacts on the `days` local days ending today, inclusive."""
    first = today - dt.timedelta(days=days - 1)
    return [contact for contact in contacts if first <= contact.day <= today]


def _by_id(people: Iterable[PersonFacts]) -> dict[int, PersonFacts]:
    return {person.person_id: person for person in people}


def _known_ids(contacts: Iterable[ContactFacts], known: dict[int, PersonFacts]) -> set[int]:
    return {
        person_id for contact in contacts for person_id in contact.person_ids if person_id in known
    }
