"""When to try a failed message again, and when to stop trying: pure rules.

The wait doubles after each failed attempt (1 minute, 2, 4 … at most 6 hours),
so a receiver that is down for a while is not hammered, and one that was down
for a moment gets the message soon. Each wait is shortened by a small amount
derived from the message's key: many messages that failed together (a server
that restarted) then come back spread over a few minutes instead of all at
once, and the same message always waits the same time (tests can rely on it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
# At most this share of a wait is taken off it, differently for each message.
JITTER = 0.1


def jitter_fraction(key: str, attempt: int) -> float:
    """A number in [0, 1) that is always the same for this key and attempt."""
    digest = hashlib.sha256(f"{key}\n{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def wait_after(failed_attempts: int, key: str) -> dt.timedelta:
    """How long to wait after the `failed_attempts`-th failure before trying again."""
    if failed_attempts < 1:
        return dt.timedelta(0)
    # 2**20 minutes is far past the cap; stop doubling there so huge counts stay cheap.
    nominal = min(FIRST_WAIT * 2 ** min(failed_attempts - 1, 20), LONGEST_WAIT)
    shortened = nominal * (1 - JITTER * jitter_fraction(key, failed_attempts))
    # Whole seconds: easier to read in the outbox, and no different in effect.
    return dt.timedelta(seconds=int(shortened.total_seconds()))


def should_give_up(attempts_made: int, *, permanent: bool, max_attempts: int) -> bool:
    """Whether a message that just failed for the `attempts_made`-th time is done for.

    A permanent error (the address does not exist, the receiver said no) is never
    retried; a passing one is, until `max_attempts` tries were made.
    """
    return permanent or attempts_made >= max(max_attempts, 1)


def next_attempt_at(now: dt.datetime, failed_attempts: int, key: str) -> dt.datetime:
    return now + wait_after(failed_attempts, key)
