"""The demo member's recovery plan: plausible, consistent with the network, private, repeatable."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import statistics
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from closeknit.accounts.models import User
from closeknit.demo.generate import create_demo_member
from closeknit.network.exporting import export_document
from closeknit.network.importing import import_document
from closeknit.network.models import Group, Interaction, Person
from closeknit.recovery.models import (
    Appointment,
    AppointmentSeries,
    CopingStrategy,
    CopingUse,
    Goal,
    GoalReflection,
    GoalStep,
    Milestone,
    SafetyPlanVersion,
)
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS
from tests.transfer.test_recovery_export import normalised

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London
LONDON = ZoneInfo("Europe/London")
PAST = {"attended", "missed", "cancelled"}
RECOVERY_MODELS = [
    Goal,
    GoalStep,
    GoalReflection,
    Milestone,
    AppointmentSeries,
    Appointment,
    CopingStrategy,
    CopingUse,
    SafetyPlanVersion,
]


@pytest.fixture
def demo(db) -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


def _plan_signature(member: User) -> tuple:
    """What a person sees of the plan, independent of primary keys."""
    names = dict(Person.objects.owned_by(member).values_list("pk", "name"))
    goals = [
        (
            g.title,
            g.created_at,
            g.completed_at,
            g.target_date,
            tuple((s.title, s.done_at) for s in g.steps.all()),
            tuple(sorted((r.written_at, r.text) for r in g.reflections.all())),
            tuple(sorted(p.name for p in g.helpers.all())),
        )
        for g in Goal.objects.owned_by(member).order_by("title")
    ]
    appointments = [
        (a.starts_at, a.kind, a.status, a.status_changed_at, a.location, a.notes)
        for a in Appointment.objects.owned_by(member).order_by("starts_at", "kind")
    ]
    uses = sorted(
        (u.strategy.title, u.used_at, u.helped, u.note)
        for u in CopingUse.objects.owned_by(member).select_related("strategy")
    )
    versions = [
        (
            v.created_at,
            {
                s: (part["items"], [names[pk] for pk in part["people"]])
                for s, part in v.sections.items()
            },
        )
        for v in SafetyPlanVersion.objects.owned_by(member).order_by("created_at")
    ]
    return goals, appointments, uses, versions


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON)


# Goals ------------------------------------------------------------------------------


def test_demo_member_has_three_or_four_goals_one_of_them_reached(demo):
    goals = list(Goal.objects.owned_by(demo).prefetch_related("steps", "reflections", "helpers"))
    assert 3 <= len(goals) <= 4
    titles = {g.title for g in goals}
    assert {
        "Walk to the park twice a week",
        "Go back to the Tuesday group",
        "Sleep before midnight",
    } <= titles
    reached = [g for g in goals if g.completed_at is not None]
    assert [g.title for g in reached] == ["Go back to the Tuesday group"]
    assert all(s.done_at is not None for s in reached[0].steps.all())
    for goal in goals:
        assert goal.helpers.exists(), goal.title
        assert goal.created_at < NOW
        steps = list(goal.steps.all())
        assert [s.position for s in steps] == list(range(len(steps)))
        done = [s.done_at for s in steps if s.done_at is not None]
        assert all(goal.created_at <= when < NOW for when in done), goal.title
        if goal.completed_at is None:
            # Part of the way: some steps done, some still ahead.
            assert 0 < len(done) < len(steps), goal.title
    assert sum(g.reflections.count() for g in goals) >= 5
    assert all(
        r.written_at < NOW and len(r.text) < 120 for r in GoalReflection.objects.owned_by(demo)
    )


def test_reached_goal_has_a_milestone_with_its_helpers(demo):
    back = Goal.objects.owned_by(demo).get(title="Go back to the Tuesday group")
    milestone = Milestone.objects.owned_by(demo).get(goal=back)
    assert milestone.achieved_on == _local(back.completed_at).date()
    assert set(milestone.people.all()) == set(back.helpers.all())
    assert {p.name for p in milestone.people.all()} == {"Dan Walsh", "Priya Shah"}


def test_going_back_to_the_group_ends_at_a_meeting_the_member_went_to(demo):
    back = Goal.objects.owned_by(demo).get(title="Go back to the Tuesday group")
    group = Group.objects.owned_by(demo).get(kind="support_group")
    meetings = sorted(group.interactions.values_list("occurred_at", flat=True))
    comeback = max(m for m in meetings if m < back.completed_at)
    assert _local(comeback).date() == _local(back.completed_at).date()
    before = max(m for m in meetings if m < comeback)
    assert before < back.created_at < comeback  # set during the gap


def test_a_step_done_is_celebrated_too(demo):
    lap = Milestone.objects.owned_by(demo).get(step__isnull=False)
    assert lap.step.goal == lap.goal
    assert lap.achieved_on == _local(lap.step.done_at).date()
    assert [p.name for p in lap.people.all()] == ["Jamie Carter"]


# Appointments -----------------------------------------------------------------------


def test_three_series_therapy_group_and_psychiatry(demo):
    series = {s.kind: s for s in AppointmentSeries.objects.owned_by(demo)}
    assert set(series) == {"therapy", "support_group", "psychiatry"}
    therapist = Person.objects.owned_by(demo).get(roles__has="therapist")
    assert series["therapy"].person == therapist
    assert series["therapy"].schedule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert series["support_group"].group == Group.objects.owned_by(demo).get(kind="support_group")
    assert series["support_group"].schedule == "FREQ=WEEKLY;BYDAY=TU"
    assert series["psychiatry"].schedule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2MO"
    for one in series.values():
        assert one.starts_at == one.appointments.earliest("starts_at").starts_at
        assert one.ended_at is None


def test_a_year_back_and_three_months_ahead(demo):
    times = list(Appointment.objects.owned_by(demo).values_list("starts_at", flat=True))
    assert min(times) >= NOW - dt.timedelta(days=365)
    assert min(times) <= NOW - dt.timedelta(days=350)
    assert NOW + dt.timedelta(days=80) <= max(times) <= NOW + dt.timedelta(days=92)
    per_kind = Counter(Appointment.objects.owned_by(demo).values_list("kind", flat=True))
    # About 26 + 6 fortnights, 52 + 13 weeks, 4 or 5 quarters, and a one-off or two.
    assert 30 <= per_kind["therapy"] <= 35
    assert 62 <= per_kind["support_group"] <= 67
    assert 4 <= per_kind["psychiatry"] <= 7


def test_statuses_are_marked_in_the_past_and_scheduled_in_the_future(demo):
    appointments = list(Appointment.objects.owned_by(demo))
    past = [a for a in appointments if a.starts_at < NOW]
    future = [a for a in appointments if a.starts_at >= NOW]
    assert {a.status for a in past} == PAST
    assert {a.status for a in future} == {"scheduled"}
    counts = Counter(a.status for a in past)
    assert counts["attended"] > 0.75 * len(past)  # mostly attended
    assert 1 <= counts["missed"] <= 0.15 * len(past)  # a few missed
    assert 1 <= counts["cancelled"] <= 0.15 * len(past)  # some cancelled
    assert len(future) >= 15


def test_status_changes_fit_the_status(demo):
    for a in Appointment.objects.owned_by(demo):
        assert a.created_at <= NOW
        if a.status == "scheduled":
            assert a.status_changed_at is None
        elif a.status == "cancelled":
            # Cancelled ahead of time.
            assert a.created_at <= a.status_changed_at < a.starts_at
        else:
            assert a.starts_at < a.status_changed_at <= NOW


def test_therapy_stays_at_eleven_local_time_across_daylight_saving(demo):
    sessions = list(Appointment.objects.owned_by(demo).filter(kind="therapy"))
    local = [_local(s.starts_at) for s in sessions]
    assert all((t.hour, t.minute, t.weekday()) == (11, 0, 3) for t in local)
    # Both winter (UTC+0) and summer time (UTC+1) are in the year.
    assert {t.utcoffset() for t in local} == {dt.timedelta(0), dt.timedelta(hours=1)}
    days = sorted(t.date() for t in local)
    assert {(b - a).days for a, b in itertools.pairwise(days)} == {14}


def test_group_meetings_are_weekly_on_tuesday_evenings(demo):
    meetings = Appointment.objects.owned_by(demo).filter(kind="support_group")
    assert all(
        (_local(m.starts_at).weekday(), _local(m.starts_at).hour) == (1, 19) for m in meetings
    )


def test_attended_sessions_and_meetings_are_the_ones_in_the_contact_log(demo):
    therapist = Person.objects.owned_by(demo).get(roles__has="therapist")
    group = Group.objects.owned_by(demo).get(kind="support_group")
    logged = set(therapist.interactions.values_list("occurred_at", flat=True)) | set(
        group.interactions.values_list("occurred_at", flat=True)
    )
    in_log = Appointment.objects.owned_by(demo).filter(
        kind__in=["therapy", "support_group"], starts_at__lt=NOW
    )
    for appointment in in_log:
        assert (appointment.status == "attended") == (appointment.starts_at in logged)


def test_therapy_by_video_says_so(demo):
    therapist = Person.objects.owned_by(demo).get(roles__has="therapist")
    channels = dict(therapist.interactions.values_list("occurred_at", "channel"))
    for session in Appointment.objects.owned_by(demo).filter(kind="therapy", status="attended"):
        expected = (
            "Video call" if channels[session.starts_at] == "video" else "Willow Centre, room 4"
        )
        assert session.location == expected


# Coping strategies ------------------------------------------------------------------


def test_six_to_eight_strategies_used_over_the_year(demo):
    strategies = list(CopingStrategy.objects.owned_by(demo))
    assert 6 <= len(strategies) <= 8
    uses = list(CopingUse.objects.owned_by(demo).select_related("strategy"))
    assert 150 <= len(uses) <= 600
    times = [u.used_at for u in uses]
    assert max(times) < NOW
    assert NOW - dt.timedelta(days=366) <= min(times) <= NOW - dt.timedelta(days=330)
    assert {u.helped for u in uses} <= {1, 2, 3, 4, 5}
    for use in uses:
        assert use.strategy.created_at <= use.used_at
        if use.strategy.archived_at is not None:
            assert use.used_at < use.strategy.archived_at
    assert all(7 <= _local(t).hour <= 23 for t in times)


def test_some_strategies_clearly_help_more_than_others(demo):
    ratings: dict[str, list[int]] = {}
    for title, helped in CopingUse.objects.owned_by(demo).values_list("strategy__title", "helped"):
        ratings.setdefault(title, []).append(helped)
    means = sorted((statistics.mean(r), title) for title, r in ratings.items())
    assert means[-1][0] >= 4.0
    assert means[0][0] <= 2.0
    assert means[0][1] == "Scrolling on my phone"
    assert CopingStrategy.objects.owned_by(demo).get(title="Scrolling on my phone").archived_at


# The safety plan --------------------------------------------------------------------


def test_safety_plan_has_two_or_three_versions_over_the_year(demo):
    versions = list(SafetyPlanVersion.objects.owned_by(demo).order_by("created_at"))
    assert 2 <= len(versions) <= 3
    assert versions[0].created_at >= NOW - dt.timedelta(days=366)
    assert versions[-1].created_at < NOW
    assert SafetyPlanVersion.objects.owned_by(demo).latest() == versions[-1]
    for version in versions:
        assert set(version.sections) == set(SAFETY_PLAN_SECTIONS)
        assert all(set(part) == {"items", "people", "groups"} for part in version.sections.values())
        assert version.sections["warning_signs"]["items"]
    # The plan grew: the latest asks more people than the first.
    first, latest = versions[0].sections, versions[-1].sections
    assert len(latest["ask_for_help"]["people"]) > len(first["ask_for_help"]["people"])


def test_people_on_the_plan_are_the_inner_circle_and_therapist(demo):
    mine = Person.objects.owned_by(demo)
    allowed = set(mine.filter(circle="inner").values_list("pk", flat=True)) | set(
        mine.filter(roles__has="therapist").values_list("pk", flat=True)
    )
    groups = set(Group.objects.owned_by(demo).values_list("pk", flat=True))
    for version in SafetyPlanVersion.objects.owned_by(demo):
        for slug, part in version.sections.items():
            assert set(part["people"]) <= allowed, slug
            assert set(part["groups"]) <= groups, slug
            # Only the sections that take people or groups have them.
            if slug not in {"distractions", "ask_for_help", "professionals"}:
                assert not part["people"], slug
            if slug != "distractions":
                assert not part["groups"], slug
    latest = SafetyPlanVersion.objects.owned_by(demo).latest().sections
    therapist = mine.get(roles__has="therapist")
    assert latest["professionals"]["people"] == [therapist.pk]
    inner = set(mine.filter(circle="inner").values_list("pk", flat=True))
    assert set(latest["ask_for_help"]["people"]) == inner


def test_each_version_was_saved_after_a_therapy_session(demo):
    therapist = Person.objects.owned_by(demo).get(roles__has="therapist")
    sessions = set(therapist.interactions.values_list("occurred_at", flat=True))
    for version in SafetyPlanVersion.objects.owned_by(demo):
        assert version.created_at - dt.timedelta(hours=1) in sessions


# Private, repeatable, movable -------------------------------------------------------


def test_every_recovery_row_and_link_belongs_to_the_demo_member(demo, make_user):
    other = make_user("someone@example.org")
    with time_machine.travel(NOW, tick=False):
        create_demo_member("second@example.org", seed=7)  # another demo member, alongside
    for model in RECOVERY_MODELS:
        assert model.objects.filter(owner=other).count() == 0
        rows = model.objects.filter(owner=demo).count()
        assert rows > 0, model.__name__
        assert model.objects.owned_by(demo).count() == rows
    mine = set(Person.objects.owned_by(demo).values_list("pk", flat=True))
    groups = set(Group.objects.owned_by(demo).values_list("pk", flat=True))
    helpers = Goal.helpers.through.objects.filter(goal__owner=demo).values_list(
        "person_id", flat=True
    )
    assert set(helpers) <= mine
    celebrated = Milestone.people.through.objects.filter(milestone__owner=demo)
    assert set(celebrated.values_list("person_id", flat=True)) <= mine
    for model in (AppointmentSeries, Appointment):
        rows = model.objects.owned_by(demo)
        assert set(rows.exclude(person=None).values_list("person_id", flat=True)) <= mine
        assert set(rows.exclude(group=None).values_list("group_id", flat=True)) <= groups
    assert not Appointment.objects.owned_by(demo).exclude(series=None).exclude(series__owner=demo)
    assert not GoalStep.objects.owned_by(demo).exclude(goal__owner=demo)
    assert not CopingUse.objects.owned_by(demo).exclude(strategy__owner=demo)


@pytest.mark.django_db
def test_same_seed_gives_the_same_plan_and_another_seed_another():
    with time_machine.travel(NOW, tick=False):
        first = create_demo_member("one@example.org", seed=11)
        second = create_demo_member("two@example.org", seed=11)
        third = create_demo_member("three@example.org", seed=12)
    assert _plan_signature(first) == _plan_signature(second)
    assert _plan_signature(first) != _plan_signature(third)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_any_seed_shows_each_status_in_the_past(seed):
    with time_machine.travel(NOW, tick=False):
        member = create_demo_member(f"seed-{seed}@example.org", seed=seed)
    past = Appointment.objects.owned_by(member).filter(starts_at__lt=NOW)
    assert set(past.values_list("status", flat=True)) == PAST


def test_private_text_of_the_plan_is_encrypted_at_rest(demo):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM recovery_goalreflection WHERE owner_id = %s", [demo.pk])
        reflections = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT sections FROM recovery_safetyplanversion WHERE owner_id = %s", [demo.pk]
        )
        plans = [row[0] for row in cursor.fetchall()]
    assert reflections and plans
    assert all(token.startswith("gAAAA") for token in reflections + plans)


def test_demo_plan_moves_to_another_account_unchanged(demo, make_user):
    before = export_document(demo)
    assert len(before["appointments"]) > 90
    target = make_user("moved@example.org")
    import_document(target, json.loads(json.dumps(before)))
    # The circle's links, requests and log join two accounts, so they stay behind.
    expected = {**normalised(before), "supporters": [], "help_requests": [], "access_log": []}
    assert normalised(export_document(target)) == expected


@pytest.mark.slow
@pytest.mark.django_db
def test_heavy_scale_has_the_same_plan_with_ten_years_of_appointments():
    with time_machine.travel(NOW, tick=False):
        member = create_demo_member("heavy@example.org", scale="heavy")
    appointments = Appointment.objects.owned_by(member)
    assert 800 <= appointments.count() <= 1000  # bounded: three series over ten years
    assert appointments.filter(starts_at__lt=NOW - dt.timedelta(days=3500)).exists()
    assert not appointments.filter(starts_at__lt=NOW - dt.timedelta(days=3653)).exists()
    past = appointments.filter(starts_at__lt=NOW)
    assert set(past.values_list("status", flat=True)) == PAST
    assert set(appointments.filter(starts_at__gte=NOW).values_list("status", flat=True)) == {
        "scheduled"
    }
    assert Goal.objects.owned_by(member).count() == 4
    assert 2 <= SafetyPlanVersion.objects.owned_by(member).count() <= 3
    assert CopingUse.objects.owned_by(member).count() <= 600
    assert not Interaction.objects.owned_by(member).filter(occurred_at__gte=NOW).exists()
