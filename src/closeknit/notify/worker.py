"""`closeknit worker`: plan what is due and deliver the outbox, pass after pass.

One pass plans the reminders that are due (reminders.py) and looks at the
early-warning rules of members whose day is due (circle/early_warning.py), then delivers
batches of due messages until none is left (delivery.py). When a pass found
nothing to send, the worker rests for settings.WORKER_INTERVAL_SECONDS.

SIGTERM (systemd, Docker) and SIGINT (Ctrl+C) ask it to stop: the message being
sent is finished and recorded, the rest of its batch is let go at once for
another worker, and the process exits with status 0. A worker killed outright
loses nothing either: its leases run out and any worker sends those messages.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from django.conf import settings
from django.db import connections

from closeknit.circle import early_warning
from closeknit.lib.words import counted
from closeknit.notify import delivery, reminders

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pass:
    planned: int  # new messages in the outbox
    handled: int  # messages delivered, held back or given up


class Worker:
    def __init__(self, *, batch: int = delivery.BATCH) -> None:
        self.batch = batch
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def run_pass(self) -> Pass:
        """Plan, then deliver everything due now, batch after batch."""
        refresh_connections()
        planned = reminders.plan(should_stop=self.stopping.is_set)
        planned += early_warning.check(should_stop=self.stopping.is_set)
        if planned:
            logger.info("Planned %s.", counted(planned, "new message"))
        handled = 0
        while not self.stopping.is_set():
            batch = delivery.deliver_batch(limit=self.batch, should_stop=self.stopping.is_set)
            if batch.handled:
                logger.info(batch.summary())
            handled += batch.handled
            if batch.handled < self.batch:
                break
        return Pass(planned, handled)

    def run_forever(self) -> None:
        interval = settings.WORKER_INTERVAL_SECONDS
        logger.info("The worker is running; it looks for work every %s seconds.", interval)
        while not self.stopping.is_set():
            try:
                done = self.run_pass()
            except Exception:
                # A database that went away for a moment, or a bug: keep going, the
                # next pass starts afresh.
                logger.exception("A pass of the worker failed; trying again shortly.")
                refresh_connections()
                done = Pass(0, 0)
            if not done.planned and not done.handled:
                self.stopping.wait(interval)
        logger.info("The worker stopped.")


def refresh_connections() -> None:
    """Drop database connections that broke or grew old, as Django does between requests.

    A long-running process needs this itself. One inside a transaction is left
    alone (Django would close it, as its autocommit looks changed): the worker
    never runs in one, but a test may call a pass inside its own.
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


@contextmanager
def stop_on_signals(worker: Worker) -> Iterator[None]:
    """SIGTERM and SIGINT ask the worker to stop after the message it is sending."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        logger.info("Stopping after the message being sent (signal %s).", signum)
        worker.stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(*, once: bool = False) -> int:
    """The `closeknit worker` command; its exit status."""
    worker = Worker()
    with stop_on_signals(worker):
        if once:
            done = worker.run_pass()
            logger.info(
                "One pass done: %s, %s handled.",
                counted(done.planned, "new message"),
                counted(done.handled, "message"),
            )
        else:
            worker.run_forever()
    return 0
