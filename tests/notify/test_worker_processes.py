"""`closeknit worker` as real processes: killed outright, stopped kindly, two at once.

The workers run as separate processes with the test settings. On PostgreSQL
they share the test database (hence `transaction=True`: their rows are
committed, and emptied after the test). On SQLite the test database is in
this process's memory, out of their reach, so each test gets a database file
of its own in a temporary data directory: the file a real install uses.
Either way the test sets the data up, and reads the outcome, with small
scripts run the same way, so both databases are tested alike.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SECRET = "a-webhook-secret-for-worker-tests"
STARTUP_SECONDS = 90

SET_UP = """
import sys
import django

django.setup()
from django.utils import timezone
from closeknit.accounts.models import User
from closeknit.notify.models import Channel
from closeknit.notify.outbox import enqueue

url, secret, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
member = User.objects.create_user("worker-test@example.org", None, time_zone="Europe/London")
channel = Channel.objects.create(
    owner=member, kind="webhook", config={"url": url, "secret": secret}, verified_at=timezone.now()
)
for n in range(count):
    enqueue(member, key=f"worker-test:{n:03}", kind="reach_out", title=f"Message {n}",
            channel=channel)
"""

OUTCOME = """
import json
import django

django.setup()
from closeknit.notify.models import Message

rows = Message.objects.filter(dedup_key__startswith="worker-test:").order_by("dedup_key")
print(json.dumps([[row.dedup_key, row.status, row.attempt_log.count()] for row in rows]))
"""


def _database_url() -> str | None:
    """The test database, as DATABASE_URL for another process; None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    given = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(given._replace(path="/" + connection.settings_dict["NAME"]))


class World:
    """The environment worker processes run in, and the scripts that set it up and read it."""

    def __init__(self, tmp_path: Path, **settings: str) -> None:
        self.tmp_path = tmp_path
        left_out = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CLOSEKNIT_DATA_DIR"}
        self.env = {key: value for key, value in os.environ.items() if key not in left_out}
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            CLOSEKNIT_DATA_DIR=str(tmp_path / "data"),
            CLOSEKNIT_HTTP_ALLOW_PRIVATE="true",
            PYTHONUNBUFFERED="1",
            **settings,
        )
        url = _database_url()
        if url:
            self.env["DATABASE_URL"] = url
        else:
            self.python("-m", "closeknit.cli", "migrate")
        self.logs: list[Path] = []

    def python(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args],
            env=self.env,
            cwd=self.tmp_path,
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def set_up(self, url: str, count: int) -> None:
        self.python("-c", SET_UP, url, SECRET, str(count))

    def outcome(self) -> list[list[Any]]:
        return json.loads(self.python("-c", OUTCOME))

    def start_worker(self, *args: str) -> subprocess.Popen[bytes]:
        log = self.tmp_path / f"worker-{len(self.logs) + 1}.log"
        self.logs.append(log)
        with log.open("wb") as output:
            return subprocess.Popen(
                [sys.executable, "-m", "closeknit.cli", "worker", *args],
                env=self.env,
                cwd=self.tmp_path,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def log_text(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


def wait_until(done, timeout: float, what: str, world: World, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(every)
    raise AssertionError(f"{what} did not happen in time:\n{world.log_text()}")


def delivery_keys(receiver) -> Counter[str]:
    return Counter(request.headers["x-closeknit-delivery"] for request in list(receiver.requests))


@pytest.fixture
def receiver(http_receiver):
    return http_receiver


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_another_finishes(tmp_path, receiver):
    count = 20

    def slowly(request):
        time.sleep(0.25)
        return 200, b"{}"

    receiver.respond = slowly
    # A short lease, so the second worker need not wait long for the first one's messages;
    # HTTP must give up well within it.
    world = World(
        tmp_path,
        CLOSEKNIT_WORKER_LEASE_SECONDS="2",
        CLOSEKNIT_HTTP_TIMEOUT_SECONDS="1",
        CLOSEKNIT_WORKER_INTERVAL_SECONDS="1",
    )
    world.set_up(receiver.url + "/hook", count)

    first = world.start_worker()
    try:
        wait_until(lambda: len(receiver.requests) >= 5, STARTUP_SECONDS, "Five deliveries", world)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    assert first.returncode == -signal.SIGKILL
    assert len(delivery_keys(receiver)) < count  # it really was stopped mid-batch

    second = world.start_worker()
    try:
        # Arrived is not enough: the message that was in flight arrived already, and the
        # second worker sends it again once its lease has run out.
        wait_until(
            lambda: all(status == "sent" for _key, status, _tries in world.outcome()),
            STARTUP_SECONDS,
            "Every message being sent",
            world,
            every=0.5,
        )
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    finally:
        stop(second)
    assert second.returncode == 0, world.log_text()

    keys = delivery_keys(receiver)
    assert set(keys) == {f"worker-test:{n:03}" for n in range(count)}
    # At most the one message in flight when the worker died arrived twice, and its
    # repeat carries the same delivery key, so the receiver can drop it.
    assert sum(keys.values()) - count <= 1
    for request in receiver.requests:
        assert json.loads(request.body)["id"] == request.headers["x-closeknit-delivery"]
    rows = world.outcome()
    assert [status for _key, status, _tries in rows] == ["sent"] * count


@pytest.mark.django_db(transaction=True)
def test_sigterm_finishes_the_message_being_sent_and_exits_cleanly(tmp_path, receiver):
    count = 30

    def slowly(request):
        time.sleep(0.3)
        return 200, b"{}"

    receiver.respond = slowly
    world = World(tmp_path)
    world.set_up(receiver.url + "/hook", count)
    worker = world.start_worker()
    try:
        wait_until(lambda: len(receiver.requests) >= 3, STARTUP_SECONDS, "Deliveries", world)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    finally:
        stop(worker)
    assert worker.returncode == 0, world.log_text()
    assert "The worker stopped." in world.log_text()
    rows = world.outcome()
    sent = [key for key, status, _tries in rows if status == "sent"]
    # Everything that reached the receiver was recorded as sent, the message in flight
    # included; the rest waits for the next worker, not held by a lease.
    assert set(sent) == set(delivery_keys(receiver))
    assert len(sent) < count
    assert all(status in {"sent", "pending"} for _key, status, _tries in rows)


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_at_once_send_each_message_exactly_once(tmp_path, receiver):
    count = 40

    def a_little_slowly(request):
        time.sleep(0.02)
        return 200, b"{}"

    receiver.respond = a_little_slowly
    world = World(tmp_path)
    world.set_up(receiver.url + "/hook", count)
    workers = [world.start_worker("--once"), world.start_worker("--once")]
    try:
        for worker in workers:
            worker.wait(timeout=STARTUP_SECONDS)
    finally:
        for worker in workers:
            stop(worker)
    assert [worker.returncode for worker in workers] == [0, 0], world.log_text()
    assert delivery_keys(receiver) == Counter({f"worker-test:{n:03}": 1 for n in range(count)})
    rows = world.outcome()
    assert [(status, tries) for _key, status, tries in rows] == [("sent", 1)] * count
