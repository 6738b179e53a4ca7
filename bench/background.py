"""Benchmarks of the background work: planning reminders for many members, and delivering
the outbox to a webhook receiver on loopback. Called by bench/run.py."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rich.table import Table

from closeknit.accounts.models import User
from closeknit.circle import early_warning, rules
from closeknit.circle.models import RuleSetting
from closeknit.demo.generate import create_demo_member
from closeknit.notify import delivery, reminders
from closeknit.notify.models import Channel, Message
from closeknit.notify.outbox import enqueue

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.receivers import HttpReceiver  # the tests' real loopback receiver

MEMBERS = 50
MESSAGES = 500


def _webhook(owner: User, url: str) -> Channel:
    return Channel.objects.create(
        owner=owner,
        kind="webhook",
        config={"url": url, "secret": "bench-secret"},
        verified_at=timezone.now(),
    )


def add_rows(table: Table, receiver_url: str) -> None:
    # Members with small demo networks, each with a verified channel, at 10:00 in London:
    # after their reminder time, so the first pass plans every one of them.
    members = [
        create_demo_member(email=f"bench-plan-{n}@example.org", scale="small", seed=n)
        for n in range(MEMBERS)
    ]
    for member in members:
        _webhook(member, receiver_url + "/plan")
    morning = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)

    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        planned = reminders.plan(morning)
        first_ms = (time.perf_counter() - start) * 1000
    table.add_row(
        f"plan reminders, {MEMBERS} members, first pass ({planned} messages)",
        f"{first_ms:.0f}",
        "",
        str(len(ctx.captured_queries)),
    )
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        reminders.plan(morning + dt.timedelta(seconds=30))
        again_ms = (time.perf_counter() - start) * 1000
    table.add_row(
        f"plan reminders, {MEMBERS} members, a pass with nothing new",
        f"{again_ms:.1f}",
        "",
        str(len(ctx.captured_queries)),
    )
    Message.objects.all().delete()
    add_early_warning_rows(table, members, morning)
    Message.objects.all().delete()

    owner = members[0]
    channel = _webhook(owner, receiver_url + "/hook")
    for n in range(MESSAGES):
        enqueue(owner, key=f"bench:{n}", kind="reach_out", title=f"Message {n}", channel=channel)
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        handled = 0
        while batch := delivery.deliver_due(limit=100):
            handled += batch
        elapsed = time.perf_counter() - start
    table.add_row(
        f"deliver {handled} webhook messages (per message; {handled / elapsed:.0f} a second)",
        f"{elapsed * 1000 / handled:.2f}",
        "",
        f"{len(ctx.captured_queries) / handled:.1f}",
    )


def add_early_warning_rows(table: Table, members: list[User], morning: dt.datetime) -> None:
    """The worker's once-a-day look at early-warning rules: every rule on, for every member.

    The thresholds are set so that the check-in and contact rules fire for most demo
    members, so the first pass measures firing and nudging, not only looking.
    """
    fires_easily = {
        rules.STRESS_HIGH: (1, 1, 7),
        rules.MOOD_LOW: (9, 1, 7),
        rules.NO_CONTACT: (None, None, 1),
        rules.MISSED_APPOINTMENTS: (None, None, None),
    }
    RuleSetting.objects.bulk_create(
        RuleSetting(
            owner=member,
            kind=kind,
            enabled=True,
            threshold=threshold,
            days_needed=needed,
            window_days=window,
            cooldown_days=7,
        )
        for member in members
        for kind, (threshold, needed, window) in fires_easily.items()
    )
    for label, moment in (
        ("first pass", morning),
        ("a pass with nothing new", morning + dt.timedelta(seconds=30)),
    ):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            made = early_warning.check(moment)
            elapsed_ms = (time.perf_counter() - start) * 1000
        table.add_row(
            f"early-warning rules, {MEMBERS} members × 4 rules, {label} ({made} messages)",
            f"{elapsed_ms:.1f}",
            "",
            str(len(ctx.captured_queries)),
        )


def run(table: Table) -> None:
    receiver = HttpReceiver().start()
    try:
        with override_settings(HTTP_ALLOW_PRIVATE=True):
            add_rows(table, receiver.url)
    finally:
        receiver.stop()
