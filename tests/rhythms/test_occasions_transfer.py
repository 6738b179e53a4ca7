"""Occasions and notes of thanks in the JSON export, and back into an account."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.accounts.models import User
from closeknit.network.exporting import export_document
from closeknit.network.importing import ImportFileError, ImportResult, import_document
from closeknit.network.models import Person
from closeknit.notify.models import Message
from closeknit.rhythms import appreciations_store
from closeknit.rhythms.exporting import rhythms_document
from closeknit.rhythms.models import Appreciation, Occasion

RHYTHMS_KEYS = ["occasions", "appreciations"]
MOMENT = datetime(2026, 3, 18, 10, 30, tzinfo=UTC)
LATER = datetime(2026, 6, 14, 8, 0, tzinfo=UTC)


@pytest.fixture
def moved(db: Any) -> User:
    return User.objects.create_user("moved@example.org", "a-long-and-kind-passphrase")


@pytest.fixture
def kept(member: User, network: dict[str, Any]) -> dict[str, Any]:
    sam = network["sam"]
    recovery = Occasion.objects.create(
        owner=member,
        kind="recovery",
        title="My recovery",
        day=date(2026, 1, 10),
        created_at=MOMENT - timedelta(days=60),
    )
    met = Occasion.objects.create(
        owner=member,
        kind="anniversary",
        title="The day Sam and I met",
        day=date(2019, 4, 1),
        person=sam,
        created_at=MOMENT - timedelta(days=5),
    )
    party = Occasion.objects.create(
        owner=member,
        kind="custom",
        title="Housewarming",
        day=date(2026, 5, 2),
        repeats_yearly=False,
        created_at=MOMENT,
    )
    soup = Appreciation.objects.create(
        owner=member,
        person=sam,
        text="Thank you for the soup.\nIt helped.",
        written_at=MOMENT - timedelta(days=3),
    )
    sunday = Appreciation(owner=member, person=sam, text="For Sunday.", written_at=MOMENT)
    appreciations_store.save_note(member, sunday, send=True, send_at=LATER, now=MOMENT)
    mine = Appreciation.objects.create(
        owner=member, text="A quiet morning.", written_at=MOMENT - timedelta(days=10)
    )
    return {
        "recovery": recovery,
        "met": met,
        "party": party,
        "soup": soup,
        "sunday": sunday,
        "mine": mine,
        "sam": sam,
    }


# The export ------------------------------------------------------------------------------


def test_the_keeping_in_touch_keys_follow_the_wellbeing_ones(kept, member):
    document = export_document(member)
    keys = list(document)
    after = keys.index("questionnaire_schedules") + 1
    # The circle's keys come after these (see tests/circle/test_transfer.py).
    assert keys[after : after + len(RHYTHMS_KEYS)] == RHYTHMS_KEYS
    json.dumps(document)


def test_occasions_by_day_with_their_person(kept, member):
    sam = kept["sam"].pk
    assert export_document(member)["occasions"] == [
        {
            "kind": "anniversary",
            "title": "The day Sam and I met",
            "day": "2019-04-01",
            "repeats_yearly": True,
            "person": sam,
            "created_at": "2026-03-13T10:30:00+00:00",
        },
        {
            "kind": "recovery",
            "title": "My recovery",
            "day": "2026-01-10",
            "repeats_yearly": True,
            "person": None,
            "created_at": "2026-01-17T10:30:00+00:00",
        },
        {
            "kind": "custom",
            "title": "Housewarming",
            "day": "2026-05-02",
            "repeats_yearly": False,
            "person": None,
            "created_at": "2026-03-18T10:30:00+00:00",
        },
    ]


def test_notes_oldest_first_decrypted_with_where_they_were_to_go(kept, member):
    sam = kept["sam"].pk
    assert export_document(member)["appreciations"] == [
        {
            "person": None,
            "text": "A quiet morning.",
            "written_at": "2026-03-08T10:30:00+00:00",
            "send_to": "",
            "send_at": None,
        },
        {
            "person": sam,
            "text": "Thank you for the soup.\nIt helped.",
            "written_at": "2026-03-15T10:30:00+00:00",
            "send_to": "",
            "send_at": None,
        },
        {
            "person": sam,
            "text": "For Sunday.",
            "written_at": "2026-03-18T10:30:00+00:00",
            "send_to": "sam@example.org",
            "send_at": "2026-06-14T08:00:00+00:00",
        },
    ]


def test_an_empty_account_exports_empty_lists(member):
    document = export_document(member)
    assert all(document[key] == [] for key in RHYTHMS_KEYS)


def test_the_export_holds_only_the_members_own(kept, member, stranger):
    Occasion.objects.create(owner=stranger, kind="custom", title="Theirs", day=date(2026, 1, 1))
    Appreciation.objects.create(owner=stranger, text="Their thanks")
    text = json.dumps(export_document(member))
    assert "Theirs" not in text and "Their thanks" not in text
    assert export_document(stranger)["occasions"][0]["title"] == "Theirs"


def test_someone_not_in_the_export_is_left_out(member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Not mine")
    Occasion.objects.create(
        owner=member, kind="custom", title="Odd", day=date(2026, 1, 1), person=theirs
    )
    assert rhythms_document(member, set())["occasions"][0]["person"] is None


def test_two_queries_however_many(kept, member, django_assert_num_queries):
    with django_assert_num_queries(2):
        rhythms_document(member, {kept["sam"].pk})


# The import ------------------------------------------------------------------------------


def test_round_trip_into_a_new_account(kept, member, moved):
    document = export_document(member)
    result = import_document(moved, document)
    network = len(document["people"]) + len(document["groups"]) + len(document["interactions"])
    assert result.created == network + 3 + 3
    sam = Person.objects.owned_by(moved).get(name="Sam Rivera")
    assert list(
        Occasion.objects.owned_by(moved)
        .order_by("day")
        .values_list("kind", "title", "day", "repeats_yearly", "person")
    ) == [
        ("anniversary", "The day Sam and I met", date(2019, 4, 1), True, sam.pk),
        ("recovery", "My recovery", date(2026, 1, 10), True, None),
        ("custom", "Housewarming", date(2026, 5, 2), False, None),
    ]
    notes = Appreciation.objects.owned_by(moved).order_by("written_at")
    assert [(n.person_id, n.text, n.written_at) for n in notes] == [
        (None, "A quiet morning.", MOMENT - timedelta(days=10)),
        (sam.pk, "Thank you for the soup.\nIt helped.", MOMENT - timedelta(days=3)),
        (sam.pk, "For Sunday.", MOMENT),
    ]
    # The new server never sends what the old one may already have sent.
    sunday = notes.last()
    assert (sunday.send_to, sunday.send_at) == ("sam@example.org", None)
    assert not Message.objects.owned_by(moved).exists()


def test_importing_twice_changes_nothing(kept, member, moved):
    document = export_document(member)
    import_document(moved, document)
    once = export_document(moved)
    total = sum(len(document[key]) for key in ("people", "groups", "interactions", *RHYTHMS_KEYS))
    assert import_document(moved, document) == ImportResult(0, 0, total)
    again = export_document(moved)
    assert again["occasions"] == once["occasions"]
    assert again["appreciations"] == once["appreciations"]


def test_importing_back_into_the_same_account_changes_nothing(kept, member):
    document = export_document(member)
    import_document(member, document)
    assert Occasion.objects.owned_by(member).count() == 3
    assert Appreciation.objects.owned_by(member).count() == 3


def test_the_same_title_in_other_case_is_the_same_occasion(kept, member, moved):
    Occasion.objects.create(
        owner=moved, kind="recovery", title="MY  recovery", day=date(2026, 1, 10)
    )
    import_document(moved, export_document(member))
    assert Occasion.objects.owned_by(moved).filter(kind="recovery").count() == 1


def test_a_recovery_start_without_a_title_gets_the_usual_one(member, moved):
    document = export_document(member)
    document["occasions"] = [{"kind": "recovery", "day": "2026-01-10", "repeats_yearly": False}]
    import_document(moved, document)
    occasion = Occasion.objects.owned_by(moved).get()
    assert (occasion.title, occasion.repeats_yearly) == ("My recovery", True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["occasions"][0].update(kind="birthday"),
            "Occasion 1: “birthday” isn't a kind",
        ),
        (lambda d: d["occasions"][0].update(title=""), "Occasion 1: its “title” is empty"),
        (lambda d: d["occasions"][0].update(day="soon"), "Occasion 1: its “day” should be a date"),
        (lambda d: d["occasions"][1].update(day=None), "Occasion 2: its “day” is empty"),
        (lambda d: d["occasions"][0].update(day="1850-01-01"), "before 1900"),
        (lambda d: d["occasions"][0].update(person=999999), "names a person (999999)"),
        (lambda d: d["occasions"][0].update(repeats_yearly="yes"), "“repeats_yearly” should be"),
        (lambda d: d["appreciations"][0].update(text=" "), "Note of thanks 1: its “text” is empty"),
        (lambda d: d["appreciations"][1].update(written_at="yesterday"), "Note of thanks 2: its"),
        (lambda d: d["appreciations"][2].update(send_to="not an address"), "isn't an e-mail"),
        (lambda d: d["appreciations"][2].update(send_at="later"), "“send_at” should be a time"),
        (lambda d: d.update(occasions={"a": 1}), "“occasions” should be a list"),
        (lambda d: d["appreciations"].append("hello"), "Note of thanks 4: this should be"),
    ],
)
def test_a_damaged_record_is_named_and_nothing_is_imported(kept, member, moved, change, message):
    document = export_document(member)
    change(document)
    with pytest.raises(ImportFileError) as error:
        import_document(moved, document)
    assert message in str(error.value)
    assert not Person.objects.owned_by(moved).exists()
    assert not Occasion.objects.owned_by(moved).exists()
    assert not Appreciation.objects.owned_by(moved).exists()


def test_an_import_writes_in_a_fixed_number_of_queries(member, moved, network):
    def queries_for(size: int, who: User) -> int:
        document = export_document(member)
        document["occasions"] = [
            {
                "kind": "custom",
                "title": f"Day {n}",
                "day": "2026-01-01",
                "person": network["sam"].pk,
            }
            for n in range(size)
        ]
        document["appreciations"] = [
            {"text": f"Thanks {n}", "written_at": "2026-01-01T10:00:00+00:00"} for n in range(size)
        ]
        with CaptureQueriesContext(connection) as captured:
            import_document(who, document)
        return len(captured)

    other = User.objects.create_user("other@example.org", "a-long-and-kind-passphrase")
    assert queries_for(3, moved) == queries_for(40, other)
