"""Query building for the network pages: owner-scoped, filtered, annotated in one query.

Every function takes the owner (or an object already fetched through `owned_by`)
and plain parameters, so views stay thin and a stranger's rows can never appear.
Lists defer the encrypted notes: decrypting 50 notes nobody reads costs time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone

from closeknit.network.models import Group, Interaction, Person

PAGE_SIZE = 50
RECENT_CONTACTS = 8

# People-list status filter values.
ACTIVE = "active"
ARCHIVED = "archived"
EVERYONE = "all"

# Phone numbers are written "+44 7700 900123", "07700-900123", "(0)7700…";
# searching by digits finds them however they were typed.
_PHONE_PUNCTUATION = (" ", "-", "(", ")", ".", "/", "+")
_MIN_PHONE_DIGITS = 3


def _digits_only(field: str) -> Any:
    expression: Any = F(field)
    for mark in _PHONE_PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def _by_status(queryset: QuerySet[Any], status: str) -> QuerySet[Any]:
    if status == ARCHIVED:
        return queryset.filter(archived_at__isnull=False)
    if status == EVERYONE:
        return queryset
    return queryset.filter(archived_at__isnull=True)


def search_people(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """People whose name, nickname, e-mail or phone contains `text`."""
    text = text.strip()
    if not text:
        return queryset
    match = (
        Q(name__icontains=text)
        | Q(nickname__icontains=text)
        | Q(email__icontains=text)
        | Q(phone__icontains=text)
    )
    # Without leading zeros, "07700 900123" also finds "+44 7700 900123".
    digits = re.sub(r"\D", "", text).lstrip("0")
    if len(digits) >= _MIN_PHONE_DIGITS:
        queryset = queryset.annotate(phone_digits=_digits_only("phone"))
        match |= Q(phone_digits__contains=digits)
    return queryset.filter(match)


def people(
    owner: Any,
    *,
    search: str = "",
    circle: str = "",
    role: str = "",
    support_type: str = "",
    status: str = ACTIVE,
) -> QuerySet[Person]:
    """The member's people for the list; `with_last_contact` adds dates to one page of it."""
    queryset: QuerySet[Person] = _by_status(Person.objects.owned_by(owner).defer("notes"), status)
    if circle:
        queryset = queryset.filter(circle=circle)
    if role:
        queryset = queryset.filter(roles__has=role)
    if support_type:
        queryset = queryset.filter(support_types__has=support_type)
    return search_people(queryset, search).order_by("name", "id")


def with_last_contact(page: Iterable[Person]) -> list[Person]:
    """Set `last_contact` (None if never) on each person of one page, in one grouped query.

    Done after paginating: annotating the whole list would aggregate every
    contact of every person just to show fifty of them.
    """
    people = list(page)
    # The people are the owner's already; filtering on the link's person_id
    # lets the database walk its person index instead of every contact.
    rows = (
        Interaction.people.through.objects.filter(person_id__in=[person.pk for person in people])
        .values("person_id")
        .annotate(last=Max("interaction__occurred_at"))
    )
    latest = {row["person_id"]: row["last"] for row in rows}
    for person in people:
        person.last_contact = latest.get(person.pk)  # type: ignore[attr-defined]
    return people


def with_details(queryset: QuerySet[Interaction]) -> QuerySet[Interaction]:
    """Interactions ready to list: their group and people in two extra queries in all."""
    return (
        queryset.select_related("group")
        .defer("group__notes")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.defer("notes").order_by("name", "id"))
        )
    )


def person_history(owner: Any, person: Person) -> QuerySet[Interaction]:
    """Contact with one person, newest first."""
    mine = Interaction.objects.owned_by(owner).filter(people=person)
    return with_details(mine).order_by("-occurred_at", "-id")


def person_groups(owner: Any, person: Person) -> QuerySet[Group]:
    return Group.objects.owned_by(owner).filter(members=person).defer("notes")


def groups(owner: Any, *, status: str = ACTIVE) -> QuerySet[Group]:
    """The member's groups, each with `member_count` and `last_contact`."""
    queryset = _by_status(Group.objects.owned_by(owner).defer("notes"), status)
    return queryset.annotate(
        member_count=Count("members", distinct=True),
        last_contact=Max("interactions__occurred_at"),
    ).order_by("name", "id")


