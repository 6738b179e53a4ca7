"""The insights from the database: the facts the pure modules need, read in a fixed number of queries.

The network page reads six things whatever the size of the network: the people, a
year of contact, the people on that contact, each person's latest contact, and the
latest MSPSS and LSNS-6. The wellbeing page reads four: the check-ins of the range,
the contact of the range, the people on it, and the names. Everything is turned into
the member's local days here, once, so the pure modules never see a time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from closeknit.accounts.models import User
from closeknit.insights import charts, connection, convoy, metrics, perceived, suggestions
from closeknit.insights.connection import DayContact, DayScores
from closeknit.insights.metrics import ContactFacts, PersonFacts
from closeknit.lib.days import local_day
from closeknit.network.models import Interaction, Person
from closeknit.network.queries import local_day_bounds
from closeknit.network.vocab import Channel
from closeknit.network.wording import short_name
from closeknit.rhythms.reach_out import last_contacts
from closeknit.wellbeing.models import Assessment, CheckIn

# The wellbeing page and API look at a year unless asked otherwise, and at most this far.
DEFAULT_RANGE_DAYS = 365
MAX_RANGE_DAYS = 3 * 366
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
OUT_OF_REACH = "Please choose a day between 1900 and 2199."


class RangeError(ValueError):
    """A from/to pair that cannot be used; the message says why, kindly, and `field` which end."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class NetworkInsights:
    health: metrics.NetworkHealth
    suggestions: list[suggestions.Suggestion]
    convoy: convoy.Convoy
    perceived: perceived.Perceived


@dataclass(frozen=True)
class ConnectionInsights:
    connection: connection.Connection
    timeline: charts.Timeline


def network(owner: User, today: dt.date) -> NetworkInsights:
    """Everything the network page and `GET /insights/network` show."""
    people = people_facts(owner)
    first = today - dt.timedelta(days=metrics.RUN_DAYS - 1)
    contacts = contact_facts(owner, first, today)
    zone = owner.zone
    last = {person_id: local_day(at, zone) for person_id, at in last_contacts(owner).items()}
    health = metrics.network_health(people, contacts, today)
    return NetworkInsights(
        health=health,
        suggestions=suggestions.suggestions(health),
        convoy=convoy.convoy(people, contacts, last, today),
        perceived=perceived.perceived(
            latest_result(owner, "mspss"), latest_result(owner, "lsns6"), people, contacts, today
        ),
    )


def wellbeing(owner: User, first: dt.date, last: dt.date) -> ConnectionInsights:
    """Everything the wellbeing page and `GET /insights/connection` show, for local days first … last."""
    scores = day_scores(owner, first, last)
    contacts = contact_facts(owner, first, last)
    days = contact_days(contacts)
    names = {facts.person_id: facts.name for facts in people_facts(owner)}
    return ConnectionInsights(
        connection=connection.connection(scores, days, names, first, last),
        timeline=charts.timeline(scores, days.keys(), first, last),
    )


def date_range(
    today: dt.date, first: dt.date | None, last: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The range asked for, with a year ending today filling what is left out.

    Days before EARLIEST or after LATEST are refused: no one has check-ins there, and date
    arithmetic near the ends of the calendar (year 1 or 9999) would overflow.
    """
    for field, day in (("from", first), ("to", last)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise RangeError(field, OUT_OF_REACH)
    last = last or today
    first = first or last - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if first > last:
        raise RangeError("to", "Please choose a 'to' day on or after 'from'.")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise RangeError("to", f"Please choose at most {MAX_RANGE_DAYS} days at a time.")
    return first, last


# --- Reading the facts --------------------------------------------------------------------------


def people_facts(owner: User) -> list[PersonFacts]:
    """Everyone not archived, in name order."""
    rows = (
        Person.objects.owned_by(owner)
        .filter(archived_at__isnull=True)
        .only("id", "name", "nickname", "circle", "roles", "support_types", "rhythm_days")
    )
    return [
        PersonFacts(
            person_id=person.pk,
            name=short_name(person.name, person.nickname),
            circle=person.circle,
            roles=frozenset(person.roles),
            support_types=frozenset(person.support_types),
            rhythm_days=person.rhythm_days,
        )
        for person in rows
    ]


def contact_facts(owner: User, first: dt.date, last: dt.date) -> list[ContactFacts]:
    """The logged contact on local days first … last, oldest first, in two queries."""
    zone = owner.zone
    since, until = local_day_bounds(first, last, zone)
    contacts = (
        Interaction.objects.owned_by(owner)
        .filter(occurred_at__gte=since, occurred_at__lt=until)
        .order_by("occurred_at", "id")
        .values_list("id", "occurred_at", "channel", "direction", "support_types")
    )
    rows = list(contacts)
    links = Interaction.people.through.objects.filter(
        interaction__owner=owner,
        interaction__occurred_at__gte=since,
        interaction__occurred_at__lt=until,
    ).values_list("interaction_id", "person_id")
    people: dict[int, set[int]] = defaultdict(set)
    for interaction_id, person_id in links:
        people[interaction_id].add(person_id)
    return [
        ContactFacts(
            day=local_day(at, zone),
            person_ids=frozenset(people.get(pk, ())),
            channel=channel,
            direction=direction,
            support_types=frozenset(support),
        )
        for pk, at, channel, direction, support in rows
    ]


def contact_days(contacts: list[ContactFacts]) -> dict[dt.date, DayContact]:
    """Each local day with contact: who was there and whether any of it was in person."""
    people: dict[dt.date, set[int]] = defaultdict(set)
    in_person: dict[dt.date, bool] = defaultdict(bool)
    for contact in contacts:
        people[contact.day] |= contact.person_ids
        in_person[contact.day] |= contact.channel == Channel.IN_PERSON
    return {
        day: DayContact(day=day, person_ids=frozenset(ids), in_person=in_person[day])
        for day, ids in people.items()
    }


def day_scores(owner: User, first: dt.date, last: dt.date) -> list[DayScores]:
    rows = (
        CheckIn.objects.owned_by(owner)
        .filter(day__gte=first, day__lte=last)
        .order_by("day")
        .values_list("day", "mood", "stress")
    )
    return [DayScores(day=day, mood=mood, stress=stress) for day, mood, stress in rows]


def latest_result(owner: User, code: str) -> perceived.QuestionnaireResult | None:
    """The latest complete result of one questionnaire, or None."""
    row = (
        Assessment.objects.owned_by(owner)
        .filter(instrument=code, complete=True)
        .order_by("-taken_at", "-id")
        .only("instrument", "taken_at", "total", "subscales", "band")
        .first()
    )
    if row is None:
        return None
    return perceived.QuestionnaireResult(
        instrument=code,
        taken_on=local_day(row.taken_at, owner.zone),
        total=row.total,
        subscales=_subscale_scores(row.subscales),
        band=row.band,
    )


def _subscale_scores(stored: object) -> dict[str, float]:
    """The stored subscale scores that have a value (a missing item leaves one unscored)."""
    if not isinstance(stored, dict):
        return {}
    return {slug: float(value) for slug, value in stored.items() if value is not None}
