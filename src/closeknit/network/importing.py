"""Bringing contacts and whole accounts into a member's network, without doubles.

An entry of a file is the same person as someone already in the member's
network (never anyone else's) when it shares an e-mail address (in any case)
or a phone number (the same digits), or when it has the same name and nothing
in it says otherwise (no other e-mail, phone or birthday). Then the entry only
fills in what the person is missing; nothing already there is overwritten.
Entries of one file are matched against each other in the same way, so a file
never creates doubles, and importing it again changes nothing.

The matching itself (`Deduplicator`) is pure. The import functions read the
file first, then do all their writing in one transaction: a file that cannot be
read raises ImportFileError and changes nothing.
"""

from __future__ import annotations

import json
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from closeknit.accounts.models import User
from closeknit.lib.fields import slugs
from closeknit.network.csvio import parse_csv
from closeknit.network.models import Group, Interaction, Person
from closeknit.network.vcard import (
    EMAIL_MAX,
    NAME_MAX,
    NICKNAME_MAX,
    PHONE_MAX,
    Contact,
    ImportFileError,
    clean_emails,
    parse_vcards,
    phone_digits,
)
from closeknit.network.vocab import Channel, Circle, Direction, GroupKind, Role, SupportType

__all__ = [
    "Card",
    "Deduplicator",
    "ImportFileError",
    "ImportResult",
    "Outcome",
    "describe",
    "detect_format",
    "import_csv",
    "import_document",
    "import_file",
    "import_vcard",
    "read_document",
]

KeyT = TypeVar("KeyT", bound=Hashable)

EXPORT_FORMAT = "closeknit-export"
EXPORT_VERSION = 1
BATCH_SIZE = 500

Progress = Callable[[int, int], None]
Outcome = Literal["created", "merged", "skipped"]
FileKind = Literal["vcard", "csv", "json"]


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped: int

    def __add__(self, other: ImportResult) -> ImportResult:
        return ImportResult(
            self.created + other.created, self.merged + other.merged, self.skipped + other.skipped
        )

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> ImportResult:
        counts = Counter(outcomes)
        return cls(counts["created"], counts["merged"], counts["skipped"])


# What a whole-account import counts, in words; the web page and the command line say the same.
WHOLE_ACCOUNT_PARTS = (
    "people, groups, contacts, your recovery plan, check-ins, questionnaires, "
    "occasions, notes of thanks, early-warning rules and encouragement"
)


def describe(result: ImportResult, *, whole_account: bool = False) -> str:
    """The result in words: "Added 12 people, filled in details for 3, skipped 2 already here."

    A whole account (a JSON export) counts everything in WHOLE_ACCOUNT_PARTS together.
    """
    if not result.created and not result.merged and not result.skipped:
        return "There was nothing to import in this file."
    if not result.created and not result.merged:
        return (
            "Everything in this file was already here, so nothing changed "
            f"({result.skipped} skipped)."
        )
    parts = []
    if result.created:
        n = result.created
        if whole_account:
            added = ngettext("%(n)d entry", "%(n)d entries (%(parts)s)", n)
        else:
            added = ngettext("%(n)d person", "%(n)d people", n)
        parts.append(f"added {added % {'n': n, 'parts': WHOLE_ACCOUNT_PARTS}}")
    if result.merged:
        parts.append(f"filled in details for {result.merged}")
    if result.skipped:
        parts.append(f"skipped {result.skipped} already here")
    text = ", ".join(parts)
    return f"{text[0].upper()}{text[1:]}."


# Matching (pure) -----------------------------------------------------------------------


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(eq=False)
class Card:
    """A person as matching sees them: one already saved (`pk`) or one about to be created."""

    pk: int | None
    name: str
    nickname: str = ""
    email: str = ""
    phone: str = ""
    birthday: date | None = None
    birthday_year_known: bool = True
    notes: str = ""
    roles: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    preferred_channels: list[str] = field(default_factory=list)
    rhythm_days: int | None = None
    circle: str = Circle.MIDDLE
    archived_at: datetime | None = None
    # The fields a merge filled in, to be written back.
    changed: set[str] = field(default_factory=set)

    @classmethod
    def from_person(cls, person: Person) -> Card:
        return cls(pk=person.pk, **{name: getattr(person, name) for name in PERSON_FIELDS})

    @classmethod
    def from_contact(cls, contact: Contact) -> Card:
        return cls(
            pk=None,
            name=contact.name,
            nickname=contact.nickname,
            email=next(iter(contact.emails), ""),
            phone=next(iter(contact.phones), ""),
            birthday=contact.birthday,
            birthday_year_known=contact.birthday_year_known if contact.birthday else True,
            notes=contact.notes,
            roles=slugs(contact.roles),
            support_types=slugs(contact.support_types),
            preferred_channels=slugs(contact.preferred_channels),
            rhythm_days=contact.rhythm_days,
            circle=contact.circle or Circle.MIDDLE,
            archived_at=contact.archived_at,
        )

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PERSON_FIELDS}


