"""The safety plan's rules, as pure functions: no database, no request.

A plan is a dict from each slug of SAFETY_PLAN_SECTIONS to a section:
`{"items": [str], "people": [Person id], "groups": [Group id]}`. Its sections
and their wording are adapted from Stanley & Brown (2012), written in our own
words. People and groups are kept by id, so the plan always shows their
current name, and someone removed from the network shows as such.

Callers (the edit form, the API) hand over what the member sent; `normalise`
turns it into the one canonical form that is stored and compared, or says
what is wrong with it, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS

ATTRIBUTION = "Adapted from Stanley & Brown (2012)."
# A line of a plan is a short reminder, not an essay; it also has to fit a printed page.
MAX_ITEM_LENGTH = 300
MAX_ITEMS = 30
MAX_CHOSEN = 30
# Ids are 64-bit in the database; a larger number can only be a mistake.
MAX_ID = 2**63 - 1
# Fewer digits than this cannot be dialled (the shortest emergency numbers have three).
MIN_DIAL_DIGITS = 3

Kind = Literal["items", "people", "groups"]
ITEMS: Literal["items"] = "items"
PEOPLE: Literal["people"] = "people"
GROUPS: Literal["groups"] = "groups"
KINDS: tuple[Kind, ...] = (ITEMS, PEOPLE, GROUPS)

REMOVED_NAME = "someone no longer in your network"
REMOVED_GROUP = "a group no longer in your network"


class SectionData(TypedDict):
    items: list[str]
    people: list[int]
    groups: list[int]


Plan = dict[str, SectionData]
# Where an error is: ("warning_signs", "items", 2), ("bogus",), ("ask_for_help", "people").
ErrorPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    hint: str
    people: bool = False
    groups: bool = False
    # Label of the people checkboxes in the form and of the people on the plan.
    people_label: str = ""


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section(
            "warning_signs",
            "My warning signs",
            "Thoughts, feelings, moods or situations that tell you a hard time may be "
            "starting. For example: not sleeping, staying in bed, pulling away from people.",
        ),
        Section(
            "on_my_own",
            "Things I can do on my own to take my mind off things",
            "Small things that help you through a hard moment without needing anyone: "
            "a walk, music, a shower, a breathing exercise, a game.",
        ),
        Section(
            "distractions",
            "People and places that take my mind off things",
            "People you can be around and places where you feel a little better, "
            "even without talking about how you feel: a café, a park, a friend's kitchen.",
            people=True,
            groups=True,
            people_label="People to be around",
        ),
        Section(
            "ask_for_help",
            "People I can ask for help",
            "People you could tell that you are struggling, and ask to help.",
            people=True,
            people_label="People to ask",
        ),
        Section(
            "professionals",
            "Professionals and crisis lines",
            "Your therapist, counsellor, doctor or others whose job it is to help. "
            "The crisis lines for your country and the emergency number are always "
            "shown here for you.",
            people=True,
            people_label="Professionals in your network",
        ),
        Section(
            "safer_surroundings",
            "Making my surroundings safer",
            "Ways to make where you are safer when things are hard, such as asking "
            "someone you trust to look after anything you could use to hurt yourself.",
        ),
        Section(
            "what_matters",
            "What matters most to me",
            "People, pets, hopes, plans, beliefs: the reasons that keep you going.",
        ),
    )
}
assert tuple(SECTIONS) == SAFETY_PLAN_SECTIONS  # one list of sections, in one order


class PlanError(ValueError):
    """What is wrong with a plan sent to us, by where it is; nothing is saved."""

    def __init__(self, errors: Mapping[ErrorPath, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{_dotted(path)}: {msg}" for path, msg in self.errors.items()))


def _dotted(path: ErrorPath) -> str:
    return ".".join(str(part) for part in path)


def empty_section() -> SectionData:
    return {"items": [], "people": [], "groups": []}


def empty_plan() -> Plan:
    return {slug: empty_section() for slug in SAFETY_PLAN_SECTIONS}


# Normalising ----------------------------------------------------------------------


def clean_item(text: str) -> str:
    """One line: runs of whitespace (newlines too) become single spaces, ends trimmed."""
    return " ".join(text.split())


def split_lines(text: str) -> list[str]:
    """A textarea's content, one item per line; blank lines are left out."""
    return [line for line in (clean_item(part) for part in text.splitlines()) if line]