def group_members(owner: Any, group: Group) -> QuerySet[Person]:
    return Person.objects.owned_by(owner).filter(groups=group).defer("notes")


def group_history(owner: Any, group: Group) -> QuerySet[Interaction]:
    """Contact with a group, newest first."""
    mine = Interaction.objects.owned_by(owner).filter(group=group)
    return with_details(mine).order_by("-occurred_at", "-id")


def local_day_bounds(
    start: dt.date | None, end: dt.date | None, zone: ZoneInfo
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The instants [from, until) that cover the member's local days `start` to `end`, inclusive."""

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

    since = midnight(start) if start else None
    until = midnight(end + dt.timedelta(days=1)) if end else None
    return since, until


def contact_log(
    owner: Any,
    *,
    zone: ZoneInfo,
    person: Person | None = None,
    group: Group | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Interaction]:
    """All the member's contact, newest first, optionally for one person or group and some days."""
    queryset = Interaction.objects.owned_by(owner)
    if person is not None:
        queryset = queryset.filter(people=person)
    if group is not None:
        queryset = queryset.filter(group=group)
    since, until = local_day_bounds(start, end, zone)
    if since is not None:
        queryset = queryset.filter(occurred_at__gte=since)
    if until is not None:
        queryset = queryset.filter(occurred_at__lt=until)
    return with_details(queryset).order_by("-occurred_at", "-id")


def recent_contacts(owner: Any, limit: int = RECENT_CONTACTS) -> list[Interaction]:
    newest = Interaction.objects.owned_by(owner).order_by("-occurred_at", "-id")
    return list(with_details(newest)[:limit])


def choosable_people(owner: Any, keep: Iterable[int] = ()) -> QuerySet[Person]:
    """People to pick in a form: the current ones, plus any archived ones already chosen."""
    return (
        Person.objects.owned_by(owner)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=list(keep)))
        # Only what a choice shows: a member may have a thousand people in the list.
        .only("id", "owner", "name", "nickname", "archived_at")
        .order_by("name", "id")
    )


def choosable_groups(owner: Any, keep: Iterable[int] = ()) -> QuerySet[Group]:
    """Groups to pick in a form: the current ones, plus an archived one already chosen."""
    return (
        Group.objects.owned_by(owner)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=list(keep)))
        .defer("notes")
        .order_by("name", "id")
    )


def has_people(owner: Any) -> bool:
    return Person.objects.owned_by(owner).exists()


def set_archived(item: Person | Group, archived: bool) -> None:
    """Archive (keep, but out of the way) or bring back a person or group."""
    item.archived_at = timezone.now() if archived else None
    item.save(update_fields=["archived_at", "updated_at"])


def contacts_only_with_person(owner: Any, person: Person) -> QuerySet[Interaction]:
    """Contact entries that would be about no one once `person` is deleted."""
    theirs = Interaction.objects.owned_by(owner).filter(people=person, group__isnull=True)
    # Count everyone in each entry in a query of its own: counting after the
    # filter above would only count `person`.
    return (
        Interaction.objects.filter(pk__in=theirs.values("pk"))
        .annotate(people_count=Count("people"))
        .filter(people_count=1)
    )


def contacts_only_with_group(owner: Any, group: Group) -> QuerySet[Interaction]:
    """Contact entries that would be about no one once `group` is deleted."""
    return Interaction.objects.owned_by(owner).filter(group=group, people__isnull=True)


@transaction.atomic
def delete_person(owner: Any, person: Person) -> int:
    """Delete a person and the contact entries that were only with them; how many entries went."""
    orphans = list(contacts_only_with_person(owner, person).values_list("pk", flat=True))
    Interaction.objects.filter(pk__in=orphans).delete()
    person.delete()
    return len(orphans)


@transaction.atomic
def delete_group(owner: Any, group: Group) -> int:
    """Delete a group and the contact entries that were only with it; how many entries went."""
    orphans = list(contacts_only_with_group(owner, group).values_list("pk", flat=True))
    Interaction.objects.filter(pk__in=orphans).delete()
    group.delete()
    return len(orphans)
