"""Bringing the recovery plan and the safety plan of an export into an account."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.exporting import export_document
from closeknit.network.importing import ImportFileError, ImportResult, import_document
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
from tests.transfer.test_recovery_export import (
    MOMENT,
    RECOVERY_KEYS,
    normalised,
    plan_fixture,  # noqa: F401  (the "plan" fixture)
    populate,
    sections,
)

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


def counts(user) -> dict[str, int]:
    return {
        model.__name__: model.objects.owned_by(user).count()
        for model in [Person, Group, Interaction, *RECOVERY_MODELS]
    }


def records(document: dict[str, Any]) -> int:
    """How many records an import counts: people, groups, contacts and the plan's."""
    keys = ["people", "groups", "interactions", *RECOVERY_KEYS]
    return sum(len(document[key]) for key in keys)


def moved(document: dict[str, Any]) -> dict[str, Any]:
    """The document as it arrives on the other server: parsed from its JSON text."""
    return json.loads(json.dumps(document))


def minimal(**recovery: Any) -> dict[str, Any]:
    """A hand-written export with one person, one group and the given plan."""
    return {
        "format": "closeknit-export",
        "version": 1,
        "people": [{"id": "p1", "name": "Sam"}],
        "groups": [{"id": "g1", "name": "Tuesday group", "kind": "support_group"}],
        **recovery,
    }


# Moving an account ------------------------------------------------------------------


def test_plan_round_trips_into_a_new_account(plan, member, new_account):
    before = export_document(member)
    result = import_document(new_account, moved(before))
    assert result == ImportResult(created=records(before), merged=0, skipped=0)
    after = export_document(new_account)
    assert normalised(after) == normalised(before)
    # The original account is as it was.
    assert normalised(export_document(member)) == normalised(before)


def test_people_in_the_safety_plan_are_the_new_accounts_people(plan, member, new_account):
    import_document(new_account, moved(export_document(member)))
    latest = SafetyPlanVersion.objects.owned_by(new_account).latest()
    names = dict(Person.objects.owned_by(new_account).values_list("pk", "name"))
    groups = dict(Group.objects.owned_by(new_account).values_list("pk", "name"))
    plan_people = latest.sections["ask_for_help"]["people"]
    assert [names[pk] for pk in plan_people] == ["Jo Lake", "Sam Rivera"]
    assert [names[pk] for pk in latest.sections["professionals"]["people"]] == ["Ada Okafor"]
    assert [groups[pk] for pk in latest.sections["distractions"]["groups"]] == [
        "Tuesday peer group"
    ]
    assert not set(plan_people) & set(Person.objects.owned_by(member).values_list("pk", flat=True))


def test_links_point_at_the_new_accounts_records(plan, member, new_account):
    import_document(new_account, moved(export_document(member)))
    walk = Goal.objects.owned_by(new_account).get(title="Walk to the park twice a week")
    assert sorted(walk.helpers.values_list("name", flat=True)) == ["Jo Lake", "Sam Rivera"]
    assert all(p.owner_id == new_account.pk for p in walk.helpers.all())
    lap = Milestone.objects.owned_by(new_account).get(title="First whole lap")
    assert (lap.goal, lap.step.title, lap.step.goal) == (walk, "To the gate", walk)
    therapy = AppointmentSeries.objects.owned_by(new_account).get(kind="therapy")
    assert therapy.person.name == "Ada Okafor"
    assert therapy.person.owner_id == new_account.pk
    assert therapy.appointments.count() == 4
    assert all(a.owner_id == new_account.pk for a in therapy.appointments.all())
    assert set(therapy.appointments.values_list("person", flat=True)) == {therapy.person_id}


