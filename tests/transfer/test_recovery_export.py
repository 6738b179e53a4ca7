"""The recovery plan and the safety plan in the JSON export."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.exporting import export_document
from closeknit.network.models import Group, Person
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

MOMENT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)

RECOVERY_KEYS = [
    "goals",
    "milestones",
    "appointment_series",
    "appointments",
    "coping_strategies",
    "safety_plan_versions",
]
GOAL_FIELDS = {
    "id",
    "title",
    "why",
    "target_date",
    "helpers",
    "completed_at",
    "archived_at",
    "created_at",
    "steps",
    "reflections",
}
MILESTONE_FIELDS = {"id", "title", "achieved_on", "goal", "step", "people", "created_at"}
SERIES_FIELDS = {
    "id",
    "kind",
    "title",
    "person",
    "group",
    "starts_at",
    "duration_minutes",
    "schedule",
    "location",
    "ended_at",
    "created_at",
}
APPOINTMENT_FIELDS = {
    "id",
    "series",
    "kind",
    "title",
    "person",
    "group",
    "starts_at",
    "duration_minutes",
    "location",
    "notes",
    "status",
    "status_changed_at",
    "created_at",
}
STRATEGY_FIELDS = {"id", "title", "description", "archived_at", "created_at", "uses"}


def sections(**given: dict[str, list[Any]]) -> dict[str, dict[str, list[Any]]]:
    """A complete set of sections: the ones given, every other one empty."""
    return {
        slug: {"items": [], "people": [], "groups": [], **given.get(slug, {})}
        for slug in SAFETY_PLAN_SECTIONS
    }


@pytest.fixture(name="plan")
def plan_fixture(network, member) -> dict[str, Any]:
    """The shared network with a whole recovery plan and two safety-plan versions."""
    sam, ada, group = network["sam"], network["ada"], network["group"]
    jo = Person.objects.create(owner=member, name="Jo Lake", roles=["family"], circle="inner")
    walk = Goal.objects.create(
        owner=member,
        title="Walk to the park twice a week",
        why="Outside, my head clears.",
        target_date=date(2024, 5, 1),
        created_at=MOMENT - 30 * DAY,
    )
    walk.helpers.add(sam, jo)
    steps = [
        GoalStep.objects.create(
            owner=member, goal=walk, position=0, title="To the corner", done_at=MOMENT - 25 * DAY
        ),
        GoalStep.objects.create(
            owner=member, goal=walk, position=1, title="To the gate", done_at=MOMENT - 20 * DAY
        ),
        GoalStep.objects.create(owner=member, goal=walk, position=2, title="A whole lap"),
        # Two steps at the same position keep the order they were added in.
        GoalStep.objects.create(owner=member, goal=walk, position=2, title="Twice in a week"),
    ]
    GoalReflection.objects.create(
        owner=member, goal=walk, text="Rained; went anyway.", written_at=MOMENT - 2 * DAY
    )
    GoalReflection.objects.create(
        owner=member, goal=walk, text="Only the corner,\nbut I went.", written_at=MOMENT - 24 * DAY
    )
    back = Goal.objects.create(
        owner=member,
        title="Go back to the Tuesday group",
        completed_at=MOMENT - 10 * DAY,
        created_at=MOMENT - 60 * DAY,
    )
    back.helpers.add(sam)
    sleep = Goal.objects.create(
        owner=member,
        title="Sleep before midnight",
        archived_at=MOMENT - DAY,
        created_at=MOMENT - 90 * DAY,
    )
    lap = Milestone.objects.create(
        owner=member,
        title="First whole lap",
        achieved_on=date(2024, 2, 20),
        goal=walk,
        step=steps[1],
        created_at=MOMENT - 20 * DAY,
    )
    lap.people.add(jo)
    returned = Milestone.objects.create(
        owner=member,
        title="Back at the group",
        achieved_on=date(2024, 2, 20),
        goal=back,
        created_at=MOMENT - 10 * DAY,
    )
    returned.people.add(sam, ada)
    Milestone.objects.create(
        owner=member, title="A month of early nights", achieved_on=date(2024, 1, 5)
    )
    therapy = AppointmentSeries.objects.create(
        owner=member,
        kind="therapy",
        title="Therapy with Ada",
        person=ada,
        starts_at=datetime(2024, 1, 11, 11, 0, tzinfo=UTC),
        duration_minutes=50,
        schedule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        location="Willow Centre, room 4",
        created_at=MOMENT - 60 * DAY,
    )
    meetings = AppointmentSeries.objects.create(
        owner=member,
        kind="support_group",
        group=group,
        starts_at=datetime(2024, 1, 9, 19, 0, tzinfo=UTC),
        duration_minutes=90,
        schedule="FREQ=WEEKLY;BYDAY=TU",
        ended_at=MOMENT,
        created_at=MOMENT - 60 * DAY,
    )
    for weeks, status in ((0, "attended"), (2, "missed"), (4, "cancelled"), (10, "scheduled")):
        Appointment.objects.create(
            owner=member,
            series=therapy,
            kind="therapy",
            title="Therapy with Ada",
            person=ada,
            starts_at=therapy.starts_at + timedelta(weeks=weeks),
            status=status,
            status_changed_at=None if status == "scheduled" else MOMENT - 5 * DAY,
            created_at=MOMENT - 60 * DAY,
        )
    Appointment.objects.create(
        owner=member,
        series=meetings,
        kind="support_group",
        group=group,
        starts_at=meetings.starts_at,
        duration_minutes=90,
        status="attended",
        notes="Stayed for tea.",
        created_at=MOMENT - 60 * DAY,
    )
    Appointment.objects.create(
        owner=member,
        kind="psychiatry",
        title="Psychiatry review",
        starts_at=datetime(2024, 2, 5, 14, 30, tzinfo=UTC),
        duration_minutes=30,
        location="Elm House",
        notes="Asked about sleep.",
        status="attended",
        created_at=MOMENT - 40 * DAY,
    )
    breathe = CopingStrategy.objects.create(
        owner=member,
        title="box breathing",
        description="In four, hold four, out four.",
        created_at=MOMENT - 50 * DAY,
    )
    block = CopingStrategy.objects.create(
        owner=member, title="Walk round the block", created_at=MOMENT - 50 * DAY
    )
    CopingStrategy.objects.create(
        owner=member, title="Scrolling", archived_at=MOMENT - DAY, created_at=MOMENT - 50 * DAY
    )
    for days, helped, note in ((3, 5, "Before the meeting."), (9, 4, ""), (6, 4, "")):
        CopingUse.objects.create(
            owner=member, strategy=block, used_at=MOMENT - days * DAY, helped=helped, note=note
        )
    CopingUse.objects.create(owner=member, strategy=breathe, used_at=MOMENT - DAY, helped=3)
    SafetyPlanVersion.objects.create(
        owner=member,
        created_at=MOMENT - 5 * DAY,
        sections=sections(
            warning_signs={"items": ["Not answering messages", "Up past 2am"]},
            distractions={"people": [sam.pk], "groups": [group.pk], "items": ["The library"]},
            ask_for_help={"people": [jo.pk, sam.pk]},
            professionals={"people": [ada.pk], "items": ["GP surgery: 01632 960123"]},
        ),
    )
    SafetyPlanVersion.objects.create(
        owner=member,
        created_at=MOMENT - 40 * DAY,
        # Written by an earlier version of the form: only some sections, some parts left out.
        sections={
            "warning_signs": {"items": ["Up past 2am"]},
            "ask_for_help": {"people": [sam.pk]},
        },
    )
    return {**network, "jo": jo, "walk": walk, "back": back, "sleep": sleep, "therapy": therapy}


def normalised(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every id replaced by its record's place, and without its export time."""
    document = copy.deepcopy(document)
    del document["exported_at"]
    places = {
        key: {record["id"]: n for n, record in enumerate(document[key])}
        for key in ("people", "groups", "goals", "appointment_series")
    }

    def place(key: str, value: Any) -> Any:
        return None if value is None else places[key][value]

    for key in ("people", "groups", "interactions", "goals", "milestones", "appointments"):
        for n, record in enumerate(document[key]):
            record["id"] = n
    for key in ("appointment_series", "coping_strategies"):
        for n, record in enumerate(document[key]):
            record["id"] = n
    for group in document["groups"]:
        group["members"] = [place("people", pk) for pk in group["members"]]
    for interaction in document["interactions"]:
        interaction["people"] = [place("people", pk) for pk in interaction["people"]]
        interaction["group"] = place("groups", interaction["group"])
    for goal in document["goals"]:
        goal["helpers"] = [place("people", pk) for pk in goal["helpers"]]
    for milestone in document["milestones"]:
        milestone["goal"] = place("goals", milestone["goal"])
        milestone["people"] = [place("people", pk) for pk in milestone["people"]]
    for record in document["appointment_series"] + document["appointments"]:
        record["person"] = place("people", record["person"])
        record["group"] = place("groups", record["group"])
    for appointment in document["appointments"]:
        appointment["series"] = place("appointment_series", appointment["series"])
    for version in document["safety_plan_versions"]:
        for section in version["sections"].values():
            section["people"] = [place("people", pk) for pk in section["people"]]
            section["groups"] = [place("groups", pk) for pk in section["groups"]]
    # Occasions and notes of thanks name people too (see tests/rhythms/test_occasions_transfer.py).
    for record in document.get("occasions", []) + document.get("appreciations", []):
        record["person"] = place("people", record["person"])
    return document