def _unique(values: Iterable[Any]) -> list[Any]:
    """Each value once, in the order first given: the member's order is their priority."""
    seen: set[Any] = set()
    kept = []
    for value in values:
        if value not in seen:
            seen.add(value)
            kept.append(value)
    return kept


def _items(slug: str, raw: Any, errors: dict[ErrorPath, str]) -> list[str]:
    if not isinstance(raw, list):
        errors[(slug, ITEMS)] = "Please send the lines as a list of text."
        return []
    items = []
    for index, item in enumerate(raw):
        if not isinstance(item, str):
            errors[(slug, ITEMS, index)] = "Each line should be text."
            continue
        line = clean_item(item)
        if len(line) > MAX_ITEM_LENGTH:
            errors[(slug, ITEMS, index)] = (
                f"Please keep each line to {MAX_ITEM_LENGTH} characters or fewer "
                f"(this one has {len(line)}). Short lines are easier to read in a hard moment."
            )
        elif line:
            items.append(line)
    items = _unique(items)
    if len(items) > MAX_ITEMS:
        errors.setdefault(
            (slug, ITEMS), f"Please keep to {MAX_ITEMS} lines or fewer in one section."
        )
    return items


def _is_id(value: Any) -> bool:
    # JSON true/false are ints to Python; they are never an id.
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def _ids(slug: str, kind: str, raw: Any, errors: dict[ErrorPath, str]) -> list[int]:
    if not isinstance(raw, list) or not all(_is_id(value) for value in raw):
        errors[(slug, kind)] = "Please send a list of ids (whole numbers)."
        return []
    ids = _unique(raw)
    if len(ids) > MAX_CHOSEN:
        errors[(slug, kind)] = f"Please choose {MAX_CHOSEN} or fewer."
    return ids


def _not_allowed(section: Section, kind: str) -> str:
    return f"“{section.title}” lists your own words only; it has no {kind} to choose."


def _section(slug: str, raw: Any, errors: dict[ErrorPath, str]) -> SectionData:
    section = SECTIONS[slug]
    if not isinstance(raw, Mapping):
        errors[(slug,)] = "Please send this section as an object with items, people and groups."
        return empty_section()
    for key in raw:
        if key not in KINDS:
            errors[(slug, str(key))] = "A section has only items, people and groups."
    data = empty_section()
    data["items"] = _items(slug, raw.get(ITEMS, []), errors)
    data["people"] = _ids(slug, PEOPLE, raw.get(PEOPLE, []), errors)
    data["groups"] = _ids(slug, GROUPS, raw.get(GROUPS, []), errors)
    if data["people"] and not section.people:
        errors[(slug, PEOPLE)] = _not_allowed(section, "people")
    if data["groups"] and not section.groups:
        errors[(slug, GROUPS)] = _not_allowed(section, "groups")
    return data


def normalise(raw: Mapping[str, Any]) -> Plan:
    """The canonical plan for what was sent: every section, lines cleaned, duplicates gone.

    Sections left out are empty. Raises PlanError naming every problem at once.
    """
    errors: dict[ErrorPath, str] = {}
    for slug in raw:
        if slug not in SECTIONS:
            known = ", ".join(SAFETY_PLAN_SECTIONS)
            errors[(str(slug),)] = f"There is no section called “{slug}”. The sections are {known}."
    plan = {slug: _section(slug, raw.get(slug, {}), errors) for slug in SAFETY_PLAN_SECTIONS}
    if errors:
        raise PlanError(errors)
    return plan


