"""The reach-out list from the database: the facts `ranking.py` needs, and pauses.

A fixed number of queries whatever the size of the network: the people, the last
contact with each (one grouped query), the support they gave since they were last
thanked (one grouped query), the last two days' check-ins, the current pauses, and
the occasions of the next two weeks (occasions_store.py, two more). Nothing here is
asked once per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.lib.days import local_day
from closeknit.network.models import Interaction, Person
from closeknit.network.queries import local_day_bounds
from closeknit.network.vocab import Direction
from closeknit.network.wording import short_name
from closeknit.rhythms import occasions_store, ranking
from closeknit.rhythms.models import Appreciation, ReachOutPause
from closeknit.rhythms.occasions import UpcomingOccasion
from closeknit.rhythms.ranking import Facts, Suggestion
from closeknit.rhythms.vocab import PauseKind
from closeknit.wellbeing import store
from closeknit.wellbeing.models import CheckIn

HOME_COUNT = 3
# Support is what the member received, alone or both ways; "gave" is theirs to others.
SUPPORT_DIRECTIONS = (Direction.RECEIVED.value, Direction.MUTUAL.value)


@dataclass(frozen=True)
class ReachOut:
    """Today's reach-out list and what the page says around it."""

    today: dt.date
    suggestions: list[Suggestion]
    pauses: list[ReachOutPause] = field(default_factory=list)  # current ones, soonest back first
    people: int = 0  # people in the network, archived ones aside
    with_rhythm: int = 0  # of those, people with a rhythm
    high_stress: bool = False
    # The occasions of the ranking's window, so the home page can show the week's without
    # reading them again.
    occasions: list[UpcomingOccasion] = field(default_factory=list)


def suggestions(owner: User, now: dt.datetime | None = None) -> list[Suggestion]:
    """The ranked reach-out list for the member's local today."""
    return reach_out(owner, now).suggestions


def reach_out(owner: User, now: dt.datetime | None = None) -> ReachOut:
    """Today's list with the member's current pauses, for the pages and the API."""
    now = now or timezone.now()
    today = store.today(owner, now)
    people = _people(owner)
    last = last_contacts(owner)
    pauses = current_pauses(owner, today)
    high_stress = ranking.is_high_stress(_stress(owner, today), today)
    given = _support_since_thanks(owner, today, now)
    upcoming = occasions_store.upcoming(
        owner, today, today + dt.timedelta(days=ranking.OCCASION_WINDOW_DAYS)
    )
    coming = _next_occasions(upcoming)
    paused = {pause.person_id: pause.until for pause in pauses}
    facts = [
        _facts(person, owner.zone, today, last.get(person.pk), paused, given, coming.get(person.pk))
        for person in people
    ]
    return ReachOut(
        today=today,
        suggestions=ranking.rank(facts, today, high_stress=high_stress),
        pauses=pauses,
        people=len(people),
        with_rhythm=sum(1 for person in people if person.rhythm_days is not None),
        high_stress=high_stress,
        occasions=upcoming,
    )


def _people(owner: User) -> list[Person]:
    """Everyone not archived, with what the ranking needs to know about them."""
    return list(
        Person.objects.owned_by(owner)
        .filter(archived_at__isnull=True)
        .only("id", "owner_id", "name", "nickname", "circle", "support_types", "rhythm_days")
        .order_by()
    )


def last_contacts(owner: User) -> dict[int, dt.datetime]:
    """The instant of each person's latest contact, in one query grouped by person.

    Grouped on the link table from the member's contact rather than annotated on the
    people: the database then walks the index of the member's contact and the link's
    own index, with no look-up per link, about twice as fast with 50,000 contacts.
    """
    rows = (
        Interaction.people.through.objects.filter(interaction__owner=owner)
        .values("person_id")
        .annotate(last=Max("interaction__occurred_at"))
        .order_by()
    )
    return {row["person_id"]: row["last"] for row in rows}


