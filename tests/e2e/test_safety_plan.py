"""The safety plan in a real browser: fill it in, find it again in one tap, print it on one page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.recovery import safety_views
from closeknit.recovery.models import SafetyPlanVersion
from closeknit.recovery.safety_plan import normalise
from tests.browser import assert_accessible
from tests.e2e.members import make_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# CSS pixels per millimetre (96 per inch).
PX_PER_MM = 96 / 25.4


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def full_plan(member: User) -> None:
    """A plan as full as a real one tends to be: several lines everywhere, people, a group."""
    people = [
        Person.objects.create(owner=member, name=name, phone=phone, roles=roles)
        for name, phone, roles in [
            ("Sam Rivera", "+44 7700 900123", ["friend"]),
            ("Lee Chen", "07700 900456", ["family"]),
            ("Jo Martins", "07700 900789", ["peer"]),
            ("Dr Ada Okafor", "0161 496 0000", ["doctor"]),
            ("Priya Shah", "0161 496 0001", ["therapist"]),
        ]
    ]
    lines = {
        "warning_signs": [
            "Not sleeping for more than two nights",
            "Staying in bed and skipping meals",
            "Cancelling plans with everyone",
            "Thinking that nobody would notice if I was gone",
            "Drinking more than usual",
        ],
        "on_my_own": [
            "A long walk by the canal with music on",
            "A cold shower, then a hot drink",
            "The breathing exercise: in for four, hold, out for six",
            "Writing down three things, however small",
        ],
        "distractions": ["The library on Mill Street", "The café by the station"],
        "safer_surroundings": [
            "Ask Lee to keep my medication and hand me a week at a time",
            "Stay somewhere with other people around",
        ],
        "what_matters": [
            "My dog Biscuit",
            "My sister's children",
            "Finishing my course next spring",
            "The people in the Tuesday group",
        ],
    }
    sections: dict[str, Any] = {slug: {"items": items} for slug, items in lines.items()}
    sections["distractions"]["people"] = [people[2].pk]
    sections["ask_for_help"] = {"people": [people[0].pk, people[1].pk, people[2].pk]}
    sections["professionals"] = {
        "people": [people[3].pk, people[4].pk],
        "items": ["GP surgery out-of-hours line"],
    }
    assert safety_views.save_plan(member, normalise(sections)) is not None


def test_fill_in_the_plan_save_it_and_open_it_in_one_tap_from_another_page(page, live_server):
    member = make_member()
    Person.objects.create(owner=member, name="Sam Rivera", phone="+44 7700 900123")
    sign_in(page, live_server, member.email)

    # Before there is a plan, the header has no link to it; the empty state invites one.
    assert page.get_by_role("link", name="My safety plan").count() == 0
    page.goto(f"{live_server.url}/safety-plan/")
    assert_accessible(page)
    page.get_by_role("link", name="Make my safety plan").click()
    page.wait_for_url(f"{live_server.url}/safety-plan/edit/")
    assert_accessible(page)

    page.get_by_label("My warning signs, one per line").fill(
        "Not sleeping\nPulling away from people"
    )
    page.get_by_label("Things I can do on my own to take my mind off things, one per line").fill(
        "A walk by the canal"
    )
    page.locator("#part-ask_for_help").get_by_label("Sam Rivera").check()
    page.get_by_label("What matters most to me, one per line").fill("My dog Biscuit")
    page.get_by_role("button", name="Save my plan").click()
    page.wait_for_url(f"{live_server.url}/safety-plan/")
    assert page.get_by_text("Saved your safety plan").is_visible()

    (version,) = SafetyPlanVersion.objects.owned_by(member)
    assert version.sections["warning_signs"]["items"] == [
        "Not sleeping",
        "Pulling away from people",
    ]

    # Another page, then one tap in the header.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.wait_for_url(f"{live_server.url}/people/")
    page.locator("header").get_by_role("link", name="My safety plan").click()
    page.wait_for_url(f"{live_server.url}/safety-plan/")

    assert page.get_by_role("heading", level=1, name="My safety plan").is_visible()
    assert page.get_by_text("Pulling away from people").is_visible()
    call = page.get_by_role("link", name="Call Sam Rivera")
    assert call.get_attribute("href") == "tel:+447700900123"
    assert page.get_by_role("link", name="Text Sam Rivera").get_attribute("href") == (
        "sms:+447700900123"
    )
    assert page.get_by_role("link", name="Call Samaritans").get_attribute("href") == "tel:116123"
    # Big tap targets: at least 44 CSS pixels high.
    assert call.bounding_box()["height"] >= 44
    assert_accessible(page)

    page.get_by_role("link", name="Print it on one page").click()
    page.wait_for_url(f"{live_server.url}/safety-plan/print/")
    assert page.get_by_role("navigation").count() == 0
    assert_accessible(page)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_full_plan_prints_on_one_page(page, live_server, paper):
    member = make_member()
    full_plan(member)
    sign_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/safety-plan/print/")
    assert page.get_by_text("Priya Shah").is_visible()
    pdf = page.pdf(format=paper, print_background=True)
    assert pdf_pages(pdf) == 1


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_long_plan_prints_smaller_and_still_on_one_page(page, live_server, paper):
    member = make_member()
    lines = [f"Line {n}: a short thing" for n in range(16)]
    sections = {slug: {"items": lines} for slug in safety_views.safety_plan.SECTIONS}
    assert safety_views.save_plan(member, normalise(sections)) is not None
    sign_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/safety-plan/print/")
    assert "densest" in page.evaluate("document.body.className")
    assert page.get_by_text("Your plan is long").count() == 0
    assert pdf_pages(page.pdf(format=paper)) == 1


def test_wallet_card_sides_are_credit_card_size_when_printed(page, live_server):
    member = make_member()
    full_plan(member)
    sign_in(page, live_server, member.email)
    page.goto(f"{live_server.url}/safety-plan/card/")
    assert_accessible(page)
    page.emulate_media(media="print")
    sides = page.locator(".wallet-side")
    assert sides.count() == 2
    for index in range(2):
        box = sides.nth(index).bounding_box()
        assert abs(box["width"] - 85 * PX_PER_MM) < 3, box
        assert abs(box["height"] - 55 * PX_PER_MM) < 3, box
    first, second = (sides.nth(i).bounding_box() for i in range(2))
    assert abs(first["y"] - second["y"]) < 1  # side by side, to fold in the middle
    assert pdf_pages(page.pdf(format="A4")) == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_plan_pages_are_accessible_in_both_colour_schemes(page, live_server, scheme):
    member = make_member()
    full_plan(member)
    sign_in(page, live_server, member.email)
    page.emulate_media(color_scheme=scheme)
    for path in (
        "/safety-plan/",
        "/safety-plan/edit/",
        "/safety-plan/print/",
        "/safety-plan/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
