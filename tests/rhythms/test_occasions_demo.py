"""The demo member's occasions and notes of thanks: something to mark soon, kind, repeatable."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.demo.generate import create_demo_member
from closeknit.notify.models import Message
from closeknit.rhythms import occasions_store
from closeknit.rhythms.models import Appreciation, Occasion

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London
LONDON = ZoneInfo("Europe/London")
TODAY = NOW.astimezone(LONDON).date()


@pytest.fixture
def demo(db) -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


def _signature(member: User) -> tuple:
    occasions = [
        (o.kind, o.title, o.day, o.repeats_yearly, o.person.name if o.person else None)
        for o in Occasion.objects.owned_by(member).order_by("day", "title")
    ]
    notes = [
        (a.person.name if a.person else None, a.text, a.written_at)
        for a in Appreciation.objects.owned_by(member).order_by("written_at")
    ]
    return occasions, notes


def test_a_recovery_start_about_three_months_back_with_a_milestone_this_week(demo):
    [start] = Occasion.objects.owned_by(demo).filter(kind="recovery")
    assert start.day == TODAY - dt.timedelta(days=86)
    assert start.repeats_yearly
    week = occasions_store.upcoming(demo, TODAY, TODAY + dt.timedelta(days=7))
    assert "90 days since you started your recovery" in [one.title for one in week]


def test_the_next_sixty_days_hold_a_birthday_an_anniversary_and_a_party(demo):
    found = occasions_store.upcoming(demo, TODAY, TODAY + dt.timedelta(days=59))
    by_kind: dict[str, list[str]] = {}
    for one in found:
        by_kind.setdefault(one.kind, []).append(one.title)
    assert "Priya's birthday" in by_kind["birthday"]
    assert by_kind["anniversary"] == ["The day Jamie and I met"]
    assert by_kind["custom"] == ["Priya's housewarming"]
    [met] = [one for one in found if one.kind == "anniversary"]
    assert met.years == 6
    assert met.person_id is not None
    assert all(one.prompt for one in found)


def test_occasions_name_people_of_the_network(demo):
    partner = Occasion.objects.owned_by(demo).get(title="The day Jamie and I met").person
    assert partner is not None and partner.name == "Jamie Carter"
    assert partner.owner == demo


def test_a_few_notes_of_thanks_to_the_people_who_helped(demo):
    notes = list(Appreciation.objects.owned_by(demo).select_related("person"))
    assert 4 <= len(notes) <= 8
    names = {note.person.name for note in notes if note.person}
    assert {"Jamie Carter", "Priya Shah", "Noor Haddad", "Margaret Brooks"} <= names
    assert any(note.person is None for note in notes)  # one just for themselves
    for note in notes:
        assert NOW - dt.timedelta(days=120) < note.written_at < NOW
        assert note.text.startswith(("Thank", "Grateful"))
        assert note.send_at is None and note.send_to == ""


def test_the_note_after_the_group_is_written_on_a_tuesday_evening(demo):
    [note] = Appreciation.objects.owned_by(demo).filter(person__isnull=True)
    local = note.written_at.astimezone(LONDON)
    assert local.weekday() == 1
    assert local.hour >= 18


def test_the_demo_never_sends_anything(demo):
    assert not Message.objects.owned_by(demo).exists()


def test_the_same_seed_gives_the_same_days_and_notes(demo):
    with time_machine.travel(NOW, tick=False):
        again = create_demo_member("demo2@example.org", seed=7)
    assert _signature(again) == _signature(demo)


def test_the_demo_pages_show_them(demo, client):
    client.force_login(demo)
    with time_machine.travel(NOW, tick=False):
        occasions = client.get(reverse("rhythms:occasions")).content.decode()
        thanks = client.get(reverse("rhythms:appreciations")).content.decode()
        home = client.get(reverse("network:home")).content.decode()
    assert "90 days since you started your recovery" in occasions
    assert "Priya&#x27;s housewarming" in occasions or "Priya's housewarming" in occasions
    assert "care package" in thanks
    assert "Days to mark this week" in home
