"""The command line itself: help, usage errors, migrate and manage."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from closeknit import cli as cli_module


def test_without_a_command_it_shows_help_and_fails(cli):
    run = cli()
    assert run.code == 2
    assert "serve" in run.err and "import" in run.err and "keys" in run.err


def test_an_unknown_command_is_a_usage_error(cli):
    run = cli("frobnicate")
    assert run.code == 2
    assert "invalid choice" in run.err


def test_a_command_group_without_its_subcommand_shows_its_help(cli):
    run = cli("keys")
    assert run.code == 2
    assert "rotate" in run.err and "generate" in run.err


def test_keys_generate_prints_a_fernet_key(cli):
    run = cli("keys", "generate")
    assert run.code == 0
    key = run.out.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


@pytest.mark.django_db
def test_migrate_applies_migrations(cli):
    run = cli("migrate")
    assert run.code == 0, run.err
    assert "No migrations to apply" in run.out


@pytest.mark.django_db
def test_manage_passes_everything_on_to_django(cli):
    run = cli("manage", "check", "--fail-level", "ERROR")
    assert run.code == 0, run.err
    assert "System check identified" in run.out or "System check identified" in run.err


def test_manage_reports_django_errors_as_a_failure(cli):
    run = cli("manage", "no-such-command")
    assert run.code == 1
    assert "Unknown command" in run.err


@pytest.mark.parametrize(
    ("host", "bind", "url"),
    [
        ("127.0.0.1", "127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "0.0.0.0:8000", "http://127.0.0.1:8000/"),
        ("::", "[::]:8000", "http://[::1]:8000/"),
        ("::1", "[::1]:8000", "http://[::1]:8000/"),
        ("closeknit.lan", "closeknit.lan:8000", "http://closeknit.lan:8000/"),
    ],
)
def test_serve_binds_and_shows_a_url_that_opens(host, bind, url):
    assert cli_module._bind_address(host, 8000) == bind
    assert cli_module._url_to_open(host, 8000) == url


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "http"], ["--workers", "0"]])
def test_serve_refuses_impossible_ports_and_worker_counts(cli, args):
    run = cli("serve", *args)
    assert run.code == 2
    assert "serve: error" in run.err


@pytest.mark.parametrize(
    ("counts", "whole_account", "summary"),
    [
        ((12, 3, 2), False, "Added 12 people, merged 3, skipped 2."),
        ((1, 0, 0), False, "Added 1 person, merged 0, skipped 0."),
        ((1200, 0, 1), False, "Added 1,200 people, merged 0, skipped 1."),
        (
            (40, 0, 0),
            True,
            "Added 40 entries (people, groups, contacts, your recovery plan, check-ins, questionnaires, occasions, notes of thanks, early-warning rules and encouragement), merged 0, skipped 0.",
        ),
    ],
)
def test_import_summary_counts_in_plain_words(counts, whole_account, summary):
    assert cli_module.import_summary(*counts, whole_account=whole_account) == summary
