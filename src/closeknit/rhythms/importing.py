"""Bringing the occasions and notes of thanks of a JSON export into an account.

`network.importing.import_document` calls `read_rhythms` (pure: it checks every
record and names the one at fault) before anything is written, and
`import_rhythms` inside its one transaction, with the people the import matched
or created, so a damaged document changes nothing.

Nothing is added twice, and nothing already there is changed. What is "already
there", among the member's own records:

- an **occasion** of the same kind, with the same title (case and spaces aside),
  on the same day;
- a **note of thanks** written at the same moment with the same words.

A note comes back without a time to send it: the new server never sends what
the old one may have sent already. Its address stays, so sending it is one tick
away. Records alike within one document each get their own match. The counts
are one per occasion and note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from closeknit.accounts.models import User

# The network import's record checks, so that every message of one import reads alike.
from closeknit.network.importing import (
    ImportResult,
    _list,
    _Record,
    _taken,
    add_new,
    name_key,
)
from closeknit.network.vcard import EMAIL_MAX, clean_emails
from closeknit.rhythms.models import STORED_OCCASION_KINDS, Appreciation, Occasion
from closeknit.rhythms.occasions import RECOVERY, RECOVERY_DEFAULT_TITLE

__all__ = ["Rhythms", "import_rhythms", "read_rhythms"]

TITLE_MAX = 200
EARLIEST_YEAR = 1900
KINDS = [value for value, _label in STORED_OCCASION_KINDS]


@dataclass(frozen=True)
class OccasionEntry:
    kind: str
    title: str
    day: date
    repeats_yearly: bool
    person: object | None  # an id of the export's "people"
    created_at: datetime | None


@dataclass(frozen=True)
class NoteEntry:
    person: object | None
    text: str
    written_at: datetime
    send_to: str


@dataclass(frozen=True)
class Rhythms:
    """Checked occasions and notes: every value valid, every person in the export."""

    occasions: list[OccasionEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.occasions) + len(self.notes)


# Reading (pure) -------------------------------------------------------------------------


def _person(record: _Record, people: set[object]) -> object | None:
    value = record.item.get("person")
    if value is not None and (value not in people or isinstance(value, bool)):
        raise record.fail(f"it names a person ({value!r}) that isn't in the export.")
    return value


def _read_occasion(record: _Record, people: set[object]) -> OccasionEntry:
    kind = record.text("kind", required=True).strip()
    if kind not in KINDS:
        raise record.fail(
            f"“{kind}” isn't a kind of occasion we know (use one of {', '.join(KINDS)})."
        )
    title = record.text("title", TITLE_MAX).strip()
    if not title:
        if kind != RECOVERY:
            raise record.fail("its “title” is empty.")
        title = RECOVERY_DEFAULT_TITLE
    day = record.day("day")
    if day is None:
        raise record.fail("its “day” is empty.")
    if day.year < EARLIEST_YEAR:
        raise record.fail(f"its “day” ({day.isoformat()}) is before {EARLIEST_YEAR}.")
    return OccasionEntry(
        kind=kind,
        title=title,
        day=day,
        # A recovery start's milestones always come round.
        repeats_yearly=True if kind == RECOVERY else record.flag("repeats_yearly", True),
        person=_person(record, people),
        created_at=record.moment("created_at"),
    )


def _read_note(record: _Record, people: set[object]) -> NoteEntry:
    text = record.text("text", required=True).strip()
    written_at = record.moment("written_at", required=True)
    assert written_at is not None
    send_to = record.text("send_to", EMAIL_MAX).strip()
    if send_to and not clean_emails([send_to]):
        raise record.fail(f"“{send_to}” isn't an e-mail address.")
    record.moment("send_at")  # checked, though not brought back (see the module's docstring)
    return NoteEntry(_person(record, people), text, written_at, send_to)


def read_rhythms(doc: dict[str, Any], people: set[object]) -> Rhythms:
    """Check the occasions and notes of an export; `people` are the ids its "people" use.

    Raises ImportFileError naming the record at fault (“Occasion 2: …”).
    """
    occasions = [
        _read_occasion(_Record(item, f"Occasion {n}"), people)
        for n, item in enumerate(_list(doc, "occasions"), 1)
    ]
    notes = [
        _read_note(_Record(item, f"Note of thanks {n}"), people)
        for n, item in enumerate(_list(doc, "appreciations"), 1)
    ]
    return Rhythms(occasions, notes)


# Writing --------------------------------------------------------------------------------


def import_rhythms(owner: User, rhythms: Rhythms, people: dict[object, int]) -> ImportResult:
    """Write checked records into the owner's account; call it inside the import's transaction.

    `people` maps each export person id to the id of the person it became.
    """
    now = timezone.now()
    return _import_occasions(owner, rhythms, people, now) + _import_notes(owner, rhythms, people)


def _mapped(people: dict[object, int], key: object | None) -> int | None:
    return people[key] if key is not None else None


def _import_occasions(
    owner: User, rhythms: Rhythms, people: dict[object, int], now: datetime
) -> ImportResult:
    there: Counter[tuple[str, str, date]] = Counter(
        (kind, name_key(title), day)
        for kind, title, day in Occasion.objects.owned_by(owner).values_list("kind", "title", "day")
    )
    return add_new(
        Occasion,
        rhythms.occasions,
        lambda entry: _taken(there, (entry.kind, name_key(entry.title), entry.day)),
        lambda entry: Occasion(
            owner=owner,
            kind=entry.kind,
            title=entry.title,
            day=entry.day,
            repeats_yearly=entry.repeats_yearly,
            person_id=_mapped(people, entry.person),
            created_at=entry.created_at or now,
        ),
    )


def _import_notes(owner: User, rhythms: Rhythms, people: dict[object, int]) -> ImportResult:
    there: Counter[tuple[datetime, str]] = Counter(
        (note.written_at, note.text)
        for note in Appreciation.objects.owned_by(owner).only("written_at", "text")
    )
    return add_new(
        Appreciation,
        rhythms.notes,
        lambda entry: _taken(there, (entry.written_at, entry.text)),
        lambda entry: Appreciation(
            owner=owner,
            person_id=_mapped(people, entry.person),
            text=entry.text,
            written_at=entry.written_at,
            send_to=entry.send_to,
        ),
    )
