"""The outbound HTTP wrapper, against a real receiver on loopback.

Addresses outside loopback are only ever refused here, never contacted: the
`no_connections` tripwire fails a test if a socket so much as tries.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from closeknit.lib import http
from closeknit.lib.http import HttpError, is_permanent_status, is_public_address, url_problem
from tests.receivers import free_port


@pytest.fixture
def private_allowed(settings):
    settings.HTTP_ALLOW_PRIVATE = True


@pytest.fixture
def private_refused(settings):
    settings.HTTP_ALLOW_PRIVATE = False


@pytest.fixture
def no_connections(monkeypatch):
    """Fail loudly if anything opens a connection (the refusal must come first)."""

    def tripwire(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", tripwire)
    monkeypatch.setattr(socket.socket, "connect_ex", tripwire)
    monkeypatch.setattr(socket, "create_connection", tripwire)


@pytest.fixture
def redirecting_server(http_receiver) -> Iterator[str]:
    """A server answering every POST with 302 to the receiver, which must never be asked."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", http_receiver.url + "/followed")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


# Sending


def test_posts_bytes_and_headers_to_an_allowed_loopback_receiver(private_allowed, http_receiver):
    response = http.post(http_receiver.url + "/topic?x=1", data=b"hello", headers={"X-Test": "yes"})
    assert response.status_code == 200
    assert response.ok
    assert response.json() == {}
    (request,) = http_receiver.requests
    assert (request.method, request.path, request.body) == ("POST", "/topic?x=1", b"hello")
    assert request.headers["x-test"] == "yes"
    assert request.headers["user-agent"] == "Closeknit"
    assert request.headers["accept-encoding"] == "identity"


def test_json_is_sent_as_utf8_not_escaped(private_allowed, http_receiver):
    http.post(http_receiver.url, json={"title": "Zoë's birthday 🎉"})
    (request,) = http_receiver.requests
    assert request.headers["content-type"] == "application/json"
    assert "Zoë's birthday 🎉".encode() in request.body
    assert json.loads(request.body) == {"title": "Zoë's birthday 🎉"}


def test_an_answer_is_read_only_up_to_the_size_limit(private_allowed, http_receiver):
    http_receiver.respond = lambda request: (200, b"x" * (1024 * 1024))
    response = http.post(http_receiver.url, data=b"")
    assert len(response.content) == http.MAX_RESPONSE_BYTES


def test_a_proxy_in_the_environment_is_not_used(private_allowed, http_receiver, monkeypatch):
    # The proxy address is never contacted: the request goes straight to the receiver.
    monkeypatch.setenv("HTTP_PROXY", "http://192.0.2.1:3128")
    monkeypatch.setenv("http_proxy", "http://192.0.2.1:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    http.post(http_receiver.url, data=b"direct")
    assert [r.body for r in http_receiver.requests] == [b"direct"]


# Failures and how permanent they are


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),
        (401, True),
        (403, True),
        (404, True),
        (410, True),
        (413, True),
        (408, False),
        (429, False),
        (500, False),
        (502, False),
        (503, False),
    ],
)
def test_error_answers_raise_with_their_status(private_allowed, http_receiver, status, permanent):
    http_receiver.respond = lambda request: (status, b"{}")
    with pytest.raises(HttpError) as caught:
        http.post(http_receiver.url, data=b"")
    assert caught.value.status == status
    assert caught.value.permanent is permanent
    assert caught.value.message.startswith(f"The server answered {status} ")


def test_a_404_says_so_in_plain_words(private_allowed, http_receiver):
    http_receiver.respond = lambda request: (404, b"")
    with pytest.raises(HttpError, match=r"^The server answered 404 Not Found\.$"):
        http.post(http_receiver.url, data=b"")


def test_redirects_are_not_followed(private_allowed, http_receiver, redirecting_server):
    with pytest.raises(HttpError) as caught:
        http.post(redirecting_server, data=b"secret")
    assert caught.value.status == 302
    assert caught.value.permanent
    assert f"points to {http_receiver.url}/followed" in caught.value.message
    assert http_receiver.requests == []


