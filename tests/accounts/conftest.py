"""Sign-in helpers for the account tests (the SMTP server on loopback is in tests/receivers.py)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

CLIENT_IP = "203.0.113.9"


def sign_in(client: Client, email: str, password: str, ip: str = CLIENT_IP, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")
