"""The convoy diagram's layout: three circles, the member in the middle. Pure.

After Kahn and Antonucci's convoy model: the inner circle holds the people closest to
the member, the outer the ones further out. Each person is a dot in their circle,
marked by the support types they give, sized by recent contact and faded when it has
been longer than their rhythm. This module computes coordinates and descriptions; a
template draws the SVG, and a table carries the same facts for screen readers.

The rules:

- A square of SIZE; the member ("You") is a disc of YOU_R at the centre. Each circle is
  a band: the inner one from the disc to 0.30 of the half-size, the middle to 0.62, the
  outer to 0.94 (`Ring.radius` is the band's outer edge, the circle a template draws).
  People sit on a track in the middle of their band (`Ring.track`), so no dot or mark
  crosses a band's edge.
- On each track, people are spread evenly by angle, clockwise from the top, most recent
  contact first (all time), then by name, then by id: the same input always gives the
  same picture.
- Dots never overlap, marks included: neighbours are at least PITCH apart (the widest a
  dot and its marks can be, twice, plus a gap), measured as the straight line between
  them. A track holds only as many people as fit; the rest (the least recently in touch)
  are not drawn and are counted in `hidden[circle]`. With these sizes that is 7 + 17 + 29
  dots at most, however large the network.
- A dot's radius grows with the contacts in the last RECENT_DAYS (30) local days ending
  today, with the square root (the first few contacts matter most): MIN_R with none,
  MAX_R from FULL_AT (16) contacts on. A contact with two people counts for each of
  them; contacts naming unknown people are ignored.
- Overdue: the person has a rhythm, and either more than rhythm_days days have passed
  since the last contact (exactly rhythm_days is still on time) or there has been no
  contact at all. An overdue dot is drawn faded.
- One mark per support type the person gives, just outside the dot at a fixed angle per
  type (emotional top right, practical bottom right, informational bottom left,
  companionship top left), so a legend can explain them once.
- Every dot has a one-sentence description for its <title>, aria-label and table row;
  `summary` says the whole diagram in words, including how many are not drawn.
- Coordinates are rounded to one decimal. Archived people are left out by the caller.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from closeknit.insights.metrics import ContactFacts, PersonFacts
from closeknit.lib.words import counted, days_ago
from closeknit.network.vocab import Circle, SupportType
from closeknit.network.wording import join_names

SIZE = 480  # the SVG's width and height
RECENT_DAYS = 30  # a dot grows with contact in this many days

HALF = SIZE / 2
YOU_R = 24.0  # the member's disc at the centre
BAND_EDGES = {"inner": 0.30, "middle": 0.62, "outer": 0.94}  # outer edge, share of HALF
MIN_R = 5.0  # a dot with no recent contact
MAX_R = 12.0  # the largest dot
FULL_AT = 16  # recent contacts at which a dot reaches MAX_R
MARK_R = 3.0  # how far a mark's shape reaches from its centre (the template's are 3 at most)
MARK_CLEAR = 1.0  # space between a dot's edge and its marks
GAP = 2.0  # space between two neighbours' outermost marks
REACH = MAX_R + MARK_CLEAR + 2 * MARK_R  # how far a dot and its marks can reach from its centre
PITCH = 2 * REACH + GAP  # the least distance between two neighbours' centres

CIRCLES = (Circle.INNER.value, Circle.MIDDLE.value, Circle.OUTER.value)

# Where each support type's mark sits, clockwise from the top, and how the legend says it.
MARK_ANGLES = {
    SupportType.EMOTIONAL.value: 45.0,
    SupportType.PRACTICAL.value: 135.0,
    SupportType.INFORMATIONAL.value: 225.0,
    SupportType.COMPANIONSHIP.value: 315.0,
}
MARK_PLACES = {
    SupportType.EMOTIONAL.value: "top right",
    SupportType.PRACTICAL.value: "bottom right",
    SupportType.INFORMATIONAL.value: "bottom left",
    SupportType.COMPANIONSHIP.value: "top left",
}
# Types said as "emotional and practical support"; companionship is support on its own.
_ADJECTIVES = {
    SupportType.EMOTIONAL.value: "emotional",
    SupportType.PRACTICAL.value: "practical",
    SupportType.INFORMATIONAL.value: "informational",
}
_MARK_LABELS = {
    SupportType.EMOTIONAL.value: "Emotional support",
    SupportType.PRACTICAL.value: "Practical support",
    SupportType.INFORMATIONAL.value: "Informational support",
    SupportType.COMPANIONSHIP.value: "Companionship",
}


@dataclass(frozen=True)
class Ring:
    circle: str
    label: str
    radius: float
    # Added: where the dots sit, and how many people the circle has and shows.
    track: float = 0.0
    people: int = 0
    shown: int = 0


@dataclass(frozen=True)
class Mark:
    """A small marker beside a dot for one support type the person gives."""

    support_type: str
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class Dot:
    person_id: int
    name: str
    circle: str
    x: float
    y: float
    r: float
    recent_contacts: int
    last_contact: dt.date | None
    overdue: bool  # longer than their rhythm since the last contact
    faded: bool
    marks: list[Mark]
    description: str  # one sentence for <title>, aria-label and the table
    rhythm_days: int | None = None  # added: for the table


@dataclass(frozen=True)
class Legend:
    """One support type's mark, explained once beside the diagram."""

    support_type: str
    label: str
    place: str  # "top right": where the mark sits beside a dot


