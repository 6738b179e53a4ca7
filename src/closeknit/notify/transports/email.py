"""E-mail through the SMTP server in the settings (EMAIL_HOST and friends)."""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Mapping
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email

from closeknit.notify.transports.base import Outgoing, TransportError, absolute_url

# Why the member gets each kind of message, for the footer. A note of thanks to
# someone else has its own footer (see footer()).
REASONS = {
    "verification": (
        "You're getting this because this address was added to Closeknit as a place "
        "for reminders. If that wasn't you, you can ignore this e-mail."
    ),
    "digest": "You're getting this because you asked Closeknit for a digest by e-mail.",
}
DEFAULT_REASON = "You're getting this because you asked Closeknit to remind you here."
THANKS_FOOTER = "Sent with Closeknit by someone who wanted to thank you."
# Mail to someone who may have no account yet, or is there as someone's supporter.
INVITATION_FOOTER = (
    "Sent with Closeknit by someone who would like you in their circle of supporters. "
    "If you don't know them, you can ignore this e-mail."
)
SUPPORTER_REASON = "You're getting this because you are in someone's circle of supporters."
SUPPORTER_KINDS = frozenset({"help_request", "checkin_nudge"})


class EmailTransport:
    def __init__(self, config: dict[str, Any]) -> None:
        self.address = str(config.get("address", ""))

    @staticmethod
    def clean_config(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        address = str(raw.get("address") or "").strip()
        try:
            validate_email(address)
        except ValidationError:
            return {"address": address}, {
                "address": "Enter an e-mail address, like you@example.org."
            }
        return {"address": address}, {}

    def send(self, message: Outgoing) -> None:
        to = message.to_address or self.address
        if not to:
            raise TransportError("This channel has no e-mail address.", permanent=True)
        mail = EmailMessage(
            subject=message.title,
            body=text_body(message),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={
                "Message-ID": message_id(message.key),
                # Asks auto-responders (holiday replies) not to answer a reminder.
                "Auto-Submitted": "auto-generated",
            },
            connection=get_connection(fail_silently=False),
        )
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise TransportError(
                f"The mail server refused the address {to}; check it is spelled right.",
                permanent=any(code >= 500 for code in codes),
            ) from None
        except smtplib.SMTPAuthenticationError:
            # The operator's settings, not the member's address: worth retrying once fixed.
            raise TransportError(
                "The mail server did not accept this server's login; whoever runs "
                "Closeknit needs to check its e-mail settings."
            ) from None
        except smtplib.SMTPResponseException as error:
            raise TransportError(
                f"The mail server answered {error.smtp_code}: {_smtp_text(error)}",
                permanent=error.smtp_code >= 500,
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(
                f"Could not reach the mail server ({type(error).__name__})."
            ) from None


def text_body(message: Outgoing) -> str:
    parts = [message.body.strip()] if message.body.strip() else []
    if message.url:
        parts.append(absolute_url(message.url))
    parts.append("-- \n" + footer(message))
    return "\n\n".join(parts) + "\n"


def footer(message: Outgoing) -> str:
    if message.kind == "invitation":
        return INVITATION_FOOTER
    if message.kind in SUPPORTER_KINDS:
        return (
            f"{SUPPORTER_REASON}\nTo see whom you support, or to step back: "
            f"{settings.BASE_URL}/supporting/"
        )
    if message.to_address:
        return THANKS_FOOTER
    reason = REASONS.get(message.kind, DEFAULT_REASON)
    return f"{reason}\nTo change what you get, or when: {settings.BASE_URL}/notifications/"


def message_id(key: str) -> str:
    """The same Message-ID for every try at one message, so a repeat shows as the same mail."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}.closeknit@{_mail_domain()}>"


def _mail_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def _smtp_text(error: smtplib.SMTPResponseException) -> str:
    text = error.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return str(text)[:200]
