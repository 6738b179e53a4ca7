"""The query helpers behind the network pages, on a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from closeknit.network import queries
from closeknit.network.models import Group, Interaction, Person

LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")


def names(people: Any) -> list[str]:
    return [person.name for person in people]


# people()


def test_people_are_only_the_owners(member: Any, network: Any, stranger: Any) -> None:
    Person.objects.create(owner=stranger, name="Aaron Else")
    assert names(queries.people(member)) == ["Ada Okafor", "Sam Rivera"]
    assert names(queries.people(stranger)) == ["Aaron Else"]


def test_last_contact_is_the_newest_contact_with_them(member: Any, network: Any) -> None:
    sam = network["sam"]
    newer = Interaction.objects.create(owner=member, occurred_at=timezone.now() + dt.timedelta(1))
    newer.people.add(sam)
    by_name = {person.name: person for person in queries.with_last_contact(queries.people(member))}
    assert by_name["Sam Rivera"].last_contact == newer.occurred_at
    assert by_name["Ada Okafor"].last_contact is None


def test_filters_combine(member: Any, network: Any) -> None:
    Person.objects.create(owner=member, name="Sam Two", roles=["friend"], circle="outer")
    assert names(queries.people(member, search="sam", circle="inner")) == ["Sam Rivera"]
    assert names(queries.people(member, search="sam", role="friend")) == ["Sam Rivera", "Sam Two"]
    assert names(queries.people(member, role="friend", support_type="emotional")) == ["Sam Rivera"]


def test_role_filter_matches_whole_slugs(member: Any) -> None:
    Person.objects.create(owner=member, name="Group Friend", roles=["support_group"])
    Person.objects.create(owner=member, name="Odd", roles=["supportXgroup"])
    assert names(queries.people(member, role="support_group")) == ["Group Friend"]


def test_search_treats_wildcards_as_text(member: Any, network: Any) -> None:
    Person.objects.create(owner=member, name="100% Kim")
    assert names(queries.people(member, search="%")) == ["100% Kim"]
    assert names(queries.people(member, search="_")) == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (queries.ACTIVE, ["Sam Rivera"]),
        (queries.ARCHIVED, ["Ada Okafor"]),
        (queries.EVERYONE, ["Ada Okafor", "Sam Rivera"]),
    ],
)
def test_status_picks_current_or_archived(
    member: Any, network: Any, status: str, expected: list[str]
) -> None:
    queries.set_archived(network["ada"], True)
    assert names(queries.people(member, status=status)) == expected


def test_a_person_in_many_contacts_is_listed_once(member: Any, network: Any) -> None:
    for _ in range(3):
        Interaction.objects.create(owner=member).people.add(network["sam"])
    assert names(queries.people(member)) == ["Ada Okafor", "Sam Rivera"]


# groups()


def test_groups_count_members_once_whatever_the_contact(member: Any, network: Any) -> None:
    group = network["group"]
    group.members.add(network["ada"])
    for _ in range(3):
        Interaction.objects.create(owner=member, group=group)
    [listed] = queries.groups(member)
    assert listed.member_count == 2
    assert listed.last_contact is not None


# Contact log


def test_local_day_bounds_cover_whole_local_days() -> None:
    since, until = queries.local_day_bounds(dt.date(2026, 7, 1), dt.date(2026, 7, 2), SYDNEY)
    assert since == dt.datetime(2026, 6, 30, 14, 0, tzinfo=dt.UTC)
    assert until == dt.datetime(2026, 7, 2, 14, 0, tzinfo=dt.UTC)
    assert queries.local_day_bounds(None, None, SYDNEY) == (None, None)


def test_local_day_bounds_on_the_day_the_clocks_change() -> None:
    since, until = queries.local_day_bounds(dt.date(2026, 3, 29), dt.date(2026, 3, 29), LONDON)
    assert since is not None and until is not None
    # Subtracting in UTC: within one zone Python subtracts wall-clock times.
    assert until.astimezone(dt.UTC) - since.astimezone(dt.UTC) == dt.timedelta(hours=23)


def test_contact_log_for_a_person_a_group_and_days(member: Any, network: Any) -> None:
    sam, group = network["sam"], network["group"]
    call, meeting = network["call"], network["meeting"]
    today = timezone.localdate(timezone=LONDON)
    assert list(queries.contact_log(member, zone=LONDON, person=sam)) == [call]
    assert list(queries.contact_log(member, zone=LONDON, group=group)) == [meeting]
    assert list(queries.contact_log(member, zone=LONDON, start=today + dt.timedelta(1))) == []
    assert len(queries.contact_log(member, zone=LONDON, start=today, end=today)) == 2


def test_recent_contacts_are_the_owners_newest(member: Any, network: Any, stranger: Any) -> None:
    Interaction.objects.create(owner=stranger)
    recent = queries.recent_contacts(member, limit=1)
    assert recent == [network["meeting"]]


def test_choosable_people_keep_archived_ones_already_chosen(member: Any, network: Any) -> None:
    queries.set_archived(network["sam"], True)
    assert names(queries.choosable_people(member)) == ["Ada Okafor"]
    kept = queries.choosable_people(member, keep=[network["sam"].pk])
    assert names(kept) == ["Ada Okafor", "Sam Rivera"]


def test_choosable_never_keeps_someone_elses(member: Any, stranger: Any) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    their_group = Group.objects.create(owner=stranger, name="Not Yours")
    assert list(queries.choosable_people(member, keep=[theirs.pk])) == []
    assert list(queries.choosable_groups(member, keep=[their_group.pk])) == []


# Deleting


def test_deleting_a_person_counts_and_removes_only_their_lone_contact(
    member: Any, network: Any
) -> None:
    sam, ada, group = network["sam"], network["ada"], network["group"]
    with_both = Interaction.objects.create(owner=member)
    with_both.people.add(sam, ada)
    with_group = Interaction.objects.create(owner=member, group=group)
    with_group.people.add(sam)
    assert list(queries.contacts_only_with_person(member, sam)) == [network["call"]]
    assert queries.delete_person(member, sam) == 1
    remaining = set(Interaction.objects.values_list("pk", flat=True))
    assert remaining == {with_both.pk, with_group.pk, network["meeting"].pk}


def test_deleting_a_group_removes_contact_with_it_alone(member: Any, network: Any) -> None:
    group = network["group"]
    shared = Interaction.objects.create(owner=member, group=group)
    shared.people.add(network["ada"])
    assert queries.delete_group(member, group) == 1
    assert set(Interaction.objects.values_list("pk", flat=True)) == {
        network["call"].pk,
        shared.pk,
    }


def test_archiving_sets_and_clears_the_moment(network: Any) -> None:
    sam = network["sam"]
    queries.set_archived(sam, True)
    assert Person.objects.get(pk=sam.pk).archived_at is not None
    queries.set_archived(sam, False)
    assert Person.objects.get(pk=sam.pk).archived_at is None
