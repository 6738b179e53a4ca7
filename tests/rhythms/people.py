"""People with a rhythm and a last contact, at a fixed moment, for the reach-out tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from closeknit.accounts.models import User
from closeknit.network.models import Interaction, Person

NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)  # Monday 1 July 2024, 12:00 in London


def add(owner: User, name: str, days_ago: int | None = None, **fields: Any) -> Person:
    """Someone hoped to be in touch with every 14 days (unless told), last `days_ago` days ago."""
    fields.setdefault("rhythm_days", 14)
    person = Person.objects.create(owner=owner, name=name, **fields)
    if days_ago is not None:
        entry = Interaction.objects.create(
            owner=owner, occurred_at=NOON - dt.timedelta(days=days_ago)
        )
        entry.people.add(person)
    return person
