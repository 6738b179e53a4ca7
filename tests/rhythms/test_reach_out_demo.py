"""The small demo member's reach-out list looks like a real person's: a few people it has been
a while with, a birthday coming up, and nothing absurd."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.demo.cast import CAST
from closeknit.demo.generate import create_demo_member
from closeknit.rhythms import ranking, reach_out

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London


@pytest.fixture
def demo(db) -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


@pytest.fixture
def found(demo: User) -> reach_out.ReachOut:
    return reach_out.reach_out(demo, NOW)


def test_the_people_written_as_overdue_are_on_the_list(found):
    overdue = {cast.name for cast in CAST if cast.overdue}
    listed = {one.name for one in found.suggestions if one.reason_kind == ranking.RHYTHM}
    assert overdue <= listed


def test_the_birthday_coming_up_is_on_the_list(found):
    soon = {cast.name for cast in CAST if cast.birthday_soon}
    listed = {one.name for one in found.suggestions if one.reason_kind == ranking.OCCASION}
    assert soon and soon <= listed
    [priya] = [one for one in found.suggestions if one.name in soon]
    assert "birthday" in priya.reason


def test_the_list_is_a_handful_and_nothing_is_absurd(found):
    assert found.people == len(CAST)
    assert 3 <= len(found.suggestions) <= 15
    for one in found.suggestions:
        assert one.days_since_contact is None or 1 <= one.days_since_contact <= 365
        if one.reason_kind == ranking.RHYTHM:
            assert one.rhythm_days is not None
            assert one.days_since_contact <= ranking.RATIO_CAP * one.rhythm_days


def test_the_most_overdue_comes_first(found):
    first = found.suggestions[0]
    assert first.reason_kind == ranking.RHYTHM
    assert first.reason.startswith(f"You and {first.short_name} last talked ")