PERSON_FIELDS = [f.name for f in fields(Card) if f.name not in ("pk", "changed")]


def conflicts(card: Card, contact: Contact) -> bool:
    """Whether the entry says it is someone else: another e-mail, phone or birthday."""
    if (
        card.email
        and contact.emails
        and card.email.lower() not in {e.lower() for e in contact.emails}
    ):
        return True
    if (
        card.phone
        and contact.phones
        and phone_digits(card.phone) not in {phone_digits(p) for p in contact.phones}
    ):
        return True
    if card.birthday and contact.birthday:
        if (card.birthday.month, card.birthday.day) != (
            contact.birthday.month,
            contact.birthday.day,
        ):
            return True
        if card.birthday_year_known and contact.birthday_year_known:
            return card.birthday.year != contact.birthday.year
    return False


def merge(card: Card, contact: Contact) -> set[str]:
    """Fill what the card is missing from the entry; never overwrite. Returns what changed."""
    changed = set()
    for name, value in (
        ("nickname", contact.nickname),
        ("email", next(iter(contact.emails), "")),
        ("phone", next(iter(contact.phones), "")),
        ("notes", contact.notes),
        ("roles", slugs(contact.roles)),
        ("support_types", slugs(contact.support_types)),
        ("preferred_channels", slugs(contact.preferred_channels)),
        ("rhythm_days", contact.rhythm_days),
    ):
        if value and not getattr(card, name):
            setattr(card, name, value)
            changed.add(name)
    if contact.birthday and _fills_birthday(card, contact):
        card.birthday = contact.birthday
        card.birthday_year_known = contact.birthday_year_known
        changed |= {"birthday", "birthday_year_known"}
    return changed


def _fills_birthday(card: Card, contact: Contact) -> bool:
    """No birthday yet, or only its day, and the entry knows the year of that day."""
    if card.birthday is None:
        return True
    assert contact.birthday is not None
    return (
        not card.birthday_year_known
        and contact.birthday_year_known
        and (card.birthday.month, card.birthday.day)
        == (contact.birthday.month, contact.birthday.day)
    )


class Deduplicator:
    """Decides for each entry: a new person, new details for someone known, or nothing new.

    `existing` are the member's people. With `within_file` (address books), entries
    are also matched against the people created from earlier entries. A Closeknit
    export is already free of doubles and says which records differ (by id), so it is
    read with `within_file=False`, preferring for each entry a person that no earlier
    entry has matched.
    """

    def __init__(self, existing: Iterable[Card], *, within_file: bool = True) -> None:
        self.within_file = within_file
        self.created: list[Card] = []
        self._existing: list[Card] = []
        self._by_email: dict[str, list[Card]] = defaultdict(list)
        self._by_phone: dict[str, list[Card]] = defaultdict(list)
        self._by_name: dict[str, list[Card]] = defaultdict(list)
        self._claimed: set[int] = set()
        for card in existing:
            self._existing.append(card)
            self._index(card, new_name=True)

    @property
    def changed(self) -> list[Card]:
        """Saved people that an entry filled in."""
        return [card for card in self._existing if card.changed]

    def add(self, contact: Contact) -> tuple[Card, Outcome]:
        card = self.match(contact)
        if card is None:
            card = Card.from_contact(contact)
            self.created.append(card)
            if self.within_file:
                self._index(card, new_name=True)
            self._claimed.add(id(card))
            return card, "created"
        self._claimed.add(id(card))
        changed = merge(card, contact)
        if not changed:
            return card, "skipped"
        if card.pk is not None:
            card.changed |= changed
        if card.pk is not None or self.within_file:
            self._index(card, new_name=False)
        return card, "merged"

    def match(self, contact: Contact) -> Card | None:
        candidates = list(self._candidates(contact))
        if not self.within_file:
            unclaimed = [card for card in candidates if id(card) not in self._claimed]
            candidates = unclaimed or candidates
        return next(iter(candidates), None)

    def _candidates(self, contact: Contact) -> Iterator[Card]:
        for email in contact.emails:
            yield from self._by_email.get(email.lower(), [])
        for phone in contact.phones:
            yield from self._by_phone.get(phone_digits(phone), [])
        for card in self._by_name.get(name_key(contact.name), []):
            if not conflicts(card, contact):
                yield card

    def _index(self, card: Card, *, new_name: bool) -> None:
        if card.email and card not in self._by_email[card.email.lower()]:
            self._by_email[card.email.lower()].append(card)
        digits = phone_digits(card.phone)
        if digits and card not in self._by_phone[digits]:
            self._by_phone[digits].append(card)
        if new_name:
            self._by_name[name_key(card.name)].append(card)


