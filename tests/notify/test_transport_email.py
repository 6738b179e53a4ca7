"""E-mail, delivered to a real SMTP server on loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from closeknit.notify.transports.base import Outgoing, TransportError
from closeknit.notify.transports.email import EmailTransport, message_id
from tests.receivers import free_port, refuse_recipients

REMINDER = Outgoing(
    key="reach-out:7:2027-01-05",
    kind="reach_out",
    title="It's been a while since you and Zoë talked 🌱",
    body="You and Zoë last talked 23 days ago; you hoped for every 14.",
    url="/people/12/",
)


@pytest.fixture
def smtp_settings(settings):
    """Django's SMTP backend pointed at 127.0.0.1, for tests that bring their own server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def hang_up_server() -> Iterator[int]:
    """A server that accepts a connection and closes it at once, as an overloaded one might."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


def send(message: Outgoing, address: str = "robin@example.org") -> None:
    EmailTransport({"address": address}).send(message)


def test_a_reminder_arrives_with_its_title_body_link_and_footer(smtp_inbox, settings):
    settings.BASE_URL = "https://closeknit.example.org"
    settings.DEFAULT_FROM_EMAIL = "Closeknit <reminders@closeknit.example.org>"
    send(REMINDER)
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "robin@example.org"
    assert mail["From"] == "Closeknit <reminders@closeknit.example.org>"
    # Django folds a long encoded subject onto a second line; unfolding leaves a space.
    assert mail["Subject"].strip() == "It's been a while since you and Zoë talked 🌱"
    assert mail["Auto-Submitted"] == "auto-generated"
    text = mail.get_content().replace("\r\n", "\n")
    assert text.startswith("You and Zoë last talked 23 days ago; you hoped for every 14.\n\n")
    assert "https://closeknit.example.org/people/12/" in text
    assert "You're getting this because you asked Closeknit to remind you here." in text
    assert "https://closeknit.example.org/notifications/" in text


def test_message_id_is_made_from_the_key_so_a_retry_is_the_same_mail(smtp_inbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Closeknit <reminders@closeknit.example.org>"
    send(REMINDER)
    send(REMINDER)
    send(Outgoing(key="reach-out:7:2027-01-06", kind="reach_out", title="Another day"))
    first, retry, other = (mail["Message-ID"] for mail in smtp_inbox.messages)
    assert first == retry == message_id(REMINDER.key)
    assert first.endswith("@closeknit.example.org>")
    assert other != first


def test_a_message_to_someone_else_goes_to_them_with_a_footer_for_them(smtp_inbox):
    note = Outgoing(
        key="appreciation:3",
        kind="appreciation",
        title="A note from Robin",
        body="Thank you for the Sunday walks, Zoë.",
        to_address="zoe@example.org",
    )
    send(note)
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "zoe@example.org"
    text = mail.get_content().replace("\r\n", "\n")
    assert "Thank you for the Sunday walks, Zoë." in text
    assert "someone who wanted to thank you" in text
    assert "/notifications/" not in text


def test_an_invitation_says_who_may_ignore_it_and_offers_no_settings(smtp_inbox):
    invitation = Outgoing(
        key="invitation:4",
        kind="invitation",
        title="Robin would like you in their circle of supporters",
        body="Robin invited you.",
        to_address="zoe@example.org",
    )
    send(invitation)
    (mail,) = smtp_inbox.messages
    assert mail["To"] == "zoe@example.org"
    text = mail.get_content().replace("\r\n", "\n")
    assert "If you don't know them, you can ignore this e-mail." in text
    assert "/notifications/" not in text


@pytest.mark.parametrize("kind", ["help_request", "checkin_nudge"])
def test_a_message_to_a_supporter_says_why_and_how_to_step_back(smtp_inbox, settings, kind):
    settings.BASE_URL = "https://closeknit.example.org"
    send(Outgoing(key=f"{kind}:1", kind=kind, title="Robin asked for support"))
    (mail,) = smtp_inbox.messages
    text = mail.get_content().replace("\r\n", "\n")
    assert "you are in someone's circle of supporters" in text
    assert "https://closeknit.example.org/supporting/" in text
    assert "thank you" not in text


def test_a_test_message_explains_itself(smtp_inbox):
    send(Outgoing(key="verify:1:1", kind="verification", title="Your code is 123456"))
    (mail,) = smtp_inbox.messages
    assert "If that wasn't you, you can ignore this e-mail." in mail.get_content()


def test_a_refused_recipient_is_a_permanent_failure(smtp_inbox):
    refuse_recipients(smtp_inbox, "gone@example.org")
    with pytest.raises(TransportError, match=r"refused the address gone@example\.org") as caught:
        send(REMINDER, address="gone@example.org")
    assert caught.value.permanent
    assert smtp_inbox.messages == []


def test_a_recipient_refused_for_now_is_tried_again(smtp_inbox):
    # Greylisting: "try again later" is a 4xx answer.
    refuse_recipients(smtp_inbox, "busy@example.org", reply="450 4.2.0 Greylisted, come back later")
    with pytest.raises(TransportError) as caught:
        send(REMINDER, address="busy@example.org")
    assert not caught.value.permanent


def test_a_mail_server_that_is_down_is_a_temporary_failure(smtp_settings):
    smtp_settings.EMAIL_PORT = free_port()
    with pytest.raises(TransportError, match="Could not reach the mail server") as caught:
        send(REMINDER)
    assert not caught.value.permanent


def test_a_mail_server_that_hangs_up_is_a_temporary_failure(smtp_settings, hang_up_server):
    smtp_settings.EMAIL_PORT = hang_up_server
    with pytest.raises(TransportError, match="Could not reach the mail server") as caught:
        send(REMINDER)
    assert not caught.value.permanent


def test_a_channel_without_an_address_fails_for_good():
    with pytest.raises(TransportError) as caught:
        EmailTransport({}).send(REMINDER)
    assert caught.value.permanent


@pytest.mark.parametrize(
    ("raw", "config", "errors"),
    [
        ({"address": " robin@example.org "}, {"address": "robin@example.org"}, {}),
        (
            {"address": "robin"},
            {"address": "robin"},
            {"address": "Enter an e-mail address, like you@example.org."},
        ),
        ({}, {"address": ""}, {"address": "Enter an e-mail address, like you@example.org."}),
    ],
)
def test_clean_config(raw, config, errors):
    assert EmailTransport.clean_config(raw) == (config, errors)
