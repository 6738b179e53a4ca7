"""The circle of supporters in real browsers: Robin invites Sam by e-mail and shares "I need
support"; Sam joins through the mailed link; on a hard evening Robin presses "I need
support"; the mail reaches Sam, who answers from it without signing in; and Robin's page
shows the answer as it comes, without a reload."""

from __future__ import annotations

import re

import pytest

from closeknit.circle.models import HelpAnswer, Link
from closeknit.circle.vocab import Scope
from closeknit.network.models import Person
from closeknit.notify.delivery import deliver_due
from tests.browser import assert_accessible
from tests.e2e.members import fits_the_screen, make_member, sign_in
from tests.notify.codes import mailed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAM = "sam.rivera@example.org"
JOIN_LINK = re.compile(r"https?://\S+/circle/join/\S+/")
ANSWER_LINK = re.compile(r"(https?://\S+/circle/answer/\S+/)\?choice=reaching_out")


def test_a_request_for_support_reaches_a_supporter_and_their_answer_comes_back(
    page, browser, live_server, smtp_inbox, settings
):
    settings.BASE_URL = live_server.url  # links in the mail point at this server
    member = make_member()
    Person.objects.create(owner=member, name="Sam Rivera", email=SAM)

    # Robin invites Sam by e-mail, offering "I need support".
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/circle/invite/")
    page.get_by_label("Who you'd like to invite").select_option(label="Sam Rivera")
    page.get_by_label("Send them an e-mail").check()
    page.get_by_label("Their e-mail address").fill(SAM)
    page.get_by_label(Scope.HELP_REQUESTS.label).check()
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url(f"{live_server.url}/circle/")

    # The worker delivers the invitation; Sam opens it in their own browser and signs up.
    assert deliver_due() == 1
    invitation = mailed_text(smtp_inbox)
    join = JOIN_LINK.search(invitation)
    assert join, invitation
    sam_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    sam = sam_context.new_page()
    sam.set_default_timeout(10_000)
    sam.goto(join.group(0))
    sam.get_by_role("link", name="Create an account").click()
    sam.get_by_label("E-mail address").fill(SAM)
    sam.get_by_label("What should we call you?").fill("Sam")
    sam.get_by_label("Password", exact=True).fill("a long walk by the river")
    sam.get_by_label("Password again").fill("a long walk by the river")
    sam.get_by_role("button", name="Create my account").click()
    sam.get_by_role("button", name="Join Robin's circle").click()
    sam.wait_for_url(re.compile(r"/supporting/\d+/$"))
    link = Link.objects.get(owner=member)
    assert link.scopes == [Scope.HELP_REQUESTS]
    sam_context.close()

    # A hard evening: Robin presses "I need support" in the header.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="I need support").click()
    page.wait_for_url(f"{live_server.url}/circle/help/")
    assert page.get_by_label("Your message").input_value().startswith("I'm having a hard time")
    assert page.get_by_label("Sam Rivera").is_checked()
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Your message").fill("Rough evening. Could you call me?")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/circle/help/\d+/$"))
    answers = page.locator("#help-answers")
    assert "Sam Rivera: waiting for an answer" in " ".join(answers.inner_text().split())
    assert_accessible(page)

    # The worker delivers it; the mail reaches Sam's account address.
    assert deliver_due() == 1
    request_mail = smtp_inbox.messages[-1]
    assert request_mail["To"] == SAM
    assert request_mail["Subject"] == "Robin asked for support"
    text = mailed_text(smtp_inbox)
    assert "“Rough evening. Could you call me?”" in text
    answer_link = ANSWER_LINK.search(text)
    assert answer_link, text

    # Sam answers from the mail in a fresh browser, not signed in.
    visitor_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    visitor = visitor_context.new_page()
    visitor.set_default_timeout(10_000)
    visitor.goto(answer_link.group(0) + "?choice=reaching_out")
    assert visitor.get_by_role("heading", level=1, name="Robin asked for support").is_visible()
    assert visitor.get_by_text("Rough evening. Could you call me?").is_visible()
    assert visitor.get_by_role("link", name="I need support").count() == 0
    assert fits_the_screen(visitor)
    assert_accessible(visitor)
    assert HelpAnswer.objects.get().answered_at is None  # opening it recorded nothing
    visitor.get_by_role("button", name="I'm reaching out now").click()
    visitor.get_by_role("heading", level=1, name="Thank you").wait_for()
    assert_accessible(visitor)
    visitor_context.close()

    # Robin's page, never reloaded, shows the answer as htmx brings it in.
    page.locator("#help-answers", has_text="I'm reaching out now").wait_for(timeout=15_000)
    assert "hx-trigger" not in (page.locator("#help-answers").evaluate("e => e.outerHTML"))
    assert page.url.endswith(f"/circle/help/{HelpAnswer.objects.get().request_id}/")
    assert_accessible(page)