# Contacts into the database ----------------------------------------------------------


def import_vcard(owner: User, data: bytes | str, progress: Progress | None = None) -> ImportResult:
    """Add the contacts of a vCard file (2.1, 3.0 or 4.0) to the member's network."""
    return _import_contacts(owner, parse_vcards(data), progress)


def import_csv(owner: User, data: bytes | str, progress: Progress | None = None) -> ImportResult:
    """Add the contacts of a CSV file with a header row to the member's network."""
    return _import_contacts(owner, parse_csv(data), progress)


def _import_contacts(
    owner: User, contacts: list[Contact], progress: Progress | None
) -> ImportResult:
    report = progress or _no_progress
    total = len(contacts)
    report(0, total)
    with transaction.atomic():
        _lock(owner)
        saved = {person.pk: person for person in Person.objects.owned_by(owner)}
        dedup = Deduplicator(Card.from_person(person) for person in saved.values())
        outcomes = []
        for done, contact in enumerate(contacts, start=1):
            outcomes.append(dedup.add(contact)[1])
            if done < total:
                report(done, total)
        _save_people(owner, dedup, saved)
    report(total, total)
    return ImportResult.of(outcomes)


def _no_progress(done: int, total: int) -> None:
    return None


def _lock(owner: User) -> None:
    # Two imports at once (a double-clicked upload) would each miss the other's people
    # and create doubles; on PostgreSQL they now take turns. SQLite allows one writer anyway.
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True))


def _save_people(owner: User, dedup: Deduplicator, saved: dict[int, Person]) -> None:
    new = [Person(owner=owner, **card.values()) for card in dedup.created]
    Person.objects.bulk_create(new, batch_size=BATCH_SIZE)
    for card, person in zip(dedup.created, new, strict=True):
        card.pk = person.pk
    changed = dedup.changed
    if not changed:
        return
    names = sorted(set().union(*(card.changed for card in changed)))
    now = timezone.now()
    people = []
    for card in changed:
        person = saved[card.pk]  # type: ignore[index]
        for name in names:
            setattr(person, name, getattr(card, name))
        person.updated_at = now
        people.append(person)
    Person.objects.bulk_update(people, [*names, "updated_at"], batch_size=BATCH_SIZE)


# Any file, as uploaded ---------------------------------------------------------------


def detect_format(filename: str, data: bytes) -> FileKind:
    """vCard, CSV or a Closeknit JSON export: by what the file starts with, then its name."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").replace(b"\x00", b"")
    if head[:11].upper() == b"BEGIN:VCARD":
        return "vcard"
    if head[:1] == b"{":
        return "json"
    lower = filename.lower()
    if lower.endswith((".vcf", ".vcard")):
        return "vcard"
    if lower.endswith(".json"):
        return "json"
    return "csv"


def import_file(owner: User, filename: str, data: bytes) -> tuple[FileKind, ImportResult]:
    """Import an uploaded file of any kind we read; ImportFileError if it can't be read."""
    kind = detect_format(filename, data)
    if kind == "vcard":
        return kind, import_vcard(owner, data)
    if kind == "csv":
        return kind, import_csv(owner, data)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "This file isn't UTF-8 text, so it can't be a Closeknit export."
        ) from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            "this isn't valid JSON, so it can't be a Closeknit export. The file may have been "
            "cut short; please export it again.",
            error.lineno,
        ) from error
    if not isinstance(document, dict):
        raise ImportFileError("This JSON file isn't a Closeknit export.")
    return kind, import_document(owner, document)