# The shape --------------------------------------------------------------------------


def test_document_has_the_recovery_keys_after_the_network(plan, member):
    document = export_document(member)
    keys = list(document)
    after = keys.index("interactions") + 1
    # The wellbeing keys come after these (see test_wellbeing_transfer.py).
    assert keys[after : after + len(RECOVERY_KEYS)] == RECOVERY_KEYS
    assert all(set(goal) == GOAL_FIELDS for goal in document["goals"])
    assert all(set(m) == MILESTONE_FIELDS for m in document["milestones"])
    assert all(set(s) == SERIES_FIELDS for s in document["appointment_series"])
    assert all(set(a) == APPOINTMENT_FIELDS for a in document["appointments"])
    assert all(set(s) == STRATEGY_FIELDS for s in document["coping_strategies"])
    assert all(set(v) == {"created_at", "sections"} for v in document["safety_plan_versions"])
    json.dumps(document)  # serialisable as it is


def test_an_account_without_a_plan_exports_empty_lists(member):
    document = export_document(member)
    assert all(document[key] == [] for key in RECOVERY_KEYS)


def test_goal_carries_steps_reflections_and_helpers(plan, member):
    document = export_document(member)
    people = [p["id"] for p in document["people"]]
    walk = next(g for g in document["goals"] if g["title"] == "Walk to the park twice a week")
    assert walk == {
        "id": plan["walk"].pk,
        "title": "Walk to the park twice a week",
        "why": "Outside, my head clears.",
        "target_date": "2024-05-01",
        # Helpers follow the order of "people" (Jo Lake before Sam Rivera).
        "helpers": sorted([plan["sam"].pk, plan["jo"].pk], key=people.index),
        "completed_at": None,
        "archived_at": None,
        "created_at": "2024-01-31T09:30:00+00:00",
        "steps": [
            {"title": "To the corner", "done_at": "2024-02-05T09:30:00+00:00", "position": 0},
            {"title": "To the gate", "done_at": "2024-02-10T09:30:00+00:00", "position": 1},
            {"title": "A whole lap", "done_at": None, "position": 2},
            {"title": "Twice in a week", "done_at": None, "position": 2},
        ],
        # Oldest first, like the contact log.
        "reflections": [
            {"text": "Only the corner,\nbut I went.", "written_at": "2024-02-06T09:30:00+00:00"},
            {"text": "Rained; went anyway.", "written_at": "2024-02-28T09:30:00+00:00"},
        ],
    }


