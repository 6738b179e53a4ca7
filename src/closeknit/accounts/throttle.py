"""Slowing down password guessing at the sign-in form.

The rule is a pure function, `decide`: given the recent failed sign-ins for
the e-mail address being tried and for the client's IP address, may this
attempt go ahead? The small functions below it read and write the
`LoginFailure` rows that feed it.

Why two counters: the per-address limit protects one account from a
patient guesser; the per-IP limit (a few times higher, because a household
or a clinic may share one address) slows someone trying many accounts.

Addresses are stored only as a SHA-256 digest: the table exists to count
failures, not to keep a list of who tried to sign in.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from closeknit.accounts.models import LoginFailure

IP_LIMIT_FACTOR = 4
THROTTLED_MESSAGE = "Too many attempts. Please wait a few minutes and try again."


@dataclass(frozen=True)
class Policy:
    """How many failures are allowed within how long.

    A limit below 1 switches throttling off: "no attempts at all" would lock
    every member out, which is never what an operator means.
    """

    limit: int
    window: timedelta
    ip_factor: int = IP_LIMIT_FACTOR

    @property
    def ip_limit(self) -> int:
        return self.limit * self.ip_factor

    @property
    def enabled(self) -> bool:
        return self.limit >= 1


@dataclass(frozen=True)
class Decision:
    allowed: bool
    # "address" or "ip" when not allowed (both may apply; "address" wins).
    reason: str = ""
    # When the attempt would next be allowed, if nothing else fails meanwhile.
    retry_at: datetime | None = None


def _recent(failures: Iterable[datetime], now: datetime, window: timedelta) -> list[datetime]:
    """Failures still inside the window, oldest first.

    A failure exactly `window` old has just expired. Failures "in the future"
    (clocks of two servers a little apart) still count.
    """
    cutoff = now - window
    return sorted(at for at in failures if at > cutoff)


def _blocked_until(recent: Sequence[datetime], limit: int, window: timedelta) -> datetime | None:
    """None when fewer than `limit` recent failures; else when enough of them expire."""
    if len(recent) < limit:
        return None
    # Allowed again once the count drops below the limit, i.e. when the
    # (len - limit + 1) oldest failures have left the window.
    return recent[len(recent) - limit] + window


def decide(
    address_failures: Iterable[datetime],
    ip_failures: Iterable[datetime],
    now: datetime,
    policy: Policy,
) -> Decision:
    """May a sign-in attempt go ahead, given the earlier failures?

    With a limit of 5, five recent failures for an address are tolerated and
    the sixth attempt is refused until the oldest of them leaves the window.
    """
    if not policy.enabled:
        return Decision(allowed=True)
    by_address = _blocked_until(
        _recent(address_failures, now, policy.window), policy.limit, policy.window
    )
    by_ip = _blocked_until(_recent(ip_failures, now, policy.window), policy.ip_limit, policy.window)
    if by_address is None and by_ip is None:
        return Decision(allowed=True)
    reason = "address" if by_address is not None else "ip"
    retry_at = max(at for at in (by_address, by_ip) if at is not None)
    return Decision(allowed=False, reason=reason, retry_at=retry_at)


def email_digest(email: str) -> str:
    """The stored form of an address: case and surrounding spaces do not matter."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def client_ip(meta: Mapping[str, Any], behind_proxy: bool = False) -> str | None:
    """The client's IP address from the request's META, or None if it is missing or odd.

    Directly on the internet only REMOTE_ADDR can be trusted: X-Forwarded-For
    is whatever the client wants it to be. Behind our own proxy, REMOTE_ADDR
    is the proxy for everyone (so one guesser would pause every member's
    sign-in); there the last X-Forwarded-For entry, the one our proxy added,
    is the client.
    """
    raw = str(meta.get("REMOTE_ADDR") or "")
    if behind_proxy:
        forwarded = [
            part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        ]
        if forwarded[-1]:
            raw = forwarded[-1]
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def request_ip(request: HttpRequest) -> str | None:
    # BEHIND_TLS_PROXY (which sets SECURE_PROXY_SSL_HEADER) is the operator saying "a proxy of
    # mine is in front"; read per request, never at import time.
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    return client_ip(request.META, behind_proxy=behind_proxy)


def current_policy() -> Policy:
    # Read on each call (never at import time) so settings overrides take effect.
    return Policy(
        limit=settings.LOGIN_FAILURE_LIMIT,
        window=timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES),
    )


def check(email: str, ip: str | None, now: datetime | None = None) -> Decision:
    """Decide for a real attempt, reading the failures from the database."""
    now = now or timezone.now()
    policy = current_policy()
    if not policy.enabled:
        return Decision(allowed=True)
    since = now - policy.window
    # Only the newest `limit` failures can matter: `decide` blocks when there
    # are `limit` of them and waits for the oldest of those to expire.
    address_rows = LoginFailure.objects.filter(email_digest=email_digest(email), at__gt=since)
    address_failures = list(
        address_rows.order_by("-at").values_list("at", flat=True)[: policy.limit]
    )
    ip_failures: list[datetime] = []
    if ip:
        ip_rows = LoginFailure.objects.filter(ip_address=ip, at__gt=since)
        ip_failures = list(ip_rows.order_by("-at").values_list("at", flat=True)[: policy.ip_limit])
    return decide(address_failures, ip_failures, now, policy)


def record_failure(email: str, ip: str | None, now: datetime | None = None) -> None:
    """Remember one failed attempt, and forget the ones too old to matter."""
    now = now or timezone.now()
    LoginFailure.objects.create(email_digest=email_digest(email), ip_address=ip, at=now)
    prune(now)


def prune(now: datetime | None = None) -> int:
    """Delete failures older than the window; returns how many went."""
    now = now or timezone.now()
    cutoff = now - current_policy().window
    deleted, _ = LoginFailure.objects.filter(at__lte=cutoff).delete()
    return deleted


def clear(email: str) -> None:
    """After a successful sign-in (or password reset) the address starts afresh."""
    LoginFailure.objects.filter(email_digest=email_digest(email)).delete()