# A whole account (the JSON export) ---------------------------------------------------


@dataclass
class GroupEntry:
    key: object
    name: str
    kind: str
    members: list[object]
    meets_from: datetime | None
    schedule: str
    notes: str
    archived_at: datetime | None


@dataclass
class InteractionEntry:
    people: list[object]
    group: object | None
    occurred_at: datetime
    channel: str
    direction: str
    support_types: list[str]
    feeling: int | None
    note: str


@dataclass
class Document:
    """A checked export: every value valid, every reference pointing at a record in it."""

    profile: dict[str, str]
    people: list[tuple[object, Contact]]
    groups: list[GroupEntry]
    interactions: list[InteractionEntry]

    @property
    def size(self) -> int:
        return len(self.people) + len(self.groups) + len(self.interactions)


def import_document(
    owner: User, doc: dict[str, Any], progress: Progress | None = None
) -> ImportResult:
    """Bring a Closeknit JSON export into an account (normally a new one).

    People, groups and the contact log all come back, linked as they were, and so do
    the recovery plan and the safety plan (see `recovery.importing`) and the
    check-ins, questionnaire results and schedules (see `wellbeing.importing`), and the
    occasions and notes of thanks (see `rhythms.importing`), and the early-warning
    rules, their firings and encouragement (see `circle.importing`). Into an account that
    already has people, the export's people are matched like contacts,
    and groups (by name and kind) and contacts (same time, channel, direction, people
    and group) that are already there are skipped, so importing twice changes nothing.
    The counts cover people, groups, logged contacts, the plan's and the wellbeing
    records together.
    """
    # Imported here: the parts of the other apps build on this module's record checks.
    from closeknit.circle.importing import import_circle, read_circle
    from closeknit.recovery.importing import import_plan, read_plan
    from closeknit.rhythms.importing import import_rhythms, read_rhythms
    from closeknit.wellbeing.importing import import_wellbeing, read_wellbeing

    document = read_document(doc)
    plan = read_plan(
        doc, {key for key, _contact in document.people}, {group.key for group in document.groups}
    )
    wellbeing = read_wellbeing(doc, timezone.now())
    rhythms = read_rhythms(doc, {key for key, _contact in document.people})
    circle = read_circle(doc, timezone.now())
    report = progress or _no_progress
    total = document.size + plan.size + wellbeing.size + rhythms.size + circle.size
    report(0, total)
    with transaction.atomic():
        _lock(owner)
        _fill_profile(owner, document.profile)
        people, result = _document_people(owner, document)
        report(len(document.people), total)
        groups, group_result = _document_groups(owner, document, people)
        report(len(document.people) + len(document.groups), total)
        result += group_result + _document_interactions(owner, document, people, groups)
        report(document.size, total)
        result += import_plan(owner, plan, people, groups)
        report(document.size + plan.size, total)
        result += import_wellbeing(owner, wellbeing)
        result += import_rhythms(owner, rhythms, people)
        result += import_circle(owner, circle)
    report(total, total)
    return result


def _fill_profile(owner: User, profile: dict[str, str]) -> None:
    """Profile values the account has not set yet (still blank or at their default)."""
    defaults = {name: _default(name) for name in profile}
    changed = []
    for name, value in profile.items():
        if value and getattr(owner, name) == defaults[name] and value != defaults[name]:
            setattr(owner, name, value)
            changed.append(name)
    if changed:
        owner.save(update_fields=changed)


def _default(name: str) -> Any:
    field = User._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.get_default()


def _document_people(owner: User, document: Document) -> tuple[dict[object, int], ImportResult]:
    saved = {person.pk: person for person in Person.objects.owned_by(owner)}
    dedup = Deduplicator((Card.from_person(p) for p in saved.values()), within_file=False)
    matched = [(key, *dedup.add(contact)) for key, contact in document.people]
    _save_people(owner, dedup, saved)
    ids = {key: card.pk for key, card, _outcome in matched}
    return ids, ImportResult.of(outcome for _key, _card, outcome in matched)  # type: ignore[return-value]


