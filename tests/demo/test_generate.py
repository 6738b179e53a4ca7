"""The demo data: believable, consistent, private to the demo member, and repeatable."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from closeknit.accounts.models import User
from closeknit.demo.generate import (
    DEMO_DOMAIN,
    QUIET_CLEAR_DAYS,
    DemoEmailTaken,
    create_demo_member,
    prune_demo_members,
    quiet_days,
)
from closeknit.network.models import Group, Interaction, Person

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London
LONDON = ZoneInfo("Europe/London")
EIGHTEEN_MONTHS = dt.timedelta(days=549)


@pytest.fixture
def demo(db):
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


def _days_since_last_contact(person: Person) -> float | None:
    last = person.interactions.order_by("-occurred_at").values_list("occurred_at", flat=True)
    return (NOW - last[0]).total_seconds() / 86400 if last else None


def _signature(member: User) -> tuple:
    """Everything a person sees, independent of primary keys."""
    people = [
        (p.name, p.circle, p.rhythm_days, tuple(p.roles), p.birthday, p.created_at)
        for p in Person.objects.owned_by(member).order_by("name")
    ]
    groups = [
        (g.name, g.schedule, g.meets_from, tuple(sorted(m.name for m in g.members.all())))
        for g in Group.objects.owned_by(member).prefetch_related("members").order_by("name")
    ]
    contact = [
        (
            i.occurred_at,
            i.channel,
            i.direction,
            tuple(i.support_types),
            i.feeling,
            i.note,
            i.group.name if i.group else None,
            tuple(sorted(p.name for p in i.people.all())),
        )
        for i in Interaction.objects.owned_by(member)
        .select_related("group")
        .prefetch_related("people")
        .order_by("occurred_at", "channel", "id")
    ]
    return people, groups, contact


def test_small_demo_has_about_forty_people(demo):
    assert 30 <= Person.objects.owned_by(demo).count() <= 50
    assert 500 <= Interaction.objects.owned_by(demo).count() <= 3000


def test_demo_member_is_marked_as_demo_without_a_usable_password(demo):
    assert demo.is_demo
    assert not demo.has_usable_password()
    assert demo.time_zone == "Europe/London"
    assert demo.country == "GB"


def test_contact_is_only_in_the_past_and_within_eighteen_months(demo):
    times = list(Interaction.objects.owned_by(demo).values_list("occurred_at", flat=True))
    assert max(times) < NOW
    assert min(times) >= NOW - EIGHTEEN_MONTHS
    # It does reach back that far: the history is not squeezed into the last weeks.
    assert min(times) <= NOW - dt.timedelta(days=500)
    assert all(
        created <= NOW
        for created in Interaction.objects.owned_by(demo).values_list("created_at", flat=True)
    )


def test_every_interaction_has_a_person_or_a_group(demo):
    lonely = Interaction.objects.owned_by(demo).filter(people=None, group=None)
    assert not lonely.exists()


def test_every_row_belongs_to_the_demo_member(demo, make_user):
    other = make_user("someone@example.org")
    create_demo_member("second@example.org")  # another demo member, alongside
    assert Person.objects.filter(owner=other).count() == 0
    people = Person.objects.owned_by(demo)
    for interaction in Interaction.objects.owned_by(demo).prefetch_related("people"):
        assert all(person.owner_id == demo.pk for person in interaction.people.all())
    for group in Group.objects.owned_by(demo).prefetch_related("members"):
        assert all(person.owner_id == demo.pk for person in group.members.all())
    groups = Group.objects.owned_by(demo)
    assert not Interaction.objects.owned_by(demo).exclude(group=None).exclude(group__in=groups)
    assert people.count() == Person.objects.filter(owner=demo).count()


def test_contact_happens_at_plausible_local_hours(demo):
    hours = Counter(
        when.astimezone(LONDON).hour
        for when in Interaction.objects.owned_by(demo).values_list("occurred_at", flat=True)
    )
    assert set(hours) <= set(range(8, 22))
    assert hours[19] > 0  # the peer group's evening meetings


def test_feelings_are_mostly_three_to_five(demo):
    feelings = [f for f in Interaction.objects.owned_by(demo).values_list("feeling", flat=True)]
    rated = [f for f in feelings if f is not None]
    assert len(rated) > 0.8 * len(feelings)
    assert sum(1 for f in rated if f >= 3) > 0.8 * len(rated)
    assert set(rated) <= {1, 2, 3, 4, 5}


def test_some_interactions_have_short_notes(demo):
    notes = [n for n in Interaction.objects.owned_by(demo).values_list("note", flat=True)]
    with_note = [n for n in notes if n]
    assert 0.1 * len(notes) < len(with_note) < 0.5 * len(notes)
    assert all(len(note) < 80 for note in with_note)


def test_therapist_is_seen_every_two_weeks_for_information_and_emotional_support(demo):
    therapist = Person.objects.owned_by(demo).get(roles__has="therapist")
    assert set(therapist.support_types) == {"informational", "emotional"}
    sessions = list(therapist.interactions.order_by("occurred_at"))
    assert len(sessions) >= 30  # about 39 fortnights in 18 months, a few missed
    days = [s.occurred_at.astimezone(LONDON).date() for s in sessions]
    gaps = {(b - a).days for a, b in itertools.pairwise(days)}
    assert gaps <= {14, 28, 42}  # every second Thursday; sometimes a session is missed
    assert all(s.occurred_at.astimezone(LONDON).hour == 11 for s in sessions)
    assert all(s.direction == "received" for s in sessions)
    assert all(set(s.support_types) <= {"informational", "emotional"} for s in sessions)


def test_peer_support_group_meets_weekly_with_its_members(demo):
    group = Group.objects.owned_by(demo).get(kind="support_group")
    assert group.schedule == "FREQ=WEEKLY;BYDAY=TU"
    assert group.members.count() >= 5
    meetings = list(group.interactions.prefetch_related("people"))
    assert len(meetings) > 50  # most of the ~78 Tuesdays
    members = set(group.members.all())
    for meeting in meetings:
        local = meeting.occurred_at.astimezone(LONDON)
        assert (local.weekday(), local.hour, local.minute) == (1, 19, 0)
        assert set(meeting.people.all()) <= members


def test_family_have_birthdays_and_one_is_coming_up(demo):
    family = Person.objects.owned_by(demo).filter(roles__has="family")
    assert family.exclude(birthday=None).count() >= 5
    today = NOW.astimezone(LONDON).date()
    upcoming = [
        p
        for p in Person.objects.owned_by(demo).exclude(birthday=None)
        if 0 <= (p.birthday.replace(year=today.year) - today).days <= 14
    ]
    assert upcoming


def test_rhythms_fit_actual_contact_with_a_few_people_overdue(demo):
    overdue = []
    for person in Person.objects.owned_by(demo).exclude(rhythm_days=None):
        since = _days_since_last_contact(person)
        assert since is not None, f"{person} was never contacted"
        if since > person.rhythm_days:
            overdue.append(person.name)
    assert 2 <= len(overdue) <= 8
    assert {"Joan Brooks", "Emma Wilson", "Matt Green"} <= set(overdue)


def test_inner_circle_is_contacted_about_as_often_as_hoped(demo):
    for person in Person.objects.owned_by(demo).filter(circle="inner"):
        times = sorted(person.interactions.values_list("occurred_at", flat=True))
        gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(times)]
        assert statistics.median(gaps) <= person.rhythm_days, person.name


def test_outer_circle_is_contacted_rarely(demo):
    for person in Person.objects.owned_by(demo).filter(circle="outer").exclude(rhythm_days=None):
        assert person.interactions.count() <= 560 / person.rhythm_days * 2 + 2, person.name


@pytest.mark.django_db
def test_same_seed_gives_the_same_network_and_another_seed_another():
    with time_machine.travel(NOW, tick=False):
        first = create_demo_member("one@example.org", seed=11)
        second = create_demo_member("two@example.org", seed=11)
        third = create_demo_member("three@example.org", seed=12)
    assert _signature(first) == _signature(second)
    assert _signature(first) != _signature(third)


@pytest.mark.django_db
def test_without_an_email_the_demo_member_gets_a_private_invalid_address():
    one, two = create_demo_member(), create_demo_member()
    assert one.email != two.email
    assert one.email.endswith("@" + DEMO_DOMAIN)


@pytest.mark.django_db
def test_a_taken_email_is_refused_and_nothing_is_created(make_user):
    make_user("taken@example.org")
    with pytest.raises(DemoEmailTaken):
        create_demo_member("Taken@Example.org")
    assert User.objects.count() == 1
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported_until_it_is_complete():
    calls: list[tuple[int, int]] = []
    create_demo_member(progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1] > 0
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@pytest.mark.django_db
def test_notes_of_demo_contact_are_encrypted_at_rest():
    member = create_demo_member()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM network_interaction WHERE owner_id = %s AND note <> ''", [member.pk]
        )
        stored = [row[0] for row in cursor.fetchall()]
    assert stored
    assert all(token.startswith("gAAAA") for token in stored)


@pytest.mark.django_db
def test_prune_removes_only_demo_members_older_than_asked(make_user):
    with time_machine.travel(NOW, tick=False):
        old_demo = create_demo_member("old@example.org")
        real = make_user("real@example.org")
    with time_machine.travel(NOW + dt.timedelta(hours=30), tick=False):
        fresh_demo = create_demo_member("fresh@example.org")
        assert prune_demo_members(dt.timedelta(hours=24)) == 1
    assert not User.objects.filter(pk=old_demo.pk).exists()
    assert not Person.objects.filter(owner_id=old_demo.pk).exists()
    assert not Interaction.objects.filter(owner_id=old_demo.pk).exists()
    assert User.objects.filter(pk__in=[real.pk, fresh_demo.pk]).count() == 2
    assert Person.objects.filter(owner=fresh_demo).exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_heavy_scale_has_about_a_thousand_people_and_fifty_thousand_contacts():
    with time_machine.travel(NOW, tick=False):
        member = create_demo_member("heavy@example.org", scale="heavy")
    people = Person.objects.owned_by(member).count()
    contacts = Interaction.objects.owned_by(member)
    assert 900 <= people <= 1100
    assert 45_000 <= contacts.count() <= 55_000
    assert not contacts.filter(people=None, group=None).exists()
    assert not contacts.filter(occurred_at__gte=NOW).exists()
    assert not contacts.filter(occurred_at__lt=NOW - dt.timedelta(days=3653)).exists()
    assert contacts.filter(occurred_at__lt=NOW - dt.timedelta(days=3000)).exists()


def test_quiet_spells_are_short_repeatable_and_never_in_the_last_weeks():
    today = dt.date(2026, 3, 18)
    quiet = quiet_days(7, today, 548)
    assert quiet == quiet_days(7, today, 548)
    assert quiet != quiet_days(8, today, 548)
    assert 0.12 < len(quiet) / 548 < 0.3
    assert max(quiet) <= today - dt.timedelta(days=QUIET_CLEAR_DAYS)
    assert min(quiet) >= today - dt.timedelta(days=548)
    # No spell is longer than three days.
    for day in quiet:
        assert not all(day + dt.timedelta(days=n) in quiet for n in range(4))


def test_one_to_one_contact_keeps_out_of_quiet_spells_so_some_days_have_none(demo):
    days = {
        when.astimezone(LONDON).date()
        for when in Interaction.objects.owned_by(demo).values_list("occurred_at", flat=True)
    }
    one_to_one = {
        when.astimezone(LONDON).date()
        for when in Interaction.objects.owned_by(demo)
        .filter(group__isnull=True, channel__in=["call", "message", "video", "letter"])
        .exclude(people__roles__has="therapist")  # the appointments keep their own days
        .values_list("occurred_at", flat=True)
    }
    quiet = quiet_days(7, NOW.astimezone(LONDON).date(), 548)
    assert not one_to_one & quiet
    last_year = {NOW.astimezone(LONDON).date() - dt.timedelta(days=n) for n in range(365)}
    # Enough days without any contact for the insights to compare (at least 14).
    assert len(last_year - days) >= 40
