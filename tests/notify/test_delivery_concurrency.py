"""Two workers at once: every message is sent exactly once.

Each worker is a thread with its own database connection, claiming small
batches so that the two keep reaching for the same messages.

On SQLite these run in test_worker_processes.py instead, as two worker
processes on a database file: the SQLite test database lives in memory with a
shared cache, where a table locked by one connection fails the other at once
("database table is locked") instead of waiting its turn as a file does.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from closeknit.notify import delivery
from closeknit.notify.models import Message
from tests.notify.test_delivery import outbox_message, webhook_channel

MESSAGES = 40
on_postgresql = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the in-memory SQLite test database can't take two writers at once; "
    "test_worker_processes.py runs two workers on an SQLite file instead",
)


@pytest.fixture
def slow_receiver(settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True

    def answer_after_a_moment(request):
        time.sleep(0.01)  # long enough for the other worker to claim meanwhile
        return 200, b"{}"

    http_receiver.respond = answer_after_a_moment
    return http_receiver


def run_workers(count: int, work) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def worker() -> None:
        try:
            start.wait()
            work()
        except BaseException as error:  # reported in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [1, 3, MESSAGES])
def test_two_workers_at_once_send_each_message_exactly_once(member, slow_receiver, batch):
    channel = webhook_channel(member, slow_receiver.url + "/hook")
    for n in range(MESSAGES):
        outbox_message(member, channel, f"race:{n:02}")

    def deliver_until_nothing_is_left() -> None:
        while delivery.deliver_batch(limit=batch).handled:
            pass

    run_workers(2, deliver_until_nothing_is_left)

    received = Counter(
        request.headers["x-closeknit-delivery"] for request in slow_receiver.requests
    )
    assert received == Counter({f"race:{n:02}": 1 for n in range(MESSAGES)})
    rows = Message.objects.order_by("dedup_key")
    assert [(row.status, row.attempts) for row in rows] == [("sent", 1)] * MESSAGES
    assert all(row.attempt_log.count() == 1 for row in rows)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_workers_claims_a_message(member, slow_receiver):
    channel = webhook_channel(member, slow_receiver.url + "/hook")
    outbox_message(member, channel, "only-one")
    claims: list[int] = []
    lock = threading.Lock()

    def claim() -> None:
        taken = delivery.claim()
        with lock:
            claims.append(len(taken))

    run_workers(2, claim)
    assert sorted(claims) == [0, 1]


@pytest.mark.django_db
def test_the_compare_and_set_succeeds_once(member, slow_receiver):
    channel = webhook_channel(member, slow_receiver.url + "/hook")
    message = outbox_message(member, channel, "k")
    now = message.next_attempt_at
    until = now + dt.timedelta(minutes=2)
    assert delivery._take(message.pk, now, until, due_only=True)
    assert not delivery._take(message.pk, now, until, due_only=True)
    # Once the lease has run out, it can be taken again.
    later = until + dt.timedelta(seconds=1)
    assert delivery._take(message.pk, later, later + dt.timedelta(minutes=2), due_only=True)
