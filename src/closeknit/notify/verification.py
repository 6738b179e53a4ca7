"""Verification codes for channels: making one, keeping only its keyed hash, and checking it.

Pure: no database and no settings here; the secret, the clock and the stored
state are passed in (channels.py does the database work).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

CODE_DIGITS = 6
VALID_FOR = dt.timedelta(hours=1)
# Six digits are a million codes; five tries per code leave a guesser one chance in 200,000.
MAX_TRIES = 5
# Test messages go wherever a member types, so an account can't become a way to flood
# someone else's inbox or topic with them.
MAX_TESTS_PER_HOUR = 10
TOO_MANY_TESTS = (
    "You've asked for a lot of test messages in the last hour, so we're pausing them for a "
    "little while. Please check the messages already sent (and your spam folder), or try "
    "again later."
)


class Outcome(StrEnum):
    VERIFIED = "verified"
    WRONG = "wrong"
    EXPIRED = "expired"
    NO_CODE = "no_code"
    TOO_MANY_TRIES = "too_many_tries"


def new_code() -> str:
    """Six random digits, leading zeros kept ("042917")."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def normalise(text: str) -> str:
    """What the member typed, without the spaces and dashes people add when copying a code."""
    return "".join(ch for ch in text if ch not in " -\t\u00a0")


def looks_like_a_code(text: str) -> bool:
    code = normalise(text)
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()


def digest(code: str, channel_id: int, secret: str) -> str:
    """A keyed hash of the code, bound to its channel: a leaked table gives no codes away,
    and one channel's digest is no use for another."""
    message = f"channel-verification:{channel_id}:{normalise(code)}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def check(
    code: str,
    *,
    channel_id: int,
    secret: str,
    stored_digest: str,
    sent_at: dt.datetime | None,
    tries_before: int,
    now: dt.datetime,
) -> Outcome:
    """Whether `code` verifies the channel. `tries_before` counts earlier tries at this code."""
    if not stored_digest or sent_at is None:
        return Outcome.NO_CODE
    if tries_before >= MAX_TRIES:
        return Outcome.TOO_MANY_TRIES
    if now - sent_at > VALID_FOR:
        return Outcome.EXPIRED
    if not looks_like_a_code(code):
        return Outcome.WRONG
    if hmac.compare_digest(digest(code, channel_id, secret), stored_digest):
        return Outcome.VERIFIED
    return Outcome.WRONG


def may_send_test(sent_in_last_hour: int) -> bool:
    return sent_in_last_hour < MAX_TESTS_PER_HOUR


def tries_left(tries_after: int) -> int:
    return max(0, MAX_TRIES - tries_after)


def explain(outcome: Outcome, tries_after: int = 0) -> str:
    """What to tell the member, in plain words, about a code that didn't verify."""
    if outcome is Outcome.VERIFIED:
        return "That's the one. This channel is ready for your reminders."
    if outcome is Outcome.NO_CODE:
        return "There's no code waiting for this channel. Send a test message to get a new one."
    if outcome is Outcome.EXPIRED:
        return (
            "That code is more than an hour old, so it no longer works. "
            "Send a test message to get a new one."
        )
    if outcome is Outcome.TOO_MANY_TRIES:
        return (
            "That code has been tried too many times, so it no longer works. "
            "Send a test message to get a new one."
        )
    left = tries_left(tries_after)
    if left == 0:
        return (
            "That isn't the code we sent, and it was the last try for this one. "
            "Send a test message to get a new code."
        )
    again = "one more try" if left == 1 else f"{left} more tries"
    return (
        "That isn't the code we sent. Please check the newest message and type its six digits; "
        f"you have {again} with this code."
    )


def message_text(code: str, destination: str) -> tuple[str, str]:
    """Title and body of a test message. The title never holds the code: the outbox shows it."""
    title = "Your Closeknit test message"
    body = (
        f"This is Closeknit checking that reminders reach you at {destination}. "
        f"Your code is {code}. Type it on the notifications page to finish setting up; "
        "it works for an hour. If you didn't ask for this, you can ignore it."
    )
    return title, body


def without_code(body: str, code: str) -> str:
    """The body as kept once sent: the code itself is not stored anywhere in the clear."""
    return body.replace(code, "•" * CODE_DIGITS)
