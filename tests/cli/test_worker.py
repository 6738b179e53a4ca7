"""`closeknit worker`: the command line around the loop in closeknit.notify.worker."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import timezone

from closeknit.notify.models import Channel, Message
from closeknit.notify.outbox import enqueue


def test_help_lists_the_worker(cli):
    run = cli()
    assert "worker" in run.err


def test_worker_help_explains_once(cli):
    run = cli("worker", "--help")
    assert run.code == 0
    assert "--once" in run.out


@pytest.mark.django_db
def test_worker_once_sends_what_is_due_and_exits(cli, member, smtp_inbox):
    channel = Channel.objects.create(
        owner=member,
        kind="email",
        config={"address": "robin@example.org"},
        verified_at=timezone.now(),
    )
    enqueue(member, key="k1", kind="reach_out", title="Maybe reach out today", channel=channel)
    run = cli("worker", "--once")
    assert run.code == 0, run.err
    (mail,) = smtp_inbox.messages
    assert mail["Subject"] == "Maybe reach out today"
    assert Message.objects.get().status == "sent"


@pytest.mark.django_db
def test_worker_once_with_nothing_to_do(cli):
    assert cli("worker", "--once").code == 0


def test_a_worker_on_a_database_that_isnt_migrated_says_what_to_do(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CLOSEKNIT_ENCRYPTION_KEYS"}
    }
    env.update(CLOSEKNIT_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "closeknit.cli", "worker", "--once"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 1
    assert "closeknit migrate" in done.stderr
    assert "Traceback" not in done.stderr