def _document_groups(
    owner: User, document: Document, people: dict[object, int]
) -> tuple[dict[object, int], ImportResult]:
    existing: dict[tuple[str, str], list[Group]] = defaultdict(list)
    for group in Group.objects.owned_by(owner):
        existing[(name_key(group.name), group.kind)].append(group)
    memberships = set(
        Group.members.through.objects.filter(group__owner=owner).values_list(
            "group_id", "person_id"
        )
    )
    claimed: set[int] = set()
    outcomes: list[Outcome] = []
    created: list[tuple[GroupEntry, Group]] = []
    changed: list[Group] = []
    ids: dict[object, Group] = {}
    for entry in document.groups:
        candidates = existing[(name_key(entry.name), entry.kind)]
        group = next((g for g in candidates if g.pk not in claimed), None)
        if group is None:
            group = Group(
                owner=owner,
                name=entry.name,
                kind=entry.kind,
                meets_from=entry.meets_from,
                schedule=entry.schedule,
                notes=entry.notes,
                archived_at=entry.archived_at,
            )
            created.append((entry, group))
            outcomes.append("created")
        else:
            claimed.add(group.pk)
            filled = _fill_group(group, entry)
            new_members = {people[m] for m in entry.members} - {
                p for g, p in memberships if g == group.pk
            }
            if filled:
                changed.append(group)
            outcomes.append("merged" if filled or new_members else "skipped")
        ids[entry.key] = group
    Group.objects.bulk_create([group for _entry, group in created], batch_size=BATCH_SIZE)
    if changed:
        Group.objects.bulk_update(
            changed, ["meets_from", "schedule", "notes", "updated_at"], batch_size=BATCH_SIZE
        )
    links = {
        (ids[entry.key].pk, people[member]) for entry in document.groups for member in entry.members
    } - memberships
    Group.members.through.objects.bulk_create(
        [Group.members.through(group_id=g, person_id=p) for g, p in sorted(links)],
        batch_size=BATCH_SIZE,
    )
    return {key: group.pk for key, group in ids.items()}, ImportResult.of(outcomes)


def _fill_group(group: Group, entry: GroupEntry) -> bool:
    filled = False
    for name in ("meets_from", "schedule", "notes"):
        if getattr(entry, name) and not getattr(group, name):
            setattr(group, name, getattr(entry, name))
            filled = True
    if filled:
        group.updated_at = timezone.now()
    return filled


InteractionKey = tuple[datetime, str, str, int | None, frozenset[int]]


def _document_interactions(
    owner: User, document: Document, people: dict[object, int], groups: dict[object, int]
) -> ImportResult:
    links: dict[int, set[int]] = defaultdict(set)
    for interaction_id, person_id in Interaction.people.through.objects.filter(
        interaction__owner=owner
    ).values_list("interaction_id", "person_id"):
        links[interaction_id].add(person_id)
    # A multiset: an export may hold two identical contacts, and each then needs its own match.
    there: Counter[InteractionKey] = Counter(
        (occurred_at, channel, direction, group_id, frozenset(links[pk]))
        for pk, occurred_at, channel, direction, group_id in Interaction.objects.owned_by(
            owner
        ).values_list("pk", "occurred_at", "channel", "direction", "group_id")
    )
    outcomes: list[Outcome] = []
    new: list[tuple[Interaction, list[int]]] = []
    for entry in document.interactions:
        person_ids = [people[p] for p in entry.people]
        group_id = groups[entry.group] if entry.group is not None else None
        key = (entry.occurred_at, entry.channel, entry.direction, group_id, frozenset(person_ids))
        if there[key] > 0:
            there[key] -= 1
            outcomes.append("skipped")
            continue
        values: dict[str, Any] = {
            "group_id": group_id,
            "occurred_at": entry.occurred_at,
            "channel": entry.channel,
            "direction": entry.direction,
            "support_types": entry.support_types,
            "feeling": entry.feeling,
            "note": entry.note,
        }
        interaction = Interaction(owner=owner, **values)
        new.append((interaction, person_ids))
        outcomes.append("created")
    Interaction.objects.bulk_create(
        [interaction for interaction, _ids in new], batch_size=BATCH_SIZE
    )
    Interaction.people.through.objects.bulk_create(
        [
            Interaction.people.through(interaction_id=interaction.pk, person_id=person_id)
            for interaction, person_ids in new
            for person_id in dict.fromkeys(person_ids)
        ],
        batch_size=BATCH_SIZE,
    )
    return ImportResult.of(outcomes)


