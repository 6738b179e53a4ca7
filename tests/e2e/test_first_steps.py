"""A new member's first minutes, in a real browser: sign up, add a person, log contact, see it."""

from __future__ import annotations

import re

import pytest

from closeknit.accounts.models import User
from closeknit.network.models import Interaction
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_add_a_person_log_contact_and_see_it_on_their_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("new.member@example.org")
    page.get_by_label("What should we call you?").fill("Jo")
    page.get_by_label("Password", exact=True).fill("a quiet morning walk")
    page.get_by_label("Password again").fill("a quiet morning walk")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/")

    # The welcoming empty state leads to the first person.
    assert_accessible(page)
    page.get_by_role("link", name="Add your first person").click()
    page.get_by_label("Name").fill("Sam Rivera")
    page.get_by_label("Inner circle").check()
    page.get_by_label("Friend").check()
    page.get_by_label("Emotional").check()
    page.get_by_label("Hope to be in touch every … days").fill("14")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert page.get_by_role("heading", level=1, name="Sam Rivera").is_visible()
    assert_accessible(page)

    # Log a call from Sam's own page, with a note.
    page.get_by_label("Call", exact=True).check()
    page.get_by_label("I received support").check()
    page.get_by_label("Lovely").check()
    page.get_by_text("Add the kind of support and a note").click()
    page.get_by_label("Note").fill("Sam listened for an hour. I slept better.")
    page.get_by_role("button", name="Log contact").click()

    assert (
        page.locator("main")
        .get_by_text("Sam listened for an hour. I slept better.")
        .first.is_visible()
    )

    member = User.objects.get(email="new.member@example.org")
    (contact,) = Interaction.objects.owned_by(member)
    assert contact.channel == "call"
    assert contact.direction == "received"
    assert contact.feeling == 5
    assert [p.name for p in contact.people.all()] == ["Sam Rivera"]
    assert contact.occurred_at.tzinfo is not None
    assert_accessible(page)


def test_pages_fit_a_small_phone_without_sideways_scrolling(page, live_server, django_user_model):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/accounts/login/", "/accounts/signup/", "/help/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_skip_link_moves_focus_to_the_main_content(page, live_server):
    page.goto(f"{live_server.url}/help/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_demo_member_pages_are_accessible(page, live_server, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Explore a demo").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("This is a demo").first.is_visible()
    for path in ("/", "/people/", "/groups/", "/contact/", "/contact/new/", "/import/", "/export/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/people/")
    page.locator("main table a").first.click()
    assert_accessible(page)
