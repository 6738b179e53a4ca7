"""The sign-in throttle: the pure rule (`decide`) and the rows that feed it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from closeknit.accounts import throttle
from closeknit.accounts.models import LoginFailure
from closeknit.accounts.throttle import Decision, Policy, decide

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)
POLICY = Policy(limit=5, window=WINDOW)


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def minutes_ago(*minutes: float) -> list[datetime]:
    return [ago(minutes=m) for m in minutes]


# --- the pure rule ----------------------------------------------------------


def test_no_failures_is_allowed():
    assert decide([], [], NOW, POLICY) == Decision(allowed=True)


def test_one_failure_below_the_limit_is_allowed():
    assert decide(minutes_ago(1, 2, 3, 4), [], NOW, POLICY).allowed


def test_exactly_the_limit_of_failures_refuses_the_next_attempt():
    decision = decide(minutes_ago(1, 2, 3, 4, 5), [], NOW, POLICY)
    assert not decision.allowed
    assert decision.reason == "address"


def test_more_than_the_limit_is_refused_too():
    assert not decide(minutes_ago(1, 2, 3, 4, 5, 6, 7), [], NOW, POLICY).allowed


def test_a_failure_exactly_one_window_old_has_expired():
    failures = [NOW - WINDOW, *minutes_ago(1, 2, 3, 4)]
    assert decide(failures, [], NOW, POLICY).allowed


def test_a_failure_a_moment_inside_the_window_still_counts():
    failures = [NOW - WINDOW + timedelta(microseconds=1), *minutes_ago(1, 2, 3, 4)]
    assert not decide(failures, [], NOW, POLICY).allowed


def test_failures_older_than_the_window_do_not_count():
    assert decide(minutes_ago(16, 20, 60, 600, 6000, 1), [], NOW, POLICY).allowed


def test_failures_slightly_in_the_future_still_count():
    # Two servers whose clocks differ a little must not open a gap.
    failures = [NOW + timedelta(seconds=2), *minutes_ago(1, 2, 3, 4)]
    assert not decide(failures, [], NOW, POLICY).allowed


def test_refused_attempt_may_retry_when_the_oldest_counted_failure_expires():
    decision = decide(minutes_ago(1, 2, 3, 4, 10), [], NOW, POLICY)
    assert decision.retry_at == ago(minutes=10) + WINDOW
    # And at that very moment the rule agrees.
    later = decide(minutes_ago(1, 2, 3, 4, 10), [], decision.retry_at, POLICY)
    assert later.allowed


def test_retry_time_with_more_failures_than_the_limit_waits_for_enough_to_expire():
    # Seven failures, limit five: three must expire, so the third oldest (8 min ago) decides.
    decision = decide(minutes_ago(1, 2, 3, 4, 8, 9, 10), [], NOW, POLICY)
    assert decision.retry_at == ago(minutes=8) + WINDOW


def test_order_of_failures_does_not_matter():
    shuffled = minutes_ago(4, 1, 10, 3, 2)
    assert decide(shuffled, [], NOW, POLICY) == decide(sorted(shuffled), [], NOW, POLICY)


def test_ip_limit_is_four_times_the_address_limit():
    assert POLICY.ip_limit == 20
    just_below = [ago(seconds=s) for s in range(1, 20)]
    assert decide([], just_below, NOW, POLICY).allowed
    at_limit = [ago(seconds=s) for s in range(1, 21)]
    decision = decide([], at_limit, NOW, POLICY)
    assert not decision.allowed
    assert decision.reason == "ip"


def test_ip_failures_respect_the_window_edge_too():
    failures = [NOW - WINDOW] + [ago(seconds=s) for s in range(1, 20)]
    assert decide([], failures, NOW, POLICY).allowed


def test_address_reason_wins_and_retry_is_the_later_of_both():
    address = minutes_ago(1, 2, 3, 4, 5)
    ip = [ago(seconds=s) for s in range(1, 21)]
    decision = decide(address, ip, NOW, POLICY)
    assert decision.reason == "address"
    assert decision.retry_at == max(ago(minutes=5) + WINDOW, ago(seconds=20) + WINDOW)


@pytest.mark.parametrize("limit", [0, -3])
def test_a_limit_below_one_switches_throttling_off(limit):
    policy = Policy(limit=limit, window=WINDOW)
    assert decide(minutes_ago(*range(50)), minutes_ago(*range(50)), NOW, policy).allowed


def test_a_limit_of_one_refuses_after_a_single_failure():
    policy = Policy(limit=1, window=WINDOW)
    assert decide([], [], NOW, policy).allowed
    assert not decide(minutes_ago(14), [], NOW, policy).allowed


def test_custom_ip_factor():
    policy = Policy(limit=2, window=WINDOW, ip_factor=3)
    assert decide([], minutes_ago(1, 2, 3, 4, 5), NOW, policy).allowed
    assert not decide([], minutes_ago(1, 2, 3, 4, 5, 6), NOW, policy).allowed


# --- helpers ------------------------------------------------------------------


def test_email_digest_is_sha256_of_the_normalised_address():
    expected = hashlib.sha256(b"robin@example.org").hexdigest()
    assert throttle.email_digest("robin@example.org") == expected
    assert throttle.email_digest("  Robin@Example.ORG ") == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "2001:db8::1"}, "2001:db8::1"),
        ({"REMOTE_ADDR": "2001:DB8:0:0::1"}, "2001:db8::1"),
        ({"REMOTE_ADDR": ""}, None),
        ({"REMOTE_ADDR": "not an address"}, None),
        ({}, None),
        ({"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, None),
    ],
)
def test_client_ip_trusts_only_remote_addr(meta, expected):
    assert throttle.client_ip(meta) == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # A client's own (forged) entries come first; our proxy appends the real one last.
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"},
            "203.0.113.9",
        ),
        ({"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        ({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "garbage"}, None),
    ],
)
def test_client_ip_behind_our_proxy_uses_the_address_it_added(meta, expected):
    assert throttle.client_ip(meta, behind_proxy=True) == expected


def test_current_policy_follows_settings(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 7
    assert throttle.current_policy() == Policy(limit=3, window=timedelta(minutes=7))


# --- the rows -----------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15


def fail(email: str, ip: str | None, at: datetime) -> None:
    throttle.record_failure(email, ip, now=at)


def test_recorded_failure_stores_only_the_digest(db, small_limit):
    fail("Robin@Example.org", "203.0.113.9", NOW)
    row = LoginFailure.objects.get()
    assert row.email_digest == throttle.email_digest("robin@example.org")
    assert "robin" not in row.email_digest
    assert row.ip_address == "203.0.113.9"
    assert row.at == NOW


def test_check_refuses_after_the_limit_for_that_address_only(db, small_limit):
    for minute in (1, 2, 3):
        fail("robin@example.org", None, ago(minutes=minute))
    assert not throttle.check("robin@example.org", None, now=NOW).allowed
    assert not throttle.check("ROBIN@example.org", None, now=NOW).allowed
    assert throttle.check("sam@example.org", None, now=NOW).allowed


def test_check_refuses_an_ip_that_tried_many_addresses(db, small_limit):
    for n in range(12):  # 4 × 3
        fail(f"person{n}@example.org", "203.0.113.9", ago(minutes=1))
    decision = throttle.check("someone-new@example.org", "203.0.113.9", now=NOW)
    assert not decision.allowed
    assert decision.reason == "ip"
    assert throttle.check("someone-new@example.org", "198.51.100.7", now=NOW).allowed
    assert throttle.check("someone-new@example.org", None, now=NOW).allowed


def test_check_allows_again_once_the_window_has_passed(db, small_limit):
    for minute in (1, 2, 3):
        fail("robin@example.org", None, ago(minutes=minute))
    assert throttle.check("robin@example.org", None, now=ago(minutes=3) + WINDOW).allowed


def test_check_with_throttling_switched_off_reads_nothing(db, settings, django_assert_num_queries):
    settings.LOGIN_FAILURE_LIMIT = 0
    with django_assert_num_queries(0):
        assert throttle.check("robin@example.org", "203.0.113.9", now=NOW).allowed


def test_recording_prunes_failures_older_than_the_window(db, small_limit):
    fail("old@example.org", None, ago(minutes=15))
    fail("older@example.org", None, ago(days=2))
    fail("recent@example.org", None, ago(minutes=14))
    fail("robin@example.org", None, NOW)
    remaining = set(LoginFailure.objects.values_list("email_digest", flat=True))
    assert remaining == {
        throttle.email_digest("recent@example.org"),
        throttle.email_digest("robin@example.org"),
    }


def test_prune_returns_how_many_went(db, small_limit):
    LoginFailure.objects.create(email_digest="a" * 64, at=ago(hours=1))
    LoginFailure.objects.create(email_digest="b" * 64, at=ago(minutes=1))
    assert throttle.prune(NOW) == 1
    assert LoginFailure.objects.count() == 1


def test_clear_forgets_only_that_address(db, small_limit):
    fail("robin@example.org", "203.0.113.9", ago(minutes=1))
    fail("sam@example.org", "203.0.113.9", ago(minutes=1))
    throttle.clear(" ROBIN@example.org")
    digests = list(LoginFailure.objects.values_list("email_digest", flat=True))
    assert digests == [throttle.email_digest("sam@example.org")]
