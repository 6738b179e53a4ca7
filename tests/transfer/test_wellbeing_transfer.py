"""Check-ins, questionnaire results and schedules in the JSON export, and back in again."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.exporting import export_document
from closeknit.network.importing import ImportFileError, ImportResult, import_document
from closeknit.network.models import Group, Interaction, Person
from closeknit.recovery.models import Goal
from closeknit.wellbeing import store
from closeknit.wellbeing.exporting import CHECKIN_COLUMNS, checkins_csv
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule
from closeknit.wellbeing.vocab import SELF_HARM_THOUGHTS
from tests.transfer.test_recovery_export import (
    RECOVERY_KEYS,
    normalised,
    plan_fixture,  # noqa: F401  (the "plan" fixture)
)

MOMENT = datetime(2024, 3, 1, 21, 30, tzinfo=UTC)
DAY = timedelta(days=1)
WELLBEING_KEYS = ["checkins", "assessments", "questionnaire_schedules"]
CHECKIN_FIELDS = {
    "date",
    "mood",
    "stress",
    "sleep_hours",
    "self_care",
    "connected",
    "note",
    "created_at",
    "updated_at",
}
RESULT_FIELDS = {
    "instrument",
    "taken_at",
    "answers",
    "total",
    "subscales",
    "band",
    "complete",
    "prorated",
    "flags",
}
PHQ9_MILD = [1, 1, 0, 2, 1, 0, 1, 0, 0, 1]  # 6: mild, with the difficulty question
PHQ9_ONE_LEFT_OUT = [2, 1, 1, None, 1, 1, 0, 1, 0]  # 7 from 8 answers: prorated to 8
GAD7_INCOMPLETE = [1, None, None, 1, 0, 1, 0]
MSPSS = [7, 6, 5, 5, 7, 4, 4, 5, 4, 6, 5, 6]  # a mean in twelfths (5.33), subscales in quarters


def records(document: dict[str, Any]) -> int:
    """How many records an import counts, wellbeing ones included."""
    keys = ["people", "groups", "interactions", *RECOVERY_KEYS, *WELLBEING_KEYS]
    return sum(len(document[key]) for key in keys)


def moved(document: dict[str, Any]) -> dict[str, Any]:
    """The document as it arrives on the other server: parsed from its JSON text."""
    return json.loads(json.dumps(document))


def counts(user) -> dict[str, int]:
    models = [Person, Group, Interaction, Goal, CheckIn, Assessment, QuestionnaireSchedule]
    return {model.__name__: model.objects.owned_by(user).count() for model in models}


def minimal(**wellbeing: Any) -> dict[str, Any]:
    """A hand-written export with only the given wellbeing records."""
    return {"format": "closeknit-export", "version": 1, **wellbeing}


def checkin(day: date, **values: Any) -> CheckIn:
    return CheckIn(day=day, **values)


@pytest.fixture
def wellbeing(network, member) -> dict[str, Any]:
    """The shared network with check-ins, results of four questionnaires and two schedules."""
    # Saved newest first, so the export's order can't come from the order of saving.
    for days_ago, values in (
        (0, {"mood": 7, "stress": 3, "sleep_hours": Decimal("7.5"), "self_care": ["movement"]}),
        (
            1,
            {
                "mood": 4,
                "stress": 8,
                "sleep_hours": Decimal("5.25"),
                "self_care": ["rest", "mindfulness"],
                "connected": 2,
                "note": "A hard day.\nTalked to Sam in the evening; that helped.",
            },
        ),
        (3, {"mood": 6}),
        (10, {"note": "Only a note today."}),
    ):
        store.save_checkin(member, date(2024, 3, 1) - days_ago * DAY, values, now=MOMENT)
    store.record_assessment(member, "phq9", PHQ9_MILD, MOMENT - 14 * DAY)
    store.record_assessment(member, "phq9", PHQ9_ONE_LEFT_OUT, MOMENT)
    store.record_assessment(member, "gad7", GAD7_INCOMPLETE, MOMENT - 14 * DAY)
    store.record_assessment(member, "mspss", MSPSS, MOMENT - 2 * DAY)
    QuestionnaireSchedule.objects.create(
        owner=member, instrument="phq9", every_days=14, created_at=MOMENT - 30 * DAY
    )
    QuestionnaireSchedule.objects.create(
        owner=member, instrument="gad7", every_days=28, created_at=MOMENT - 30 * DAY
    )
    return network


# The export -------------------------------------------------------------------------


def test_document_has_the_wellbeing_keys_after_the_plan(wellbeing, member):
    document = export_document(member)
    keys = list(document)
    after = keys.index(RECOVERY_KEYS[-1]) + 1
    # The keeping-in-touch keys come after these (see tests/rhythms/test_occasions_transfer.py).
    assert keys[after : after + len(WELLBEING_KEYS)] == WELLBEING_KEYS
    assert keys[after - len(RECOVERY_KEYS) : after] == RECOVERY_KEYS
    assert all(set(c) == CHECKIN_FIELDS for c in document["checkins"])
    assert all(set(a) == RESULT_FIELDS for a in document["assessments"])
    assert all(
        set(s) == {"instrument", "every_days", "created_at"}
        for s in document["questionnaire_schedules"]
    )
    json.dumps(document)  # serialisable as it is


def test_an_account_without_check_ins_exports_empty_lists(member):
    document = export_document(member)
    assert all(document[key] == [] for key in WELLBEING_KEYS)


def test_check_ins_are_oldest_first_with_every_value(wellbeing, member):
    found = export_document(member)["checkins"]
    assert [c["date"] for c in found] == ["2024-02-20", "2024-02-27", "2024-02-29", "2024-03-01"]
    assert found[2] == {
        "date": "2024-02-29",
        "mood": 4,
        "stress": 8,
        "sleep_hours": 5.25,
        "self_care": ["mindfulness", "rest"],
        "connected": 2,
        "note": "A hard day.\nTalked to Sam in the evening; that helped.",
        "created_at": "2024-03-01T21:30:00+00:00",
        "updated_at": "2024-03-01T21:30:00+00:00",
    }
    only_note = found[0]
    assert (only_note["mood"], only_note["sleep_hours"], only_note["self_care"]) == (None, None, [])
    assert only_note["note"] == "Only a note today."


def test_results_are_oldest_first_with_their_answers_and_scores(wellbeing, member):
    results = export_document(member)["assessments"]
    # At the same moment, by questionnaire code.
    assert [(r["instrument"], r["taken_at"]) for r in results] == [
        ("gad7", "2024-02-16T21:30:00+00:00"),
        ("phq9", "2024-02-16T21:30:00+00:00"),
        ("mspss", "2024-02-28T21:30:00+00:00"),
        ("phq9", "2024-03-01T21:30:00+00:00"),
    ]
    incomplete, mild, mspss, prorated = results
    assert mild == {
        "instrument": "phq9",
        "taken_at": "2024-02-16T21:30:00+00:00",
        "answers": PHQ9_MILD,
        "total": 6,
        "subscales": {},
        "band": "mild",
        "complete": True,
        "prorated": False,
        "flags": [],
    }
    assert (incomplete["total"], incomplete["band"], incomplete["complete"]) == (None, None, False)
    assert incomplete["answers"] == GAD7_INCOMPLETE
    assert (prorated["total"], prorated["prorated"], prorated["answers"]) == (
        8,
        True,
        PHQ9_ONE_LEFT_OUT,
    )
    assert (mspss["total"], mspss["band"]) == (5.33, "high")
    assert mspss["subscales"] == {"significant_other": 6.5, "family": 5, "friends": 4.5}


def test_schedules_by_questionnaire(wellbeing, member):
    assert export_document(member)["questionnaire_schedules"] == [
        {"instrument": "gad7", "every_days": 28, "created_at": "2024-01-31T21:30:00+00:00"},
        {"instrument": "phq9", "every_days": 14, "created_at": "2024-01-31T21:30:00+00:00"},
    ]


def test_export_holds_only_the_members_own_check_ins(wellbeing, member, stranger):
    store.save_checkin(stranger, date(2024, 2, 29), {"note": "Stranger's day"}, now=MOMENT)
    store.record_assessment(stranger, "who5", [3, 3, 3, 3, 3], MOMENT)
    mine = export_document(member)
    assert "Stranger's" not in json.dumps(mine)
    assert "who5" not in {r["instrument"] for r in mine["assessments"]}
    theirs = export_document(stranger)
    assert [c["note"] for c in theirs["checkins"]] == ["Stranger's day"]
    assert theirs["questionnaire_schedules"] == []


def test_two_exports_of_the_same_check_ins_are_equal(wellbeing, member):
    first, second = export_document(member), export_document(member)
    assert {key: first[key] for key in WELLBEING_KEYS} == {
        key: second[key] for key in WELLBEING_KEYS
    }


def test_check_ins_as_csv_oldest_first(wellbeing, member):
    lines = checkins_csv(member).splitlines()
    assert lines[0] == ",".join(CHECKIN_COLUMNS)
    assert lines[1] == "2024-02-20,,,,,,Only a note today."
    assert lines[3].startswith("2024-02-29,4,8,5.25,mindfulness;rest,2,")
    assert lines[-1] == "2024-03-01,7,3,7.50,movement,,"


def populate(user, size: int) -> None:
    """`size` check-ins and results, and a schedule (at least one of each)."""
    CheckIn.objects.bulk_create(
        [
            CheckIn(owner=user, day=date(2024, 1, 1) + n * DAY, mood=5, note="fine")
            for n in range(size)
        ]
    )
    for n in range(size):
        store.record_assessment(user, "gad7", [1] * 7, MOMENT + n * DAY)
    QuestionnaireSchedule.objects.create(owner=user, instrument="gad7", every_days=28)


def test_export_needs_the_same_number_of_queries_for_any_number_of_check_ins(make_user):
    def queries(user) -> int:
        with CaptureQueriesContext(connection) as context:
            export_document(user)
            checkins_csv(user)
        return len(context.captured_queries)

    small = make_user("small@example.org")
    populate(small, 1)
    large = make_user("large@example.org")
    populate(large, 40)
    assert queries(large) == queries(small)


# Moving an account ------------------------------------------------------------------


def test_check_ins_and_results_round_trip_into_a_new_account(wellbeing, plan, member, new_account):
    before = export_document(member)
    result = import_document(new_account, moved(before))
    assert result == ImportResult(created=records(before), merged=0, skipped=0)
    after = export_document(new_account)
    assert normalised(after) == normalised(before)
    assert len(after["checkins"]) == 4
    # The original account is as it was.
    assert normalised(export_document(member)) == normalised(before)


def test_importing_twice_changes_nothing(wellbeing, member, new_account):
    document = moved(export_document(member))
    import_document(new_account, document)
    once, before = counts(new_account), normalised(export_document(new_account))
    assert import_document(new_account, document) == ImportResult(0, 0, records(document))
    assert counts(new_account) == once
    assert normalised(export_document(new_account)) == before


def test_importing_an_export_back_into_its_own_account_changes_nothing(wellbeing, member):
    document = moved(export_document(member))
    before = counts(member)
    assert import_document(member, document) == ImportResult(0, 0, records(document))
    assert counts(member) == before


def test_a_check_in_for_a_day_already_there_is_kept_as_it_is(wellbeing, member, new_account):
    mine, _created = store.save_checkin(
        new_account, date(2024, 2, 29), {"mood": 9, "note": "My own words."}, now=MOMENT
    )
    result = import_document(
        new_account, moved(minimal(checkins=export_document(member)["checkins"]))
    )
    assert (result.created, result.skipped) == (3, 1)
    mine.refresh_from_db()
    assert (mine.mood, mine.stress, mine.note, mine.self_care) == (9, None, "My own words.", [])


def test_a_result_at_the_same_moment_is_skipped_and_another_questionnaire_added(
    wellbeing, member, new_account
):
    store.record_assessment(new_account, "phq9", [0] * 9, MOMENT)
    store.record_assessment(new_account, "who5", [3, 3, 3, 3, 3], MOMENT - 14 * DAY)
    document = minimal(assessments=export_document(member)["assessments"])
    assert import_document(new_account, moved(document)) == ImportResult(3, 0, 1)
    saved = Assessment.objects.owned_by(new_account).filter(instrument="phq9", taken_at=MOMENT)
    assert [a.total for a in saved] == [0]  # the member's own result, not the file's


def test_two_results_at_one_moment_both_come_back_once(member, new_account):
    for _ in range(2):
        store.record_assessment(member, "gad7", [1] * 7, MOMENT)
    document = moved(export_document(member))
    assert import_document(new_account, document).created == 2
    assert import_document(new_account, document) == ImportResult(0, 0, 2)
    assert Assessment.objects.owned_by(new_account).count() == 2


def test_a_schedule_already_there_keeps_its_frequency(wellbeing, member, new_account):
    QuestionnaireSchedule.objects.create(owner=new_account, instrument="phq9", every_days=7)
    document = minimal(questionnaire_schedules=export_document(member)["questionnaire_schedules"])
    assert import_document(new_account, moved(document)) == ImportResult(1, 0, 1)
    schedules = QuestionnaireSchedule.objects.owned_by(new_account)
    assert dict(schedules.values_list("instrument", "every_days")) == {"phq9": 7, "gad7": 28}


def test_a_forged_score_is_replaced_by_the_real_one(wellbeing, member, new_account):
    document = moved(export_document(member))
    mild = document["assessments"][1]
    mild.update(total=0, band="minimal", subscales={"made_up": 1}, prorated=True)
    incomplete = document["assessments"][0]
    incomplete.update(total=21, band="severe", complete=True)
    import_document(new_account, document)
    saved = {
        a.instrument: a
        for a in Assessment.objects.owned_by(new_account).filter(taken_at=MOMENT - 14 * DAY)
    }
    phq9, gad7 = saved["phq9"], saved["gad7"]
    assert (phq9.total, phq9.band, phq9.subscales, phq9.prorated) == (6, "mild", {}, False)
    assert (gad7.total, gad7.band, gad7.complete) == (None, "", False)


def test_a_safety_flag_comes_from_the_answers_even_if_the_file_leaves_it_out(new_account):
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 2]
    document = minimal(
        assessments=[
            {
                "instrument": "phq9",
                "taken_at": "2024-03-01T21:30:00+00:00",
                "answers": answers,
                "total": 0,
                "flags": [],
            }
        ]
    )
    import_document(new_account, document)
    saved = Assessment.objects.owned_by(new_account).get()
    assert saved.flags == [SELF_HARM_THOUGHTS]
    assert (saved.total, saved.band, saved.answers) == (10, "moderate", answers)


def test_notes_and_answers_are_encrypted_again_in_the_new_account(wellbeing, member, new_account):
    import_document(new_account, moved(export_document(member)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM wellbeing_checkin WHERE owner_id = %s AND note <> ''",
            [new_account.pk],
        )
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT answers FROM wellbeing_assessment WHERE owner_id = %s", [new_account.pk]
        )
        answers = [row[0] for row in cursor.fetchall()]
    assert len(notes) == 2 and len(answers) == 4
    assert all(token.startswith("gAAAA") for token in notes + answers)
    assert not any("Sam" in token for token in notes)
    hard_day = CheckIn.objects.owned_by(new_account).get(day=date(2024, 2, 29))
    assert hard_day.note == "A hard day.\nTalked to Sam in the evening; that helped."


def test_a_hand_written_check_in_gets_kind_defaults(new_account):
    document = minimal(
        checkins=[
            {"date": "2024-03-01", "mood": 6, "sleep_hours": 7},
            {"date": "2024-02-29", "sleep_hours": 6.1, "self_care": ["rest", "rest", "outdoors"]},
        ],
        assessments=[
            # The PHQ-9's difficulty question may be left out.
            {"instrument": "phq9", "taken_at": "2024-03-01T21:30:00", "answers": [0] * 9}
        ],
        questionnaire_schedules=[{"instrument": "who5", "every_days": 91}],
    )
    assert import_document(new_account, document) == ImportResult(4, 0, 0)
    first, second = CheckIn.objects.owned_by(new_account).order_by("day")
    assert (second.mood, second.sleep_hours, second.note) == (6, Decimal("7.00"), "")
    assert second.created_at == second.updated_at
    assert (first.sleep_hours, first.self_care) == (Decimal("6.10"), ["outdoors", "rest"])
    result = Assessment.objects.owned_by(new_account).get()
    assert result.taken_at == MOMENT  # no offset: UTC
    assert (result.total, result.band) == (0, "minimal")
    assert QuestionnaireSchedule.objects.owned_by(new_account).get().every_days == 91


def test_progress_counts_the_wellbeing_records_too(wellbeing, member, new_account):
    document = moved(export_document(member))
    calls: list[tuple[int, int]] = []
    import_document(new_account, document, progress=lambda *call: calls.append(call))
    total = records(document)
    assert total == len(document["people"]) + 1 + 2 + 4 + 4 + 2
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


# A damaged export -------------------------------------------------------------------


def _checkin(d: dict, n: int) -> dict:
    return d["checkins"][n - 1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(checkins={"a": 1}), "The export: “checkins” should be a list"),
        (lambda d: d["checkins"].append(7), "Check-in 5: this should be a set of fields"),
        (
            lambda d: _checkin(d, 3).update(mood=11),
            "Check-in 3: its “mood” should be a whole number from 0 to 10.",
        ),
        (lambda d: _checkin(d, 3).update(stress=-1), "Check-in 3: its “stress” should be"),
        (lambda d: _checkin(d, 3).update(mood="4"), "Check-in 3: its “mood” should be"),
        (lambda d: _checkin(d, 3).update(mood=4.5), "Check-in 3: its “mood” should be"),
        (lambda d: _checkin(d, 3).update(connected=True), "Check-in 3: its “connected”"),
        (
            lambda d: _checkin(d, 4).update(sleep_hours=25),
            "Check-in 4: its “sleep_hours” should be a number of hours from 0 to 24",
        ),
        (lambda d: _checkin(d, 4).update(sleep_hours="7"), "Check-in 4: its “sleep_hours”"),
        (lambda d: _checkin(d, 4).update(sleep_hours=-0.5), "Check-in 4: its “sleep_hours”"),
        (
            lambda d: _checkin(d, 4).update(sleep_hours=7.333),
            "Check-in 4: its “sleep_hours” has more than two decimals",
        ),
        (
            lambda d: _checkin(d, 2).update(self_care=["napping"]),
            "Check-in 2: “napping” isn't one of the self care we know",
        ),
        (
            lambda d: _checkin(d, 2).update(self_care="rest"),
            "Check-in 2: “self_care” should be a list",
        ),
        (lambda d: _checkin(d, 2).update(note=5), "Check-in 2: “note” should be a text"),
        (lambda d: _checkin(d, 1).pop("date"), "Check-in 1: its “date” is empty"),
        (
            lambda d: _checkin(d, 1).update(date="yesterday"),
            "Check-in 1: its “date” should be a date like",
        ),
        (
            lambda d: _checkin(d, 1).update(date="1899-12-31"),
            "Check-in 1: its “date” \\(1899-12-31\\) is further back",
        ),
        (
            lambda d: _checkin(d, 1).update(date="2999-01-01"),
            "Check-in 1: its “date” \\(2999-01-01\\) is still ahead",
        ),
        (
            lambda d: _checkin(d, 4).update(date=_checkin(d, 2)["date"]),
            "Check-in 4: check-in 2 is for the same day \\(2024-02-27\\)",
        ),
        (
            lambda d: _checkin(d, 1).update(note="  "),
            "Check-in 1: it has nothing in it",
        ),
        (
            lambda d: _checkin(d, 3).update(created_at="soon"),
            "Check-in 3: its “created_at” should be a time",
        ),
        (lambda d: d.update(assessments=[None]), "Questionnaire result 1: this should be a set"),
        (
            lambda d: d["assessments"][2].update(instrument="phq99"),
            "Questionnaire result 3: “phq99” isn't a questionnaire we know",
        ),
        (
            lambda d: d["assessments"][2].pop("instrument"),
            "Questionnaire result 3: its “instrument” is empty",
        ),
        (
            lambda d: d["assessments"][1].update(answers=[1, 2]),
            "Questionnaire result 2: the PHQ-9 has 9 scored questions",
        ),
        (
            lambda d: d["assessments"][1]["answers"].__setitem__(2, 7),
            "Questionnaire result 2: the answer to question 3 should be one of 0, 1, 2, 3",
        ),
        (
            lambda d: d["assessments"][1]["answers"].__setitem__(0, True),
            "Questionnaire result 2: the answer to question 1",
        ),
        (
            lambda d: d["assessments"][0].pop("answers"),
            "Questionnaire result 1: answers should be a list",
        ),
        (
            lambda d: d["assessments"][3].pop("taken_at"),
            "Questionnaire result 4: its “taken_at” is empty",
        ),
        (
            lambda d: d["questionnaire_schedules"][0].update(instrument="bdi"),
            "Questionnaire schedule 1: “bdi” isn't a questionnaire we know",
        ),
        (
            lambda d: d["questionnaire_schedules"][1].update(every_days=0),
            "Questionnaire schedule 2: its “every_days” should be a whole number from 1 to 366",
        ),
        (
            lambda d: d["questionnaire_schedules"][1].pop("every_days"),
            "Questionnaire schedule 2: its “every_days” should be",
        ),
        (
            lambda d: d["questionnaire_schedules"][1].update(instrument="gad7"),
            "Questionnaire schedule 2: schedule 1 is for the same questionnaire",
        ),
    ],
)
def test_damaged_wellbeing_is_refused_and_changes_nothing(
    wellbeing, member, new_account, change, message
):
    document = moved(export_document(member))
    change(document)
    with pytest.raises(ImportFileError, match=message):
        import_document(new_account, document)
    assert not any(counts(new_account).values())


def test_a_damaged_check_in_changes_nothing_in_an_account_that_has_data(wellbeing, member):
    document = moved(export_document(member))
    CheckIn.objects.owned_by(member).filter(day=date(2024, 3, 1)).delete()
    Assessment.objects.owned_by(member).filter(instrument="mspss").delete()
    before = counts(member)
    document["checkins"][-1]["stress"] = 12
    with pytest.raises(ImportFileError, match="Check-in 4"):
        import_document(member, document)
    assert counts(member) == before


def test_a_failure_while_writing_undoes_the_whole_import(
    wellbeing, member, new_account, monkeypatch
):
    from closeknit.wellbeing import importing

    def fail(*args: Any) -> None:
        raise RuntimeError("the disk is full")

    # Everything before the results (people, groups, contacts, check-ins) is written by then.
    monkeypatch.setattr(importing, "_import_results", fail)
    with pytest.raises(RuntimeError):
        import_document(new_account, moved(export_document(member)))
    assert not any(counts(new_account).values())


# Speed ------------------------------------------------------------------------------


def test_import_queries_do_not_grow_with_the_number_of_check_ins(make_user):
    def queries(size: int) -> int:
        source = make_user(f"source-{size}@example.org")
        populate(source, size)
        document = moved(export_document(source))
        target = make_user(f"target-{size}@example.org")
        with CaptureQueriesContext(connection) as context:
            import_document(target, document)
        return len(context.captured_queries)

    # Only the database's batch size adds any.
    assert queries(40) <= queries(2) + 2
