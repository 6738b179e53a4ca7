from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from closeknit.notify import planning
from closeknit.notify.planning import (
    AppointmentSoon,
    Day,
    Occasion,
    Prefs,
    Questionnaire,
    ReachOut,
    Target,
)

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
NEW_YORK = ZoneInfo("America/New_York")
EMAIL = Target(4, "email")
NTFY = Target(5, "ntfy")
MONDAY = dt.date(2026, 3, 2)

SAM = ReachOut("Sam", "You and Sam last talked 23 days ago; you hoped for every 14.")
ADA = ReachOut("Ada", "Ada's birthday is on Friday.")
KIM = ReachOut("Kim", "You haven't logged any contact with Kim yet; you hoped for every 30 days.")
LEE = ReachOut("Lee", "You and Lee last talked 40 days ago; you hoped for every 30.")
BIRTHDAY = Occasion("birthday-12-2026", MONDAY, "Sam's birthday", "A message can mean a lot.")
LATER = Occasion("recovery-3-90d", MONDAY + dt.timedelta(days=4), "90 days since you started", "")
PHQ9 = Questionnaire("phq9", "PHQ-9")
WHO5 = Questionnaire("who5", "WHO-5")


def day(**facts) -> Day:
    facts.setdefault("member_id", 1)
    facts.setdefault("day", MONDAY)
    facts.setdefault("zone", LONDON)
    return Day(**facts)


def keys(planned: list[planning.Planned]) -> list[str]:
    return [one.key for one in planned]


# day_to_plan --------------------------------------------------------------------------------


def test_nothing_before_the_reminder_time():
    now = dt.datetime(2026, 3, 2, 8, 59, tzinfo=UTC)  # 08:59 in London
    assert planning.day_to_plan(now, LONDON, dt.time(9), None) is None


def test_the_day_is_due_at_the_reminder_time():
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert planning.day_to_plan(now, LONDON, dt.time(9), None) == MONDAY


def test_a_worker_that_was_down_catches_up_later_the_same_day():
    now = dt.datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
    assert planning.day_to_plan(now, LONDON, dt.time(9), dt.date(2026, 3, 1)) == MONDAY


def test_a_planned_day_is_not_planned_again():
    now = dt.datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
    assert planning.day_to_plan(now, LONDON, dt.time(9), MONDAY) is None


def test_yesterday_is_never_planned_after_midnight():
    # The worker was down all of Monday; at 00:30 on Tuesday, before 09:00, nothing is due,
    # and Monday's reminders are not sent late.
    now = dt.datetime(2026, 3, 3, 0, 30, tzinfo=UTC)
    assert planning.day_to_plan(now, LONDON, dt.time(9), dt.date(2026, 3, 1)) is None
    later = dt.datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert planning.day_to_plan(later, LONDON, dt.time(9), dt.date(2026, 3, 1)) == MONDAY + (
        dt.timedelta(days=1)
    )


def test_two_members_at_one_instant_are_on_their_own_clocks():
    now = dt.datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 17:00 in London, 09:00 in Los Angeles
    assert planning.day_to_plan(now, LONDON, dt.time(9), None) == MONDAY
    assert planning.day_to_plan(now, LOS_ANGELES, dt.time(9), None) == MONDAY
    early = dt.datetime(2026, 3, 2, 16, 59, tzinfo=UTC)
    assert planning.day_to_plan(early, LOS_ANGELES, dt.time(9), None) is None


def test_the_local_day_can_differ_from_the_utc_day():
    now = dt.datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Monday 18:00 in Los Angeles
    assert planning.day_to_plan(now, LOS_ANGELES, dt.time(9), None) == MONDAY
    assert planning.day_to_plan(now, LOS_ANGELES, dt.time(9), MONDAY) is None


def test_summer_time_moves_the_utc_instant_not_the_clock():
    # 09:00 in London in July is 08:00 UTC.
    assert (
        planning.day_to_plan(dt.datetime(2026, 7, 1, 7, 59, tzinfo=UTC), LONDON, dt.time(9), None)
        is None
    )
    assert planning.day_to_plan(
        dt.datetime(2026, 7, 1, 8, 0, tzinfo=UTC), LONDON, dt.time(9), None
    ) == dt.date(2026, 7, 1)


