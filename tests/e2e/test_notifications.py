"""Notifications in a real browser: add an e-mail channel, verify it with the code that
arrived at a real SMTP server, set quiet hours; the service worker registers for the whole
site, and the browser button says kindly when this browser can't take push messages."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.notify.models import Channel
from tests.browser import assert_accessible
from tests.e2e.members import fits_the_screen, make_member, sign_in
from tests.notify.codes import mailed_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANT = (
    "This browser couldn't reach a push service",
    "Your browser is set to block notifications",
    "This browser can't show notifications from websites",
)


def test_an_email_channel_is_added_verified_and_given_quiet_hours(page, live_server, smtp_inbox):
    member = make_member()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/notifications/")
    assert page.get_by_role("heading", level=1, name="Notifications").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("link", name="E-mail", exact=True).click()
    page.wait_for_url(f"{live_server.url}/notifications/new/email/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("robin.reminders@example.org")
    page.get_by_label("A name for it").fill("My inbox")
    page.get_by_role("button", name="Add and send a test message").click()

    channel = Channel.objects.get(owner=member)
    page.wait_for_url(f"{live_server.url}/notifications/channels/{channel.pk}/")
    assert page.get_by_text("We sent a test message to robin.reminders@example.org").is_visible()
    assert smtp_inbox.messages[0]["To"] == "robin.reminders@example.org"
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_label("The code from the test message").fill(mailed_code(smtp_inbox))
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("This channel is ready for your reminders").wait_for()
    assert Channel.objects.get(pk=channel.pk).is_verified

    page.get_by_role("link", name="Edit My inbox").click()
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:00")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("From 22:00 to 07:00, your time").wait_for()
    channel.refresh_from_db()
    assert (channel.quiet_from, channel.quiet_until) == (dt.time(22), dt.time(7))
    assert channel.is_verified
    assert len(smtp_inbox.messages) == 1

    # The outbox shows the test message as sent, and never its code.
    page.get_by_role("link", name="What was sent").click()
    page.wait_for_url(f"{live_server.url}/notifications/outbox/")
    assert page.get_by_role("heading", level=2, name="Your Closeknit test message").is_visible()
    assert page.get_by_text("Sent", exact=False).first.is_visible()
    assert mailed_code(smtp_inbox) not in page.content()
    assert fits_the_screen(page)
    assert_accessible(page)


def test_the_service_worker_registers_for_the_whole_site(page, live_server):
    make_member()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/notifications/")
    scope = page.evaluate(
        """async () => {
            await navigator.serviceWorker.register("/sw.js", {scope: "/"});
            const registration = await navigator.serviceWorker.ready;
            return registration.scope;
        }"""
    )
    assert scope == f"{live_server.url}/"


def test_the_browser_button_says_kindly_when_push_is_not_possible(page, live_server):
    member = make_member()
    sign_in(page, live_server)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    page.goto(f"{live_server.url}/notifications/")
    button = page.get_by_role("button", name="Turn on notifications in this browser")
    assert button.is_visible()  # push.js ran and showed it
    assert_accessible(page)
    button.click()
    status = page.locator("[data-push-status]")
    page.wait_for_function(
        "element => element.textContent.trim() && !element.textContent.startsWith('Asking')",
        arg=status.element_handle(),
    )
    # Headless Chromium has no push service to subscribe with: the page says so, kindly.
    assert (status.text_content() or "").startswith(CANT[0])
    assert page.url == f"{live_server.url}/notifications/"
    assert not Channel.objects.filter(owner=member).exists()
    assert button.is_enabled()  # free to try again
    assert_accessible(page)


def test_without_permission_the_button_says_how_to_allow_it(page, live_server):
    make_member()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/notifications/")
    # A browser where the member said no to notifications for this site.
    page.evaluate(
        "() => { Object.defineProperty(Notification, 'requestPermission', "
        "{ value: async () => 'denied' }); }"
    )
    page.get_by_role("button", name="Turn on notifications in this browser").click()
    page.get_by_text("Your browser is set to block notifications from Closeknit").wait_for()