def from_stored(stored: Any) -> Plan:
    """A stored version as a plan, keeping whatever of it can be read.

    Lenient on purpose: a version written by an older release or brought in by
    an import is still shown, with anything unreadable left out, rather than lost.
    """
    plan = empty_plan()
    if not isinstance(stored, Mapping):
        return plan
    for slug in SAFETY_PLAN_SECTIONS:
        part = stored.get(slug)
        if not isinstance(part, Mapping):
            continue
        plan[slug] = {
            "items": _unique(
                clean_item(item) for item in _as_list(part.get(ITEMS)) if isinstance(item, str)
            ),
            "people": _unique(pk for pk in _as_list(part.get(PEOPLE)) if _is_id(pk)),
            "groups": _unique(pk for pk in _as_list(part.get(GROUPS)) if _is_id(pk)),
        }
        plan[slug]["items"] = [item for item in plan[slug]["items"] if item]
    return plan


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_empty(plan: Plan) -> bool:
    return not any(plan[slug][kind] for slug in plan for kind in KINDS)


def same(old: Plan | None, new: Plan) -> bool:
    """Whether saving `new` would change nothing; no plan yet is the same as an empty one."""
    return (old if old is not None else empty_plan()) == new


# Whose ids are these --------------------------------------------------------------


def people_ids(plan: Plan) -> set[int]:
    return {pk for section in plan.values() for pk in section["people"]}


def group_ids(plan: Plan) -> set[int]:
    return {pk for section in plan.values() for pk in section["groups"]}


def unknown_ids(plan: Plan, own_people: set[int], own_groups: set[int]) -> dict[ErrorPath, str]:
    """Errors for every id that is not one of the member's own people or groups.

    Others' ids and ids that never existed get the same words, so an answer
    never tells anyone that an id is in use.
    """
    errors: dict[ErrorPath, str] = {}
    for slug, section in plan.items():
        strangers = [pk for pk in section["people"] if pk not in own_people]
        if strangers:
            listed = ", ".join(str(pk) for pk in strangers)
            errors[(slug, PEOPLE)] = f"We couldn't find these people in your network: {listed}."
        unknown_groups = [pk for pk in section["groups"] if pk not in own_groups]
        if unknown_groups:
            listed = ", ".join(str(pk) for pk in unknown_groups)
            errors[(slug, GROUPS)] = f"We couldn't find these groups among yours: {listed}."
    return errors


def without_ids(plan: Plan, people: set[int], groups: set[int]) -> Plan:
    """The plan with these people and groups taken off (for ids of someone since removed)."""
    return {
        slug: {
            "items": list(section["items"]),
            "people": [pk for pk in section["people"] if pk not in people],
            "groups": [pk for pk in section["groups"] if pk not in groups],
        }
        for slug, section in plan.items()
    }


def sections_with_person(plan: Plan, person_id: int) -> list[str]:
    """The slugs of the sections that name this person, in the plan's order."""
    return [slug for slug in SAFETY_PLAN_SECTIONS if person_id in plan[slug]["people"]]


def sections_with_group(plan: Plan, group_id: int) -> list[str]:
    return [slug for slug in SAFETY_PLAN_SECTIONS if group_id in plan[slug]["groups"]]


def section_titles(slugs: Iterable[str]) -> list[str]:
    return [SECTIONS[slug].title for slug in slugs]


# Comparing versions ---------------------------------------------------------------


@dataclass(frozen=True)
class SectionChange:
    slug: str
    added: int
    removed: int
    reordered: bool = False

    @property
    def title(self) -> str:
        return SECTIONS[self.slug].title


def _count_changes(old: Sequence[Any], new: Sequence[Any]) -> tuple[int, int, bool]:
    added = len([value for value in new if value not in set(old)])
    removed = len([value for value in old if value not in set(new)])
    kept_old = [value for value in old if value in set(new)]
    kept_new = [value for value in new if value in set(old)]
    return added, removed, kept_old != kept_new


