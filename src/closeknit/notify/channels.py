"""Channels in the database: adding one, sending its test message, verifying, changing it.

The web pages and the API both go through here, so a channel is made, tested
and verified the same way whichever door it came in by. The small pure rules
(where a channel goes, what of its settings may be shown, quiet hours) come
first and need no database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from closeknit.notify import verification
from closeknit.notify.delivery import deliver_now
from closeknit.notify.models import Channel, Message
from closeknit.notify.outbox import enqueue
from closeknit.notify.transports import ntfy, registry
from closeknit.notify.vocab import ChannelKind, MessageKind, MessageStatus

# The ntfy server a channel uses when none is given: the transport's own default.
NTFY_DEFAULT_SERVER = ntfy.DEFAULT_SERVER
# The settings that say where a channel's messages go: changing one means verifying again.
WHERE_KEYS: dict[str, tuple[str, ...]] = {
    ChannelKind.EMAIL: ("address",),
    ChannelKind.NTFY: ("server", "topic"),
    ChannelKind.WEBHOOK: ("url",),
    ChannelKind.WEBPUSH: ("endpoint",),
}
# What may be shown back of each kind's settings; tokens, secrets and push keys stay in.
PUBLIC_KEYS: dict[str, tuple[str, ...]] = {
    ChannelKind.EMAIL: ("address",),
    ChannelKind.NTFY: ("server", "topic"),
    ChannelKind.WEBHOOK: ("url",),
    ChannelKind.WEBPUSH: (),
}
THIS_BROWSER = "the browser you turned it on in"


# Pure rules


def destination(kind: str, config: dict[str, Any]) -> str:
    """Where a channel's messages go, in a few words: an address, a topic, a host."""
    if kind == ChannelKind.EMAIL:
        return str(config.get("address", ""))
    if kind == ChannelKind.NTFY:
        server = urlsplit(str(config.get("server") or NTFY_DEFAULT_SERVER))
        place = (server.netloc + server.path).rstrip("/")
        return f"topic “{config.get('topic', '')}” on {place}"
    if kind == ChannelKind.WEBHOOK:
        return urlsplit(str(config.get("url", ""))).netloc
    return THIS_BROWSER


