"""Everything a member owns, out: a complete JSON document, CSV for spreadsheets, vCard.

The JSON export is complete and reads back with `importing.import_document`, so
it moves an account to another Closeknit server. It uses the slugs of DESIGN.md
and the API's field names. Notes are decrypted: this is the member's own data,
handed to the member.

Each export reads a fixed number of queries however large the network is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import vobject
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.network.csvio import LIST_SEPARATOR, write_csv
from closeknit.network.importing import EXPORT_FORMAT, EXPORT_VERSION
from closeknit.network.models import Group, Interaction, Person

PEOPLE_COLUMNS = [
    "name",
    "nickname",
    "roles",
    "support_types",
    "circle",
    "rhythm_days",
    "preferred_channels",
    "birthday",
    "email",
    "phone",
    "notes",
    "archived_at",
]
INTERACTION_COLUMNS = [
    "occurred_at",
    "people",
    "group",
    "channel",
    "direction",
    "support_types",
    "feeling",
    "note",
]


def utc(moment: datetime | None) -> str | None:
    """An instant in ISO 8601, in UTC, as the API writes it: 2024-03-01T09:30:00+00:00."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _by_name(objects: Iterable[Person | Group]) -> list[Any]:
    # Sorted here, not by the database, so SQLite and PostgreSQL collations agree.
    return sorted(objects, key=lambda obj: (obj.name.casefold(), obj.name, obj.pk))


def _people(owner: User) -> list[Person]:
    return _by_name(Person.objects.owned_by(owner))


def _members(owner: User) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    for group_id, person_id in Group.members.through.objects.filter(
        group__owner=owner, person__owner=owner
    ).values_list("group_id", "person_id"):
        members[group_id].add(person_id)
    return members


def _participants(owner: User) -> dict[int, set[int]]:
    people: dict[int, set[int]] = defaultdict(set)
    for interaction_id, person_id in Interaction.people.through.objects.filter(
        interaction__owner=owner, person__owner=owner
    ).values_list("interaction_id", "person_id"):
        people[interaction_id].add(person_id)
    return people


def _interactions(owner: User) -> list[Interaction]:
    return sorted(Interaction.objects.owned_by(owner), key=lambda i: (i.occurred_at, i.pk))


def export_document(owner: User) -> dict[str, Any]:
    """Everything the member owns, JSON-serialisable, in a stable order.

    People and groups are sorted by name, the contact log by time; lists of people
    follow the order of "people", so two exports of the same data are equal. The
    recovery plan and the safety plan follow (see `recovery.exporting`), then the
    check-ins, questionnaire results and schedules (see `wellbeing.exporting`), and
    the occasions and notes of thanks (see `rhythms.exporting`), and the circle of
    supporters (see `circle.exporting`).
    """
    people = _people(owner)
    position = {person.pk: index for index, person in enumerate(people)}

    def in_order(ids: Iterable[int]) -> list[int]:
        return sorted((pk for pk in ids if pk in position), key=position.__getitem__)

    # Imported here: the parts of the other apps build on this module's helpers.
    from closeknit.circle.exporting import circle_document
    from closeknit.recovery.exporting import recovery_document
    from closeknit.rhythms.exporting import rhythms_document
    from closeknit.wellbeing.exporting import wellbeing_document

    members = _members(owner)
    participants = _participants(owner)
    groups = _by_name(Group.objects.owned_by(owner))
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": utc(timezone.now()),
        "profile": {
            "display_name": owner.display_name,
            "time_zone": owner.time_zone,
            "country": owner.country,
            "language": owner.language,
        },
        "people": [_person(person) for person in people],
        "groups": [
            {
                "id": group.pk,
                "name": group.name,
                "kind": group.kind,
                "members": in_order(members[group.pk]),
                "meets_from": utc(group.meets_from),
                "schedule": group.schedule,
                "notes": group.notes,
                "archived_at": utc(group.archived_at),
            }
            for group in groups
        ],
        "interactions": [
            {
                "id": interaction.pk,
                "people": in_order(participants[interaction.pk]),
                "group": interaction.group_id,
                "occurred_at": utc(interaction.occurred_at),
                "channel": interaction.channel,
                "direction": interaction.direction,
                "support_types": list(interaction.support_types),
                "feeling": interaction.feeling,
                "note": interaction.note,
            }
            for interaction in _interactions(owner)
        ],
    }
    document.update(recovery_document(owner, position, {group.pk for group in groups}))
    document.update(wellbeing_document(owner))
    document.update(rhythms_document(owner, position))
    document.update(circle_document(owner, position))
    return document