def test_goals_are_in_the_order_they_were_set(plan, member):
    goals = export_document(member)["goals"]
    assert [g["title"] for g in goals] == [
        "Sleep before midnight",
        "Go back to the Tuesday group",
        "Walk to the park twice a week",
    ]
    assert goals[0]["archived_at"] == "2024-02-29T09:30:00+00:00"
    assert goals[1]["completed_at"] == "2024-02-20T09:30:00+00:00"
    assert goals[0]["steps"] == goals[0]["reflections"] == goals[0]["helpers"] == []


def test_milestones_name_their_goal_and_the_place_of_their_step(plan, member):
    milestones = export_document(member)["milestones"]
    assert [m["title"] for m in milestones] == [
        "A month of early nights",
        "First whole lap",
        "Back at the group",
    ]
    early, lap, back = milestones
    assert (early["goal"], early["step"], early["people"]) == (None, None, [])
    assert early["achieved_on"] == "2024-01-05"
    assert (lap["goal"], lap["step"], lap["people"]) == (plan["walk"].pk, 1, [plan["jo"].pk])
    assert (back["goal"], back["step"]) == (plan["back"].pk, None)
    assert back["people"] == [plan["ada"].pk, plan["sam"].pk]  # by name, as in "people"


def test_appointments_point_at_their_series_person_and_group(plan, member):
    document = export_document(member)
    series = document["appointment_series"]
    assert [s["kind"] for s in series] == ["support_group", "therapy"]
    meetings, therapy = series
    assert therapy == {
        "id": plan["therapy"].pk,
        "kind": "therapy",
        "title": "Therapy with Ada",
        "person": plan["ada"].pk,
        "group": None,
        "starts_at": "2024-01-11T11:00:00+00:00",
        "duration_minutes": 50,
        "schedule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        "location": "Willow Centre, room 4",
        "ended_at": None,
        "created_at": "2024-01-01T09:30:00+00:00",
    }
    assert (meetings["group"], meetings["ended_at"]) == (
        plan["group"].pk,
        "2024-03-01T09:30:00+00:00",
    )
    appointments = document["appointments"]
    times = [a["starts_at"] for a in appointments]
    assert times == sorted(times)
    assert [a["status"] for a in appointments if a["series"] == therapy["id"]] == [
        "attended",
        "missed",
        "cancelled",
        "scheduled",
    ]
    meeting = next(a for a in appointments if a["series"] == meetings["id"])
    assert (meeting["group"], meeting["notes"]) == (plan["group"].pk, "Stayed for tea.")
    review = next(a for a in appointments if a["series"] is None)
    assert review == {
        "id": review["id"],
        "series": None,
        "kind": "psychiatry",
        "title": "Psychiatry review",
        "person": None,
        "group": None,
        "starts_at": "2024-02-05T14:30:00+00:00",
        "duration_minutes": 30,
        "location": "Elm House",
        "notes": "Asked about sleep.",
        "status": "attended",
        "status_changed_at": None,
        "created_at": "2024-01-21T09:30:00+00:00",
    }


