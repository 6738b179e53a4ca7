"""The rules of verification codes: six digits, a keyed hash, an hour, five tries."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.notify import verification
from closeknit.notify.verification import MAX_TRIES, VALID_FOR, Outcome

SECRET = "a-secret-key-for-tests"
SENT = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def check(code: str, *, stored: str | None = None, **overrides: object) -> Outcome:
    arguments: dict[str, object] = {
        "channel_id": 7,
        "secret": SECRET,
        "stored_digest": verification.digest("042917", 7, SECRET) if stored is None else stored,
        "sent_at": SENT,
        "tries_before": 0,
        "now": SENT + dt.timedelta(minutes=5),
    }
    arguments.update(overrides)
    return verification.check(code, **arguments)  # type: ignore[arg-type]


def test_a_new_code_is_six_digits_and_keeps_leading_zeros():
    codes = {verification.new_code() for _ in range(300)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 250  # random, not a counter
    assert any(code.startswith("0") for code in codes)


@pytest.mark.parametrize("typed", ["042917", " 042 917 ", "042-917", "042\u00a0917\t"])
def test_spaces_and_dashes_people_copy_along_are_ignored(typed):
    assert verification.normalise(typed) == "042917"
    assert check(typed) is Outcome.VERIFIED


@pytest.mark.parametrize("typed", ["", "42917", "0429170", "04291a", "０４２９１７", "abcdef"])
def test_anything_but_six_ascii_digits_is_not_a_code(typed):
    assert not verification.looks_like_a_code(typed)
    assert check(typed) is Outcome.WRONG


def test_the_digest_is_keyed_and_bound_to_its_channel():
    digest = verification.digest("042917", 7, SECRET)
    assert len(digest) == 64
    assert "042917" not in digest
    assert digest == verification.digest("042 917", 7, SECRET)
    assert digest != verification.digest("042917", 8, SECRET)
    assert digest != verification.digest("042917", 7, "another-secret")
    assert digest != verification.digest("042918", 7, SECRET)


def test_the_right_code_verifies():
    assert check("042917") is Outcome.VERIFIED


def test_a_wrong_code_is_wrong():
    assert check("042918") is Outcome.WRONG


def test_another_channels_code_does_not_verify_this_one():
    assert check("042917", stored=verification.digest("042917", 8, SECRET)) is Outcome.WRONG


def test_the_code_works_for_exactly_an_hour():
    assert check("042917", now=SENT + VALID_FOR) is Outcome.VERIFIED
    late = SENT + VALID_FOR + dt.timedelta(seconds=1)
    assert check("042917", now=late) is Outcome.EXPIRED
    assert check("000000", now=late) is Outcome.EXPIRED


def test_without_a_code_waiting_nothing_verifies():
    assert check("042917", stored="") is Outcome.NO_CODE
    assert check("042917", sent_at=None) is Outcome.NO_CODE


def test_after_five_tries_even_the_right_code_needs_a_new_one():
    assert check("042917", tries_before=MAX_TRIES - 1) is Outcome.VERIFIED
    assert check("042917", tries_before=MAX_TRIES) is Outcome.TOO_MANY_TRIES
    assert MAX_TRIES == 5


def test_a_wrong_code_says_how_many_tries_are_left_kindly():
    assert "4 more tries" in verification.explain(Outcome.WRONG, 1)
    assert "one more try" in verification.explain(Outcome.WRONG, 4)
    last = verification.explain(Outcome.WRONG, 5)
    assert "last try" in last
    assert "Send a test message" in last


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_plain_words(outcome):
    words = verification.explain(outcome, 1)
    assert words.endswith(".")
    assert "invalid" not in words.lower()
    assert "error" not in words.lower()


def test_the_test_message_title_never_holds_the_code():
    title, body = verification.message_text("042917", "robin@example.org")
    assert "042917" not in title
    assert "Your code is 042917." in body
    assert "robin@example.org" in body
    assert "an hour" in body


def test_once_sent_the_code_is_blotted_out():
    _title, body = verification.message_text("042917", "robin@example.org")
    kept = verification.without_code(body, "042917")
    assert "042917" not in kept
    assert "Your code is ••••••." in kept


def test_ten_test_messages_an_hour_and_then_a_pause():
    assert verification.may_send_test(verification.MAX_TESTS_PER_HOUR - 1)
    assert not verification.may_send_test(verification.MAX_TESTS_PER_HOUR)
    assert "try again later" in verification.TOO_MANY_TESTS
