"""Delivering the outbox: claim due messages with a lease, send each one, record every try.

How a message travels:

1. `claim` takes due messages with a compare-and-set on `claimed_until` (the
   lease): the UPDATE only succeeds while nobody else holds the message, so two
   workers never hold one message at once. On PostgreSQL the candidates are
   first picked with SELECT … FOR UPDATE SKIP LOCKED, so that workers running
   side by side take different messages instead of racing for the same ones;
   SQLite runs one writer at a time anyway.
2. Right before sending, the lease is renewed, again by compare-and-set. A
   worker that was too slow and lost the message finds out here and lets it go.
3. The message goes through its channel's transport. Messages to an
   unverified channel are not sent (only the test message that verifies it is),
   nor reminders that can no longer be useful (planning.too_late), nor a check-in
   nudge whose member stopped sharing it or kept it back (early_warning.consent_gone),
   nor a request for support that was answered, expired or is no longer shared
   (circle.help.undeliverable), nor an invitation no longer open
   (circle.invitations.undeliverable). A message whose member took their consent back is
   deleted, so nothing in the recipient's outbox says it existed. Quiet hours hold
   a message back until they end, without counting a try.
4. The outcome is written only while the lease is still ours, so a worker
   whose lease ran out can't overwrite what another worker did since. Every
   try is recorded as an `Attempt` the member can see. A failed message is
   tried again later (see retry.py) or, after a permanent error or the last
   try, marked failed, and the channel shows the error.

If a worker dies mid-send, its lease runs out and another worker sends the
message again: delivery is at least once, and each message carries its
de-duplication key (the webhook's X-Closeknit-Delivery header, the e-mail's
Message-ID) so a receiver can drop the repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from closeknit.circle import early_warning, invitations
from closeknit.circle import help as help_requests
from closeknit.notify import planning, quiet, retry
from closeknit.notify.models import Attempt, Channel, Message
from closeknit.notify.transports.base import Outgoing, TransportError
from closeknit.notify.transports.registry import transport_for
from closeknit.notify.vocab import ChannelKind, MessageKind, MessageStatus

logger = logging.getLogger(__name__)

PENDING = MessageStatus.PENDING.value
SENT = MessageStatus.SENT.value
FAILED = MessageStatus.FAILED.value
VERIFICATION = MessageKind.VERIFICATION.value
CHECKIN_NUDGE = MessageKind.CHECKIN_NUDGE.value
HELP_REQUEST = MessageKind.HELP_REQUEST.value
INVITATION = MessageKind.INVITATION.value
BATCH = 100
# How long deliver_now waits for a worker that is sending the same message right then.
POLL_SECONDS = 0.2

NOT_VERIFIED = "This channel needs to be verified first."
NOWHERE = "There is nowhere to send it: its channel was removed."
# RFC 2606 keeps .invalid for names that can never exist; the demo's accounts live there.
NEVER_RECEIVES = "This address can never receive mail (it belongs to a demo)."
# Why a message about a member may no longer go because they took their consent back.
CONSENT_GONE = frozenset(
    {early_warning.CONSENT_GONE, early_warning.KEPT_TO_THEMSELVES, help_requests.STOPPED_SHARING}
)
OUR_SIDE = "Something went wrong on our side while sending. It will be tried again."
# The kinds checked again as they go: why one may no longer go at that moment, or None.
STILL_WANTED: dict[str, Callable[[Message, dt.datetime], str | None]] = {
    CHECKIN_NUDGE: lambda message, _now: early_warning.consent_gone(message),
    HELP_REQUEST: help_requests.undeliverable,
    INVITATION: invitations.undeliverable,
}


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time, will be tried again
    FAILED = "failed"  # given up
    HELD = "held"  # quiet hours: waits for them to end, no try counted
    LOST = "lost"  # another worker holds the message now
    WITHDRAWN = "withdrawn"  # its subject took back their consent: deleted unsent


@dataclass(frozen=True)
class Batch:
    """What one round of `deliver_batch` did."""

    outcomes: tuple[Outcome, ...] = ()

    @property
    def handled(self) -> int:
        return len(self.outcomes)

    def count(self, outcome: Outcome) -> int:
        return self.outcomes.count(outcome)

    def summary(self) -> str:
        parts = [
            f"{self.count(Outcome.SENT)} sent",
            f"{self.count(Outcome.RETRY)} to try again",
            f"{self.count(Outcome.FAILED)} failed",
            f"{self.count(Outcome.HELD)} held for quiet hours",
        ]
        lost = self.count(Outcome.LOST)
        if lost:
            parts.append(f"{lost} taken over by another worker")
        return f"Delivered a batch of {self.handled}: " + ", ".join(parts) + "."


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def _free(now: dt.datetime) -> Q:
    """Nobody holds the message: never claimed, or the holder's lease has run out."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def due(now: dt.datetime) -> QuerySet[Message]:
    """Messages waiting to be sent now that nobody holds."""
    return Message.objects.filter(status=PENDING, next_attempt_at__lte=now).filter(_free(now))