def _person(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "nickname": person.nickname,
        "roles": list(person.roles),
        "support_types": list(person.support_types),
        "circle": person.circle,
        "rhythm_days": person.rhythm_days,
        "preferred_channels": list(person.preferred_channels),
        "birthday": person.birthday.isoformat() if person.birthday else None,
        "birthday_year_known": person.birthday_year_known,
        "email": person.email,
        "phone": person.phone,
        "notes": person.notes,
        "archived_at": utc(person.archived_at),
    }


def birthday_text(person: Person) -> str:
    """1985-04-12, or --04-12 (ISO 8601 without a year) when the year isn't known."""
    if person.birthday is None:
        return ""
    if person.birthday_year_known:
        return person.birthday.isoformat()
    return f"--{person.birthday:%m-%d}"


def people_csv(owner: User) -> str:
    """One row per person, the columns of the JSON export; lists joined with ";"."""
    return write_csv(
        PEOPLE_COLUMNS,
        (
            [
                person.name,
                person.nickname,
                LIST_SEPARATOR.join(person.roles),
                LIST_SEPARATOR.join(person.support_types),
                person.circle,
                person.rhythm_days,
                LIST_SEPARATOR.join(person.preferred_channels),
                birthday_text(person),
                person.email,
                person.phone,
                person.notes,
                utc(person.archived_at),
            ]
            for person in _people(owner)
        ),
    )


def interactions_csv(owner: User) -> str:
    """One row per logged contact, oldest first, naming the people and the group.

    Times are in the member's own time zone, with the offset, so a spreadsheet shows
    the hour the member remembers and the instant stays exact.
    """
    zone = owner.zone
    # Names only: no need to decrypt everyone's notes for this file.
    people = sorted(
        Person.objects.owned_by(owner).values_list("pk", "name"),
        key=lambda row: (row[1].casefold(), row[1], row[0]),
    )
    names = dict(people)
    order = {pk: index for index, (pk, _name) in enumerate(people)}
    groups = dict(Group.objects.owned_by(owner).values_list("pk", "name"))
    participants = _participants(owner)
    return write_csv(
        INTERACTION_COLUMNS,
        (
            [
                interaction.occurred_at.astimezone(zone).isoformat(timespec="seconds"),
                LIST_SEPARATOR.join(
                    names[pk] for pk in sorted(participants[interaction.pk], key=order.__getitem__)
                ),
                groups.get(interaction.group_id, ""),
                interaction.channel,
                interaction.direction,
                LIST_SEPARATOR.join(interaction.support_types),
                interaction.feeling,
                interaction.note,
            ]
            for interaction in _interactions(owner)
        ),
    )


def people_vcard(owner: User) -> str:
    """Every person as a vCard 3.0 (N, FN, NICKNAME, TEL, EMAIL, BDAY, NOTE), CRLF lines."""
    return "".join(_vcard(person) for person in _people(owner))


def _vcard(person: Person) -> str:
    card = vobject.vCard()
    given, _space, family = person.name.rpartition(" ")
    # "Sam Rivera" → given Sam, family Rivera; one word is a given name. FN keeps the name whole.
    card.add("n").value = vobject.vcard.Name(family=family if given else "", given=given or family)
    card.add("fn").value = person.name
    if person.nickname:
        card.add("nickname").value = person.nickname
    if person.phone:
        card.add("tel").value = person.phone
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    if person.birthday:
        card.add("bday").value = birthday_text(person)
    if person.notes:
        card.add("note").value = person.notes
    return str(card.serialize())


__all__ = [
    "birthday_text",
    "export_document",
    "interactions_csv",
    "people_csv",
    "people_vcard",
    "utc",
]