def where_changed(kind: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether new settings send messages somewhere else, which needs a new verification."""
    return any(before.get(key) != after.get(key) for key in WHERE_KEYS.get(kind, ()))


def public_config(
    kind: str, config: dict[str, Any], *, with_secret: bool = False
) -> dict[str, str]:
    """A channel's settings without what must stay private (tokens, push keys).

    A webhook's signing secret is the member's to know, so it is shown when asked
    for (on the channel's own page and answer), never in lists.
    """
    shown = {key: str(config[key]) for key in PUBLIC_KEYS.get(kind, ()) if key in config}
    if with_secret and kind == ChannelKind.WEBHOOK and config.get("secret"):
        shown["secret"] = str(config["secret"])
    return shown


def quiet_hours_problem(quiet_from: dt.time | None, quiet_until: dt.time | None) -> str | None:
    """Quiet hours are both times or neither, and not the same time (which would be no hours)."""
    if (quiet_from is None) != (quiet_until is None):
        return "Please give both times for quiet hours, or leave both empty."
    if quiet_from is not None and quiet_from == quiet_until:
        return "Quiet hours need to start and end at different times."
    return None


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
PLATFORMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_label(user_agent: str) -> str:
    """A name for a browser the member recognises ("Firefox on Android"), from its User-Agent."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    if not browser and "Safari/" in user_agent:
        browser = "Safari"
    platform = next((name for mark, name in PLATFORMS if mark in user_agent), "")
    if browser and platform:
        return f"{browser} on {platform}"
    return browser or (f"A browser on {platform}" if platform else "A browser")


# The database


@dataclass(frozen=True)
class TestResult:
    """How sending a test message went: `error` is the transport's own words when it failed."""

    sent: bool
    error: str = ""


def clean_config(kind: str, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The transport's tidy version of settings, and its objections by field (none: fine)."""
    return registry.clean_config(kind, raw)


def create_channel(
    owner: Any,
    kind: str,
    config: dict[str, Any],
    *,
    label: str = "",
    quiet_from: dt.time | None = None,
    quiet_until: dt.time | None = None,
) -> tuple[Channel, TestResult]:
    """Add a checked channel and send its first test message at once."""
    channel = Channel.objects.create(
        owner=owner,
        kind=kind,
        label=label,
        config=cast(Any, config),  # an encrypted JSON column, typed as text
        quiet_from=quiet_from,
        quiet_until=quiet_until,
    )
    return channel, send_test(channel)


def update_channel(
    channel: Channel,
    *,
    label: str,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
    config: dict[str, Any] | None = None,
) -> TestResult | None:
    """Save changes; a channel that now goes somewhere else is verified again (and tested)."""
    moved = config is not None and where_changed(channel.kind, channel.config, config)
    channel.label = label
    channel.quiet_from, channel.quiet_until = quiet_from, quiet_until
    if config is not None:
        channel.config = config
    if moved:
        channel.verified_at = None
    channel.save()
    return send_test(channel) if moved else None


def _verification_message(channel: Channel, title: str, body: str, now: dt.datetime) -> Message:
    # A new key for each test: "verify:<channel>:<n>", n counting this channel's tests.
    number = Message.objects.filter(channel=channel, kind=MessageKind.VERIFICATION).count()
    while True:
        number += 1
        message, created = enqueue(
            channel.owner,
            key=f"verify:{channel.pk}:{number}",
            kind=MessageKind.VERIFICATION,
            title=title,
            body=body,
            url=settings.BASE_URL + reverse("notify:channel", args=[channel.pk]),
            channel=channel,
            due_at=now,
        )
        if created:
            return message


def send_test(channel: Channel, now: dt.datetime | None = None) -> TestResult:
    """Send a new code to the channel now, and keep only its hash.

    The test goes out at once, while the member waits, instead of waiting for the
    worker. It is tried once: if it fails, the member sees the transport's words
    and can try again, rather than getting an old code later.
    """
    now = now or timezone.now()
    recent = Message.objects.filter(
        owner_id=channel.owner_id,
        kind=MessageKind.VERIFICATION,
        created_at__gt=now - dt.timedelta(hours=1),
    ).count()
    if not verification.may_send_test(recent):
        return TestResult(sent=False, error=verification.TOO_MANY_TESTS)
    code = verification.new_code()
    title, body = verification.message_text(code, destination(channel.kind, channel.config))
    with transaction.atomic():
        channel.verification_digest = verification.digest(code, channel.pk, settings.SECRET_KEY)
        channel.verification_sent_at = now
        channel.verification_tries = 0
        channel.save(
            update_fields=["verification_digest", "verification_sent_at", "verification_tries"]
        )
        message = _verification_message(channel, title, body, now)
    attempt = deliver_now(message)
    # Once it has gone (or not), the code is of no use in the outbox: only its hash stays.
    scrubbed = Message.objects.filter(pk=message.pk)
    scrubbed.update(body=verification.without_code(body, code))
    if attempt.ok:
        channel.last_error, channel.last_error_at = "", None
        channel.save(update_fields=["last_error", "last_error_at"])
        return TestResult(sent=True)
    scrubbed.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.FAILED, claimed_until=None
    )
    error = attempt.error or "The test message couldn't be sent."
    channel.last_error, channel.last_error_at = error, timezone.now()
    channel.save(update_fields=["last_error", "last_error_at"])
    return TestResult(sent=False, error=error)


def verify(
    channel: Channel, code: str, now: dt.datetime | None = None
) -> tuple[verification.Outcome, int]:
    """Check a code the member typed; (outcome, tries at this code so far).

    The row is locked while it is checked, so guesses sent in parallel still count
    one by one towards the limit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        row = Channel.objects.select_for_update().get(pk=channel.pk)
        outcome = verification.check(
            code,
            channel_id=row.pk,
            secret=settings.SECRET_KEY,
            stored_digest=row.verification_digest,
            sent_at=row.verification_sent_at,
            tries_before=row.verification_tries,
            now=now,
        )
        if outcome is verification.Outcome.WRONG:
            row.verification_tries += 1
            row.save(update_fields=["verification_tries"])
        elif outcome is verification.Outcome.VERIFIED:
            row.verified_at = now
            row.verification_digest = ""
            row.verification_tries = 0
            row.save(update_fields=["verified_at", "verification_digest", "verification_tries"])
    channel.verified_at = row.verified_at
    channel.verification_digest = row.verification_digest
    channel.verification_tries = row.verification_tries
    return outcome, row.verification_tries
