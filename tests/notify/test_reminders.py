"""Planning reminders from the database: who gets what, when, on which channel, exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from closeknit.network.models import Interaction, Person
from closeknit.notify import delivery, reminders
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.recovery.appointments import create as create_appointment
from closeknit.recovery.models import Appointment
from closeknit.wellbeing.store import set_schedule

UTC = dt.UTC
# Tuesday 5 January 2027: London is on UTC, Los Angeles 8 hours behind.
TUESDAY = dt.date(2027, 1, 5)
MORNING = dt.datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
BASE = "https://closeknit.example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


@pytest.fixture
def clock():
    with time_machine.travel(MORNING - dt.timedelta(days=30), tick=False) as traveller:
        yield traveller


def email_channel(owner: Any, address: str = "robin@example.org", **extra: Any) -> Channel:
    extra.setdefault("verified_at", timezone.now())
    return Channel.objects.create(owner=owner, kind="email", config={"address": address}, **extra)


def ntfy_channel(owner: Any, **extra: Any) -> Channel:
    extra.setdefault("verified_at", timezone.now())
    config = {"server": "https://ntfy.example.org", "topic": "robin-reminders", "token": ""}
    return Channel.objects.create(owner=owner, kind="ntfy", config=config, **extra)


def overdue_friend(owner: Any, name: str = "Sam", days_ago: int = 23) -> Person:
    """Someone the member hoped to talk to every 14 days, last talked to `days_ago` days ago."""
    person = Person.objects.create(owner=owner, name=name, circle="inner", rhythm_days=14)
    talk = Interaction.objects.create(
        owner=owner, channel="call", occurred_at=MORNING - dt.timedelta(days=days_ago)
    )
    talk.people.add(person)
    return person


def messages(**filters: Any) -> list[Message]:
    return list(Message.objects.filter(**filters).order_by("dedup_key"))


@pytest.fixture
def robin(member, clock):
    """The member with an e-mail channel and a friend they haven't talked to for a while."""
    channel = email_channel(member)
    overdue_friend(member)
    return {"member": member, "email": channel}


# Daily reminders ----------------------------------------------------------------------------


def test_nothing_before_the_members_reminder_time(robin, clock):
    clock.move_to(MORNING - dt.timedelta(minutes=1))
    assert reminders.plan() == 0
    assert messages() == []


def test_the_reach_out_reminder_comes_at_the_reminder_time(robin, clock):
    member, channel = robin["member"], robin["email"]
    clock.move_to(MORNING)
    assert reminders.plan() == 1
    (message,) = messages()
    assert message.dedup_key == f"reach-out:{member.pk}:2027-01-05:{channel.pk}"
    assert message.kind == "reach_out"
    assert message.channel_id == channel.pk
    assert message.owner_id == member.pk
    assert message.title == "Maybe reach out today"
    assert "Sam" in message.body and "23 days" in message.body
    assert message.url == f"{BASE}/reach-out/"
    assert message.due_at == MORNING
    assert Preferences.objects.get(owner=member).planned_on == TUESDAY


def test_planning_twice_makes_nothing_new(robin, clock):
    clock.move_to(MORNING)
    reminders.plan()
    clock.move_to(MORNING + dt.timedelta(minutes=5))
    assert reminders.plan() == 0
    # Even a second worker that planned the day again (the mark lost) adds nothing.
    Preferences.objects.update(planned_on=None)
    assert reminders.plan() == 0
    assert len(messages()) == 1


def test_the_next_day_is_planned_again(robin, clock):
    clock.move_to(MORNING)
    reminders.plan()
    clock.move_to(MORNING + dt.timedelta(days=1))
    assert reminders.plan() == 1
    assert [one.dedup_key.split(":")[2] for one in messages()] == ["2027-01-05", "2027-01-06"]


def test_a_worker_that_was_down_catches_up_later_the_same_day(robin, clock):
    clock.move_to(MORNING + dt.timedelta(hours=11))
    assert reminders.plan() == 1


def test_yesterdays_reminders_are_never_sent(robin, clock):
    member = robin["member"]
    Preferences.objects.create(owner=member, planned_on=TUESDAY - dt.timedelta(days=2))
    # The worker was down all of Monday and comes back at 02:00 on Tuesday.
    clock.move_to(dt.datetime(2027, 1, 5, 2, 0, tzinfo=UTC))
    assert reminders.plan() == 0
    assert messages() == []
    assert Preferences.objects.get(owner=member).planned_on == TUESDAY - dt.timedelta(days=2)


