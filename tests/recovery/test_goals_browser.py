"""Goals and coping strategies in a real browser: one-tap steps, the warm moment, accessibility."""

from __future__ import annotations

import re

import pytest

from closeknit.recovery.models import CopingUse, Goal, Milestone
from tests.browser import assert_accessible
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("member@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_goal_from_first_step_to_celebration(page, live_server, member, network, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/goals/")
    assert_accessible(page)
    page.get_by_role("link", name="Add your first goal").click()
    page.get_by_label("Your goal").fill("Walk to the park twice a week")
    page.get_by_label("Why it matters").fill("Fresh air clears my head.")
    page.get_by_label("Sam Rivera").check()
    page.get_by_label("First steps").fill("Buy walking shoes\nWalk to the corner")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/goals/\d+/$"))
    assert page.get_by_text("0 of 2 steps").first.is_visible()
    assert_accessible(page)
    no_sideways_scrolling(page)

    # One tap per step; the button says whether it is done.
    page.get_by_role("button", name="Buy walking shoes", exact=True).click()
    assert page.get_by_text("Nice one: “Buy walking shoes” is done.").is_visible()
    assert page.get_by_role("button", name="Buy walking shoes", exact=True).get_attribute(
        "aria-pressed"
    ) == ("true")
    assert page.get_by_text("Celebrate with the people who helped").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Walk to the corner", exact=True).click()
    page.get_by_role("button", name="Mark the goal as reached").click()
    assert page.get_by_text(
        "You did it: “Walk to the park twice a week” is reached. That took real effort."
    ).is_visible()
    assert page.get_by_role("link", name="Sam").first.is_visible()
    assert_accessible(page)

    goal = Goal.objects.owned_by(member).get()
    assert goal.completed_at is not None
    assert Milestone.objects.owned_by(member).count() == 3

    page.goto(f"{live_server.url}/goals/")
    assert page.get_by_role("heading", name="Reached").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/milestones/")
    assert_accessible(page)


def test_coping_strategies_in_the_browser(page, live_server, member, network):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/coping/")
    assert_accessible(page)
    page.get_by_role("link", name="Add your first strategy").click()
    page.get_by_label("What you do").fill("A walk round the block")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/coping/\d+/$"))
    assert_accessible(page)
    page.get_by_label("Quite a bit").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Used once · it helped quite a bit (4 of 5)").is_visible()
    assert CopingUse.objects.owned_by(member).get().helped == 4
    page.goto(f"{live_server.url}/coping/")
    page.get_by_role("link", name="I used this").click()
    assert_accessible(page)
    no_sideways_scrolling(page)
