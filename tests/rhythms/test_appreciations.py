"""The pure rules of notes of thanks: when one can be sent, and how its sending is told."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from closeknit.rhythms.appreciations import (
    ALREADY_SENT,
    NO_ADDRESS,
    NO_TIME,
    PASSED,
    TOO_FAR,
    Delivery,
    address_for,
    can_change_sending,
    delivery_words,
    message_key,
    message_title,
    send_problems,
)

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)
LONDON = ZoneInfo("Europe/London")


def test_the_message_key_names_the_note():
    assert message_key(42) == "appreciation-42"


def test_the_subject_says_who_it_is_from():
    assert message_title("Robin") == "A note of thanks from Robin"


def test_the_address_given_wins_over_the_persons():
    assert address_for(" sam@work.example ", "sam@example.org") == "sam@work.example"
    assert address_for("", "sam@example.org") == "sam@example.org"
    assert address_for("  ", "") == ""


def test_a_note_can_go_with_an_address_and_a_time_ahead():
    assert send_problems("sam@example.org", NOW + dt.timedelta(days=1), NOW) == {}


def test_sending_needs_an_address_and_a_time():
    assert send_problems("", None, NOW) == {"send_to": NO_ADDRESS, "send_at": NO_TIME}


def test_a_time_that_has_passed_is_refused_unless_it_was_already_saved():
    past = NOW - dt.timedelta(hours=1)
    assert send_problems("sam@example.org", past, NOW) == {"send_at": PASSED}
    # A message waiting since then: editing the words must not be refused for it.
    assert send_problems("sam@example.org", past, NOW, unchanged_time=True) == {}


def test_a_moment_ago_still_counts_as_now():
    assert send_problems("sam@example.org", NOW - dt.timedelta(minutes=4), NOW) == {}
    assert send_problems("sam@example.org", NOW - dt.timedelta(minutes=6), NOW) == {
        "send_at": PASSED
    }


def test_a_time_years_ahead_is_a_typo():
    assert send_problems("sam@example.org", NOW + dt.timedelta(days=6 * 365), NOW) == {
        "send_at": TOO_FAR
    }


def test_the_words_never_scold():
    for message in (NO_ADDRESS, NO_TIME, PASSED, TOO_FAR, ALREADY_SENT):
        assert message.startswith(("Please", "That", "This"))
        assert "must" not in message and "failed" not in message.lower()


# How sending is told ----------------------------------------------------------------------------


def test_a_note_not_being_sent_says_nothing():
    assert delivery_words(None, LONDON) == ""


def test_a_waiting_note_says_when_in_local_time():
    waiting = Delivery("pending", due_at=dt.datetime(2026, 6, 14, 8, 0, tzinfo=dt.UTC))
    assert delivery_words(waiting, LONDON) == "Will be sent on 14 June 2026 at 09:00."


def test_a_sent_note_says_when_it_went():
    sent = Delivery(
        "sent",
        due_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
        sent_at=dt.datetime(2026, 1, 5, 9, 2, tzinfo=dt.UTC),
    )
    assert delivery_words(sent, LONDON) == "Sent on 5 January 2026 at 09:02."


def test_a_note_that_couldnt_go_says_why_and_what_to_do():
    failed = Delivery("failed", due_at=NOW, error="The address was refused.", attempts=5)
    assert delivery_words(failed, LONDON) == (
        "Couldn't be sent: The address was refused. You can check the address or choose "
        "another time, and it will be tried again."
    )
    assert "didn't go through" in delivery_words(Delivery("failed", due_at=NOW), LONDON)


def test_a_note_being_retried_says_so():
    retrying = Delivery("pending", due_at=NOW, error="Connection refused", attempts=2)
    assert (
        delivery_words(retrying, LONDON) == "Not sent yet: Connection refused. We'll keep trying."
    )


@pytest.mark.parametrize(
    ("status", "can"), [(None, True), ("pending", True), ("failed", True), ("sent", False)]
)
def test_sending_can_change_until_it_has_gone(status, can):
    delivery = Delivery(status, due_at=NOW) if status else None
    assert can_change_sending(delivery) is can
