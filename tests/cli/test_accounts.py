"""`closeknit user …` and `closeknit token …`."""

from __future__ import annotations

import pytest

from closeknit.accounts.models import ApiToken, User, hash_token
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery staple 42"


def test_user_create_reads_the_password_from_stdin(cli):
    run = cli(
        "user", "create", "New@Example.org", "--password-stdin",
        "--name", "Robin", "--time-zone", "Europe/London", "--country", "gb",
        stdin=GOOD + "\nsecond line is ignored\n",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "Created an account for new@example.org" in run.out
    user = User.objects.get(email="new@example.org")
    assert user.check_password(GOOD)
    assert (user.display_name, user.time_zone, user.country) == ("Robin", "Europe/London", "GB")
    assert not user.is_demo


def test_user_create_refuses_a_weak_password_and_creates_nothing(cli):
    run = cli("user", "create", "new@example.org", "--password-stdin", stdin="12345678\n")
    assert run.code == 1
    assert "too common" in run.err or "entirely numeric" in run.err
    assert "Traceback" not in run.err
    assert not User.objects.filter(email="new@example.org").exists()


def test_user_create_without_a_password_on_stdin_is_refused(cli):
    run = cli("user", "create", "new@example.org", "--password-stdin", stdin="")
    assert run.code == 1
    assert "No password" in run.err
    assert not User.objects.exists()


def test_user_create_without_password_stdin_makes_an_account_that_cannot_sign_in(cli):
    run = cli("user", "create", "new@example.org")
    assert run.code == 0
    assert "set-password" in run.out
    assert not User.objects.get(email="new@example.org").has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email"], "doesn't look like an e-mail address"),
        (["new@example.org", "--time-zone", "Mars/Olympus"], "isn't a time zone"),
        (["new@example.org", "--country", "GBR"], "two-letter country code"),
    ],
)
def test_user_create_explains_bad_input(cli, args, message):
    run = cli("user", "create", *args, "--password-stdin", stdin=GOOD)
    assert run.code == 1
    assert message in run.err
    assert not User.objects.exists()


def test_user_create_refuses_an_existing_email_in_any_case(cli, member):
    run = cli("user", "create", "MEMBER@example.org", "--password-stdin", stdin=GOOD)
    assert run.code == 1
    assert "already an account" in run.err
    assert User.objects.get(email="member@example.org").check_password(PASSWORD)


def test_set_password_changes_it(cli, member):
    run = cli("user", "set-password", "member@example.org", "--password-stdin", stdin=GOOD + "\n")
    assert run.code == 0, run.err
    member.refresh_from_db()
    assert member.check_password(GOOD)


def test_set_password_checks_it_against_the_account(cli, member):
    run = cli("user", "set-password", member.email, "--password-stdin", stdin=member.email)
    assert run.code == 1
    assert "too similar" in run.err
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_set_password_for_an_unknown_member_says_so(cli):
    run = cli("user", "set-password", "nobody@example.org", "--password-stdin", stdin=GOOD)
    assert run.code == 1
    assert run.err.strip() == "closeknit: There is no account for nobody@example.org."


def test_token_create_prints_only_the_token(cli, member):
    run = cli("token", "create", "member@example.org", "--name", "backup script")
    assert run.code == 0
    token = run.out.strip()
    assert run.out == token + "\n"
    stored = ApiToken.objects.get(owner=member)
    assert stored.name == "backup script"
    assert stored.digest == hash_token(token)


def test_token_create_for_an_unknown_member_prints_nothing_on_stdout(cli):
    run = cli("token", "create", "nobody@example.org")
    assert run.code == 1
    assert run.out == ""
    assert "no account" in run.err
    assert not ApiToken.objects.exists()