@dataclass(frozen=True)
class Convoy:
    size: int
    center: float
    rings: list[Ring]  # inner first
    dots: list[Dot]  # in drawing (and keyboard) order: inner circle first
    hidden: Mapping[str, int]  # circle -> people not drawn because the ring is full
    summary: str  # the diagram in one or two sentences
    # Added: the member's disc, the legend, and the counts behind the summary.
    you_r: float = YOU_R
    legend: list[Legend] = field(default_factory=list)
    people: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class _Person:
    facts: PersonFacts
    recent: int
    last: dt.date | None
    overdue: bool


def convoy(
    people: Sequence[PersonFacts],
    contacts: Sequence[ContactFacts],
    last_contact: Mapping[int, dt.date],
    today: dt.date,
) -> Convoy:
    """Lay out the network; `last_contact` is each person's latest contact day, all time."""
    known = [person for person in people if person.circle in BAND_EDGES]
    recent, latest = _contact_counts(known, contacts, today)
    by_circle: dict[str, list[_Person]] = {circle: [] for circle in CIRCLES}
    for facts in known:
        last = _later(last_contact.get(facts.person_id), latest.get(facts.person_id))
        by_circle[facts.circle].append(
            _Person(facts, recent.get(facts.person_id, 0), last, is_overdue(facts, last, today))
        )
    rings: list[Ring] = []
    dots: list[Dot] = []
    hidden: dict[str, int] = {}
    for circle in CIRCLES:
        placed = sorted(by_circle[circle], key=_order)[: capacity(track_radius(circle))]
        rings.append(_ring(circle, len(by_circle[circle]), len(placed)))
        dots += _dots(circle, placed, today)
        hidden[circle] = len(by_circle[circle]) - len(placed)
    overdue = sum(person.overdue for group in by_circle.values() for person in group)
    counts = {circle: len(group) for circle, group in by_circle.items()}
    return Convoy(
        size=SIZE,
        center=_round(HALF),
        rings=rings,
        dots=dots,
        hidden=hidden,
        summary=summary_words(counts, overdue, len(dots)),
        legend=[Legend(kind, _MARK_LABELS[kind], MARK_PLACES[kind]) for kind in MARK_ANGLES],
        people=len(known),
        overdue=overdue,
    )


# --- Rules --------------------------------------------------------------------------------------


def is_overdue(facts: PersonFacts, last: dt.date | None, today: dt.date) -> bool:
    """Longer than their rhythm since the last contact, or a rhythm and no contact yet."""
    if facts.rhythm_days is None:
        return False
    return last is None or (today - last).days > facts.rhythm_days


def dot_radius(recent: int) -> float:
    """MIN_R with no recent contact, growing with the square root up to MAX_R at FULL_AT."""
    share = min(1.0, math.sqrt(max(recent, 0) / FULL_AT))
    return _round(MIN_R + (MAX_R - MIN_R) * share)


def band_edges(circle: str) -> tuple[float, float]:
    """The inner and outer edge of a circle's band, from the centre."""
    index = CIRCLES.index(circle)
    outer = BAND_EDGES[circle] * HALF
    inner = YOU_R if index == 0 else BAND_EDGES[CIRCLES[index - 1]] * HALF
    return inner, outer


def track_radius(circle: str) -> float:
    """The middle of the circle's band: where its dots sit."""
    inner, outer = band_edges(circle)
    return (inner + outer) / 2


def capacity(track: float) -> int:
    """How many dots fit on a track with every neighbour at least PITCH apart (as the crow flies).

    n dots evenly spread are 2·track·sin(π/n) apart; the largest n with that ≥ PITCH.
    """
    if 2 * track < PITCH:
        return 1
    return max(1, math.floor(math.pi / math.asin(PITCH / (2 * track)) + 1e-9))


def _order(person: _Person) -> tuple[bool, int, str, int]:
    # Most recently in touch first (so the ones drawn are the ones in the member's days).
    last = person.last.toordinal() if person.last else 0
    return (person.last is None, -last, person.facts.name.casefold(), person.facts.person_id)


