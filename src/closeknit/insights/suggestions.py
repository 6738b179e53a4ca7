"""Gentle suggestions, one for each gap in the network's health: pure, kind, never a verdict.

"Nobody is marked as giving informational support — a mentor, a support group or a
professional could." Each suggestion names the gap in plain words and one small
thing that could help, in the tone of the seeds: ask, don't scold.

The gaps, most important first (the order the page shows them in):

1. No people at all: one suggestion to add the first person, and nothing else, since
   every other gap follows from that one.
2. "run": RUN_DAYS_AT_LEAST (7) or more days since the last contact. Feeling cut off
   is the gap that matters most right now, so it leads.
3. "missing:<type>": a support type nobody gives, in vocabulary order (emotional first),
   each with an idea of who could give it.
4. "inner-circle": nobody in the inner circle.
5. "single-point:<type>": over half of one type's logged support came from one person.
   Said with care: the person matters; another one to lean on helps too.
6. "diversity": role diversity in the "none" or "low" band. Left out when it is "none"
   and the run suggestion is already there, as both would say "no contact lately".
7. "in-person": under IN_PERSON_BELOW (20%) of the contact in person, with at least
   IN_PERSON_MIN_CONTACTS (10) contacts in the window.
8. "reciprocity:receiving" / "reciprocity:giving": received at least TILT_RATIO (3) times
   what was given, or the other way round, with at least TILT_MIN_CONTACTS (10)
   contacts logged as given or received. Mutual contact is balanced by definition, so
   it neither tilts the scale nor counts toward the ten: nine mutual contacts and one
   received one are no sign of leaning on others.

The words never say "should", never speak of failing, never exclaim, and never keep
score: support is not a debt.
"""

from __future__ import annotations

from dataclasses import dataclass

from closeknit.insights.metrics import Coverage, NetworkHealth, RoleDiversity
from closeknit.network.vocab import Circle, SupportType
from closeknit.network.wording import join_names

# Where a suggestion's one small step happens; the views map these to pages.
ACTIONS = ("add-person", "people", "reach-out", "log-contact")

RUN_DAYS_AT_LEAST = 7  # a week without contact is worth a gentle word
IN_PERSON_BELOW = 0.2  # under a fifth of the contact in person
IN_PERSON_MIN_CONTACTS = 10  # fewer contacts than this say too little about the balance
TILT_RATIO = 3  # one side at least three times the other
TILT_MIN_CONTACTS = 10  # contacts logged as given or received, before the balance is spoken of

# How each support type reads in a sentence ("most of your … lately").
SUPPORT_WORDS: dict[str, str] = {
    SupportType.EMOTIONAL.value: "emotional support",
    SupportType.PRACTICAL.value: "practical support",
    SupportType.INFORMATIONAL.value: "informational support",
    SupportType.COMPANIONSHIP.value: "companionship",
}

# Who could give a type nobody gives yet, ending the sentence "Nobody is marked as giving …".
MISSING_IDEAS: dict[str, str] = {
    SupportType.EMOTIONAL.value: (
        "a friend, a peer or a counsellor could be someone to talk things through with."
    ),
    SupportType.PRACTICAL.value: (
        "a neighbour, a family member or a volunteer group could help with everyday things."
    ),
    SupportType.INFORMATIONAL.value: "a mentor, a support group or a professional could.",
    SupportType.COMPANIONSHIP.value: (
        "a club, a class or a support group could be a good place to spend time with others."
    ),
}

_SMALL_NUMBERS = {1: "one", 2: "two", 3: "three"}


@dataclass(frozen=True)
class Suggestion:
    key: str  # stable, e.g. "missing:informational", "single-point:emotional", "run"
    text: str
    action: str | None  # one of ACTIONS, or None


def suggestions(health: NetworkHealth) -> list[Suggestion]:
    """One suggestion per gap, the most important first; empty when nothing stands out."""
    if health.people == 0:
        return [first_person()]
    found: list[Suggestion | None] = [
        run(health),
        *(missing(kind) for kind in health.missing_types),
        inner_circle(health),
        *(single_point(one) for one in health.coverage),
        diversity(health),
        in_person(health),
        reciprocity(health),
    ]
    return [one for one in found if one is not None]


