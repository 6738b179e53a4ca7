"""The rules of notes of thanks that are sent later, and how their sending is told. Pure.

A note is kept in the member's gratitude log; it goes to anyone only if the
member asks, by e-mail, at a time they choose. The message itself waits in the
outbox (`notify.models.Message`) under the key `appreciation-<id>`, so saving a
note twice never sends it twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from closeknit.notify.vocab import MessageStatus

KEY_PREFIX = "appreciation-"
KIND = "appreciation"
# A time picked a moment ago (the form took a while) still counts as "now".
PAST_SLACK = dt.timedelta(minutes=5)
# Further ahead than this is a typo in the year.
LATEST_AHEAD = dt.timedelta(days=5 * 366)

PENDING = MessageStatus.PENDING.value
SENT = MessageStatus.SENT.value
FAILED = MessageStatus.FAILED.value

NO_ADDRESS = "Please give the e-mail address to send it to."
NO_TIME = "Please choose when to send it."
PASSED = (
    "That time has passed. Please choose a time still ahead (a few minutes from now sends it soon)."
)
TOO_FAR = "Please choose a time within the next five years."
ALREADY_SENT = "This note was already sent, so where and when it went can't change."


def message_key(appreciation_id: int) -> str:
    return f"{KEY_PREFIX}{appreciation_id}"


def message_title(member_name: str) -> str:
    """The subject of the e-mail: who it is from, in plain words."""
    return f"A note of thanks from {member_name}"


def address_for(send_to: str, person_email: str) -> str:
    """Where to send: the address given, or else the one saved for the person."""
    return send_to.strip() or person_email.strip()


def send_problems(
    send_to: str,
    send_at: dt.datetime | None,
    now: dt.datetime,
    *,
    unchanged_time: bool = False,
) -> dict[str, str]:
    """What is missing or wrong about sending a note later, by field; empty when it can go.

    A time already saved (`unchanged_time`) may have passed: the message is then
    waiting for its turn, and editing the words must not be refused for it.
    """
    problems: dict[str, str] = {}
    if not send_to.strip():
        problems["send_to"] = NO_ADDRESS
    if send_at is None:
        problems["send_at"] = NO_TIME
    elif not unchanged_time and send_at < now - PAST_SLACK:
        problems["send_at"] = PASSED
    elif send_at > now + LATEST_AHEAD:
        problems["send_at"] = TOO_FAR
    return problems


@dataclass(frozen=True)
class Delivery:
    """Where the note's message is in the outbox."""

    status: str  # a MessageStatus slug
    due_at: dt.datetime
    sent_at: dt.datetime | None = None
    error: str = ""
    attempts: int = 0


def _moment(moment: dt.datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%-d %B %Y} at {local:%H:%M}"


def delivery_words(delivery: Delivery | None, zone: ZoneInfo) -> str:
    """ "Will be sent on 3 May 2026 at 09:00.", "Sent on …", "Couldn't be sent: …"; "" if not sent."""
    if delivery is None:
        return ""
    if delivery.status == SENT:
        return f"Sent on {_moment(delivery.sent_at or delivery.due_at, zone)}."
    if delivery.status == FAILED:
        reason = delivery.error.strip().rstrip(".") or "the e-mail didn't go through"
        return (
            f"Couldn't be sent: {reason}. You can check the address or choose another time, "
            "and it will be tried again."
        )
    if delivery.error.strip() and delivery.attempts:
        return f"Not sent yet: {delivery.error.strip().rstrip('.')}. We'll keep trying."
    return f"Will be sent on {_moment(delivery.due_at, zone)}."


def can_change_sending(delivery: Delivery | None) -> bool:
    """Where and when a note goes can change until it has been sent."""
    return delivery is None or delivery.status != SENT