# Reading the export (pure) -----------------------------------------------------------


def read_document(doc: Any) -> Document:
    """Check a JSON export and turn it into plain entries, or raise ImportFileError.

    Everything is checked before anything is written, so a damaged export changes
    nothing; the message says which record is wrong.
    """
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise ImportFileError(
            "This isn't a Closeknit export (its “format” should be “closeknit-export”)."
        )
    if doc.get("version") != EXPORT_VERSION:
        raise ImportFileError(
            f"This export is version {doc.get('version')!r}, and this Closeknit reads version "
            f"{EXPORT_VERSION}. Please update Closeknit, or export again from the same version."
        )
    profile = _read_profile(_field(doc, "profile", dict, "The export", default={}))
    people = [
        _read_person(_Record(item, f"Person {n}")) for n, item in enumerate(_list(doc, "people"), 1)
    ]
    person_keys = _unique_keys([key for key, _contact in people], "person")
    groups = [
        _read_group(_Record(item, f"Group {n}"), person_keys)
        for n, item in enumerate(_list(doc, "groups"), 1)
    ]
    group_keys = _unique_keys([group.key for group in groups], "group")
    interactions = [
        _read_interaction(_Record(item, f"Contact {n} in the log"), person_keys, group_keys)
        for n, item in enumerate(_list(doc, "interactions"), 1)
    ]
    return Document(profile, people, groups, interactions)


def _list(doc: dict[str, Any], key: str) -> list[Any]:
    return _field(doc, key, list, "The export", default=[])