def test_two_members_in_two_time_zones_are_reminded_on_their_own_clocks(robin, clock, make_user):
    london = robin["member"]
    angeleno = make_user("kai@example.org", time_zone="America/Los_Angeles")
    email_channel(angeleno, "kai@example.org")
    overdue_friend(angeleno, "Jo")
    # 16:00 UTC: 16:00 in London (reminded at 09:00), 08:00 in Los Angeles (not yet).
    clock.move_to(dt.datetime(2027, 1, 5, 16, 0, tzinfo=UTC))
    reminders.plan()
    assert [one.owner_id for one in messages()] == [london.pk]
    # 17:00 UTC is 09:00 in Los Angeles.
    clock.move_to(dt.datetime(2027, 1, 5, 17, 0, tzinfo=UTC))
    assert reminders.plan() == 1
    (kai,) = messages(owner=angeleno)
    assert kai.dedup_key.startswith(f"reach-out:{angeleno.pk}:2027-01-05:")
    assert "Jo" in kai.body
    # 03:00 UTC on Wednesday is still Tuesday evening in Los Angeles: nothing new for Kai,
    # and London's Wednesday waits for 09:00.
    clock.move_to(dt.datetime(2027, 1, 6, 3, 0, tzinfo=UTC))
    assert reminders.plan() == 0


def test_the_local_day_names_the_reminder_not_the_utc_day(clock, make_user):
    angeleno = make_user("kai@example.org", time_zone="America/Los_Angeles")
    email_channel(angeleno, "kai@example.org")
    overdue_friend(angeleno, "Jo")
    Preferences.objects.create(owner=angeleno, remind_at=dt.time(18, 0))
    # 02:00 UTC on Wednesday is 18:00 on Tuesday in Los Angeles.
    clock.move_to(dt.datetime(2027, 1, 6, 2, 0, tzinfo=UTC))
    assert reminders.plan() == 1
    assert ":2027-01-05:" in messages()[0].dedup_key


def test_the_reminder_time_keeps_to_the_clock_in_summer(member, clock):
    clock.move_to(dt.datetime(2027, 6, 1, 12, 0, tzinfo=UTC))
    email_channel(member)
    overdue_friend(member, days_ago=23)
    Interaction.objects.update(occurred_at=dt.datetime(2027, 5, 9, 12, 0, tzinfo=UTC))
    # 09:00 in London in June is 08:00 UTC.
    clock.move_to(dt.datetime(2027, 6, 2, 7, 59, tzinfo=UTC))
    assert reminders.plan() == 0
    clock.move_to(dt.datetime(2027, 6, 2, 8, 0, tzinfo=UTC))
    assert reminders.plan() == 1


