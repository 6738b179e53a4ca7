"""The account pages in a real Chromium: the time-zone guess, copying a token, and axe-core.

Playwright runs in its own thread with the async API, so these tests never
share an event loop with the browser fixtures of tests/e2e.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from closeknit.accounts.models import ApiToken, User
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed"),
]

Scenario = Callable[[Any], Awaitable[None]]


def run_in_browser(scenario: Scenario, **context_options: Any) -> None:
    """Run `scenario(page)` in a fresh Chromium; re-raise whatever it raised."""
    errors: list[BaseException] = []

    async def main() -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
            context = await browser.new_context(
                viewport={"width": 390, "height": 844}, locale="en-GB", **context_options
            )
            page = await context.new_page()
            page.set_default_timeout(10_000)
            try:
                await scenario(page)
            finally:
                await browser.close()

    def thread() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:  # handed to the test's own thread
            errors.append(error)

    worker = threading.Thread(target=thread)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the browser scenario did not finish"
    if errors:
        raise errors[0]


async def assert_accessible(page: Any) -> None:
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


async def sign_in(page: Any, base: str, email: str) -> None:
    await page.goto(f"{base}/accounts/login/")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Chicago"])
def test_signup_starts_with_the_browsers_time_zone(live_server, zone):
    base = live_server.url

    async def scenario(page: Any) -> None:
        await page.goto(f"{base}/accounts/signup/")
        assert await page.input_value("#id_time_zone") == zone
        await assert_accessible(page)
        await page.get_by_label("E-mail address").fill("new@example.org")
        await page.get_by_label("Password", exact=True).fill("sea-glass-and-driftwood")
        await page.get_by_label("Password again").fill("sea-glass-and-driftwood")
        await page.get_by_role("button", name="Create my account").click()
        await page.wait_for_url(f"{base}/")

    run_in_browser(scenario, timezone_id=zone)
    assert User.objects.get(email="new@example.org").time_zone == zone


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sign_in_page_is_accessible_with_and_without_errors(live_server, scheme):
    base = live_server.url

    async def scenario(page: Any) -> None:
        await page.emulate_media(color_scheme=scheme)
        await page.goto(f"{base}/accounts/login/")
        assert await page.get_by_role("button", name="Explore a demo").is_visible()
        await assert_accessible(page)
        await page.get_by_label("E-mail address").fill("nobody@example.org")
        await page.get_by_label("Password").fill("wrong")
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("alert").wait_for()
        await assert_accessible(page)

    run_in_browser(scenario)


def test_settings_token_and_delete_pages_are_accessible(live_server, member):
    base = live_server.url
    ApiToken.issue(member, "Old laptop")

    async def scenario(page: Any) -> None:
        await sign_in(page, base, "member@example.org")
        await page.goto(f"{base}/accounts/settings/")
        await assert_accessible(page)

        await page.get_by_label("Name").fill("Phone shortcut")
        await page.get_by_role("button", name="Create token").click()
        await page.get_by_role("heading", name="Your new API token").wait_for()
        secret = await page.input_value("#token-secret")
        assert secret.startswith("ck_")
        await assert_accessible(page)
        await page.get_by_role("button", name="Copy token").click()
        await page.get_by_text("Copied.").wait_for()
        assert await page.evaluate("navigator.clipboard.readText()") == secret

        await page.goto(f"{base}/accounts/settings/")
        await page.get_by_role("link", name="Revoke Old laptop").click()
        await assert_accessible(page)
        await page.get_by_role("button", name="Revoke token").click()
        await page.wait_for_url(f"{base}/accounts/settings/")

        await page.goto(f"{base}/accounts/delete/")
        await page.get_by_label("Your password").fill("not it")
        await page.get_by_role("button", name="Delete my account").click()
        await page.get_by_text("That password doesn't match").wait_for()
        await assert_accessible(page)

    run_in_browser(scenario, permissions=["clipboard-read", "clipboard-write"])
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Phone shortcut"]
    assert User.objects.filter(pk=member.pk).exists()