def diff(old: Plan | None, new: Plan) -> list[SectionChange]:
    """What changed, section by section (only sections that changed), in the plan's order.

    Lines, people and groups are counted together: the member thinks of a
    section as one list. A line reworded counts as one taken off and one added.
    """
    before = old if old is not None else empty_plan()
    changes = []
    for slug in SAFETY_PLAN_SECTIONS:
        added = removed = 0
        reordered = False
        for kind in KINDS:
            plus, minus, moved = _count_changes(before[slug][kind], new[slug][kind])
            added, removed, reordered = added + plus, removed + minus, reordered or moved
        if added or removed or reordered:
            changes.append(SectionChange(slug, added, removed, reordered))
    return changes


def _describe(change: SectionChange) -> str:
    parts = []
    if change.added:
        parts.append(f"{change.added} added")
    if change.removed:
        parts.append(f"{change.removed} taken off")
    if change.reordered and not parts:
        parts.append("put in a new order")
    return f"{change.title} ({', '.join(parts)})"


def summarise(changes: Sequence[SectionChange], first: bool = False) -> str:
    """A short sentence for the history page: "Changed My warning signs (2 added)."."""
    if first:
        return "Your first version."
    if not changes:
        return "No changes."
    described = [_describe(change) for change in changes]
    if len(described) == 1:
        return f"Changed {described[0]}."
    return f"Changed {'; '.join(described[:-1])} and {described[-1]}."


# Resolving people and groups ------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """What the plan shows of a person: their current name and how to reach them."""

    id: int
    name: str
    phone: str = ""
    archived: bool = False
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonEntry:
    id: int
    name: str
    phone: str = ""
    tel: str = ""
    removed: bool = False
    archived: bool = False


@dataclass(frozen=True)
class GroupEntry:
    id: int
    name: str
    removed: bool = False


@dataclass(frozen=True)
class ResolvedSection:
    section: Section
    items: list[str]
    people: list[PersonEntry]
    groups: list[GroupEntry]

    @property
    def slug(self) -> str:
        return self.section.slug

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.people or self.groups)


@dataclass(frozen=True)
class ResolvedPlan:
    sections: list[ResolvedSection]
    removed: int = 0
    by_slug: dict[str, ResolvedSection] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return all(section.is_empty for section in self.sections)


def tel_target(phone: str) -> str:
    """A phone number as the target of a tel: or sms: link: digits, and a leading + kept.

    Empty when there are too few digits to dial.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < MIN_DIAL_DIGITS:
        return ""
    return ("+" if phone.strip().startswith("+") else "") + digits


_KEYWORD_TO_NUMBER = re.compile(r"^\s*(?P<word>\w+)\s+to\s+(?P<number>[\d\s]+)$", re.IGNORECASE)


def sms_href(text: str) -> str:
    """An sms: link for a crisis line's text field ("85258", "HOME to 741741"), or ""."""
    match = _KEYWORD_TO_NUMBER.match(text)
    if match:
        number = tel_target(match["number"])
        return f"sms:{number}?body={match['word']}" if number else ""
    number = tel_target(text)
    return f"sms:{number}" if number else ""


def _person(pk: int, people: Mapping[int, Contact]) -> PersonEntry:
    contact = people.get(pk)
    if contact is None:
        return PersonEntry(id=pk, name=REMOVED_NAME, removed=True)
    return PersonEntry(
        id=pk,
        name=contact.name,
        phone=contact.phone,
        tel=tel_target(contact.phone),
        archived=contact.archived,
    )


def _group(pk: int, groups: Mapping[int, str]) -> GroupEntry:
    name = groups.get(pk)
    if name is None:
        return GroupEntry(id=pk, name=REMOVED_GROUP, removed=True)
    return GroupEntry(id=pk, name=name)