def test_a_reminder_time_the_clocks_skip_comes_when_they_jump(member, clock):
    # London goes from 01:00 GMT to 02:00 BST on 28 March 2027.
    clock.move_to(dt.datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    email_channel(member)
    overdue_friend(member)
    Interaction.objects.update(occurred_at=dt.datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    Preferences.objects.create(
        owner=member, remind_at=dt.time(1, 30), planned_on=dt.date(2027, 3, 27)
    )
    clock.move_to(dt.datetime(2027, 3, 28, 0, 59, tzinfo=UTC))
    assert reminders.plan() == 0
    clock.move_to(dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC))  # 02:00 BST
    assert reminders.plan() == 1
    assert ":2027-03-28:" in messages()[0].dedup_key


def test_one_message_per_verified_channel_and_none_for_unverified_ones(robin, clock):
    member = robin["member"]
    ntfy = ntfy_channel(member)
    ntfy_channel(member, verified_at=None)
    clock.move_to(MORNING)
    assert reminders.plan() == 2
    assert {one.channel_id for one in messages()} == {robin["email"].pk, ntfy.pk}


def test_a_member_without_a_verified_channel_gets_nothing(member, clock):
    email_channel(member, verified_at=None)
    overdue_friend(member)
    clock.move_to(MORNING)
    assert reminders.plan() == 0
    assert messages() == []
    assert not Preferences.objects.exists()  # not even looked at


def test_a_member_with_nobody_to_reach_out_to_gets_no_reach_out_reminder(member, clock):
    email_channel(member)
    overdue_friend(member, days_ago=3)
    clock.move_to(MORNING)
    assert reminders.plan() == 0
    # The day is still marked planned, so it isn't looked at again on every pass.
    assert Preferences.objects.get(owner=member).planned_on == TUESDAY


def test_kinds_switched_off_are_not_sent(robin, clock):
    member = robin["member"]
    Preferences.objects.create(owner=member, kinds=["occasion", "appointment"])
    clock.move_to(MORNING)
    assert reminders.plan() == 0


def test_an_inactive_member_gets_nothing(robin, clock):
    robin["member"].is_active = False
    robin["member"].save()
    clock.move_to(MORNING)
    assert reminders.plan() == 0


def test_a_birthday_today_gets_an_occasion_reminder(member, clock):
    channel = email_channel(member)
    Person.objects.create(
        owner=member, name="Ada Okafor", nickname="Ada", birthday=dt.date(1990, 1, 5)
    )
    clock.move_to(MORNING)
    reminders.plan()
    (message,) = messages(kind="occasion")
    assert message.dedup_key.startswith(f"occasion:{member.pk}:")
    assert message.dedup_key.endswith(f":{channel.pk}")
    assert "Ada" in message.title
    assert message.body  # the prompt to celebrate
    assert message.url == f"{BASE}/occasions/"


def test_questionnaires_due_get_one_reminder(member, clock):
    email_channel(member)
    set_schedule(member, "phq9", 14)
    set_schedule(member, "who5", 14)
    clock.move_to(MORNING)
    assert reminders.plan() == 1
    (message,) = messages()
    assert message.kind == "questionnaire"
    assert message.title == "2 questionnaires are ready when you are"
    assert "PHQ-9" in message.body and "WHO-5" in message.body
    assert message.url == f"{BASE}/questionnaires/"


# The digest ---------------------------------------------------------------------------------


def test_the_daily_digest_goes_to_email_channels_only(robin, clock):
    member = robin["member"]
    ntfy_channel(member)
    Preferences.objects.create(owner=member, digest="daily", kinds=[])
    Appointment.objects.create(
        owner=member,
        kind="therapy",
        starts_at=MORNING + dt.timedelta(days=2, hours=5),
        location="Clinic room 2",
    )
    clock.move_to(MORNING)
    assert reminders.plan() == 1
    (digest,) = messages()
    assert digest.kind == "digest"
    assert digest.channel_id == robin["email"].pk
    assert digest.dedup_key == f"digest:{member.pk}:2027-01-05:{robin['email'].pk}"
    assert digest.title == "Your day in Closeknit: Tuesday 5 January"
    assert "Sam" in digest.body
    assert "Thursday 7 January at 14:00: Therapy (Clinic room 2)" in digest.body
    assert digest.url == f"{BASE}/"


def test_the_weekly_digest_comes_on_its_weekday(robin, clock):
    member = robin["member"]
    Preferences.objects.create(owner=member, digest="weekly", digest_weekday=2, kinds=[])
    clock.move_to(MORNING)  # a Tuesday
    assert reminders.plan() == 0
    clock.move_to(MORNING + dt.timedelta(days=1))  # Wednesday
    assert reminders.plan() == 1
    assert messages()[0].title == "Your week ahead in Closeknit, from Wednesday 6 January"


# Appointments -------------------------------------------------------------------------------


def therapy(owner: Any, starts_at: dt.datetime, **extra: Any) -> Appointment:
    ada = Person.objects.create(owner=owner, name="Ada Okafor", nickname="Ada")
    return Appointment.objects.create(
        owner=owner, kind="therapy", person=ada, starts_at=starts_at, **extra
    )


def test_an_appointment_reminder_comes_when_its_window_opens(member, clock):
    channel = email_channel(member)
    early = dt.datetime(2027, 1, 5, 5, 0, tzinfo=UTC)  # before the daily reminder time
    appointment = therapy(member, early + dt.timedelta(hours=3, minutes=30))
    clock.move_to(early)
    assert reminders.plan() == 0  # 3.5 hours ahead; the window is 3 hours
    clock.move_to(early + dt.timedelta(minutes=30))
    assert reminders.plan() == 1
    (message,) = messages(kind="appointment")
    assert message.dedup_key == (
        f"appointment:{appointment.pk}:2027-01-05T08:30:00+00:00:{channel.pk}"
    )
    assert message.title == "Therapy with Ada, today at 08:30"
    assert message.url == f"{BASE}/appointments/"
    clock.move_to(early + dt.timedelta(hours=1))
    assert reminders.plan() == 0


def test_no_reminder_for_an_appointment_that_has_started(member, clock):
    email_channel(member)
    therapy(member, MORNING - dt.timedelta(minutes=1))
    clock.move_to(MORNING - dt.timedelta(hours=6))
    Preferences.objects.create(owner=member, planned_on=TUESDAY)
    clock.move_to(MORNING)
    assert reminders.plan() == 0


def test_no_reminder_for_a_cancelled_appointment(member, clock):
    email_channel(member)
    therapy(member, MORNING + dt.timedelta(hours=1), status="cancelled")
    clock.move_to(MORNING - dt.timedelta(hours=1))
    assert reminders.plan() == 0


def test_the_members_hours_before_set_the_window(member, clock):
    email_channel(member)
    Preferences.objects.create(owner=member, appointment_hours_before=24, planned_on=TUESDAY)
    therapy(member, MORNING + dt.timedelta(hours=20))
    clock.move_to(MORNING)
    assert reminders.plan() == 1


def test_appointment_reminders_can_be_switched_off(member, clock):
    email_channel(member)
    Preferences.objects.create(owner=member, kinds=["reach_out"], planned_on=TUESDAY)
    therapy(member, MORNING + dt.timedelta(hours=1))
    clock.move_to(MORNING)
    assert reminders.plan() == 0


def test_a_moved_appointment_gets_a_new_reminder(member, clock):
    email_channel(member)
    Preferences.objects.create(owner=member, planned_on=TUESDAY)
    appointment = therapy(member, MORNING + dt.timedelta(hours=1))
    clock.move_to(MORNING)
    reminders.plan()
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=MORNING + dt.timedelta(hours=2))
    assert reminders.plan() == 1
    assert len(messages(kind="appointment")) == 2


