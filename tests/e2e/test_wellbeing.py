"""The daily check-in on a phone, and a PHQ-9 whose item 9 leads to the safety page, in a real browser."""

from __future__ import annotations

import pytest

from closeknit.network.models import Person
from closeknit.wellbeing.models import Assessment, CheckIn
from tests.browser import assert_accessible
from tests.e2e.members import PHONE_WIDTH, fits_the_screen, make_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_daily_checkin_on_a_phone_takes_a_handful_of_taps(page, live_server):
    member = make_member()
    sign_in(page, live_server)
    assert page.viewport_size == {"width": PHONE_WIDTH, "height": 844}

    page.get_by_role("link", name="Check in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/checkin/")
    assert fits_the_screen(page)
    assert_accessible(page)
    # Every part is on screen without sideways scrolling, and each is one tap.
    page.get_by_role("group", name="Mood").get_by_text("7", exact=True).click()
    page.get_by_role("group", name="Stress").get_by_text("3", exact=True).click()
    page.get_by_label("Hours slept").fill("7.5")
    page.get_by_text("Time outdoors").click()
    page.get_by_role("group", name="Felt connected").get_by_text("6", exact=True).click()
    page.get_by_role("button", name="Save check-in").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("You checked in today: mood 7, stress 3").is_visible()
    entry = CheckIn.objects.get(owner=member)
    assert (entry.mood, entry.stress, entry.connected) == (7, 3, 6)
    assert float(entry.sleep_hours) == 7.5
    assert entry.self_care == ["outdoors"]

    # The month calendar shows the day at a glance, and it too fits the phone.
    page.get_by_role("link", name="Your month").click()
    assert page.get_by_role(
        "link", name=f"{entry.day:%A} {entry.day.day} {entry.day:%B}: mood 7"
    ).is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)


def test_a_checkin_can_be_done_by_keyboard_alone(page, live_server):
    member = make_member()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/checkin/")
    page.get_by_role("group", name="Mood").get_by_role("radio", name="5").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # radios move with the arrow keys: now 6
    page.get_by_role("button", name="Save check-in").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert CheckIn.objects.get(owner=member).mood == 6


def test_phq9_with_item_nine_above_zero_reaches_the_safety_page(page, live_server):
    member = make_member()
    Person.objects.create(owner=member, name="Sam Rivera", circle="inner", phone="+44 7700 900123")
    sign_in(page, live_server)

    page.get_by_role("link", name="Questionnaires").first.click()
    page.get_by_role("link", name="Answer the PHQ-9").click()
    assert_accessible(page)
    for number in range(1, 9):
        page.locator(f"#question-{number}").get_by_text("Not at all", exact=True).click()
    page.locator("#question-9").get_by_text("Several days", exact=True).click()
    page.get_by_role("button", name="See my result").click()

    page.wait_for_url(f"{live_server.url}/questionnaires/results/*/support/")
    assert page.get_by_role("heading", level=1, name="Thank you for telling us").is_visible()
    assert page.get_by_role("link", name="Call Samaritans").is_visible()
    assert page.get_by_role("link", name="Call Sam Rivera").is_visible()
    assert page.get_by_role("link", name="Make a safety plan").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    (assessment,) = Assessment.objects.filter(owner=member)
    assert assessment.flags == ["self_harm_thoughts"]
    assert assessment.total == 1
