"""The worker's loop in this process: a pass plans and delivers; asked to stop, it stops."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading

import pytest
import time_machine

from closeknit.network.models import Interaction, Person
from closeknit.notify import worker as worker_module
from closeknit.notify.models import Message
from closeknit.notify.worker import Pass, Worker, run, stop_on_signals
from tests.notify.test_delivery import outbox_message, webhook_channel

MORNING = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.UTC)  # 09:30 in London


@pytest.fixture
def receiver(settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    return http_receiver


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO, logger="closeknit.notify")
    return caplog


def lines(caplog, start: str) -> list[str]:
    return [
        record.getMessage() for record in caplog.records if record.getMessage().startswith(start)
    ]


@pytest.mark.django_db
def test_a_pass_plans_the_days_reminders_and_delivers_them(member, receiver, logs):
    with time_machine.travel(MORNING, tick=False):
        webhook_channel(member, receiver.url + "/hook")
        sam = Person.objects.create(owner=member, name="Sam", rhythm_days=14)
        talk = Interaction.objects.create(
            owner=member, channel="call", occurred_at=MORNING - dt.timedelta(days=23)
        )
        talk.people.add(sam)
        done = Worker().run_pass()
    assert done == Pass(planned=1, handled=1)
    (request,) = receiver.requests
    assert request.headers["x-closeknit-delivery"].startswith(f"reach-out:{member.pk}:2027-01-05:")
    assert lines(logs, "Planned") == ["Planned 1 new message."]
    assert lines(logs, "Delivered") == [
        "Delivered a batch of 1: 1 sent, 0 to try again, 0 failed, 0 held for quiet hours."
    ]


@pytest.mark.django_db
def test_a_pass_delivers_batch_after_batch_until_nothing_is_due(member, receiver, logs):
    channel = webhook_channel(member, receiver.url + "/hook")
    for n in range(5):
        outbox_message(member, channel, f"k{n}")
    done = Worker(batch=2).run_pass()
    assert done.handled == 5
    assert len(receiver.requests) == 5
    # One line per batch.
    assert len(lines(logs, "Delivered a batch")) == 3


@pytest.mark.django_db
def test_an_idle_pass_logs_nothing(member, receiver, logs):
    assert Worker().run_pass() == Pass(0, 0)
    assert lines(logs, "Delivered") == [] and lines(logs, "Planned") == []


@pytest.mark.django_db
def test_a_worker_asked_to_stop_sends_nothing_more(member, receiver):
    channel = webhook_channel(member, receiver.url + "/hook")
    outbox_message(member, channel, "k1")
    worker = Worker()
    worker.stop()
    assert worker.run_pass().handled == 0
    assert receiver.requests == []
    assert Message.objects.get().claimed_until is None


@pytest.mark.django_db
def test_run_once_does_one_pass_and_says_so(member, receiver, logs):
    channel = webhook_channel(member, receiver.url + "/hook")
    outbox_message(member, channel, "k1")
    assert run(once=True) == 0
    assert len(receiver.requests) == 1
    assert lines(logs, "One pass done") == ["One pass done: 0 new messages, 1 message handled."]


@pytest.mark.django_db(transaction=True)
def test_a_resting_worker_stops_at_once_when_asked(member, receiver, settings, logs):
    settings.WORKER_INTERVAL_SECONDS = 3600
    channel = webhook_channel(member, receiver.url + "/hook")
    outbox_message(member, channel, "k1")
    worker = Worker()

    def run_it() -> None:
        from django.db import connection

        try:
            worker.run_forever()
        finally:
            connection.close()

    thread = threading.Thread(target=run_it)
    thread.start()
    receiver.wait_for(1)
    worker.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()  # it didn't sit out its hour's rest
    assert Message.objects.get().status == "sent"
    assert lines(logs, "The worker stopped.")


def test_sigterm_and_sigint_ask_the_worker_to_stop_and_are_given_back_afterwards():
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    for sig in (signal.SIGTERM, signal.SIGINT):
        worker = Worker()
        with stop_on_signals(worker):
            os.kill(os.getpid(), sig)
            assert worker.stopping.wait(5)
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_signals_are_left_alone_outside_the_main_thread():
    before = signal.getsignal(signal.SIGTERM)
    seen = []

    def in_a_thread() -> None:
        with stop_on_signals(Worker()):
            seen.append(signal.getsignal(signal.SIGTERM))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert seen == [before]


def test_the_worker_logs_under_the_notify_logger():
    assert worker_module.logger.name.startswith("closeknit.notify")