def first_person() -> Suggestion:
    return Suggestion(
        key="no-people",
        text=(
            "Every support network starts with one person. Adding someone you trust — a friend, "
            "a family member or someone from a group — is a good first step."
        ),
        action="add-person",
    )


def run(health: NetworkHealth) -> Suggestion | None:
    days = health.runs.current
    if days is None or days < RUN_DAYS_AT_LEAST:
        return None
    return Suggestion(
        key="run",
        text=(
            f"It's been {days} days since you were last in touch with anyone. "
            "A short message to someone you trust could be a good start."
        ),
        action="reach-out",
    )


def missing(kind: str) -> Suggestion:
    what = SUPPORT_WORDS.get(kind, f"{kind} support")
    idea = MISSING_IDEAS.get(kind, "someone new in your network could.")
    return Suggestion(
        key=f"missing:{kind}",
        text=f"Nobody is marked as giving {what} — {idea}",
        action="add-person",
    )


def inner_circle(health: NetworkHealth) -> Suggestion | None:
    inner = next((one for one in health.circles if one.circle == Circle.INNER.value), None)
    if inner is None or inner.people > 0:
        return None
    return Suggestion(
        key="inner-circle",
        text=(
            "Nobody is in your inner circle yet. If there is someone you feel closest to, "
            "you could place them there."
        ),
        action="people",
    )


def single_point(covered: Coverage) -> Suggestion | None:
    giver = covered.single_point
    if giver is None:
        return None
    what = SUPPORT_WORDS.get(covered.support_type, covered.label.lower())
    return Suggestion(
        key=f"single-point:{covered.support_type}",
        text=(
            f"Most of your {what} lately has come from {giver.name}. {giver.name} matters — "
            "and it can help to have someone else to lean on too."
        ),
        action="people",
    )


def diversity(health: NetworkHealth) -> Suggestion | None:
    found = health.diversity
    if found.band == "none":
        if run(health) is not None:
            return None
        return Suggestion(
            key="diversity",
            text=(
                "No contact with family, friends, groups or the people around you is logged "
                "for the last two weeks. A short hello to someone you like could be a gentle start."
            ),
            action="reach-out",
        )
    if found.band != "low":
        return None
    return Suggestion(
        key="diversity",
        text=(
            f"Over the last two weeks you were in touch with {_parts_of_life(found)}. "
            "Someone from another part — a neighbour, a group, a class or volunteering — "
            "could bring a little variety."
        ),
        action="reach-out",
    )


def _parts_of_life(found: RoleDiversity) -> str:
    """ "one part of your life (family)", "two parts of your life (family and work)"."""
    count = _SMALL_NUMBERS.get(found.score, str(found.score))
    parts = "part" if found.score == 1 else "parts"
    labels = [label.lower() for label in found.roles]
    named = join_names(labels)
    return f"{count} {parts} of your life ({named})" if labels else f"{count} {parts} of your life"


def in_person(health: NetworkHealth) -> Suggestion | None:
    found = health.in_person
    if found.total < IN_PERSON_MIN_CONTACTS or found.share is None:
        return None
    if found.share >= IN_PERSON_BELOW:
        return None
    return Suggestion(
        key="in-person",
        text=(
            "Most of your contact lately has been at a distance. Seeing someone in person, "
            "even for a short walk or a coffee, can feel different."
        ),
        action="reach-out",
    )


def reciprocity(health: NetworkHealth) -> Suggestion | None:
    given, received = health.reciprocity.given, health.reciprocity.received
    if given + received < TILT_MIN_CONTACTS:
        return None
    if received >= TILT_RATIO * given:
        return Suggestion(
            key="reciprocity:receiving",
            text=(
                "Others have been there for you a lot lately, and that is what they are there "
                "for. When you feel up to it, being there for someone else can feel good too."
            ),
            action="reach-out",
        )
    if given >= TILT_RATIO * received:
        return Suggestion(
            key="reciprocity:giving",
            text="You give a lot. It's okay to let others support you too.",
            action="reach-out",
        )
    return None