def test_a_server_that_does_not_answer_in_time_is_a_temporary_failure(
    private_allowed, http_receiver, settings
):
    settings.HTTP_TIMEOUT_SECONDS = 1
    release = threading.Event()

    def slow(request):
        release.wait(10)
        return 200, b"{}"

    http_receiver.respond = slow
    try:
        with pytest.raises(HttpError, match="did not answer in time") as caught:
            http.post(http_receiver.url, data=b"")
    finally:
        release.set()
    assert caught.value.status is None
    assert not caught.value.permanent


def test_nothing_listening_is_a_temporary_failure(private_allowed):
    with pytest.raises(HttpError, match=r"Could not connect to 127\.0\.0\.1") as caught:
        http.post(f"http://127.0.0.1:{free_port()}/", data=b"")
    assert caught.value.status is None
    assert not caught.value.permanent


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (None, False),
        (200, False),
        (301, True),
        (308, True),
        (404, True),
        (408, False),
        (429, False),
        (503, False),
    ],
)
def test_which_statuses_are_permanent(status, permanent):
    assert is_permanent_status(status) is permanent


# Refusing private addresses


def test_loopback_is_refused_by_default_and_never_contacted(private_refused, http_receiver):
    with pytest.raises(HttpError, match="private or local network") as caught:
        http.post(http_receiver.url, data=b"hello")
    assert caught.value.permanent
    assert caught.value.status is None
    assert http_receiver.requests == []


@pytest.mark.parametrize("host", ["localhost", "127.1", "2130706433", "0x7f000001"])
def test_names_for_loopback_are_refused_too(private_refused, http_receiver, host):
    # "127.1" and the decimal forms resolve to 127.0.0.1: the check at connect time
    # (on the address actually resolved) is what refuses them.
    port = http_receiver.url.rsplit(":", 1)[1]
    with pytest.raises(HttpError, match="private or local network"):
        http.post(f"http://{host}:{port}/", data=b"hello")
    assert http_receiver.requests == []


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_check_happens_where_the_connection_is_made(private_refused, http_receiver, scheme):
    # Straight through the guarded session, past post()'s early look at the address.
    port = http_receiver.url.rsplit(":", 1)[1]
    with pytest.raises(http._Refused), http.session() as client:
        client.post(f"{scheme}://127.0.0.1:{port}/", data=b"hello", timeout=5)
    assert http_receiver.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://198.18.0.1/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[ff02::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[2002:a00:1::]/",
        "https://10.0.0.1:8443/hook",
    ],
)
def test_private_and_special_addresses_are_refused_before_any_connection(
    private_refused, no_connections, url
):
    with pytest.raises(HttpError, match="private or local network") as caught:
        http.post(url, json={"title": "hello"})
    assert caught.value.permanent


@pytest.mark.parametrize("url", ["ftp://example.org/", "file:///etc/passwd", "gopher://x/", "//x/"])
def test_only_http_and_https_are_used(no_connections, url):
    with pytest.raises(HttpError, match="should start with https://") as caught:
        http.post(url, data=b"")
    assert caught.value.permanent


def test_allowing_private_addresses_lets_loopback_through(private_allowed, http_receiver):
    port = http_receiver.url.rsplit(":", 1)[1]
    http.post(f"http://localhost:{port}/", data=b"hi")
    assert [r.body for r in http_receiver.requests] == [b"hi"]


# The pure checks


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("1.1.1.1", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.31.255.255", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.251", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("2002:7f00:1::", False),
        ("64:ff9b::a00:1", False),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://ntfy.sh", None),
        ("https://hooks.example.org/closeknit?token=1", None),
        ("http://example.org:8080/x", None),
        ("", "should start with https://"),
        ("ntfy.sh/topic", "should start with https://"),
        ("https://", "needs a server name"),
        ("https://user:pass@example.org/", "user name and password"),
        ("https://example.org:99999/", "does not look like a web address"),
        ("http://[::1/", "does not look like a web address"),
        ("http://localhost:8000/", "private or local network"),
        ("http://printer.localhost/", "private or local network"),
        ("http://192.168.1.20/", "private or local network"),
    ],
)
def test_url_problems_are_named_before_sending(private_refused, no_connections, url, problem):
    found = url_problem(url)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_private_addresses_are_fine_when_allowed(private_allowed):
    assert url_problem("http://192.168.1.20/") is None
    assert url_problem("http://localhost:8000/") is None