def test_occurrences_of_a_repeating_appointment_are_reminded(member, clock):
    email_channel(member)
    clock.move_to(dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    first = Appointment(
        owner=member, kind="support_group", starts_at=dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
    )
    create_appointment(first, "FREQ=WEEKLY", now=timezone.now(), zone=member.zone)
    Preferences.objects.create(owner=member, planned_on=TUESDAY)
    clock.move_to(dt.datetime(2027, 1, 5, 16, 0, tzinfo=UTC))  # a Tuesday, two hours before
    assert reminders.plan() == 1
    (message,) = messages(kind="appointment")
    assert message.title == "Support group, today at 18:00"


def test_a_stranger_without_channels_gets_no_appointment_reminder(member, stranger, clock):
    email_channel(member)
    Preferences.objects.create(owner=member, planned_on=TUESDAY)
    therapy(stranger, MORNING + dt.timedelta(hours=1))
    clock.move_to(MORNING)
    assert reminders.plan() == 0


def test_appointments_are_reminded_on_the_members_clock(clock, make_user):
    angeleno = make_user("kai@example.org", time_zone="America/Los_Angeles")
    email_channel(angeleno, "kai@example.org")
    Preferences.objects.create(owner=angeleno, planned_on=dt.date(2027, 1, 5))
    therapy(angeleno, dt.datetime(2027, 1, 5, 19, 0, tzinfo=UTC))
    clock.move_to(dt.datetime(2027, 1, 5, 17, 0, tzinfo=UTC))
    reminders.plan()
    assert messages()[0].title == "Therapy with Ada, today at 11:00"


# Cost and delivery --------------------------------------------------------------------------


def test_a_pass_with_nothing_to_plan_costs_the_same_for_many_members(
    clock, make_user, django_assert_max_num_queries
):
    clock.move_to(MORNING)
    for n in range(40):
        someone = make_user(f"member{n}@example.org")
        email_channel(someone, f"member{n}@example.org")
        Preferences.objects.create(owner=someone, planned_on=TUESDAY)
    with django_assert_max_num_queries(4):
        assert reminders.plan() == 0


def test_each_due_member_is_looked_at_once_a_day(robin, clock, django_assert_max_num_queries):
    clock.move_to(MORNING)
    reminders.plan()
    with django_assert_max_num_queries(4):
        reminders.plan()


def test_a_planned_reminder_arrives_by_email(robin, clock, smtp_inbox):
    clock.move_to(MORNING)
    reminders.plan()
    delivery.deliver_due()
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "robin@example.org"
    assert mail["Subject"] == "Maybe reach out today"
    text = mail.get_content()
    assert "Sam" in text
    assert f"{BASE}/reach-out/" in text
