"""`closeknit demo`: a demo member from the command line, and pruning old ones."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.demo.generate import demo_members
from closeknit.network.models import Person

pytestmark = pytest.mark.django_db


def test_demo_creates_a_demo_member_and_explains_how_to_sign_in(cli):
    run = cli("demo", "--email", "Try@Example.org", "--seed", "3")
    assert run.code == 0, run.err
    member = User.objects.get(email="try@example.org")
    assert member.is_demo
    assert not member.has_usable_password()
    assert "try@example.org" in run.out
    assert "closeknit user set-password try@example.org --password-stdin" in run.out
    people = Person.objects.owned_by(member).count()
    assert f"{people} people" in run.out


def test_demo_without_email_uses_a_reserved_address_and_the_next_one_when_taken(cli):
    assert cli("demo").code == 0
    assert cli("demo").code == 0
    emails = set(demo_members().values_list("email", flat=True))
    assert emails == {"demo@closeknit.invalid", "demo-2@closeknit.invalid"}


def test_demo_refuses_an_email_that_has_an_account(cli, member):
    run = cli("demo", "--email", "member@example.org")
    assert run.code == 1
    assert "already an account" in run.err
    assert not Person.objects.exists()
    assert not User.objects.get(email="member@example.org").is_demo


def test_demo_refuses_an_unknown_scale(cli):
    run = cli("demo", "--scale", "gigantic")
    assert run.code == 2
    assert not User.objects.exists()


def test_prune_older_than_deletes_only_old_demo_members(cli, member):
    now = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(hours=48), tick=False):
        assert cli("demo", "--email", "old@example.org").code == 0
    with time_machine.travel(now - dt.timedelta(hours=1), tick=False):
        assert cli("demo", "--email", "new@example.org").code == 0
    with time_machine.travel(now, tick=False):
        run = cli("demo", "--prune-older-than", "24")
    assert run.code == 0, run.err
    assert run.out.strip() == "Removed 1 demo member older than 24 hours."
    assert set(demo_members().values_list("email", flat=True)) == {"new@example.org"}
    assert User.objects.filter(email="member@example.org").exists()
    # The old demo's made-up supporters went with it; the new one keeps its two.
    assert User.objects.filter(is_demo=True).count() == 1 + 2


def test_prune_needs_a_positive_number_of_hours(cli):
    run = cli("demo", "--prune-older-than", "-3")
    assert run.code == 2
    assert "more than 0" in run.err
