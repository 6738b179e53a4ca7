"""Benchmarks: how fast Closeknit answers for a member with a large network.

Builds the heavy demo member (≈1,000 people, 50,000 contacts over 10 years) in
a throwaway data directory (SQLite, or DATABASE_URL when set), then times the
pages and API calls a member uses most and prints the figures. Run with
`make bench`. Nothing here asserts a time: these are measurements to compare
between changes (tests assert what is deterministic, such as query counts).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("CLOSEKNIT_DATA_DIR", tempfile.mkdtemp(prefix="closeknit-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeknit.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django

django.setup()

import background  # bench/background.py: the worker's planning and delivery
from django.core.management import call_command
from django.db import connection, reset_queries
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rich.console import Console
from rich.table import Table

from closeknit.accounts.models import ApiToken, User
from closeknit.demo.generate import create_demo_member
from closeknit.insights.store import MAX_RANGE_DAYS
from closeknit.network.exporting import export_document
from closeknit.network.importing import import_vcard
from closeknit.network.models import Group, Interaction, Person
from closeknit.wellbeing.store import today as local_today

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
console = Console()


def timed(fn: Callable[[], Any], repeat: int = REPEAT) -> tuple[list[float], int]:
    fn()  # warm caches, as a real server would have
    samples = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return samples, queries


def vcards(n: int) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bench Person {i}\r\nN:Person {i};Bench;;;\r\n"
        f"EMAIL:bench{i}@example.org\r\nTEL:+44 7700 {i:06d}\r\nEND:VCARD\r\n"
        for i in range(n)
    )


def main() -> int:
    console.print(
        f"Database: [bold]{connection.vendor}[/bold]; data dir {os.environ['CLOSEKNIT_DATA_DIR']}"
    )
    call_command("migrate", verbosity=0)
    os.makedirs(os.path.join(os.environ["CLOSEKNIT_DATA_DIR"], "static"), exist_ok=True)
    start = time.perf_counter()
    member = create_demo_member(email="bench-heavy@example.org", scale="heavy", seed=1)
    build_s = time.perf_counter() - start
    people = Person.objects.owned_by(member).count()
    contacts = Interaction.objects.owned_by(member).count()
    console.print(
        f"Heavy demo member: {people} people, {contacts} contacts, built in {build_s:.1f} s"
    )

    client = Client()
    client.force_login(member)
    busiest = (
        Person.objects.owned_by(member).annotate(n=Count("interactions")).order_by("-n").first()
    )
    group = Group.objects.owned_by(member).first()
    _, secret = ApiToken.issue(member, "bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    three_years_ago = local_today(member) - dt.timedelta(days=MAX_RANGE_DAYS - 1)
    checks: list[tuple[str, Callable[[], Any]]] = [
        ("home page", lambda: client.get("/")),
        ("people list, page 1", lambda: client.get("/people/")),
        ("people list, search", lambda: client.get("/people/?q=an")),
        ("people list, page 10", lambda: client.get("/people/?page=10")),
        (f"person page ({busiest.name})", lambda: client.get(f"/people/{busiest.pk}/")),
        ("contact log, page 1", lambda: client.get("/contact/")),
        ("group page", lambda: client.get(f"/groups/{group.pk}/") if group else None),
        ("API: interactions, 50", lambda: client.get("/api/v1/interactions", **auth)),
        ("API: people, 50", lambda: client.get("/api/v1/people", **auth)),
        ("check-in page", lambda: client.get("/checkin/")),
        ("check-in calendar", lambda: client.get("/checkins/")),
        ("questionnaires", lambda: client.get("/questionnaires/")),
        ("PHQ-9 results over time", lambda: client.get("/questionnaires/phq9/history/")),
        ("API: check-ins, 50", lambda: client.get("/api/v1/checkins", **auth)),
        ("reach-out list", lambda: client.get("/reach-out/")),
        ("API: reach-out list, 50", lambda: client.get("/api/v1/reach-out", **auth)),
        ("insights: your network", lambda: client.get("/insights/")),
        ("insights: connection, a year", lambda: client.get("/insights/wellbeing/")),
        (
            "insights: connection, 3 years",
            lambda: client.get(f"/insights/wellbeing/?from={three_years_ago}"),
        ),
        ("API: insights, network", lambda: client.get("/api/v1/insights/network", **auth)),
        ("API: insights, connection", lambda: client.get("/api/v1/insights/connection", **auth)),
        (
            "API: score a PHQ-9",
            lambda: client.post(
                "/api/v1/assessments",
                {"instrument": "phq9", "answers": [1, 0, 1, 0, 1, 0, 1, 0, 0]},
                content_type="application/json",
                **auth,
            ),
        ),
    ]
    table = Table(title=f"Median of {REPEAT} runs after one warm-up")
    for column in ("what", "median ms", "p90 ms", "queries"):
        table.add_column(column, justify="left" if column == "what" else "right")
    for label, fn in checks:
        samples, queries = timed(fn)
        p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) > 1 else samples[0]
        table.add_row(label, f"{statistics.median(samples):.1f}", f"{p90:.1f}", str(queries))

    samples, queries = timed(lambda: export_document(member), repeat=3)
    table.add_row(
        "JSON export of everything", f"{statistics.median(samples):.0f}", "", str(queries)
    )

    fresh = User.objects.create_user("bench-import@example.org", None)
    data = vcards(1000)
    start = time.perf_counter()
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        result = import_vcard(fresh, data)
    table.add_row(
        f"vCard import, 1,000 contacts ({result.created} new)",
        f"{(time.perf_counter() - start) * 1000:.0f}",
        "",
        str(len(ctx.captured_queries)),
    )
    background.run(table)
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
