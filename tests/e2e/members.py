"""The member the browser tests sign in as, and what they check on a phone-sized screen."""

from __future__ import annotations

from typing import Any

from closeknit.accounts.models import User
from tests.conftest import PASSWORD

EMAIL = "robin@example.org"
PHONE_WIDTH = 390  # the `page` fixture's viewport (tests/browser.py)


def make_member(email: str = EMAIL) -> User:
    return User.objects.create_user(
        email, PASSWORD, display_name="Robin", time_zone="Europe/London", country="GB"
    )


def sign_in(page: Any, live_server: Any, email: str = EMAIL) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def fits_the_screen(page: Any) -> bool:
    """No sideways scrolling on a small phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