def test_coping_strategies_by_title_with_uses_oldest_first(plan, member):
    strategies = export_document(member)["coping_strategies"]
    # Sorted without regard to case, so "box breathing" comes first.
    assert [s["title"] for s in strategies] == [
        "box breathing",
        "Scrolling",
        "Walk round the block",
    ]
    breathe, scrolling, block = strategies
    assert breathe["description"] == "In four, hold four, out four."
    assert scrolling["archived_at"] == "2024-02-29T09:30:00+00:00"
    assert scrolling["uses"] == []
    assert block["uses"] == [
        {"used_at": "2024-02-21T09:30:00+00:00", "helped": 4, "note": ""},
        {"used_at": "2024-02-24T09:30:00+00:00", "helped": 4, "note": ""},
        {"used_at": "2024-02-27T09:30:00+00:00", "helped": 5, "note": "Before the meeting."},
    ]


def test_safety_plan_versions_oldest_first_with_complete_sections(plan, member):
    versions = export_document(member)["safety_plan_versions"]
    assert [v["created_at"] for v in versions] == [
        "2024-01-21T09:30:00+00:00",
        "2024-02-25T09:30:00+00:00",
    ]
    first, latest = versions
    # Every section, in the plan's order, each with items, people and groups.
    assert list(first["sections"]) == list(SAFETY_PLAN_SECTIONS)
    assert first["sections"] == sections(
        warning_signs={"items": ["Up past 2am"]}, ask_for_help={"people": [plan["sam"].pk]}
    )
    # People keep the member's order: whom to call first matters.
    assert latest["sections"]["ask_for_help"]["people"] == [plan["jo"].pk, plan["sam"].pk]
    assert latest["sections"]["distractions"] == {
        "items": ["The library"],
        "people": [plan["sam"].pk],
        "groups": [plan["group"].pk],
    }
    assert latest["sections"]["professionals"]["people"] == [plan["ada"].pk]