def test_a_reminder_time_the_clocks_skip_comes_when_the_clock_passes_it():
    # London skips 01:00–02:00 on 29 March 2026; a 01:30 reminder is due at 02:00 BST.
    before = dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)  # 00:59 GMT
    after = dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 BST
    assert planning.day_to_plan(before, LONDON, dt.time(1, 30), None) is None
    assert planning.day_to_plan(after, LONDON, dt.time(1, 30), None) == dt.date(2026, 3, 29)


def test_a_reminder_time_that_happens_twice_is_planned_once():
    # London repeats 01:00–02:00 on 25 October 2026.
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    planned = planning.day_to_plan(first, LONDON, dt.time(1, 30), None)
    assert planned == dt.date(2026, 10, 25)
    assert planning.day_to_plan(second, LONDON, dt.time(1, 30), planned) is None


# day_messages -------------------------------------------------------------------------------


def test_reach_out_reminder_names_the_top_three_kindly():
    planned = planning.day_messages(day(reach_out=[SAM, ADA, KIM, LEE]), Prefs(), [EMAIL])
    assert len(planned) == 1
    message = planned[0]
    assert message.key == "reach-out:1:2026-03-02:4"
    assert message.kind == "reach_out"
    assert message.channel_id == 4
    assert message.title == "Maybe reach out today"
    assert SAM.reason in message.body and ADA.reason in message.body and KIM.reason in message.body
    assert "Lee" not in message.body
    assert message.page == "rhythms:reach-out"


def test_no_reach_out_reminder_when_nobody_is_on_the_list():
    assert planning.day_messages(day(), Prefs(), [EMAIL]) == []


def test_one_message_per_verified_channel():
    planned = planning.day_messages(day(reach_out=[SAM]), Prefs(), [EMAIL, NTFY])
    assert keys(planned) == ["reach-out:1:2026-03-02:4", "reach-out:1:2026-03-02:5"]
    assert {one.channel_id for one in planned} == {4, 5}


def test_no_channel_means_no_message():
    assert planning.day_messages(day(reach_out=[SAM], occasions=[BIRTHDAY]), Prefs(), []) == []


def test_only_todays_occasions_get_a_reminder():
    planned = planning.day_messages(day(occasions=[BIRTHDAY, LATER]), Prefs(), [NTFY])
    assert keys(planned) == ["occasion:1:birthday-12-2026:5"]
    assert planned[0].title == "Sam's birthday"
    assert planned[0].body == "A message can mean a lot."
    assert planned[0].page == "rhythms:occasions"


def test_questionnaires_due_are_one_message():
    planned = planning.day_messages(day(questionnaires=[PHQ9, WHO5]), Prefs(), [NTFY])
    assert keys(planned) == ["questionnaire:1:2026-03-02:5"]
    assert planned[0].title == "2 questionnaires are ready when you are"
    assert "PHQ-9, WHO-5" in planned[0].body
    assert planned[0].page == "wellbeing:questionnaires"


def test_one_questionnaire_is_named_in_the_title():
    planned = planning.day_messages(day(questionnaires=[PHQ9]), Prefs(), [NTFY])
    assert planned[0].title == "PHQ-9 is ready when you are"


@pytest.mark.parametrize(
    ("off", "left"),
    [
        ("reach_out", {"occasion", "questionnaire"}),
        ("occasion", {"reach_out", "questionnaire"}),
        ("questionnaire", {"reach_out", "occasion"}),
    ],
)
def test_kinds_switched_off_are_not_planned(off, left):
    prefs = Prefs(kinds=planning.ALL_KINDS - {off})
    facts = day(reach_out=[SAM], occasions=[BIRTHDAY], questionnaires=[PHQ9])
    assert {one.kind for one in planning.day_messages(facts, prefs, [NTFY])} == left


def test_everything_switched_off_plans_nothing():
    facts = day(reach_out=[SAM], occasions=[BIRTHDAY], questionnaires=[PHQ9])
    assert planning.day_messages(facts, Prefs(kinds=frozenset()), [EMAIL, NTFY]) == []