def _take(message_id: int, now: dt.datetime, until: dt.datetime, *, due_only: bool) -> bool:
    """The compare-and-set: hold the message until `until` if nobody else does."""
    free = Message.objects.filter(id=message_id, status=PENDING).filter(_free(now))
    if due_only:
        free = free.filter(next_attempt_at__lte=now)
    return free.update(claimed_until=until) == 1


def claim(now: dt.datetime | None = None, limit: int = BATCH) -> list[Message]:
    """Hold up to `limit` due messages for one lease; the oldest due first."""
    now = now or timezone.now()
    until = now + lease()
    with transaction.atomic():
        candidates = due(now).order_by("next_attempt_at", "id").values_list("id", flat=True)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        taken = [pk for pk in list(candidates[:limit]) if _take(pk, now, until, due_only=True)]
    if not taken:
        return []
    return list(
        Message.objects.filter(id__in=taken, claimed_until=until)
        .select_related("channel", "owner")
        .order_by("next_attempt_at", "id")
    )


def _holding(message: Message) -> QuerySet[Message]:
    """The message, only as long as our lease on it is the one stored."""
    return Message.objects.filter(id=message.id, claimed_until=message.claimed_until)


def _renew(message: Message, now: dt.datetime) -> bool:
    until = now + lease()
    if _holding(message).filter(status=PENDING).update(claimed_until=until) != 1:
        return False
    message.claimed_until = until
    return True


def release(messages: Sequence[Message]) -> None:
    """Let go of messages we hold but won't send now (a worker asked to stop)."""
    for message in messages:
        _holding(message).update(claimed_until=None)


def deliver(
    message: Message, *, now: dt.datetime | None = None, respect_quiet: bool = True
) -> tuple[Outcome, Attempt | None]:
    """Send one message we hold, and record what happened (see the module's docstring)."""
    moment = now or timezone.now()
    if not _renew(message, moment):
        return Outcome.LOST, None
    late = planning.too_late(message.kind, message.dedup_key, message.due_at, moment)
    still_wanted = STILL_WANTED.get(message.kind)
    if late is None and still_wanted is not None:
        late = still_wanted(message, moment)
    if late in CONSENT_GONE:
        # Not even a failed row stays in the recipient's outbox to say it existed.
        _holding(message).delete()
        logger.info("Message %s withdrawn unsent: %s", message.pk, late)
        return Outcome.WITHDRAWN, None
    if late:
        return _refuse(message, late, moment, now)
    if message.to_address:
        # E-mail to an address of its own (someone else's, or an account's without channels).
        if message.to_address.lower().endswith(".invalid"):
            return _refuse(message, NEVER_RECEIVES, moment, now)
        return _send(message, ChannelKind.EMAIL.value, {"address": message.to_address}, now)
    channel = message.channel
    if channel is None:
        return _refuse(message, NOWHERE, moment, now)
    if message.kind != VERIFICATION:
        if not channel.is_verified:
            return _refuse(message, NOT_VERIFIED, moment, now)
        if respect_quiet:
            ends = quiet.quiet_ends(
                channel.quiet_from, channel.quiet_until, moment, message.owner.zone
            )
            if ends is not None:
                _holding(message).update(next_attempt_at=ends, claimed_until=None)
                return Outcome.HELD, None
    return _send(message, channel.kind, channel.config, now)


def _refuse(
    message: Message, reason: str, moment: dt.datetime, now: dt.datetime | None
) -> tuple[Outcome, Attempt | None]:
    """Give up on a message without trying it; the reason is on record like a try's error."""
    error = TransportError(reason, permanent=True)
    return _record(message, moment, 0, error, now, blame_channel=False)


def _send(
    message: Message, kind: str, config: dict[str, Any], now: dt.datetime | None
) -> tuple[Outcome, Attempt | None]:
    outgoing = Outgoing(
        key=message.dedup_key,
        kind=message.kind,
        title=message.title,
        body=message.body,
        url=message.url,
        to_address=message.to_address,
    )
    started_at = now or timezone.now()
    clock = time.monotonic()
    error: TransportError | None = None
    try:
        transport_for(kind, config).send(outgoing)
    except TransportError as failure:
        error = failure
    except Exception:
        # A bug in a transport must not stop the worker; the message is tried again later.
        logger.exception("Sending message %s failed unexpectedly", message.id)
        error = TransportError(OUR_SIDE)
    duration_ms = round((time.monotonic() - clock) * 1000)
    return _record(message, started_at, duration_ms, error, now)


