"""The insights pages on a phone, in a real browser: the convoy by keyboard, and the range form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.network.models import Interaction, Person
from closeknit.wellbeing.models import CheckIn
from tests.browser import assert_accessible
from tests.e2e.members import fits_the_screen, make_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECKIN_DAYS = 40


def with_a_network(member: User) -> list[Person]:
    """Three people, one per circle, and forty days of check-ins with contact every other day."""
    people = [
        Person.objects.create(
            owner=member,
            name="Sam Rivera",
            circle="inner",
            roles=["friend"],
            support_types=["emotional", "companionship"],
        ),
        Person.objects.create(
            owner=member,
            name="Ada Okafor",
            circle="middle",
            roles=["mentor"],
            support_types=["informational"],
        ),
        Person.objects.create(
            owner=member,
            name="Lee Chen",
            circle="outer",
            roles=["family"],
            support_types=["practical"],
            rhythm_days=7,
        ),
    ]
    now = timezone.now()
    today = timezone.localdate(timezone=member.zone)
    for back in range(CHECKIN_DAYS):
        touched = back % 2 == 0
        CheckIn.objects.create(
            owner=member,
            day=today - dt.timedelta(days=back),
            mood=7 if touched else 5,
            stress=3 if touched else 6,
        )
        if touched:
            entry = Interaction.objects.create(
                owner=member,
                occurred_at=now - dt.timedelta(days=back, minutes=5),
                channel="in_person" if back % 4 == 0 else "call",
                direction="received",
                support_types=["emotional"],
            )
            entry.people.set(people[:2] if back < 30 else people)
    return people


def focused(page: Any, attribute: str) -> str:
    return str(page.evaluate(f"document.activeElement.getAttribute('{attribute}') || ''"))


def tab_to(page: Any, element_id: str, most: int = 8) -> None:
    """Press Tab until the element with this id has focus (a date input has three stops)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def type_day(page: Any, field: Any, day: dt.date) -> None:
    """Type a day into a focused date input, in whichever order its fields come.

    Chromium orders day, month and year after the browser's own language, which the page's
    locale does not change; a wrong guess shows in the input's value, and is typed over.
    """
    for order in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(f"{day:{order}}")
        if field.input_value() == day.isoformat():
            return
        field.evaluate("element => element.blur()")
        field.focus()
    raise AssertionError(f"could not type {day} into the date field")


def test_the_network_page_fits_a_phone_and_passes_axe(page, live_server):
    member = make_member()
    with_a_network(member)
    sign_in(page, live_server)

    page.get_by_role("link", name="Insights", exact=True).click()
    page.wait_for_url(f"{live_server.url}/insights/")
    assert page.get_by_role("heading", level=1, name="Your network").is_visible()
    assert page.locator(".convoy svg a").count() == 3
    assert fits_the_screen(page)
    assert_accessible(page)
    # The table alternative, opened, is accessible too and still fits.
    page.get_by_text("The same people as a table").click()
    assert page.get_by_role("table", name="Outer circle").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)


def test_tab_reaches_each_person_in_the_convoy_and_enter_opens_their_page(page, live_server):
    member = make_member()
    _, ada, lee = with_a_network(member)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/insights/")

    # The last link before the diagram is the one to the wellbeing page, in the lead.
    page.locator("p.lead").get_by_role("link", name="Connection and you").focus()
    names = []
    for _ in range(3):
        page.keyboard.press("Tab")
        names.append(focused(page, "aria-label").split(",")[0])
        # The focused dot is ringed: a thick outline, whatever its fading.
        width = page.evaluate(
            "getComputedStyle(document.activeElement.querySelector('.dot')).strokeWidth"
        )
        assert width == "4px"
    assert names == ["Sam Rivera", "Ada Okafor", "Lee Chen"]
    assert focused(page, "href") == f"/people/{lee.pk}/"

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/people/{ada.pk}/")
    assert page.get_by_role("heading", level=1, name="Ada Okafor").is_visible()


def test_the_wellbeing_page_and_its_range_form_by_keyboard(page, live_server):
    member = make_member()
    with_a_network(member)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/insights/")
    page.locator("p.lead").get_by_role("link", name="Connection and you").click()
    page.wait_for_url(f"{live_server.url}/insights/wellbeing/")
    assert page.get_by_role("heading", level=1, name="Connection and you").is_visible()
    assert page.get_by_text("On days with contact your stress averaged 3.0").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    # Two weeks ending a week ago, typed as the phone's date fields ask: day, month, year.
    today = timezone.localdate(timezone=member.zone)
    first, last = today - dt.timedelta(days=20), today - dt.timedelta(days=7)
    start = page.get_by_label("From", exact=True)
    start.focus()
    type_day(page, start, first)
    tab_to(page, "id_to")
    type_day(page, page.get_by_label("To", exact=True), last)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/insights/wellbeing/?from={first}&to={last}")
    facts = page.locator(".range-facts")
    assert facts.inner_text().startswith(
        f"From {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
    )
    assert "14 days with a check-in" in facts.inner_text()
    assert fits_the_screen(page)
    assert_accessible(page)


def test_a_range_the_wrong_way_round_is_explained_on_the_page(page, live_server):
    member = make_member()
    with_a_network(member)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/insights/wellbeing/?from=2024-06-30&to=2024-06-01")
    alert = page.get_by_role("alert")
    assert "Please choose a 'to' day on or after 'from'." in alert.inner_text()
    assert page.get_by_label("To", exact=True).get_attribute("aria-invalid") == "true"
    assert fits_the_screen(page)
    assert_accessible(page)
