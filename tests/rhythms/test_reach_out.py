"""The reach-out list from the database: last contact, local days, pauses, thanks, hard days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.accounts.models import User
from closeknit.network.models import Group, Interaction, Person
from closeknit.rhythms import reach_out
from closeknit.rhythms.models import Appreciation, ReachOutPause
from closeknit.wellbeing.models import CheckIn

# 12:00 in London (summer time) on Monday 1 July 2024.
NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)
TODAY = dt.date(2024, 7, 1)


def add(owner: User, name: str, **fields: Any) -> Person:
    fields.setdefault("rhythm_days", 14)
    return Person.objects.create(owner=owner, name=name, **fields)


def contact(owner: User, people: list[Person], at: dt.datetime, **fields: Any) -> Interaction:
    entry = Interaction.objects.create(owner=owner, occurred_at=at, **fields)
    entry.people.set(people)
    return entry


def days_ago(days: int, hour: int = 11) -> dt.datetime:
    return NOON.replace(hour=hour) - dt.timedelta(days=days)


def listed(owner: User, now: dt.datetime = NOON) -> dict[str, reach_out.Suggestion]:
    return {one.name: one for one in reach_out.suggestions(owner, now)}


# Last contact


@pytest.mark.django_db
def test_last_contact_is_the_newest_of_all_contact(member):
    sam = add(member, "Sam")
    contact(member, [sam], days_ago(60))
    contact(member, [sam], days_ago(20))
    contact(member, [sam], days_ago(40))
    assert listed(member)["Sam"].days_since_contact == 20


@pytest.mark.django_db
def test_contact_with_several_people_counts_for_each(member):
    sam, ada = add(member, "Sam"), add(member, "Ada")
    contact(member, [sam, ada], days_ago(16))
    found = listed(member)
    assert found["Sam"].days_since_contact == found["Ada"].days_since_contact == 16


@pytest.mark.django_db
def test_logging_contact_takes_a_person_off_at_once(member):
    sam = add(member, "Sam")
    contact(member, [sam], days_ago(30))
    assert "Sam" in listed(member)
    contact(member, [sam], NOON - dt.timedelta(minutes=5))
    assert "Sam" not in listed(member)


@pytest.mark.django_db
def test_never_contacted_person_is_listed_as_such(member):
    add(member, "Sam", nickname="Sammy")
    one = listed(member)["Sam"]
    assert one.days_since_contact is None
    assert one.reason == (
        "You haven't logged any contact with Sammy yet; you hoped for every 14 days."
    )


@pytest.mark.django_db
def test_archived_and_other_members_people_never_appear(member, stranger):
    add(member, "Gone", archived_at=NOON)
    theirs = add(stranger, "Theirs")
    contact(stranger, [theirs], days_ago(90))
    assert listed(member) == {}
    assert list(listed(stranger)) == ["Theirs"]


# Local days


@pytest.mark.django_db
def test_contact_late_in_the_utc_evening_is_the_next_local_day(member):
    sam = add(member, "Sam", rhythm_days=1)
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: today, so Sam is not listed.
    contact(member, [sam], dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert "Sam" not in listed(member)
    member.time_zone = "UTC"
    member.save()
    # In UTC the same instant is still 30 June: yesterday, and Sam is due again.
    assert listed(member)["Sam"].days_since_contact == 1


@pytest.mark.django_db
def test_days_since_are_counted_in_local_days_across_the_spring_change(member):
    sam = add(member, "Sam", rhythm_days=2)
    contact(member, [sam], dt.datetime(2024, 3, 30, 12, tzinfo=dt.UTC))
    # 23:30 UTC on 31 March is 00:30 on 1 April in London (clocks went forward on 31 March).
    now = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)
    assert listed(member, now)["Sam"].days_since_contact == 2


@pytest.mark.django_db
def test_the_long_autumn_day_is_one_local_day(member):
    sam = add(member, "Sam", rhythm_days=1)
    # 00:30 summer time and 23:30 winter time on 27 October 2024: one day of 25 hours.
    contact(member, [sam], dt.datetime(2024, 10, 26, 23, 30, tzinfo=dt.UTC))
    assert "Sam" not in listed(member, dt.datetime(2024, 10, 27, 23, 30, tzinfo=dt.UTC))
    assert "Sam" in listed(member, dt.datetime(2024, 10, 28, 0, 30, tzinfo=dt.UTC))


# Pauses


@pytest.mark.django_db
def test_not_now_is_until_tomorrow(member):
    sam = add(member, "Sam")
    saved = reach_out.pause(member, sam, "not_now", now=NOON)
    assert (saved.kind, saved.until) == ("not_now", dt.date(2024, 7, 2))
    assert "Sam" not in listed(member)
    assert "Sam" in listed(member, NOON + dt.timedelta(days=1))


@pytest.mark.django_db
def test_snooze_keeps_someone_off_for_the_days_chosen(member):
    sam = add(member, "Sam")
    reach_out.pause(member, sam, "snooze", 7, now=NOON)
    assert "Sam" not in listed(member, NOON + dt.timedelta(days=6))
    assert "Sam" in listed(member, NOON + dt.timedelta(days=7))


@pytest.mark.django_db
def test_pausing_again_replaces_the_pause(member):
    sam = add(member, "Sam")
    reach_out.pause(member, sam, "snooze", 30, now=NOON)
    reach_out.pause(member, sam, "not_now", now=NOON)
    assert list(ReachOutPause.objects.owned_by(member).values_list("kind", "until")) == [
        ("not_now", dt.date(2024, 7, 2))
    ]


@pytest.mark.django_db
def test_lifting_a_pause_puts_them_back(member):
    sam = add(member, "Sam")
    reach_out.pause(member, sam, "snooze", 14, now=NOON)
    assert reach_out.lift_pause(member, sam) is True
    assert "Sam" in listed(member)
    assert reach_out.lift_pause(member, sam) is False


@pytest.mark.django_db
def test_current_pauses_are_the_ones_still_running(member):
    sam, ada, lee = add(member, "Sam"), add(member, "Ada"), add(member, "Lee")
    reach_out.pause(member, sam, "snooze", 14, now=NOON)
    reach_out.pause(member, ada, "not_now", now=NOON)
    reach_out.pause(member, lee, "not_now", now=NOON - dt.timedelta(days=3))  # over
    found = reach_out.reach_out(member, NOON)
    assert [(p.person.name, p.until) for p in found.pauses] == [
        ("Ada", dt.date(2024, 7, 2)),
        ("Sam", dt.date(2024, 7, 15)),
    ]


@pytest.mark.django_db
def test_a_pause_is_only_for_the_members_own_people(member, stranger):
    theirs = add(stranger, "Theirs")
    with pytest.raises(ValueError, match="own people"):
        reach_out.pause(member, theirs, "not_now", now=NOON)
    assert not ReachOutPause.objects.exists()


@pytest.mark.django_db
def test_a_snooze_not_offered_changes_nothing(member):
    sam = add(member, "Sam")
    with pytest.raises(ValueError):
        reach_out.pause(member, sam, "snooze", 5, now=NOON)
    assert not ReachOutPause.objects.exists()


@pytest.mark.django_db
def test_pause_words_are_plain(member):
    sam = add(member, "Sam Rivera", nickname="Sam")
    assert (
        reach_out.pause_words(sam, "not_now", dt.date(2024, 7, 2), TODAY)
        == "Okay. Sam is off your list for today."
    )
    assert (
        reach_out.pause_words(sam, "snooze", dt.date(2024, 7, 8), TODAY)
        == "Okay. Sam is off your list for 7 days, back on Monday 8 July."
    )
    assert (
        reach_out.pause_words(sam, "snooze", dt.date(2024, 7, 4), TODAY)
        == "Okay. Sam is off your list for 3 days, back on Thursday."
    )


# Thanks


def support(owner: User, person: Person, days: int, **fields: Any) -> Interaction:
    fields.setdefault("direction", "received")
    fields.setdefault("support_types", ["emotional"])
    return contact(owner, [person], days_ago(days), **fields)


@pytest.mark.django_db
def test_support_given_five_times_lately_asks_for_thanks(member):
    sam = add(member, "Sam", rhythm_days=None)
    for days in (3, 7, 12, 20):
        support(member, sam, days)
    assert "Sam" not in listed(member)
    support(member, sam, 10, direction="mutual")
    assert listed(member)["Sam"].reason == (
        "Sam has been there for you a lot lately; maybe tell them what it meant."
    )


@pytest.mark.django_db
def test_only_support_received_with_a_type_in_the_last_30_days_counts(member):
    sam = add(member, "Sam", rhythm_days=None)
    for days in (1, 2, 3, 4):
        support(member, sam, days)
    support(member, sam, 5, direction="gave")  # the member's support, not theirs
    support(member, sam, 6, support_types=[])  # contact, but no support noted
    support(member, sam, 31)  # before the window
    assert "Sam" not in listed(member)
    support(member, sam, 29)  # inside it
    assert "Sam" in listed(member)


@pytest.mark.django_db
def test_thanks_written_after_the_support_settles_it(member):
    sam = add(member, "Sam", rhythm_days=None)
    for days in (3, 5, 10, 15, 20):
        support(member, sam, days)
    Appreciation.objects.create(owner=member, person=sam, text="Thank you", written_at=days_ago(2))
    assert "Sam" not in listed(member)


@pytest.mark.django_db
def test_support_since_the_last_thanks_counts_again(member):
    sam = add(member, "Sam", rhythm_days=None)
    Appreciation.objects.create(owner=member, person=sam, text="Thank you", written_at=days_ago(9))
    for days in (10, 8, 7, 6, 5):
        support(member, sam, days)
    assert "Sam" not in listed(member)  # only four since the thanks
    support(member, sam, 1)
    assert "Sam" in listed(member)


@pytest.mark.django_db
def test_thanks_to_someone_else_does_not_count(member):
    sam, ada = add(member, "Sam", rhythm_days=None), add(member, "Ada", rhythm_days=None)
    for days in (3, 5, 10, 15, 20):
        support(member, sam, days)
    Appreciation.objects.create(owner=member, person=ada, text="Thanks", written_at=days_ago(1))
    Appreciation.objects.create(owner=member, person=None, text="Grateful", written_at=days_ago(1))
    assert "Sam" in listed(member)


# A hard day


@pytest.mark.django_db
def test_high_stress_today_brings_the_inner_circle_first(member):
    add(member, "Colleague", circle="middle")
    close = add(member, "Close friend", circle="inner")
    contact(member, [close], days_ago(2))
    assert list(listed(member)) == ["Colleague"]
    CheckIn.objects.create(owner=member, day=TODAY, stress=8)
    found = reach_out.reach_out(member, NOON)
    assert found.high_stress is True
    assert [one.name for one in found.suggestions] == ["Close friend", "Colleague"]


@pytest.mark.django_db
def test_yesterdays_high_stress_counts_until_today_is_checked_in(member):
    add(member, "Close friend", circle="inner", support_types=["emotional"])
    CheckIn.objects.create(owner=member, day=TODAY - dt.timedelta(days=1), stress=9)
    assert reach_out.reach_out(member, NOON).high_stress is True
    CheckIn.objects.create(owner=member, day=TODAY, stress=3)
    assert reach_out.reach_out(member, NOON).high_stress is False


# Occasions


@pytest.mark.django_db
def test_a_birthday_in_the_next_two_weeks_is_a_reason(member):
    add(member, "Sam Rivera", nickname="Sam", rhythm_days=None, birthday=dt.date(1990, 7, 5))
    add(member, "Ada", rhythm_days=None, birthday=dt.date(1990, 7, 20))  # too far ahead
    found = listed(member)
    assert list(found) == ["Sam Rivera"]
    assert found["Sam Rivera"].reason == "Sam's birthday is on Friday."


# Counts


@pytest.mark.django_db
def test_the_list_and_its_counts(member):
    add(member, "Sam")
    add(member, "Ada", rhythm_days=None)
    add(member, "Gone", archived_at=NOON)
    found = reach_out.reach_out(member, NOON)
    assert (found.people, found.with_rhythm, found.today) == (2, 1, TODAY)


def queries_for_suggestions(owner: User) -> int:
    with CaptureQueriesContext(connection) as captured:
        reach_out.suggestions(owner, NOON)
    return len(captured)


def build(owner: User, size: int) -> None:
    people = Person.objects.bulk_create(
        Person(
            owner=owner,
            name=f"Person {n:03}",
            circle=["inner", "middle", "outer"][n % 3],
            support_types=["emotional"],
            rhythm_days=7 + n % 20,
            birthday=dt.date(1990, 7, 1 + n % 28),
        )
        for n in range(size)
    )
    group = Group.objects.create(owner=owner, name="Everyone")
    for n, person in enumerate(people):
        support(owner, person, n % 40)
        contact(owner, [person], days_ago(n % 90 + 1), group=group)
        Appreciation.objects.create(owner=owner, person=person, text="Thanks", written_at=NOON)
        if n % 4 == 0:
            reach_out.pause(owner, person, "snooze", 7, now=NOON)
    CheckIn.objects.create(owner=owner, day=TODAY, stress=8)


@pytest.mark.django_db
def test_the_same_queries_for_two_people_as_for_two_hundred(make_user):
    small, large = make_user("small@example.org"), make_user("large@example.org")
    build(small, 2)
    build(large, 200)
    assert queries_for_suggestions(small) == queries_for_suggestions(large)
    assert queries_for_suggestions(large) <= 7
