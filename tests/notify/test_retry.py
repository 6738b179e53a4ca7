from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeknit.notify import retry

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("failed", "nominal"),
    [
        (1, MINUTE),
        (2, 2 * MINUTE),
        (3, 4 * MINUTE),
        (4, 8 * MINUTE),
        (9, 256 * MINUTE),
        (10, dt.timedelta(hours=6)),  # 512 minutes is past the cap
        (30, dt.timedelta(hours=6)),
        (10_000, dt.timedelta(hours=6)),
    ],
)
def test_wait_doubles_from_a_minute_up_to_six_hours(failed, nominal):
    wait = retry.wait_after(failed, "reach-out:1:2026-03-02:4")
    assert nominal * (1 - retry.JITTER) <= wait <= nominal


def test_no_failure_means_no_wait():
    assert retry.wait_after(0, "key") == dt.timedelta(0)


def test_wait_is_always_the_same_for_one_message():
    assert retry.wait_after(3, "occasion:1:birthday-12-2027:4") == retry.wait_after(
        3, "occasion:1:birthday-12-2027:4"
    )


def test_messages_that_failed_together_do_not_retry_in_lockstep():
    waits = {retry.wait_after(5, f"appointment:{n}:2026-03-02T09:00:00+00:00:1") for n in range(50)}
    assert len(waits) > 25


def test_waits_are_whole_seconds():
    for failed in range(1, 12):
        assert retry.wait_after(failed, "k").microseconds == 0


@given(st.text(max_size=40), st.integers(min_value=1, max_value=60))
def test_a_wait_never_exceeds_the_cap_and_never_shrinks_by_more_than_the_jitter(key, failed):
    wait = retry.wait_after(failed, key)
    assert dt.timedelta(0) < wait <= retry.LONGEST_WAIT
    nominal = min(MINUTE * 2 ** min(failed - 1, 20), retry.LONGEST_WAIT)
    assert wait >= nominal * (1 - retry.JITTER) - dt.timedelta(seconds=1)


@given(st.text(max_size=40), st.integers(min_value=0, max_value=100))
def test_jitter_fraction_is_between_zero_and_one(key, attempt):
    assert 0 <= retry.jitter_fraction(key, attempt) < 1


def test_next_attempt_is_the_wait_after_now():
    now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert retry.next_attempt_at(now, 2, "k") == now + retry.wait_after(2, "k")


@pytest.mark.parametrize(
    ("attempts", "permanent", "maximum", "give_up"),
    [
        (1, True, 8, True),  # a 404 is not retried
        (1, False, 8, False),
        (7, False, 8, False),
        (8, False, 8, True),
        (9, False, 8, True),
        (1, False, 1, True),
        (1, False, 0, True),  # a nonsense setting still means one try
    ],
)
def test_give_up_on_a_permanent_error_or_after_the_last_attempt(
    attempts, permanent, maximum, give_up
):
    assert retry.should_give_up(attempts, permanent=permanent, max_attempts=maximum) is give_up
