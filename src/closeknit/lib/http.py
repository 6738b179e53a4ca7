"""The one way Closeknit makes outbound HTTP requests (ntfy, webhooks, web push).

A member chooses where their reminders go, so an address is untrusted input: it
could point at the server's own network (a database, a cloud metadata service).
Every request therefore

- goes only to http:// or https:// addresses;
- is refused when the host resolves to a private, loopback, link-local,
  multicast, reserved or unspecified address, unless settings.HTTP_ALLOW_PRIVATE.
  The check happens when the socket is opened, on the very address it connects
  to, so a name that resolves differently a second time (DNS rebinding) cannot
  slip past it;
- waits at most settings.HTTP_TIMEOUT_SECONDS to connect and for each read,
  and as long again for the whole answer;
- follows no redirects (a redirect could lead anywhere) and reads at most
  MAX_RESPONSE_BYTES of an answer.

Failures raise HttpError with a short message a member can read on their
channel page, its HTTP status when there was one, and whether trying again
could help (`permanent`).
"""

from __future__ import annotations

import ipaddress
import json as jsonlib
import socket
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "Closeknit"
# Retrying will not change these answers, except "Request Timeout" and "Too Many Requests".
TEMPORARY_CLIENT_ERRORS = {408, 429}

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class HttpError(Exception):
    """An outbound request failed: refused, unreachable, too slow, or answered with an error."""

    def __init__(
        self, message: str, status: int | None = None, *, permanent: bool | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.permanent = is_permanent_status(status) if permanent is None else permanent


def is_permanent_status(status: int | None) -> bool:
    """Whether an answer with this status will be the same next time.

    4xx answers mean the request itself is wrong (a topic that does not exist, a
    subscription that has ended), except 408 and 429, which ask us to come back.
    A redirect is permanent too: we never follow one, so the address must change.
    5xx answers and no answer at all (status None) are worth another try.
    """
    if status is None:
        return False
    if 300 <= status < 400:
        return True
    return 400 <= status < 500 and status not in TEMPORARY_CLIENT_ERRORS


@dataclass(frozen=True)
class Response:
    """The part of an answer we keep: status, headers (lower-cased names) and at most
    MAX_RESPONSE_BYTES of the body."""

    status_code: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


def is_public_address(address: IpAddress) -> bool:
    """True for an address on the public internet; False for anything local or special."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address carried in IPv6 (::ffff:10.0.0.1, 6to4 2002:a00:1::, NAT64
        # 64:ff9b::a00:1) reaches that IPv4 address, so it is judged as one.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def refusal(host: str) -> str:
    return (
        f"The address {host} is on a private or local network, and this server only "
        "sends to public addresses. If that is on purpose (say, an ntfy server at home), "
        "ask whoever runs this Closeknit to allow private addresses."
    )


def url_problem(url: str) -> str | None:
    """What is wrong with an address before any request is made, or None.

    Checks the form (http or https, a host) and refuses hosts written as a
    private address or as "localhost"; names are resolved and checked again when
    a request is sent.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it validates the port)
    except ValueError:
        return "That does not look like a web address; it should start with https://."
    if parts.scheme not in ("http", "https"):
        return "The address should start with https:// (or http://)."
    host = parts.hostname
    if not host:
        return "The address needs a server name, like https://example.org/."
    if parts.username or parts.password:
        return "Leave the user name and password out of the address."
    if settings.HTTP_ALLOW_PRIVATE:
        return None
    if host.rstrip(".").lower() == "localhost" or host.lower().endswith(".localhost"):
        return refusal(host)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return None
    return None if is_public_address(literal) else refusal(host)


class _Refused(Exception):
    """Raised inside a connection: the host resolved to an address we do not send to."""