def _facts(
    person: Person,
    zone: ZoneInfo,
    today: dt.date,
    last: dt.datetime | None,
    paused: Mapping[int, dt.date],
    given: Mapping[int, int],
    occasion: UpcomingOccasion | None,
) -> Facts:
    return Facts(
        person_id=person.pk,
        name=person.name,
        nickname=person.nickname,
        circle=person.circle,
        support_types=frozenset(person.support_types),
        rhythm_days=person.rhythm_days,
        last_contact=local_day(last, zone) if last is not None else None,
        occasion_in_days=(occasion.day - today).days if occasion is not None else None,
        occasion_title=occasion.title if occasion is not None else "",
        support_since_thanks=given.get(person.pk, 0),
        paused_until=paused.get(person.pk),
    )


def _next_occasions(upcoming: Iterable[UpcomingOccasion]) -> dict[int, UpcomingOccasion]:
    """Each person's first occasion (the list comes sorted by day)."""
    first: dict[int, UpcomingOccasion] = {}
    for occasion in upcoming:
        if occasion.person_id is not None:
            first.setdefault(occasion.person_id, occasion)
    return first


def _stress(owner: User, today: dt.date) -> dict[dt.date, int | None]:
    yesterday = today - dt.timedelta(days=1)
    rows = CheckIn.objects.owned_by(owner).filter(day__in=[yesterday, today])
    return dict(rows.values_list("day", "stress"))


def _support_since_thanks(owner: User, today: dt.date, now: dt.datetime) -> dict[int, int]:
    """For each person, how often they supported the member lately and since last thanked.

    One query grouped by person: contact on the link table from the start of the thanks
    window until now, "received" or "mutual" with a support type, and with no note of
    thanks to that person written at or after it.
    """
    since, _until = local_day_bounds(ranking.thanks_window_start(today), None, owner.zone)
    thanked_since = Appreciation.objects.owned_by(owner).filter(
        person_id=OuterRef("person_id"), written_at__gte=OuterRef("interaction__occurred_at")
    )
    rows = (
        Interaction.people.through.objects.filter(
            interaction__owner=owner,
            interaction__occurred_at__gte=since,
            interaction__occurred_at__lte=now,
            interaction__direction__in=SUPPORT_DIRECTIONS,
        )
        .filter(~Q(interaction__support_types=""), ~Exists(thanked_since))
        .values("person_id")
        .annotate(times=Count("interaction_id"))
        .order_by()
    )
    return {row["person_id"]: row["times"] for row in rows}


# Pauses


def current_pauses(owner: User, today: dt.date) -> list[ReachOutPause]:
    """The pauses still keeping someone off the list, soonest back first."""
    return list(
        ReachOutPause.objects.owned_by(owner)
        .filter(until__gt=today, person__archived_at__isnull=True)
        .select_related("person")
        .only("id", "owner_id", "kind", "until", "person__id", "person__name", "person__nickname")
        .order_by("until", "person__name", "person_id")
    )


def pause(
    owner: User,
    person: Person,
    kind: str,
    days: int | None = None,
    now: dt.datetime | None = None,
) -> ReachOutPause:
    """Leave `person` off the list: until tomorrow ("not now") or for `days` (a snooze).

    One pause per person: pausing again replaces the last one. ValueError for a kind or
    a number of days that is not offered.
    """
    if person.owner_id != owner.pk:
        raise ValueError("a pause is for one of the member's own people")
    now = now or timezone.now()
    until = ranking.pause_until(kind, store.today(owner, now), days)
    values = {"kind": kind, "until": until, "created_at": now}
    try:
        with transaction.atomic():
            saved, _created = ReachOutPause.objects.update_or_create(
                owner=owner, person=person, defaults=values
            )
    except IntegrityError:
        # Two first pauses at once (a double tap): the other made the row, so change it.
        saved, _created = ReachOutPause.objects.update_or_create(
            owner=owner, person=person, defaults=values
        )
    return saved


def lift_pause(owner: User, person: Person) -> bool:
    """Put `person` back on the list at once; whether there was a pause to lift."""
    deleted, _ = ReachOutPause.objects.owned_by(owner).filter(person=person).delete()
    return deleted > 0


def pause_words(person: Person, kind: str, until: dt.date, today: dt.date) -> str:
    """What the member hears after pausing someone."""
    who = short_name(person.name, person.nickname)
    if kind == PauseKind.NOT_NOW.value:
        return f"Okay. {who} is off your list for today."
    days = (until - today).days
    return f"Okay. {who} is off your list for {days} days, back {ranking.when_words(until, today)}."