def _field(item: dict[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    value = item.get(key, default)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise ImportFileError(
            f"{where}: “{key}” should be a {_KIND_WORDS.get(kind, kind.__name__)}."
        )
    return value


_KIND_WORDS = {dict: "set of fields", list: "list", str: "text", bool: "true or false"}


def _taken(counter: Counter[KeyT], key: KeyT) -> bool:
    """Whether `key` is still there to be matched, using it up if so.

    The saved records as a multiset: a document holding two alike brings back both,
    and importing it again finds both.
    """
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


EntryT = TypeVar("EntryT")
RowT = TypeVar("RowT", bound=models.Model)


def add_new(
    model: type[RowT],
    entries: Iterable[EntryT],
    is_there: Callable[[EntryT], bool],
    build: Callable[[EntryT], RowT],
) -> ImportResult:
    """Add the checked entries that aren't there yet, in one bulk insert; one outcome each."""
    outcomes: list[Outcome] = []
    new: list[RowT] = []
    for entry in entries:
        if is_there(entry):
            outcomes.append("skipped")
        else:
            new.append(build(entry))
            outcomes.append("created")
    model._default_manager.bulk_create(new, batch_size=BATCH_SIZE)
    return ImportResult.of(outcomes)


def latest_day(now: datetime) -> date:
    """The latest day it can be anywhere at `now` (no time zone is more than a day ahead of
    UTC): a record of something past, dated later, is dated in the future everywhere."""
    return now.astimezone(UTC).date() + timedelta(days=1)


def _unique_keys(keys: list[object], what: str) -> set[object]:
    unique = set(keys)
    if len(unique) != len(keys):
        raise ImportFileError(f"Two records in the export have the same {what} id.")
    return unique


class _Record:
    """One record of the export, with checks that name it in their messages."""

    def __init__(self, item: Any, where: str) -> None:
        if not isinstance(item, dict):
            raise ImportFileError(f"{where}: this should be a set of fields.")
        self.item = item
        self.where = where

    def fail(self, message: str) -> ImportFileError:
        return ImportFileError(f"{self.where}: {message}")

    def key(self) -> object:
        key = self.item.get("id")
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise self.fail("it has no id.")
        return key

    def text(self, key: str, max_length: int | None = None, *, required: bool = False) -> str:
        value = _field(self.item, key, str, self.where, default="")
        if required and not value.strip():
            raise self.fail(f"its “{key}” is empty.")
        if max_length is not None and len(value) > max_length:
            raise self.fail(f"its “{key}” is longer than {max_length} characters.")
        return value

    def flag(self, key: str, default: bool) -> bool:
        return _field(self.item, key, bool, self.where, default=default)

    def choice(self, key: str, choices: list[str], default: str) -> str:
        value = self.text(key) or default
        if value not in choices:
            raise self.fail(f"“{value}” isn't a {key} we know (use one of {', '.join(choices)}).")
        return value

    def choices(self, key: str, choices: list[str]) -> list[str]:
        values = _field(self.item, key, list, self.where, default=[])
        unknown = [value for value in values if value not in choices]
        if unknown:
            raise self.fail(
                f"“{unknown[0]}” isn't one of the {key.replace('_', ' ')} we know "
                f"(use {', '.join(choices)})."
            )
        return slugs(values)

    def number(self, key: str, low: int, high: int) -> int | None:
        value = self.item.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(f"its “{key}” should be a whole number from {low} to {high}.")
        return value

    def day(self, key: str) -> date | None:
        value = self.text(key)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"its “{key}” should be a date like 1985-04-12.") from None

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.text(key, required=required)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(
                f"its “{key}” should be a time like 2024-03-01T09:30:00+00:00."
            ) from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def references(self, key: str, known: set[object], what: str) -> list[object]:
        values = _field(self.item, key, list, self.where, default=[])
        for value in values:
            if value not in known or isinstance(value, bool):
                raise self.fail(f"it names a {what} ({value!r}) that isn't in the export.")
        return list(dict.fromkeys(values))


def _read_profile(profile: dict[str, Any]) -> dict[str, str]:
    record = _Record(profile, "The profile")
    values = {
        "display_name": record.text("display_name", 100),
        "time_zone": record.text("time_zone", 64),
        "country": record.text("country", 2),
        "language": record.text("language", 10),
    }
    if values["time_zone"] and values["time_zone"] not in zoneinfo.available_timezones():
        raise record.fail(f"“{values['time_zone']}” isn't a time zone we know.")
    return values


def _read_person(record: _Record) -> tuple[object, Contact]:
    email = record.text("email", EMAIL_MAX)
    if email and not clean_emails([email]):
        raise record.fail(f"“{email}” isn't an e-mail address.")
    phone = record.text("phone", PHONE_MAX)
    birthday = record.day("birthday")
    contact = Contact(
        line=0,
        name=record.text("name", NAME_MAX, required=True).strip(),
        nickname=record.text("nickname", NICKNAME_MAX),
        emails=[email] if email else [],
        phones=[phone] if phone else [],
        birthday=birthday,
        birthday_year_known=record.flag("birthday_year_known", True) if birthday else True,
        notes=record.text("notes"),
        roles=record.choices("roles", Role.values),
        support_types=record.choices("support_types", SupportType.values),
        preferred_channels=record.choices("preferred_channels", Channel.values),
        circle=record.choice("circle", Circle.values, Circle.MIDDLE),
        rhythm_days=record.number("rhythm_days", 1, 3650),
        archived_at=record.moment("archived_at"),
    )
    return record.key(), contact


def _read_group(record: _Record, people: set[object]) -> GroupEntry:
    schedule = record.text("schedule", 500)
    if "\n" in schedule or "\r" in schedule:
        raise record.fail("its schedule should be a single RRULE line.")
    return GroupEntry(
        key=record.key(),
        name=record.text("name", NAME_MAX, required=True).strip(),
        kind=record.choice("kind", GroupKind.values, GroupKind.OTHER),
        members=record.references("members", people, "person"),
        meets_from=record.moment("meets_from"),
        schedule=schedule,
        notes=record.text("notes"),
        archived_at=record.moment("archived_at"),
    )


def _read_interaction(
    record: _Record, people: set[object], groups: set[object]
) -> InteractionEntry:
    group = record.item.get("group")
    if group is not None and (group not in groups or isinstance(group, bool)):
        raise record.fail(f"it names a group ({group!r}) that isn't in the export.")
    occurred_at = record.moment("occurred_at", required=True)
    assert occurred_at is not None
    return InteractionEntry(
        people=record.references("people", people, "person"),
        group=group,
        occurred_at=occurred_at,
        channel=record.choice("channel", Channel.values, Channel.IN_PERSON),
        direction=record.choice("direction", Direction.values, Direction.MUTUAL),
        support_types=record.choices("support_types", SupportType.values),
        feeling=record.number("feeling", 1, 5),
        note=record.text("note"),
    )