def _checked_addresses(host: str, port: int) -> list[tuple[Any, ...]]:
    """getaddrinfo's answers for host, refused as a whole if any of them is not public.

    Refusing on any (rather than picking a public one) keeps a name that answers
    both 10.0.0.1 and a public address from being a way in on a retry.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not settings.HTTP_ALLOW_PRIVATE:
        for *_, sockaddr in infos:
            # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"); the part before % is the address.
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if not is_public_address(address):
                raise _Refused(refusal(host))
    return infos


def _guarded_new_conn(conn: HTTPConnection) -> socket.socket:
    """urllib3's HTTPConnection._new_conn, connecting only to addresses that passed the check."""
    try:
        infos = _checked_addresses(conn._dns_host, conn.port)
    except socket.gaierror as error:
        raise NameResolutionError(conn.host, conn, error) from error
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            for option in conn.socket_options or ():
                sock.setsockopt(*option)
            if isinstance(conn.timeout, int | float):
                sock.settimeout(conn.timeout)
            if conn.source_address:
                sock.bind(conn.source_address)
            sock.connect(sockaddr)
            return sock
        except TimeoutError as error:
            sock.close()
            raise ConnectTimeoutError(conn, f"Connection to {conn.host} timed out.") from error
        except OSError as error:
            sock.close()
            last_error = error
    raise NewConnectionError(conn, f"Failed to establish a new connection: {last_error}")


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _guarded_new_conn(self)


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _guarded_new_conn(self)


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }


def session() -> requests.Session:
    """A requests session whose every connection goes through the address check.

    Mounting on "http://" and "https://" replaces requests' own adapters. trust_env
    is off so that an HTTP_PROXY in the environment cannot route
    around the check, and no .netrc password is ever sent to a member's server.
    """
    guarded = requests.Session()
    guarded.trust_env = False
    adapter = _GuardedAdapter(max_retries=0)
    guarded.mount("http://", adapter)
    guarded.mount("https://", adapter)
    return guarded


def post(
    url: str,
    *,
    data: bytes | None = None,
    json: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """POST to a member-given address; the answer if it is 2xx, else HttpError."""
    problem = url_problem(url)
    if problem:
        raise HttpError(problem, permanent=True)
    # identity: a compressed answer could unpack to far more than the size limit.
    all_headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
    if json is not None:
        # Our own encoding (UTF-8, not \u escapes) so the bytes sent are the bytes we chose.
        data = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
        all_headers.setdefault("Content-Type", "application/json")
    timeout = float(settings.HTTP_TIMEOUT_SECONDS)
    host = urlsplit(url).hostname or url
    started = time.monotonic()
    try:
        with session() as client:
            answer = client.post(
                url,
                data=data,
                headers=all_headers,
                timeout=(timeout, timeout),
                allow_redirects=False,
                stream=True,
            )
            with answer:
                content = _read_limited(answer, deadline=started + 2 * timeout)
    except _Refused as error:
        raise HttpError(str(error), permanent=True) from None
    except requests.Timeout:
        raise HttpError(f"{host} did not answer in time.") from None
    except requests.exceptions.SSLError:
        raise HttpError(
            f"The secure connection to {host} failed (its certificate could not be checked)."
        ) from None
    except requests.ConnectionError as error:
        raise HttpError(_connection_problem(host, error)) from None
    except requests.RequestException as error:
        raise HttpError(f"The request to {host} failed ({type(error).__name__}).") from None
    response = Response(
        answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, content
    )
    if not response.ok:
        raise HttpError(_status_problem(response), response.status_code)
    return response


def _read_limited(answer: requests.Response, *, deadline: float) -> bytes:
    """At most MAX_RESPONSE_BYTES of the body, read until the deadline.

    The status already tells whether the message arrived, so an answer cut short
    (too long, too slow, the connection dropped) keeps what was read rather than
    turning a delivered message into a failed one that would be sent again.
    """
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in answer.iter_content(chunk_size=8192):
            chunks.append(chunk)
            size += len(chunk)
            if size >= MAX_RESPONSE_BYTES or time.monotonic() > deadline:
                break
    except requests.RequestException:
        pass
    return b"".join(chunks)[:MAX_RESPONSE_BYTES]


def _connection_problem(host: str, error: requests.ConnectionError) -> str:
    if _caused_by(error, NameResolutionError):
        return f"Could not find the server {host}; check the address."
    return f"Could not connect to {host}."


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` is somewhere behind error (requests and urllib3 wrap errors several deep)."""
    seen: set[int] = set()
    stack: list[Any] = [error]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(current.args)
    return False


def _status_problem(response: Response) -> str:
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = "an unexpected answer"
    message = f"The server answered {response.status_code} {phrase}."
    location = response.headers.get("location", "")
    if 300 <= response.status_code < 400 and location:
        message += f" It points to {location[:200]}; use that address instead."
    return message
