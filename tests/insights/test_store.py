"""Reading the insights' facts: local days, the owner's rows only, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.insights import store
from closeknit.network.models import Interaction, Person
from closeknit.wellbeing.models import Assessment, CheckIn
from closeknit.wellbeing.store import record_assessment

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOW, tick=False):
        yield


def contact(owner, at, *people, **fields):
    entry = Interaction.objects.create(owner=owner, occurred_at=at, **fields)
    entry.people.set(people)
    return entry


def test_contact_falls_on_the_members_local_day(member):
    member.time_zone = "Asia/Tokyo"
    member.save()
    sam = Person.objects.create(owner=member, name="Sam")
    # 20:30 UTC on 10 June is 05:30 on 11 June in Tokyo.
    contact(member, dt.datetime(2026, 6, 10, 20, 30, tzinfo=dt.UTC), sam)
    facts = store.contact_facts(member, dt.date(2026, 6, 11), dt.date(2026, 6, 11))
    assert [(f.day, f.person_ids) for f in facts] == [(dt.date(2026, 6, 11), frozenset({sam.pk}))]
    assert store.contact_facts(member, dt.date(2026, 6, 10), dt.date(2026, 6, 10)) == []


def test_contact_facts_cover_whole_local_days_at_both_ends(member):
    # London is on BST (UTC+1): local 10 June runs from 23:00 UTC on 9 June.
    early = contact(member, dt.datetime(2026, 6, 9, 23, 0, tzinfo=dt.UTC))
    late = contact(member, dt.datetime(2026, 6, 12, 22, 59, tzinfo=dt.UTC))
    contact(member, dt.datetime(2026, 6, 9, 22, 59, tzinfo=dt.UTC))  # 9 June, local
    contact(member, dt.datetime(2026, 6, 12, 23, 0, tzinfo=dt.UTC))  # 13 June, local
    facts = store.contact_facts(member, dt.date(2026, 6, 10), dt.date(2026, 6, 12))
    assert [f.day for f in facts] == [dt.date(2026, 6, 10), dt.date(2026, 6, 12)]
    assert early.pk and late.pk


def test_contact_facts_carry_channel_direction_and_support(member):
    sam = Person.objects.create(owner=member, name="Sam")
    ada = Person.objects.create(owner=member, name="Ada")
    contact(
        member,
        NOW - dt.timedelta(hours=2),
        sam,
        ada,
        channel="call",
        direction="received",
        support_types=["practical", "emotional"],
    )
    contact(member, NOW - dt.timedelta(hours=1))  # a group meeting logged without names
    facts = store.contact_facts(member, TODAY, TODAY)
    assert [(f.person_ids, f.channel, f.direction, f.support_types) for f in facts] == [
        (frozenset({sam.pk, ada.pk}), "call", "received", frozenset({"emotional", "practical"})),
        (frozenset(), "in_person", "mutual", frozenset()),
    ]


def test_only_the_owners_rows_are_read(member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    contact(stranger, NOW - dt.timedelta(hours=1), theirs)
    CheckIn.objects.create(owner=stranger, day=TODAY, mood=3, stress=9)
    record_assessment(stranger, "mspss", [7] * 12)
    assert store.people_facts(member) == []
    assert store.contact_facts(member, TODAY - dt.timedelta(days=30), TODAY) == []
    assert store.day_scores(member, TODAY - dt.timedelta(days=30), TODAY) == []
    assert store.latest_result(member, "mspss") is None


def test_archived_people_are_left_out_but_their_contact_still_counts(member):
    gone = Person.objects.create(owner=member, name="Gone", archived_at=NOW)
    here = Person.objects.create(owner=member, name="Here", nickname="H")
    contact(member, NOW - dt.timedelta(hours=1), gone)
    assert [(p.person_id, p.name) for p in store.people_facts(member)] == [(here.pk, "H")]
    assert [f.person_ids for f in store.contact_facts(member, TODAY, TODAY)] == [
        frozenset({gone.pk})
    ]


def test_contact_days_join_a_days_people_and_note_any_in_person(member):
    sam = Person.objects.create(owner=member, name="Sam")
    ada = Person.objects.create(owner=member, name="Ada")
    contact(member, NOW - dt.timedelta(hours=3), sam, channel="message")
    contact(member, NOW - dt.timedelta(hours=2), ada, channel="in_person")
    contact(member, NOW - dt.timedelta(days=1), sam, channel="call")
    days = store.contact_days(store.contact_facts(member, TODAY - dt.timedelta(days=1), TODAY))
    assert days[TODAY].person_ids == {sam.pk, ada.pk}
    assert days[TODAY].in_person
    assert not days[TODAY - dt.timedelta(days=1)].in_person


def test_day_scores_keep_missing_measures_missing(member):
    CheckIn.objects.create(owner=member, day=TODAY, mood=6)
    CheckIn.objects.create(owner=member, day=TODAY - dt.timedelta(days=1), stress=4)
    scores = store.day_scores(member, TODAY - dt.timedelta(days=1), TODAY)
    assert [(s.day, s.mood, s.stress) for s in scores] == [
        (TODAY - dt.timedelta(days=1), None, 4),
        (TODAY, 6, None),
    ]


def test_latest_result_is_the_latest_complete_one(member):
    older, _ = record_assessment(member, "mspss", [7] * 12)
    Assessment.objects.filter(pk=older.pk).update(taken_at=NOW - dt.timedelta(days=40))
    record_assessment(member, "mspss", [2] * 12)
    incomplete, _ = record_assessment(member, "mspss", [None] * 12)
    assert not incomplete.complete
    found = store.latest_result(member, "mspss")
    assert found is not None
    assert found.total == 2
    assert found.subscales == {"significant_other": 2.0, "family": 2.0, "friends": 2.0}
    assert found.band == "low"
    assert found.taken_on == TODAY


def test_date_range_defaults_to_a_year_ending_today():
    assert store.date_range(TODAY, None, None) == (TODAY - dt.timedelta(days=364), TODAY)
    end = dt.date(2026, 1, 31)
    assert store.date_range(TODAY, None, end) == (end - dt.timedelta(days=364), end)
    assert store.date_range(TODAY, end, None) == (end, TODAY)


def test_date_range_refuses_backwards_and_too_long_ranges():
    with pytest.raises(store.RangeError) as backwards:
        store.date_range(TODAY, TODAY, TODAY - dt.timedelta(days=1))
    assert backwards.value.field == "to"
    longest = TODAY - dt.timedelta(days=store.MAX_RANGE_DAYS - 1)
    assert store.date_range(TODAY, longest, TODAY) == (longest, TODAY)
    with pytest.raises(store.RangeError, match="at most"):
        store.date_range(TODAY, longest - dt.timedelta(days=1), TODAY)


def _grow(member, people: int, contacts: int) -> None:
    made = Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n}", circle="middle", roles=["friend"])
        for n in range(people)
    )
    entries = Interaction.objects.bulk_create(
        Interaction(owner=member, occurred_at=NOW - dt.timedelta(hours=7 * n))
        for n in range(contacts)
    )
    link = Interaction.people.through
    link.objects.bulk_create(
        link(interaction_id=entry.pk, person_id=made[n % people].pk)
        for n, entry in enumerate(entries)
    )
    CheckIn.objects.bulk_create(
        CheckIn(owner=member, day=TODAY - dt.timedelta(days=n), mood=5, stress=5)
        for n in range(min(contacts, 300))
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.parametrize("read", ["network", "wellbeing"])
def test_queries_do_not_grow_with_the_network(member, make_user, read):
    small, large = member, make_user("large@example.org")
    _grow(small, 2, 3)
    _grow(large, 80, 900)
    record_assessment(large, "mspss", [5] * 12)
    record_assessment(large, "lsns6", [2] * 6)

    def reading(owner):
        if read == "network":
            return lambda: store.network(owner, TODAY)
        return lambda: store.wellbeing(owner, TODAY - dt.timedelta(days=364), TODAY)

    assert _queries(reading(large)) == _queries(reading(small))


@pytest.mark.parametrize(
    "first, last, field",
    [
        (None, dt.date(1, 1, 5), "to"),
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31), "from"),
        (dt.date(1899, 12, 31), None, "from"),
        (None, dt.date(2200, 1, 1), "to"),
    ],
)
def test_date_range_refuses_days_far_outside_anyones_life(first, last, field):
    with pytest.raises(store.RangeError, match="between 1900 and 2199") as refused:
        store.date_range(TODAY, first, last)
    assert refused.value.field == field


def test_date_range_accepts_the_first_and_last_days_it_allows():
    assert store.date_range(TODAY, store.EARLIEST, dt.date(1900, 12, 31))[0] == store.EARLIEST
    assert store.date_range(TODAY, dt.date(2199, 1, 1), store.LATEST)[1] == store.LATEST
