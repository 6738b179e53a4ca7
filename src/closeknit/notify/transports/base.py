"""What every transport is: `send(outgoing)` that returns or raises `TransportError`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from closeknit.lib.http import HttpError


class TransportError(Exception):
    """Delivery failed. `permanent` errors (a 404, a refused address) are never retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """A message as a transport sees it: plain text, already in the member's words.

    `key` is the outbox row's unique de-duplication key, passed on to receivers
    (a header or a field) so that one that sees a retry can drop the repeat.
    """

    key: str
    kind: str
    title: str
    body: str = ""
    url: str = ""
    to_address: str = ""  # e-mail to someone other than the channel's address


class Transport(Protocol):
    def __init__(self, config: dict[str, Any]) -> None: ...

    def send(self, message: Outgoing) -> None: ...


def absolute_url(url: str) -> str:
    """A link as a receiver needs it: a path inside Closeknit gets settings.BASE_URL in front."""
    if url.startswith("/") and not url.startswith("//"):
        return settings.BASE_URL + url
    return url


def http_failure(error: HttpError, hints: Mapping[int, str] | None = None) -> TransportError:
    """A TransportError for a failed request, with a hint for the member for some statuses."""
    message = error.message
    hint = (hints or {}).get(error.status or 0, "")
    if hint:
        message = f"{message.rstrip('.')}: {hint}"
    return TransportError(message, permanent=error.permanent)