def test_planning_is_the_same_every_time():
    facts = day(reach_out=[SAM], occasions=[BIRTHDAY], questionnaires=[PHQ9])
    assert planning.day_messages(facts, Prefs(), [EMAIL]) == planning.day_messages(
        facts, Prefs(), [EMAIL]
    )


def test_keys_are_unique_per_member_day_and_channel():
    facts = day(reach_out=[SAM], occasions=[BIRTHDAY], questionnaires=[PHQ9])
    monday = planning.day_messages(facts, Prefs(digest="daily"), [EMAIL, NTFY])
    tuesday = planning.day_messages(
        day(reach_out=[SAM], day=MONDAY + dt.timedelta(days=1)), Prefs(), [EMAIL, NTFY]
    )
    other = planning.day_messages(day(member_id=2, reach_out=[SAM]), Prefs(), [Target(9, "email")])
    everything = keys(monday) + keys(tuesday) + keys(other)
    assert len(everything) == len(set(everything))


# The digest ---------------------------------------------------------------------------------


def test_daily_digest_goes_to_email_channels_only():
    facts = day(reach_out=[SAM])
    planned = planning.day_messages(facts, Prefs(digest="daily"), [EMAIL, NTFY])
    digests = [one for one in planned if one.kind == "digest"]
    assert keys(digests) == ["digest:1:2026-03-02:4"]
    assert digests[0].title == "Your day in Closeknit: Monday 2 March"
    assert SAM.reason in digests[0].body
    assert digests[0].page == "network:home"


def test_no_digest_when_it_is_off_or_without_an_email_channel():
    facts = day(reach_out=[SAM])
    assert "digest" not in {one.kind for one in planning.day_messages(facts, Prefs(), [EMAIL])}
    assert "digest" not in {
        one.kind for one in planning.day_messages(facts, Prefs(digest="daily"), [NTFY])
    }


def test_weekly_digest_comes_on_the_chosen_weekday_only():
    prefs = Prefs(digest="weekly", digest_weekday=2)  # Wednesday
    for offset in range(7):
        date = MONDAY + dt.timedelta(days=offset)
        planned = planning.day_messages(day(day=date), prefs, [EMAIL])
        assert bool(planned) is (date.weekday() == 2)
    wednesday = planning.day_messages(day(day=MONDAY + dt.timedelta(days=2)), prefs, [EMAIL])
    assert wednesday[0].title == "Your week ahead in Closeknit, from Wednesday 4 March"


def test_the_digest_comes_even_with_every_reminder_kind_off():
    # The digest is its own choice; switching off separate reminders doesn't stop it.
    planned = planning.day_messages(
        day(reach_out=[SAM]), Prefs(kinds=frozenset(), digest="daily"), [EMAIL]
    )
    assert [one.kind for one in planned] == ["digest"]


# Appointments -------------------------------------------------------------------------------

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # noon in London


def soon(id: int, hours: float, what: str = "Therapy with Ada", where: str = "") -> AppointmentSoon:
    return AppointmentSoon(id, NOW + dt.timedelta(hours=hours), what, where)


def test_an_appointment_within_the_hours_before_gets_a_reminder():
    planned = planning.appointment_messages(NOW, LONDON, Prefs(), [NTFY], [soon(7, 2.5)])
    assert keys(planned) == ["appointment:7:2026-03-02T14:30:00+00:00:5"]
    assert planned[0].title == "Therapy with Ada, today at 14:30"
    assert planned[0].body == "We hope it goes well."
    assert planned[0].page == "recovery:appointments"


@pytest.mark.parametrize(
    ("hours", "reminded"),
    [(-1, False), (0, False), (0.01, True), (3, True), (3.01, False), (30, False)],
)
def test_the_reminder_window_opens_hours_before_and_closes_at_the_start(hours, reminded):
    planned = planning.appointment_messages(NOW, LONDON, Prefs(), [NTFY], [soon(7, hours)])
    assert bool(planned) is reminded


def test_the_window_follows_the_members_hours_before():
    prefs = Prefs(appointment_hours_before=24)
    assert planning.appointment_messages(NOW, LONDON, prefs, [NTFY], [soon(7, 20)])
    assert not planning.appointment_messages(NOW, LONDON, Prefs(), [NTFY], [soon(7, 20)])


