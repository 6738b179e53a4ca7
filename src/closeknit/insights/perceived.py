"""Perceived vs lived support: the latest MSPSS and LSNS-6 beside the logged network. Pure.

A questionnaire says how supported the member feels; the log says whom they were in
touch with. When the two tell different stories ("perceived family support high, but
no family contact in 60 days") we say so as a gentle observation, never a verdict:
either can be true, and the member knows which.

The rules:

- Three parts of the network, always in this order, one row each:
  - "significant_other" ("Someone special"): people with the role partner, and anyone in
    the inner circle. The MSPSS asks about "a special person", which the scale leaves to
    the member: a partner when there is one, otherwise whoever is closest, so the inner
    circle counts too.
  - "family": people with the role family.
  - "friends": people with the role friend only. A peer (a peer supporter, a fellow
    member of a recovery group) may or may not be who the member means by "my friends";
    the member can mark a peer as a friend too when they are, and the count then never
    guesses on their behalf.
  A person can be in several parts (a partner who is also marked family is in both), and
  is counted once in each.
- The perceived side:
  - MSPSS subscale means run 1–7: below 3 low, above 5 high, otherwise moderate (the
    instrument's own bands, from Zimet's scoring sheet).
  - LSNS-6 family and friends subscales run 0–15: below 6 is "a small network" (a
    commonly used mark, unverified in Lubben's paper); a total below 12 is Lubben's mark
    of risk of social isolation, said in `results`.
  - A result older than OLD_DAYS (180) says how old it is ("from 8 months ago").
  - A missing questionnaire (or a subscale without a score) leaves that part's
    `perceived` empty and says nothing about it: the lived side is still shown.
- The lived side looks at LIVED_DAYS (60) local days ending today: the people in the
  part, the contacts with any of them (a contact counts once per part, even with two
  family members on it; contacts naming nobody known are ignored), and the latest
  contact day in the window. Older contact is not known here, so with none in the window
  we say "no contact logged in the last 60 days", never "never".
- Observations, each only when the data supports it, gentle, no "should", no "!":
  - perceived high, people in the part, and no contact with them in the window;
  - perceived low, and at least FREQUENT_CONTACTS (8) contacts in the window: contact
    isn't always support, which is worth noticing kindly;
  - the LSNS-6 counts few (below 6) but at least SEVERAL_PEOPLE (3) people are marked
    in that part (family or friends);
  - nobody in the part while the questionnaire shows support there (an MSPSS of 3 or
    more, or an LSNS-6 of 1 or more): perhaps not logged yet.
  They come part by part in the rows' order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from closeknit.insights.metrics import ContactFacts, PersonFacts
from closeknit.lib.words import counted, days_ago

LIVED_DAYS = 60  # the logged side looks at this many local days ending today

MSPSS_LOW_BELOW = 3.0  # a subscale mean below this is low
MSPSS_HIGH_ABOVE = 5.0  # above this is high; in between (both ends included) moderate
MSPSS_MAX = 7
LSNS_SMALL_BELOW = 6.0  # a family or friends score below this is "a small network"
LSNS_PART_MAX = 15
LSNS_RISK_BELOW = 12.0  # a total below this: Lubben's mark of risk of social isolation
LSNS_TOTAL_MAX = 30
OLD_DAYS = 180  # a result older than this says how old it is
FREQUENT_CONTACTS = 8  # this many contacts in the window is "plenty" beside a low rating
SEVERAL_PEOPLE = 3  # this many people marked in a part is "several"

SIGNIFICANT_OTHER = "significant_other"
FAMILY = "family"
FRIENDS = "friends"
KEYS = (SIGNIFICANT_OTHER, FAMILY, FRIENDS)


@dataclass(frozen=True)
class QuestionnaireResult:
    """The latest complete result of one questionnaire, as stored."""

    instrument: str  # "mspss" or "lsns6"
    taken_on: dt.date  # the member's local day
    total: float | None
    subscales: Mapping[
        str, float
    ]  # mspss: significant_other, family, friends; lsns6: family, friends
    band: str  # the band slug


@dataclass(frozen=True)
class SideBySide:
    """One part of the network, as felt and as logged."""

    key: str  # "significant_other", "family" or "friends"
    label: str  # "Someone special", "Family", "Friends"
    perceived: str  # e.g. "High (5.8 of 7, MSPSS)"; "" when not asked
    lived: str  # e.g. "3 people; 12 contacts in the last 60 days, the latest 4 days ago"
    people: int
    contacts: int
    last_contact: dt.date | None
    # Added: the numbers behind `perceived`, for styling and the API.
    mspss: float | None = None  # the MSPSS subscale mean, when answered
    band: str = ""  # its band: "low", "moderate" or "high"; "" when not answered
    lsns6: float | None = None  # the LSNS-6 subscale (family and friends only)
    small_network: bool = False  # the LSNS-6 subscale is below 6


@dataclass(frozen=True)
class Perceived:
    mspss: QuestionnaireResult | None
    lsns6: QuestionnaireResult | None
    rows: list[SideBySide]
    observations: list[str]  # gentle, kind sentences; empty when the two agree
    # Added: one sentence per questionnaire answered, with its date, overall score and band.
    results: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Part:
    """How the sentences speak about one part of the network."""

    label: str
    support: str  # "your family's support"
    contact: str  # "family contact"
    whom: str  # "family": "8 contacts with family"
    nobody: str  # "nobody is marked as family"
    few: str  # what a low LSNS-6 says: "few relatives you could call on"
    some: str  # what a positive LSNS-6 says: "relatives you can turn to"
    marked: str  # "marked as family"


_PARTS: dict[str, _Part] = {
    SIGNIFICANT_OTHER: _Part(
        label="Someone special",
        support="the support of someone special",
        contact="contact with your partner or inner circle",
        whom="your partner or inner circle",
        nobody="nobody is marked as your partner or in your inner circle",
        few="",
        some="",
        marked="",
    ),
    FAMILY: _Part(
        label="Family",
        support="your family's support",
        contact="family contact",
        whom="family",
        nobody="nobody is marked as family",
        few="few relatives you could call on",
        some="relatives you can turn to",
        marked="marked as family",
    ),
    FRIENDS: _Part(
        label="Friends",
        support="your friends' support",
        contact="contact with friends",
        whom="friends",
        nobody="nobody is marked as a friend",
        few="few friends you could call on",
        some="friends you can turn to",
        marked="marked as friends",
    ),
}


@dataclass(frozen=True)
class _Lived:
    people: int
    contacts: int
    last_contact: dt.date | None


def perceived(
    mspss: QuestionnaireResult | None,
    lsns6: QuestionnaireResult | None,
    people: Sequence[PersonFacts],
    contacts: Sequence[ContactFacts],
    today: dt.date,
) -> Perceived:
    """The latest questionnaires beside the logged network of the last LIVED_DAYS days."""
    members = part_members(people)
    rows: list[SideBySide] = []
    observations: list[str] = []
    for key in KEYS:
        lived = _lived(members[key], contacts, today)
        rows.append(_row(key, lived, mspss, lsns6, today))
        observations += _observations(key, lived, mspss, lsns6, today)
    results = [text for text in (_mspss_words(mspss, today), _lsns_words(lsns6, today)) if text]
    return Perceived(mspss, lsns6, rows, observations, results)


def part_members(people: Sequence[PersonFacts]) -> dict[str, frozenset[int]]:
    """The ids of the people in each part; one person may be in several."""
    found: dict[str, set[int]] = {key: set() for key in KEYS}
    for person in people:
        if "partner" in person.roles or person.circle == "inner":
            found[SIGNIFICANT_OTHER].add(person.person_id)
        if "family" in person.roles:
            found[FAMILY].add(person.person_id)
        if "friend" in person.roles:
            found[FRIENDS].add(person.person_id)
    return {key: frozenset(ids) for key, ids in found.items()}


def mspss_band(mean: float) -> str:
    """The MSPSS band of a subscale or overall mean: "low", "moderate" or "high"."""
    if mean < MSPSS_LOW_BELOW:
        return "low"
    if mean > MSPSS_HIGH_ABOVE:
        return "high"
    return "moderate"


def age_words(taken_on: dt.date, today: dt.date) -> str:
    """ "8 months ago" for a result older than OLD_DAYS, "" for a recent one."""
    days = (today - taken_on).days
    if days <= OLD_DAYS:
        return ""
    months = round(days / 30.4375)  # the mean month, so 181 days reads "6 months"
    if months < 24:
        return f"{months} months ago"
    return f"{months // 12} years ago"


# --- The lived side -----------------------------------------------------------------------------


def _lived(ids: frozenset[int], contacts: Sequence[ContactFacts], today: dt.date) -> _Lived:
    first = today - dt.timedelta(days=LIVED_DAYS - 1)
    count = 0
    latest: dt.date | None = None
    for contact in contacts:
        if not first <= contact.day <= today or not ids & contact.person_ids:
            continue
        count += 1  # once per contact, however many of the part were on it
        if latest is None or contact.day > latest:
            latest = contact.day
    return _Lived(people=len(ids), contacts=count, last_contact=latest)


def _lived_words(key: str, lived: _Lived, today: dt.date) -> str:
    people = counted(lived.people, "person", "people")
    if lived.people == 0:
        return f"{_PARTS[key].nobody.capitalize()} yet"
    if lived.last_contact is None:
        return f"{people}; no contact logged in the last {LIVED_DAYS} days"
    contacts = counted(lived.contacts, "contact")
    return (
        f"{people}; {contacts} in the last {LIVED_DAYS} days, "
        f"the latest {days_ago((today - lived.last_contact).days)}"
    )


# --- The perceived side -------------------------------------------------------------------------


def _row(
    key: str,
    lived: _Lived,
    mspss: QuestionnaireResult | None,
    lsns6: QuestionnaireResult | None,
    today: dt.date,
) -> SideBySide:
    mean = _subscale(mspss, key)
    lsns = _subscale(lsns6, key)
    words: list[str] = []
    if mean is not None and mspss is not None:
        band = mspss_band(mean).capitalize()
        words.append(f"{band} ({_number(mean)} of {MSPSS_MAX} on the MSPSS{_from(mspss, today)})")
    if lsns is not None and lsns6 is not None:
        small = ", a small network" if lsns < LSNS_SMALL_BELOW else ""
        words.append(
            f"{_number(lsns)} of {LSNS_PART_MAX} on the LSNS-6{small}{_from(lsns6, today)}"
        )
    return SideBySide(
        key=key,
        label=_PARTS[key].label,
        perceived="; ".join(words),
        lived=_lived_words(key, lived, today),
        people=lived.people,
        contacts=lived.contacts,
        last_contact=lived.last_contact,
        mspss=mean,
        band=mspss_band(mean) if mean is not None else "",
        lsns6=lsns,
        small_network=lsns is not None and lsns < LSNS_SMALL_BELOW,
    )


def _subscale(result: QuestionnaireResult | None, key: str) -> float | None:
    if result is None:
        return None
    value = result.subscales.get(key)
    return None if value is None else float(value)


def _from(result: QuestionnaireResult, today: dt.date) -> str:
    age = age_words(result.taken_on, today)
    return f", from {age}" if age else ""


def _mspss_words(result: QuestionnaireResult | None, today: dt.date) -> str:
    if result is None or result.total is None:
        return ""
    return (
        f"Your MSPSS {_taken(result, today)}: {_number(result.total)} of {MSPSS_MAX} overall, "
        f"{mspss_band(result.total)}."
    )


def _lsns_words(result: QuestionnaireResult | None, today: dt.date) -> str:
    if result is None or result.total is None:
        return ""
    text = (
        f"Your LSNS-6 {_taken(result, today)}: {_number(result.total)} of {LSNS_TOTAL_MAX} in all"
    )
    if result.total < LSNS_RISK_BELOW:
        return f"{text}; below 12, which the scale reads as a risk of social isolation."
    return f"{text}."


def _taken(result: QuestionnaireResult, today: dt.date) -> str:
    day = f"from {result.taken_on.day} {result.taken_on:%B %Y}"
    age = age_words(result.taken_on, today)
    return f"{day} ({age})" if age else day


# --- Observations -------------------------------------------------------------------------------


def _observations(
    key: str,
    lived: _Lived,
    mspss: QuestionnaireResult | None,
    lsns6: QuestionnaireResult | None,
    today: dt.date,
) -> list[str]:
    part = _PARTS[key]
    mean = _subscale(mspss, key)
    lsns = _subscale(lsns6, key)
    found: list[str] = []
    if mean is not None and mspss is not None:
        rated = _rated(mspss, today)
        band = mspss_band(mean)
        if band == "high" and lived.people and lived.contacts == 0:
            found.append(
                f"{rated} {part.support} as high, and there's no {part.contact} logged in the "
                f"last {LIVED_DAYS} days. Maybe it's all there and just not logged — or maybe "
                "a call would be welcome."
            )
        if band == "low" and lived.contacts >= FREQUENT_CONTACTS:
            found.append(
                f"{rated} {part.support} as low, and there are {lived.contacts} contacts with "
                f"{part.whom} logged in the last {LIVED_DAYS} days. Being in touch and feeling "
                "supported aren't always the same thing, and it's worth noticing that, kindly."
            )
        if band != "low" and lived.people == 0:
            found.append(
                f"{rated} {part.support} as {band}, and {part.nobody} here yet. If you'd like "
                "to add them, this page can show that side too."
            )
    if lsns is not None and lsns6 is not None and part.few:
        answers = _answers(lsns6, today)
        if lsns < LSNS_SMALL_BELOW and lived.people >= SEVERAL_PEOPLE:
            found.append(
                f"{answers} counted {part.few}, and {lived.people} people are {part.marked} "
                "here. Knowing people and feeling you could call on them aren't always the "
                "same — maybe one of them would be glad to hear from you."
            )
        shown_by_mspss = mean is not None and mspss_band(mean) != "low"
        if lsns > 0 and lived.people == 0 and not shown_by_mspss:
            found.append(
                f"{answers} mention {part.some}, and {part.nobody} here yet. If you'd like "
                "to add them, this page can show that side too."
            )
    return found


def _rated(result: QuestionnaireResult, today: dt.date) -> str:
    age = age_words(result.taken_on, today)
    return f"{age.capitalize()}, you rated" if age else "You rated"


def _answers(result: QuestionnaireResult, today: dt.date) -> str:
    age = age_words(result.taken_on, today)
    return f"Your LSNS-6 answers from {age}" if age else "Your LSNS-6 answers"


# --- Words --------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """A score as people read it: 5, 5.75, 5.08 (MSPSS means are twelfths at worst)."""
    return f"{round(value, 2):g}"
