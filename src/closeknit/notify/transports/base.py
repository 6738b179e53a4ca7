"""What every transport is: `send(outgoing)` that returns or raises `TransportError`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


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