def resolve(plan: Plan, people: Mapping[int, Contact], groups: Mapping[int, str]) -> ResolvedPlan:
    """The plan as shown: people and groups by their current names, the removed marked.

    `people` and `groups` map the member's own ids (as found now) to what to
    show; an id missing from them is someone since removed from the network.
    """
    sections = []
    for slug in SAFETY_PLAN_SECTIONS:
        data = plan[slug]
        sections.append(
            ResolvedSection(
                section=SECTIONS[slug],
                items=list(data["items"]),
                people=[_person(pk, people) for pk in data["people"]],
                groups=[_group(pk, groups) for pk in data["groups"]],
            )
        )
    removed = sum(
        sum(person.removed for person in section.people)
        + sum(group.removed for group in section.groups)
        for section in sections
    )
    return ResolvedPlan(
        sections=sections,
        removed=removed,
        by_slug={section.slug: section for section in sections},
    )


# Printing on one page ----------------------------------------------------------------


@dataclass(frozen=True)
class PrintSize:
    """One size of the print view (a CSS class), and how much of a plan one page holds at it.

    Measured in Chromium on A4 and US Letter (10 mm margins) with a wide font
    (DejaVu Sans), so narrower fonts only leave more room. A "row" is one line
    of a column; section titles, the page's heading and three crisis entries
    are already taken off `room`.
    """

    css_class: str
    line_chars: int  # characters that fit on one line of a column
    empty_rows: int  # an empty section: its title and "Nothing here yet."
    room: int


PRINT_SIZES: tuple[PrintSize, ...] = (
    PrintSize("", line_chars=40, empty_rows=2, room=84),  # 9.5 pt, two columns
    PrintSize("dense", line_chars=43, empty_rows=2, room=98),  # 8.5 pt, two columns
    PrintSize("densest", line_chars=34, empty_rows=3, room=190),  # 7.5 pt, three columns
)
# The measurements above had three crisis entries (two lines and the emergency number).
MEASURED_CRISIS_ENTRIES = 3


def print_rows(plan: ResolvedPlan, size: PrintSize, crisis_entries: int) -> int:
    """About how many rows the printed plan needs at `size`, beyond what `room` already counts."""
    rows = crisis_entries - MEASURED_CRISIS_ENTRIES
    for section in plan.sections:
        if section.is_empty:
            rows += size.empty_rows
            continue
        rows += sum(-(-max(len(item), 1) // size.line_chars) for item in section.items)
        rows += len(section.people) + len(section.groups)
    return rows


def print_size(plan: ResolvedPlan, crisis_entries: int) -> tuple[str, bool]:
    """The largest print size at which the plan fits one page, and whether any does.

    A plan too long for the smallest size is printed at that size (over two pages).
    """
    for size in PRINT_SIZES:
        if print_rows(plan, size, crisis_entries) <= size.room:
            return size.css_class, True
    return PRINT_SIZES[-1].css_class, False


def who_to_call(plan: ResolvedPlan, limit: int = 4) -> list[PersonEntry]:
    """People to list on a wallet card: those with a number, helpers first, each once."""
    chosen: list[PersonEntry] = []
    for slug in ("ask_for_help", "professionals"):
        for entry in plan.by_slug[slug].people:
            if entry.tel and not entry.removed and entry.id not in {e.id for e in chosen}:
                chosen.append(entry)
    return chosen[:limit]


def professionals_first(contacts: Iterable[Contact], roles: Iterable[str]) -> list[Contact]:
    """Contacts with one of `roles` (therapist, doctor) first, each group in the order given."""
    wanted = set(roles)
    listed = list(contacts)
    first = [c for c in listed if wanted & set(c.roles)]
    return first + [c for c in listed if not wanted & set(c.roles)]


def suggestions(titles: Iterable[str], plan: Plan, limit: int = 5) -> list[str]:
    """Coping strategies to offer for "on my own": not already there, each once."""
    present = {item.casefold() for item in plan["on_my_own"]["items"]}
    offered: list[str] = []
    for title in titles:
        line = clean_item(title)
        if line and line.casefold() not in present:
            present.add(line.casefold())
            offered.append(line)
    return offered[:limit]
