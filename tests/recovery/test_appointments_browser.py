"""Appointments in a real browser: add a weekly one, then note a past one in one tap from home."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.recovery.models import Appointment, AppointmentSeries
from tests.browser import CHROMIUM_ARGS, assert_accessible, chromium_path
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not chromium_path(), reason="Chromium is not installed"),
]


def in_browser(steps: Callable[[Any], None], scheme: str = "light") -> None:
    """Run `steps` with a page of a Chromium of its own, in a thread of its own.

    The browser tests in tests/e2e keep one Playwright running for the whole session
    in the main thread, and Playwright's sync API allows one per thread; a thread of
    our own runs beside it whichever tests ran first. The database stays in the test's
    thread: make data before, check it after.
    """
    from playwright.sync_api import sync_playwright

    failure: list[BaseException] = []

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
            )
            try:
                context = browser.new_context(
                    viewport={"width": 390, "height": 844}, locale="en-GB", color_scheme=scheme
                )
                page = context.new_page()
                page.set_default_timeout(10_000)
                steps(page)
            except BaseException as error:  # handed to the test's thread to fail there
                failure.append(error)
            finally:
                browser.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def make_member() -> User:
    return User.objects.create_user(
        "robin@example.org", PASSWORD, display_name="Robin", time_zone="Europe/London"
    )


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("robin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_add_a_weekly_therapy_session(live_server, scheme):
    member = make_member()
    Person.objects.create(owner=member, name="Sam Rivera", roles=["friend"])
    Person.objects.create(owner=member, name="Ada Okafor", roles=["therapist"])
    base = live_server.url

    def steps(page: Any) -> None:
        sign_in(page, base)
        page.goto(f"{base}/appointments/")
        assert page.get_by_text("Nothing booked yet").is_visible()
        assert_accessible(page)

        page.get_by_role("link", name="Add an appointment").first.click()
        assert_accessible(page)
        page.get_by_label("Therapy").check()
        page.get_by_label("With whom").select_option(label="Ada Okafor")
        page.get_by_label("When").fill("2030-07-01T09:30")
        page.get_by_label("Every week").check()
        page.get_by_label("Where").fill("Room 4")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{base}/appointments/")
        assert page.get_by_text("It repeats").is_visible()
        assert page.get_by_text("Mon 1 Jul 2030, 09:30").is_visible()
        assert_accessible(page)

    in_browser(steps, scheme)
    series = AppointmentSeries.objects.owned_by(member).get()
    assert series.schedule == "FREQ=WEEKLY"
    assert series.starts_at == dt.datetime(2030, 7, 1, 8, 30, tzinfo=dt.UTC)


def test_note_a_missed_one_in_one_tap_from_home(live_server):
    member = make_member()
    ada = Person.objects.create(owner=member, name="Ada Okafor", roles=["therapist"])
    past = Appointment.objects.create(
        owner=member, kind="therapy", person=ada, starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    Appointment.objects.create(
        owner=member,
        kind="support_group",
        title="Tuesday group",
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    base = live_server.url

    def steps(page: Any) -> None:
        sign_in(page, base)
        assert page.get_by_role("heading", name="How did it go?").is_visible()
        assert page.get_by_role("heading", name="Coming up").is_visible()
        assert page.get_by_text("Tuesday group").is_visible()
        assert_accessible(page)

        page.get_by_role("button", name=re.compile(r"^I missed it")).click()
        # Swapped in place by htmx: the kind words, and a way to book another time.
        page.get_by_text("That happens.").wait_for()
        assert page.get_by_role("link", name="book another time").is_visible()
        assert page.url == f"{base}/"
        assert_accessible(page)

        page.get_by_role("link", name="book another time").click()
        page.wait_for_url(re.compile(r"/appointments/new/\?again=\d+$"))
        assert page.get_by_label("With whom").input_value() == str(ada.pk)

    in_browser(steps)
    past.refresh_from_db()
    assert past.status == "missed"
    assert past.status_changed_at is not None