def test_someone_removed_from_the_network_is_left_out_of_old_versions(plan, member, stranger):
    gone = Person.objects.create(owner=member, name="Moved away")
    theirs = Person.objects.create(owner=stranger, name="Not yours")
    their_group = Group.objects.create(owner=stranger, name="Their group")
    SafetyPlanVersion.objects.create(
        owner=member,
        created_at=MOMENT,
        sections=sections(
            ask_for_help={"people": [gone.pk, plan["sam"].pk, theirs.pk, plan["sam"].pk]},
            distractions={"groups": [their_group.pk, plan["group"].pk]},
        ),
    )
    gone.delete()
    latest = export_document(member)["safety_plan_versions"][-1]["sections"]
    assert latest["ask_for_help"]["people"] == [plan["sam"].pk]
    assert latest["distractions"]["groups"] == [plan["group"].pk]


def test_export_holds_only_the_members_own_plan(plan, member, stranger):
    Goal.objects.create(owner=stranger, title="Stranger's goal")
    CopingStrategy.objects.create(owner=stranger, title="Stranger's strategy")
    mine = json.dumps(export_document(member))
    assert "Stranger's" not in mine
    theirs = export_document(stranger)
    assert [g["title"] for g in theirs["goals"]] == ["Stranger's goal"]
    assert theirs["appointments"] == theirs["safety_plan_versions"] == []


def test_two_exports_of_the_same_plan_are_equal(plan, member):
    first, second = export_document(member), export_document(member)
    del first["exported_at"], second["exported_at"]
    assert first == second
    assert normalised({**first, "exported_at": ""}) == normalised({**second, "exported_at": ""})


# Speed ------------------------------------------------------------------------------


def populate(user, size: int) -> None:
    """A plan with `size` of everything (at least one of each, so every query runs)."""
    people = Person.objects.bulk_create(
        [Person(owner=user, name=f"Person {n}", notes="note") for n in range(size)]
    )
    group = Group.objects.create(owner=user, name="Group")
    goals = Goal.objects.bulk_create(
        [Goal(owner=user, title=f"Goal {n}", why="why") for n in range(size)]
    )
    GoalStep.objects.bulk_create(
        [GoalStep(owner=user, goal=g, title=f"Step {n}") for g in goals for n in range(3)]
    )
    GoalReflection.objects.bulk_create(
        [GoalReflection(owner=user, goal=g, text="going well") for g in goals]
    )
    for goal in goals:
        goal.helpers.add(*people[:2])
    milestones = Milestone.objects.bulk_create(
        [Milestone(owner=user, title=f"M {n}", achieved_on=date(2024, 1, 1)) for n in range(size)]
    )
    for milestone in milestones:
        milestone.people.add(people[0])
    series = AppointmentSeries.objects.create(
        owner=user, kind="therapy", person=people[0], starts_at=MOMENT, schedule="FREQ=WEEKLY"
    )
    Appointment.objects.bulk_create(
        [
            Appointment(
                owner=user,
                kind="therapy",
                series=series,
                person=people[0],
                group=group,
                starts_at=MOMENT + timedelta(weeks=n),
                notes="note",
            )
            for n in range(size)
        ]
    )
    strategies = CopingStrategy.objects.bulk_create(
        [CopingStrategy(owner=user, title=f"Strategy {n}") for n in range(size)]
    )
    CopingUse.objects.bulk_create(
        [CopingUse(owner=user, strategy=s, helped=4, note="ok") for s in strategies]
    )
    for n in range(size):
        SafetyPlanVersion.objects.create(
            owner=user, sections=sections(ask_for_help={"people": [p.pk for p in people]})
        )


def test_export_needs_the_same_number_of_queries_for_any_size_of_plan(make_user):
    def queries(user) -> int:
        with CaptureQueriesContext(connection) as context:
            export_document(user)
        return len(context.captured_queries)

    small = make_user("small@example.org")
    populate(small, 1)
    large = make_user("large@example.org")
    populate(large, 40)
    assert queries(large) == queries(small)