def _contact_counts(
    people: Sequence[PersonFacts], contacts: Sequence[ContactFacts], today: dt.date
) -> tuple[dict[int, int], dict[int, dt.date]]:
    """Contacts in the last RECENT_DAYS per person, and each person's latest contact seen."""
    ids = {person.person_id for person in people}
    first = today - dt.timedelta(days=RECENT_DAYS - 1)
    recent: dict[int, int] = {}
    latest: dict[int, dt.date] = {}
    for contact in contacts:
        if contact.day > today:
            continue
        for person_id in contact.person_ids:
            if person_id not in ids:
                continue
            if contact.day >= first:
                recent[person_id] = recent.get(person_id, 0) + 1
            if person_id not in latest or contact.day > latest[person_id]:
                latest[person_id] = contact.day
    return recent, latest


def _later(one: dt.date | None, other: dt.date | None) -> dt.date | None:
    if one is None or other is None:
        return one or other
    return max(one, other)


# --- Geometry -----------------------------------------------------------------------------------


def _ring(circle: str, people: int, shown: int) -> Ring:
    return Ring(
        circle=circle,
        label=str(Circle(circle).label),
        radius=_round(band_edges(circle)[1]),
        track=_round(track_radius(circle)),
        people=people,
        shown=shown,
    )


def _dots(circle: str, placed: Sequence[_Person], today: dt.date) -> list[Dot]:
    track = track_radius(circle)
    dots: list[Dot] = []
    for index, person in enumerate(placed):
        angle = 2 * math.pi * index / len(placed)
        x = HALF + track * math.sin(angle)
        y = HALF - track * math.cos(angle)
        r = dot_radius(person.recent)
        facts = person.facts
        dots.append(
            Dot(
                person_id=facts.person_id,
                name=facts.name,
                circle=circle,
                x=_round(x),
                y=_round(y),
                r=r,
                recent_contacts=person.recent,
                last_contact=person.last,
                overdue=person.overdue,
                faded=person.overdue,
                marks=_marks(facts.support_types, x, y, r),
                description=description_words(person, today),
                rhythm_days=facts.rhythm_days,
            )
        )
    return dots


def _marks(support_types: frozenset[str], x: float, y: float, r: float) -> list[Mark]:
    away = r + MARK_CLEAR + MARK_R
    marks: list[Mark] = []
    for kind, degrees in MARK_ANGLES.items():  # in SupportType order
        if kind not in support_types:
            continue
        angle = math.radians(degrees)
        marks.append(
            Mark(
                support_type=kind,
                label=_MARK_LABELS[kind],
                x=_round(x + away * math.sin(angle)),
                y=_round(y - away * math.cos(angle)),
            )
        )
    return marks


def _round(value: float) -> float:
    return round(value, 1)


# --- Words --------------------------------------------------------------------------------------


def description_words(person: _Person, today: dt.date) -> str:
    """ "Sam, inner circle: gives emotional support; 4 contacts in the last 30 days; …"."""
    facts = person.facts
    parts: list[str] = []
    gives = support_words(facts.support_types)
    if gives:
        parts.append(f"gives {gives}")
    if person.last is None:
        parts.append("no contact logged yet")
    else:
        if person.recent:
            parts.append(f"{counted(person.recent, 'contact')} in the last {RECENT_DAYS} days")
        else:
            parts.append(f"no contact in the last {RECENT_DAYS} days")
        parts.append(f"last in touch {days_ago((today - person.last).days)}")
    text = f"{facts.name}, {str(Circle(facts.circle).label).lower()}: {'; '.join(parts)}"
    if person.overdue and facts.rhythm_days is not None:
        hoped = f"you hoped for {_every(facts.rhythm_days)}"
        text += f" — it's been a while ({hoped})" if person.last else f" ({hoped})"
    return f"{text}."


def support_words(support_types: frozenset[str]) -> str:
    """ "emotional and practical support", "emotional support and companionship"."""
    adjectives = [word for kind, word in _ADJECTIVES.items() if kind in support_types]
    kinds = [f"{join_names(adjectives)} support"] if adjectives else []
    if SupportType.COMPANIONSHIP.value in support_types:
        kinds.append("companionship")
    return join_names(kinds)


def summary_words(counts: Mapping[str, int], overdue: int, shown: int) -> str:
    """The diagram in words: who is in which circle, who is due a catch-up, who isn't drawn."""
    everyone = sum(counts.values())
    if everyone == 0:
        return "Your convoy is empty so far: the people you add will appear here, in their circles."
    circles = [
        f"{_people(counts.get(circle, 0))} in your {str(Circle(circle).label).lower()}"
        for circle in CIRCLES
    ]
    text = f"Your convoy: {join_names(circles)}."
    if overdue:
        verb = "is" if overdue == 1 else "are"
        text += f" {overdue} of them {verb} due a catch-up."
    if shown < everyone:
        text += (
            f" The diagram has room for {shown} of them, the most recently in touch; "
            "the table lists the same people."
        )
    return text


def _people(n: int) -> str:
    if n == 0:
        return "nobody"
    return counted(n, "person", "people")


def _every(rhythm_days: int) -> str:
    return "every day" if rhythm_days == 1 else f"every {rhythm_days} days"