def test_private_text_is_encrypted_again_in_the_new_account(plan, member, new_account):
    import_document(new_account, moved(export_document(member)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text FROM recovery_goalreflection WHERE owner_id = %s", [new_account.pk]
        )
        stored = [row[0] for row in cursor.fetchall()]
    assert stored
    assert all(token.startswith("gAAAA") for token in stored)


def test_importing_twice_adds_nothing(plan, member, new_account):
    document = moved(export_document(member))
    import_document(new_account, document)
    once, before = counts(new_account), normalised(export_document(new_account))
    assert import_document(new_account, document) == ImportResult(0, 0, records(document))
    assert counts(new_account) == once
    assert normalised(export_document(new_account)) == before


def test_importing_an_export_back_into_its_own_account_changes_nothing(plan, member):
    document = moved(export_document(member))
    before = counts(member)
    assert import_document(member, document) == ImportResult(0, 0, records(document))
    assert counts(member) == before


def test_an_empty_plan_round_trips(member, new_account):
    before = export_document(member)
    assert import_document(new_account, moved(before)) == ImportResult(0, 0, 0)
    assert normalised(export_document(new_account)) == normalised(before)


def test_progress_counts_the_plan_too(plan, member, new_account):
    document = moved(export_document(member))
    calls: list[tuple[int, int]] = []
    import_document(new_account, document, progress=lambda *call: calls.append(call))
    total = records(document)
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


def test_the_result_counts_people_groups_contacts_and_each_plan_record(plan, member, new_account):
    document = moved(export_document(member))
    plan_records = sum(len(document[key]) for key in RECOVERY_KEYS)
    assert plan_records == 3 + 3 + 2 + 6 + 3 + 2
    network = len(document["people"]) + len(document["groups"]) + len(document["interactions"])
    assert import_document(new_account, document).created == network + plan_records


# Into an account that already has a plan --------------------------------------------


def test_a_goal_with_the_same_title_is_filled_in_not_doubled(plan, member, new_account):
    sam = Person.objects.create(owner=new_account, name="Sam Rivera", email="sam@example.org")
    goal = Goal.objects.create(owner=new_account, title="  walk to the PARK twice a week ")
    GoalStep.objects.create(owner=new_account, goal=goal, title="To the corner", position=0)
    GoalStep.objects.create(owner=new_account, goal=goal, title="My own step", position=5)
    goal.helpers.add(sam)
    import_document(new_account, moved(export_document(member)))
    goal.refresh_from_db()
    assert Goal.objects.owned_by(new_account).filter(title__icontains="park").count() == 1
    # Empty fields filled in; the title the member wrote kept.
    assert (goal.title, goal.why, goal.target_date) == (
        "  walk to the PARK twice a week ",
        "Outside, my head clears.",
        date(2024, 5, 1),
    )
    steps = {step.title: step.done_at for step in goal.steps.all()}
    assert set(steps) == {
        "To the corner",
        "My own step",
        "To the gate",
        "A whole lap",
        "Twice in a week",
    }
    assert steps["To the corner"] == MOMENT - timedelta(days=25)  # marked done from the export
    assert goal.reflections.count() == 2
    assert sorted(goal.helpers.values_list("name", flat=True)) == ["Jo Lake", "Sam Rivera"]


def test_a_goal_with_nothing_missing_is_skipped_and_one_filled_in_is_merged(
    plan, member, new_account
):
    Goal.objects.create(owner=new_account, title="Sleep before midnight", why="Mornings.")
    Goal.objects.create(owner=new_account, title="Go back to the Tuesday group")
    document = moved(export_document(member))
    result = import_document(new_account, document)
    # Nothing in the export's "Sleep before midnight" is missing from the saved one;
    # "Go back to the Tuesday group" gains its completion and a helper.
    assert (result.merged, result.skipped) == (1, 1)
    back = Goal.objects.owned_by(new_account).get(title="Go back to the Tuesday group")
    assert back.completed_at == MOMENT - timedelta(days=10)
    assert list(back.helpers.values_list("name", flat=True)) == ["Sam Rivera"]
    assert import_document(new_account, document) == ImportResult(0, 0, records(document))


def test_a_strategy_with_the_same_title_gets_the_uses_it_is_missing(plan, member, new_account):
    block = CopingStrategy.objects.create(owner=new_account, title="WALK round the block")
    CopingUse.objects.create(
        owner=new_account, strategy=block, used_at=MOMENT - timedelta(days=3), helped=5
    )
    import_document(new_account, moved(export_document(member)))
    assert (
        CopingStrategy.objects.owned_by(new_account)
        .filter(title__iexact="walk round the block")
        .count()
        == 1
    )
    assert sorted(block.uses.values_list("helped", flat=True)) == [4, 4, 5]


def test_two_goals_of_the_same_name_both_come_back(member, new_account):
    Goal.objects.create(owner=member, title="Sleep before midnight", created_at=MOMENT)
    Goal.objects.create(
        owner=member, title="Sleep before midnight", created_at=MOMENT - timedelta(days=400)
    )
    document = moved(export_document(member))
    import_document(new_account, document)
    assert Goal.objects.owned_by(new_account).count() == 2
    import_document(new_account, document)
    assert Goal.objects.owned_by(new_account).count() == 2


def test_a_safety_plan_naming_an_existing_person_uses_that_person(plan, member, new_account):
    sam = Person.objects.create(owner=new_account, name="Sam", phone="+447700900123")
    import_document(new_account, moved(export_document(member)))
    latest = SafetyPlanVersion.objects.owned_by(new_account).latest()
    assert sam.pk in latest.sections["ask_for_help"]["people"]


def test_two_export_people_matched_to_one_person_appear_once_in_the_plan(member, new_account):
    document = minimal(
        people=[{"id": 1, "name": "Sam"}, {"id": 2, "name": "Sam"}],
        safety_plan_versions=[
            {
                "created_at": "2024-03-01T09:30:00+00:00",
                "sections": {"ask_for_help": {"people": [1, 2]}},
            }
        ],
    )
    # Both Sams of the export are matched to the one Sam already here.
    sam = Person.objects.create(owner=new_account, name="Sam")
    import_document(new_account, document)
    assert Person.objects.owned_by(new_account).get() == sam
    version = SafetyPlanVersion.objects.owned_by(new_account).get()
    assert version.sections["ask_for_help"]["people"] == [sam.pk]


def test_a_hand_written_plan_gets_kind_defaults(new_account):
    document = minimal(
        goals=[{"id": 1, "title": "Sleep before midnight", "steps": [{"title": "Phone away"}]}],
        appointment_series=[
            {
                "id": "s",
                "kind": "therapy",
                "starts_at": "2024-03-07T11:00:00",
                "schedule": "freq=weekly",
            }
        ],
        appointments=[{"series": "s", "starts_at": "2024-03-07T11:00:00+00:00", "person": "p1"}],
        coping_strategies=[
            {"title": "Box breathing", "uses": [{"used_at": "2024-03-01T22:00:00Z", "helped": 4}]}
        ],
        safety_plan_versions=[{"created_at": "2024-03-01T09:30:00+00:00"}],
    )
    result = import_document(new_account, document)
    assert result.created == 2 + 5
    step = GoalStep.objects.owned_by(new_account).get()
    assert (step.position, step.done_at) == (0, None)
    series = AppointmentSeries.objects.owned_by(new_account).get()
    assert series.schedule == "FREQ=WEEKLY"
    assert series.starts_at == datetime(2024, 3, 7, 11, 0, tzinfo=UTC)  # no offset: UTC
    appointment = Appointment.objects.owned_by(new_account).get()
    assert (appointment.kind, appointment.status, appointment.duration_minutes) == (
        "other",
        "scheduled",
        50,
    )
    assert appointment.series == series
    assert appointment.person.name == "Sam"
    version = SafetyPlanVersion.objects.owned_by(new_account).get()
    assert version.sections == sections()


# A damaged export -------------------------------------------------------------------


def _goal(d: dict) -> dict:
    return next(g for g in d["goals"] if g["title"] == "Walk to the park twice a week")


def _latest(d: dict) -> dict:
    return d["safety_plan_versions"][-1]["sections"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(goals={"a": 1}), "The export: “goals” should be a list"),
        (lambda d: d["goals"].append("a goal"), "Goal 4: this should be a set of fields"),
        (lambda d: d["goals"][0].pop("id"), "Goal 1: it has no id"),
        (lambda d: d["goals"][1].update(id=d["goals"][0]["id"]), "the same goal id"),
        (lambda d: d["goals"][0].update(title=" "), "Goal 1: its “title” is empty"),
        (lambda d: d["goals"][0].update(title="x" * 201), "longer than 200 characters"),
        (
            lambda d: d["goals"][0].update(target_date="May"),
            "Goal 1: its “target_date” should be a date",
        ),
        (lambda d: d["goals"][0].update(helpers=[999999]), "Goal 1: it names a person"),
        (
            lambda d: d["goals"][0].update(completed_at="soon"),
            "its “completed_at” should be a time",
        ),
        (lambda d: _goal(d).update(steps="all of them"), "Goal 3: “steps” should be a list"),
        (lambda d: _goal(d)["steps"][2].update(title=""), "Goal 3, step 3: its “title” is empty"),
        (lambda d: _goal(d)["steps"][0].update(position=-1), "Goal 3, step 1: its “position”"),
        (lambda d: _goal(d)["steps"][1].update(done_at="today"), "Goal 3, step 2: its “done_at”"),
        (
            lambda d: _goal(d)["reflections"][1].update(text=""),
            "Goal 3, reflection 2: its “text” is empty",
        ),
        (
            lambda d: _goal(d)["reflections"][0].pop("written_at"),
            "Goal 3, reflection 1: its “written_at” is empty",
        ),
        (lambda d: d["milestones"][1].update(goal=999999), "Milestone 2: it names a goal"),
        (
            lambda d: d["milestones"][1].update(step=4),
            "Milestone 2: its “step” should be the place",
        ),
        (lambda d: d["milestones"][0].update(step=0), "Milestone 1: its “step”"),
        (lambda d: d["milestones"][1].update(step=True), "Milestone 2: its “step”"),
        (
            lambda d: d["milestones"][2].pop("achieved_on"),
            "Milestone 3: its “achieved_on” is empty",
        ),
        (lambda d: d["milestones"][2].update(people=[999999]), "Milestone 3: it names a person"),
        (
            lambda d: d["appointment_series"][0].update(kind="yoga"),
            "Appointment series 1: “yoga” isn't a kind",
        ),
        (
            lambda d: d["appointment_series"][1].update(schedule="FREQ=HOURLY"),
            "Appointment series 2: its “schedule”: FREQ can be",
        ),
        (
            lambda d: d["appointment_series"][1].update(schedule=""),
            "Appointment series 2: its “schedule” is empty",
        ),
        (
            lambda d: d["appointment_series"][1].update(person=999999),
            "Appointment series 2: it names a person",
        ),
        (
            lambda d: d["appointment_series"][0].update(group=999999),
            "Appointment series 1: it names a group",
        ),
        (
            lambda d: d["appointment_series"][0].pop("starts_at"),
            "Appointment series 1: its “starts_at” is empty",
        ),
        (lambda d: d["appointment_series"][0].update(duration_minutes=0), "from 1 to 10080"),
        (
            lambda d: d["appointment_series"][1].update(id=d["appointment_series"][0]["id"]),
            "the same appointment series id",
        ),
        (
            lambda d: d["appointments"][0].update(series=999999),
            "Appointment 1: it names an appointment series",
        ),
        (
            lambda d: d["appointments"][2].update(status="late"),
            "Appointment 3: “late” isn't a status",
        ),
        (
            lambda d: d["appointments"][2].update(starts_at=d["appointments"][1]["starts_at"]),
            "Appointment 3: another appointment of the same series",
        ),
        (lambda d: d["appointments"][4].update(person=True), "Appointment 5: it names a person"),
        (
            lambda d: d["coping_strategies"][0].update(title=None),
            "Coping strategy 1: its “title” is empty",
        ),
        (
            lambda d: d["coping_strategies"][2]["uses"][1].update(helped=6),
            "Coping strategy 3, use 2: its “helped” should be a whole number from 1 to 5",
        ),
        (
            lambda d: d["coping_strategies"][2]["uses"][1].pop("helped"),
            "Coping strategy 3, use 2: its “helped”",
        ),
        (
            lambda d: d["coping_strategies"][2]["uses"][0].update(used_at=12),
            "Coping strategy 3, use 1: “used_at” should be a text",
        ),
        (
            lambda d: d["safety_plan_versions"][0].pop("created_at"),
            "Safety plan version 1: its “created_at” is empty",
        ),
        (
            lambda d: d["safety_plan_versions"][0].update(sections=[]),
            "Safety plan version 1: “sections” should be a set of fields",
        ),
        (
            lambda d: _latest(d).update(hobbies={}),
            "Safety plan version 2: “hobbies” isn't a section",
        ),
        (
            lambda d: _latest(d).update(what_matters="Jo"),
            "section “what_matters”: this should be a set of fields",
        ),
        (
            lambda d: _latest(d)["ask_for_help"].update(phones=[]),
            "section “ask_for_help”: “phones” isn't part of a section",
        ),
        (
            lambda d: _latest(d)["ask_for_help"]["people"].append(999999),
            "section “ask_for_help”: it names a person",
        ),
        (
            lambda d: _latest(d)["distractions"]["groups"].append(999999),
            "section “distractions”: it names a group",
        ),
        (
            lambda d: _latest(d)["warning_signs"]["items"].append(3),
            "section “warning_signs”: its “items” should all be text",
        ),
    ],
)
def test_damaged_plan_is_refused_and_changes_nothing(plan, member, new_account, change, message):
    document = moved(export_document(member))
    change(document)
    empty = counts(new_account)
    with pytest.raises(ImportFileError, match=message):
        import_document(new_account, document)
    assert counts(new_account) == empty
    assert not any(empty.values())


def test_a_damaged_plan_changes_nothing_in_an_account_that_has_data(plan, member):
    document = moved(export_document(member))
    Goal.objects.owned_by(member).delete()
    Person.objects.owned_by(member).filter(name="Jo Lake").delete()
    before = counts(member)
    document["safety_plan_versions"][0]["sections"]["what_matters"] = {"items": [None]}
    with pytest.raises(ImportFileError):
        import_document(member, document)
    assert counts(member) == before


# Speed ------------------------------------------------------------------------------


def test_import_queries_do_not_grow_with_the_plan(make_user):
    def queries(size: int) -> int:
        source = make_user(f"source-{size}@example.org")
        populate(source, size)
        document = moved(export_document(source))
        target = make_user(f"target-{size}@example.org")
        with CaptureQueriesContext(connection) as context:
            import_document(target, document)
        return len(context.captured_queries)

    # Only the database's batch size adds any.
    assert queries(40) <= queries(2) + 4