def test_appointment_reminders_are_planned_at_any_time_of_day():
    early = dt.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    appointment = AppointmentSoon(7, early + dt.timedelta(hours=2), "Group")
    assert planning.appointment_messages(early, LONDON, Prefs(), [NTFY], [appointment])


def test_appointment_times_are_on_the_members_clock():
    appointment = soon(7, 2, "Peer meeting", "Community hall")
    title = planning.appointment_messages(NOW, LOS_ANGELES, Prefs(), [NTFY], [appointment])[0]
    assert title.title == "Peer meeting, today at 06:00"  # 14:00 UTC, PST
    assert title.body == "It's at Community hall. We hope it goes well."


def test_an_appointment_tomorrow_says_so():
    late = dt.datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    appointment = AppointmentSoon(7, dt.datetime(2026, 3, 3, 1, 30, tzinfo=UTC), "Therapy")
    planned = planning.appointment_messages(late, LONDON, Prefs(), [NTFY], [appointment])
    assert planned[0].title == "Therapy, tomorrow at 01:30"


def test_appointment_reminders_can_be_switched_off():
    prefs = Prefs(kinds=planning.ALL_KINDS - {"appointment"})
    assert planning.appointment_messages(NOW, LONDON, prefs, [NTFY], [soon(7, 1)]) == []


def test_a_moved_appointment_gets_a_reminder_of_its_own():
    before = planning.appointment_messages(NOW, LONDON, Prefs(), [NTFY], [soon(7, 1)])
    after = planning.appointment_messages(NOW, LONDON, Prefs(), [NTFY], [soon(7, 2)])
    assert keys(before) != keys(after)


def test_appointment_reminders_go_to_every_channel():
    planned = planning.appointment_messages(NOW, LONDON, Prefs(), [EMAIL, NTFY], [soon(7, 1)])
    assert {one.channel_id for one in planned} == {4, 5}


def test_an_appointment_across_the_spring_change_shows_the_new_local_time():
    # 29 March 2026 in London: 01:00 GMT jumps to 02:00 BST. An appointment at 09:00 UTC
    # is 10:00 on the clock that morning.
    now = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    appointment = AppointmentSoon(7, dt.datetime(2026, 3, 29, 9, 0, tzinfo=UTC), "Group")
    prefs = Prefs(appointment_hours_before=12)
    planned = planning.appointment_messages(now, LONDON, prefs, [NTFY], [appointment])
    assert planned[0].title == "Group, today at 10:00"


# Too late -----------------------------------------------------------------------------------


def test_the_appointment_start_is_read_back_from_the_key():
    starts = dt.datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    key = planning.appointment_key(7, starts) + ":5"
    assert planning.appointment_start(key) == starts


@pytest.mark.parametrize(
    "key",
    [
        "reach-out:1:2026-03-02:4",
        "appointment:7:not-a-time:5",
        "appointment:7:2026-03-02T14:30:00:5",  # no offset: not one of ours
        "appointment",
        "",
    ],
)
def test_other_keys_have_no_appointment_start(key):
    assert planning.appointment_start(key) is None


def test_an_appointment_reminder_is_too_late_once_the_appointment_began():
    key = planning.appointment_key(7, NOW) + ":5"
    due = NOW - dt.timedelta(hours=3)
    assert planning.too_late("appointment", key, due, NOW - dt.timedelta(seconds=1)) is None
    assert planning.too_late("appointment", key, due, NOW)


@pytest.mark.parametrize("kind", ["reach_out", "occasion", "questionnaire", "digest"])
def test_a_daily_reminder_is_too_late_a_day_after_it_was_planned(kind):
    due = NOW
    assert planning.too_late(kind, "k", due, NOW + dt.timedelta(hours=23, minutes=59)) is None
    reason = planning.too_late(kind, "k", due, NOW + dt.timedelta(hours=24))
    assert reason == "The day it was meant for had passed before it could go."


@pytest.mark.parametrize("kind", ["verification", "appreciation"])
def test_test_messages_and_notes_of_thanks_are_never_too_late(kind):
    assert planning.too_late(kind, "k", NOW, NOW + dt.timedelta(days=30)) is None