def _record(
    message: Message,
    started_at: dt.datetime,
    duration_ms: int,
    error: TransportError | None,
    now: dt.datetime | None,
    *,
    blame_channel: bool = True,
) -> tuple[Outcome, Attempt | None]:
    """Write the try and its outcome; the message changes only while our lease holds.

    `blame_channel` is false when nothing went through the channel, so its last
    error stays what it was.
    """
    finished = now or timezone.now()
    tries = message.attempts + 1
    changes: dict[str, Any] = {"attempts": tries, "claimed_until": None}
    if error is None:
        outcome = Outcome.SENT
        changes.update(status=SENT, sent_at=finished, last_error="")
    elif retry.should_give_up(
        tries, permanent=error.permanent, max_attempts=settings.WORKER_MAX_ATTEMPTS
    ):
        outcome = Outcome.FAILED
        changes.update(status=FAILED, last_error=str(error))
    else:
        outcome = Outcome.RETRY
        next_try = retry.next_attempt_at(finished, tries, message.dedup_key)
        changes.update(next_attempt_at=next_try, last_error=str(error))
    try:
        with transaction.atomic():
            # The try happened whatever became of the lease, so it is always recorded.
            attempt = Attempt.objects.create(
                owner_id=message.owner_id,
                message=message,
                started_at=started_at,
                duration_ms=duration_ms,
                ok=error is None,
                permanent=error is not None and error.permanent,
                error="" if error is None else str(error),
            )
            if _holding(message).update(**changes) != 1:
                return Outcome.LOST, attempt
            if blame_channel:
                _note_on_channel(message, error, finished)
    except IntegrityError:
        # The member deleted the channel (and with it the message) while it was being sent.
        logger.info("Message %s was deleted while it was being sent", message.id)
        return Outcome.LOST, None
    for name, value in changes.items():
        setattr(message, name, value)
    return outcome, attempt


def _note_on_channel(message: Message, error: TransportError | None, when: dt.datetime) -> None:
    """The channel shows its latest error until a message goes through again."""
    if message.channel_id is None or message.to_address:
        return
    channels = Channel.objects.filter(id=message.channel_id)
    if error is None:
        channels.exclude(last_error="").update(last_error="")
    else:
        channels.update(last_error=str(error), last_error_at=when)


def deliver_batch(
    now: dt.datetime | None = None,
    limit: int = BATCH,
    should_stop: Callable[[], bool] | None = None,
) -> Batch:
    """Claim a batch of due messages and deliver them one by one.

    When `should_stop` turns true, the message being sent is finished and the
    rest of the batch is let go at once, for another worker (or the next start).
    """
    batch = claim(now, limit)
    outcomes: list[Outcome] = []
    for index, message in enumerate(batch):
        if should_stop is not None and should_stop():
            release(batch[index:])
            break
        outcome, _attempt = deliver(message, now=now)
        outcomes.append(outcome)
    return Batch(tuple(outcomes))


def deliver_due(now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Deliver one batch of due messages; how many were handled."""
    return deliver_batch(now, limit).handled


def deliver_now(message: Message) -> Attempt:
    """Send one message at once, while the member waits (a channel's test message).

    Quiet hours don't hold it back: the member asked for it just now. Call it
    after the transaction that created the message has committed, so no
    database lock is held while the message travels. If a worker is sending the
    same message right then, this waits for its outcome.
    """
    now = timezone.now()
    if _take(message.id, now, now + lease(), due_only=False):
        held = Message.objects.select_related("channel", "owner").get(id=message.id)
        _outcome, attempt = deliver(held, now=None, respect_quiet=False)
        if attempt is not None:
            return attempt
    return _outcome_of(message)


def _outcome_of(message: Message) -> Attempt:
    """The latest try at a message someone else is sending, once they are done."""
    deadline = time.monotonic() + settings.HTTP_TIMEOUT_SECONDS + 5
    while time.monotonic() < deadline:
        now = timezone.now()
        busy = Message.objects.filter(id=message.id, status=PENDING, claimed_until__gte=now)
        if not busy.exists():
            break
        time.sleep(POLL_SECONDS)
    latest = Attempt.objects.filter(message_id=message.id).order_by("-started_at", "-id").first()
    if latest is not None:
        return latest
    return Attempt(
        owner_id=message.owner_id,
        message=message,
        ok=False,
        error="It is on its way; look again in a moment.",
    )
