"""ntfy, with a loopback HTTP receiver standing in for the ntfy server."""

from __future__ import annotations

import json

import pytest

from closeknit.notify.transports.base import Outgoing, TransportError
from closeknit.notify.transports.ntfy import NtfyTransport

BIRTHDAY = Outgoing(
    key="occasion:birthday-12-2027",
    kind="occasion",
    title="Zoë's birthday is tomorrow 🎂",
    body="A few kind words go a long way. 🎉",
    url="/occasions/",
)


@pytest.fixture
def ntfy(settings, http_receiver):
    settings.HTTP_ALLOW_PRIVATE = True
    settings.BASE_URL = "https://closeknit.example.org"
    return http_receiver


def test_publishes_json_to_the_server_root_and_keeps_non_ascii(ntfy):
    NtfyTransport({"server": ntfy.url, "topic": "robin-r7q2x"}).send(BIRTHDAY)
    (request,) = ntfy.requests
    assert (request.method, request.path) == ("POST", "/")
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers
    assert json.loads(request.body.decode("utf-8")) == {
        "topic": "robin-r7q2x",
        "title": "Zoë's birthday is tomorrow 🎂",
        "message": "A few kind words go a long way. 🎉",
        "click": "https://closeknit.example.org/occasions/",
        "tags": ["tada"],
    }


def test_an_access_token_is_sent_as_a_bearer_token(ntfy):
    NtfyTransport({"server": ntfy.url, "topic": "robin", "token": "tk_abc123"}).send(BIRTHDAY)
    (request,) = ntfy.requests
    assert request.headers["authorization"] == "Bearer tk_abc123"


def test_a_server_under_a_path_gets_the_json_at_that_path(ntfy):
    NtfyTransport({"server": ntfy.url + "/ntfy/", "topic": "robin"}).send(BIRTHDAY)
    assert ntfy.requests[0].path == "/ntfy/"


def test_a_pasted_topic_address_still_works(ntfy):
    NtfyTransport({"server": ntfy.url + "/robin-r7q2x", "topic": ""}).send(BIRTHDAY)
    (request,) = ntfy.requests
    assert request.path == "/"
    assert json.loads(request.body)["topic"] == "robin-r7q2x"


def test_a_message_without_a_body_shows_its_title_and_no_link(ntfy):
    NtfyTransport({"server": ntfy.url, "topic": "robin"}).send(
        Outgoing(key="k", kind="unknown_kind", title="Time for your check-in")
    )
    assert json.loads(ntfy.requests[0].body) == {
        "topic": "robin",
        "title": "Time for your check-in",
        "message": "Time for your check-in",
    }


@pytest.mark.parametrize(
    ("status", "permanent", "words"),
    [
        (404, True, "The server answered 404 Not Found: check the server's address."),
        (401, True, "The server answered 401 Unauthorized: check the access token."),
        (403, True, "The server answered 403 Forbidden: check the access token"),
        (429, False, "The server answered 429 Too Many Requests."),
        (500, False, "The server answered 500 Internal Server Error."),
    ],
)
def test_failures_say_what_to_check_and_whether_to_retry(ntfy, status, permanent, words):
    ntfy.respond = lambda request: (status, b'{"error": "nope"}')
    with pytest.raises(TransportError) as caught:
        NtfyTransport({"server": ntfy.url, "topic": "robin"}).send(BIRTHDAY)
    assert str(caught.value).startswith(words)
    assert caught.value.permanent is permanent


def test_a_server_on_a_private_network_is_refused_unless_allowed(ntfy, settings):
    settings.HTTP_ALLOW_PRIVATE = False
    with pytest.raises(TransportError, match="private or local network") as caught:
        NtfyTransport({"server": ntfy.url, "topic": "robin"}).send(BIRTHDAY)
    assert caught.value.permanent
    assert ntfy.requests == []


@pytest.mark.parametrize(
    ("raw", "config"),
    [
        (
            {"topic": "robin"},
            {"server": "https://ntfy.sh", "topic": "robin", "token": ""},
        ),
        (
            {"server": " https://ntfy.example.org/ ", "topic": " robin ", "token": " tk_1 "},
            {"server": "https://ntfy.example.org", "topic": "robin", "token": "tk_1"},
        ),
        (
            {"server": "https://ntfy.sh/robin-r7q2x"},
            {"server": "https://ntfy.sh", "topic": "robin-r7q2x", "token": ""},
        ),
        (
            {"server": "https://example.org/ntfy/robin"},
            {"server": "https://example.org/ntfy", "topic": "robin", "token": ""},
        ),
    ],
)
def test_clean_config_tidies_what_was_typed(settings, raw, config):
    settings.HTTP_ALLOW_PRIVATE = False
    assert NtfyTransport.clean_config(raw) == (config, {})


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"topic": ""}, "topic"),
        ({"topic": "has spaces"}, "topic"),
        ({"topic": "x" * 65}, "topic"),
        ({"topic": "zoë"}, "topic"),
        ({"server": "ntfy.sh", "topic": "robin"}, "server"),
        ({"server": "https://ntfy.sh?x=1", "topic": "robin"}, "server"),
        ({"server": "http://192.168.1.5", "topic": "robin"}, "server"),
        ({"topic": "robin", "token": "tk 1"}, "token"),
    ],
)
def test_clean_config_names_the_field_to_fix(settings, raw, field):
    settings.HTTP_ALLOW_PRIVATE = False
    _config, errors = NtfyTransport.clean_config(raw)
    assert list(errors) == [field]
