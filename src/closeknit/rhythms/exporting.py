"""Occasions and notes of thanks in the JSON export.

`network.exporting.export_document` adds these keys after the wellbeing ones,
with the same conventions: a day is an ISO date in the member's own calendar,
instants are ISO 8601 in UTC, vocabularies are slugs, a note's text is
decrypted, and every list has a fixed order, so two exports of the same data
are equal. A record names its person by the person's id in "people" (null for
no one, or for someone not in the export). Nothing points at these records, so
they carry no id.

Birthdays are not here: they are part of each person. The calendar feed's
secret address is not either: it is a key, and a new one is made on the new server.
Whether a note was already sent lives in the outbox, which isn't exported; a
note keeps where and when it was to go.

Two queries, however many records there are.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from closeknit.accounts.models import User
from closeknit.network.exporting import utc
from closeknit.rhythms.models import Appreciation, Occasion


def rhythms_document(owner: User, people: Container[int]) -> dict[str, Any]:
    """The keeping-in-touch keys of the export; `people` holds the exported person ids."""

    def person(pk: int | None) -> int | None:
        return pk if pk is not None and pk in people else None

    occasions = sorted(Occasion.objects.owned_by(owner), key=lambda o: (o.day, o.pk))
    notes = sorted(Appreciation.objects.owned_by(owner), key=lambda a: (a.written_at, a.pk))
    return {
        "occasions": [
            {
                "kind": occasion.kind,
                "title": occasion.title,
                "day": occasion.day.isoformat(),
                "repeats_yearly": occasion.repeats_yearly,
                "person": person(occasion.person_id),
                "created_at": utc(occasion.created_at),
            }
            for occasion in occasions
        ],
        "appreciations": [
            {
                "person": person(note.person_id),
                "text": note.text,
                "written_at": utc(note.written_at),
                "send_to": note.send_to,
                "send_at": utc(note.send_at),
            }
            for note in notes
        ],
    }


__all__ = ["rhythms_document"]
