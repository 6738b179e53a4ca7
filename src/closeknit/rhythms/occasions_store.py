"""The member's occasions from the database, through the pure rules in `occasions.py`.

Two queries whatever the size of the network: the people with a birthday (not
archived), and the stored occasions with their person's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from closeknit.network.models import Person
from closeknit.network.wording import short_name
from closeknit.rhythms import occasions
from closeknit.rhythms.models import Occasion
from closeknit.rhythms.occasions import UpcomingOccasion

__all__ = ["UpcomingOccasion", "birthdays_of", "stored_of", "stored_rows", "upcoming"]


def birthdays_of(owner: Any) -> list[occasions.Birthday]:
    people = (
        Person.objects.owned_by(owner)
        .filter(birthday__isnull=False, archived_at__isnull=True)
        .only("id", "name", "nickname", "birthday", "birthday_year_known")
        .order_by()
    )
    return [
        occasions.Birthday(
            person_id=person.pk,
            name=short_name(person.name, person.nickname),
            day=person.birthday,
            year_known=person.birthday_year_known,
        )
        for person in people
        if person.birthday is not None
    ]


def stored_rows(owner: Any) -> QuerySet[Occasion]:
    """The member's stored occasions, with the name of the person each is with."""
    return (
        Occasion.objects.owned_by(owner)
        .select_related("person")
        .only(
            "id",
            "owner_id",
            "kind",
            "title",
            "day",
            "repeats_yearly",
            "created_at",
            "person__id",
            "person__name",
            "person__nickname",
        )
        .order_by("day", "id")
    )


def as_plain(occasion: Occasion) -> occasions.StoredOccasion:
    person = occasion.person
    return occasions.StoredOccasion(
        occasion_id=occasion.pk,
        kind=occasion.kind,
        title=occasion.title,
        day=occasion.day,
        repeats_yearly=occasion.repeats_yearly,
        person_id=person.pk if person is not None else None,
        person_name=short_name(person.name, person.nickname) if person is not None else "",
    )


def stored_of(owner: Any) -> list[occasions.StoredOccasion]:
    return [as_plain(occasion) for occasion in stored_rows(owner)]


def upcoming(owner: Any, first: dt.date, last: dt.date) -> list[UpcomingOccasion]:
    """Every occasion of the member from `first` to `last` (local days, both included), by day."""
    if last < first:
        return []
    return occasions.upcoming(birthdays_of(owner), stored_of(owner), first, last)
