"""Free-text notes never reach the database file in plaintext."""

from __future__ import annotations

import pytest
from django.db import connection

from closeknit.accounts.models import User
from closeknit.network.models import Group, Interaction, Person
from closeknit.recovery.models import (
    Appointment,
    CopingStrategy,
    CopingUse,
    Goal,
    GoalReflection,
    SafetyPlanVersion,
)
from closeknit.wellbeing.models import Assessment, CheckIn

SECRETS = {
    "person": "Sam knows about the relapse in March",
    "group": "We share first names only in this circle",
    "interaction": "Told Ada about the panic attacks on the bus",
    "goal": "Because my daughter deserves a dad who shows up",
    "reflection": "The second week was harder than I expected",
    "appointment": "Talk about the medication side effects",
    "coping": "Cold water on my face when the panic starts",
    "coping use": "It helped after the argument with Mum",
    "safety plan": "When I start giving my things away",
    "check-in": "Woke at four and couldn't face the day",
}


def _store_secrets() -> None:
    owner = User.objects.create_user("private@example.org", "x")
    person = Person.objects.create(owner=owner, name="Sam", notes=SECRETS["person"])
    Group.objects.create(owner=owner, name="Circle", notes=SECRETS["group"])
    contact = Interaction.objects.create(owner=owner, note=SECRETS["interaction"])
    contact.people.add(person)
    goal = Goal.objects.create(owner=owner, title="Show up", why=SECRETS["goal"])
    GoalReflection.objects.create(owner=owner, goal=goal, text=SECRETS["reflection"])
    Appointment.objects.create(
        owner=owner, kind="therapy", starts_at=contact.occurred_at, notes=SECRETS["appointment"]
    )
    strategy = CopingStrategy.objects.create(
        owner=owner, title="Splash", description=SECRETS["coping"]
    )
    CopingUse.objects.create(owner=owner, strategy=strategy, helped=4, note=SECRETS["coping use"])
    CheckIn.objects.create(owner=owner, day=contact.occurred_at.date(), note=SECRETS["check-in"])
    # Answers are encrypted too: a stored "[3, 3, …]" would tell of item 9.
    Assessment.objects.create(owner=owner, instrument="phq9", answers=[0, 0, 0, 0, 0, 0, 0, 0, 3])
    SafetyPlanVersion.objects.create(
        owner=owner,
        sections={
            "warning_signs": {"items": [SECRETS["safety plan"]]},
            "ask_for_help": {"people": [person.pk]},
        },
    )


def _database_bytes_sqlite(tmp_path) -> bytes:
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:
        # VACUUM INTO writes the whole database, including free pages' live data, to a file.
        cursor.execute("VACUUM INTO %s", [str(copy)])
    return copy.read_bytes()


def _database_text_postgres() -> str:
    tables = connection.introspection.table_names()
    dump = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" t')
            dump.extend(row[0] for row in cursor.fetchall())
    return "\n".join(dump)


@pytest.mark.django_db(transaction=True)
def test_notes_are_not_stored_in_plaintext(tmp_path):
    _store_secrets()
    if connection.vendor == "sqlite":
        stored = _database_bytes_sqlite(tmp_path)
        for secret in SECRETS.values():
            assert secret.encode() not in stored
        assert b"Sam" in stored  # names are not secret; proves we read the right database
    else:
        assert connection.vendor == "postgresql"
        stored_text = _database_text_postgres()
        for secret in SECRETS.values():
            assert secret not in stored_text
        assert "private@example.org" in stored_text


@pytest.mark.django_db
def test_notes_read_back_as_plaintext():
    _store_secrets()
    assert Person.objects.get().notes == SECRETS["person"]
    assert Group.objects.get().notes == SECRETS["group"]
    assert Interaction.objects.get().note == SECRETS["interaction"]
    plan = SafetyPlanVersion.objects.get().sections
    assert plan["warning_signs"]["items"] == [SECRETS["safety plan"]]
    assert CheckIn.objects.get().note == SECRETS["check-in"]
    assert Assessment.objects.get().answers == [0, 0, 0, 0, 0, 0, 0, 0, 3]
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM wellbeing_assessment")
        (answers,) = cursor.fetchone()
    assert answers.startswith("gAAAA")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM network_interaction")
        (raw,) = cursor.fetchone()
    assert raw.startswith("gAAAA")  # a Fernet token


@pytest.mark.django_db
def test_empty_notes_stay_empty():
    owner = User.objects.create_user("a@example.org", "x")
    Person.objects.create(owner=owner, name="Lee")
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM network_person")
        assert cursor.fetchone() == ("",)
