"""Keeping in touch in a real browser on a phone: the reach-out list with "Not now" and undo,
a recovery start on the occasions page, a note of thanks, and the calendar address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from closeknit.network.models import Interaction, Person
from closeknit.rhythms.models import Appreciation, Occasion, ReachOutPause
from tests.browser import assert_accessible
from tests.e2e.members import fits_the_screen, make_member, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overdue_friend(member, name: str, days: int) -> Person:
    person = Person.objects.create(
        owner=member, name=name, circle="inner", rhythm_days=14, support_types=["emotional"]
    )
    contact = Interaction.objects.create(
        owner=member, occurred_at=timezone.now() - dt.timedelta(days=days)
    )
    contact.people.add(person)
    return person


def test_not_now_takes_someone_off_the_list_in_place_and_undo_brings_them_back(page, live_server):
    member = make_member()
    sam = overdue_friend(member, "Sam Rivera", days=23)
    sign_in(page, live_server)

    page.get_by_role("link", name="Reach out", exact=True).click()
    page.wait_for_url(f"{live_server.url}/reach-out/")
    assert page.get_by_text("You and Sam Rivera last talked 23 days ago").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("button", name="Not now for Sam Rivera").click()
    status = page.get_by_role("status")
    status.wait_for()
    assert ReachOutPause.objects.get(person=sam).kind == "not_now"
    assert_accessible(page)

    status.get_by_role("button", name="Undo").click()
    page.wait_for_url(f"{live_server.url}/reach-out/")
    assert page.get_by_text("You and Sam Rivera last talked 23 days ago").is_visible()
    assert not ReachOutPause.objects.filter(person=sam).exists()


def test_the_reach_out_list_works_by_keyboard_alone(page, live_server):
    member = make_member()
    sam = overdue_friend(member, "Sam Rivera", days=30)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/reach-out/")

    snooze = page.get_by_label("Snooze Sam Rivera for")
    snooze.focus()
    page.keyboard.press("End")  # the longest snooze, a month
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("status").wait_for()
    pause = ReachOutPause.objects.get(person=sam)
    assert pause.kind == "snooze"
    assert pause.until == timezone.localdate(timezone=member.zone) + dt.timedelta(days=30)


def test_a_recovery_start_a_note_of_thanks_and_a_calendar_address(page, live_server):
    member = make_member()
    Person.objects.create(owner=member, name="Sam Rivera", email="sam@example.org")
    sign_in(page, live_server)

    page.get_by_role("link", name="Occasions", exact=True).click()
    page.wait_for_url(f"{live_server.url}/occasions/")
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Add a day to mark").click()
    page.get_by_label("Recovery milestone").check()
    started = timezone.localdate(timezone=member.zone) - dt.timedelta(days=28)
    page.get_by_label("When").fill(started.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/occasions/")
    assert Occasion.objects.get(owner=member).kind == "recovery"
    assert page.get_by_text("30 days since you started").first.is_visible()

    page.goto(f"{live_server.url}/thanks/new/")
    page.get_by_label("Who it's for").select_option(label="Sam Rivera")
    page.get_by_label("Your note").fill("Thank you for the walks in March.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/thanks/")
    assert page.get_by_text("Thank you for the walks in March.").is_visible()
    assert Appreciation.objects.get(owner=member).text == "Thank you for the walks in March."
    assert_accessible(page)

    page.goto(f"{live_server.url}/calendar/")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Copy this address into your calendar app").input_value()
    assert address.endswith(".ics")
    assert_accessible(page)
    feed = page.request.get(address.replace("webcal://", "http://"))
    assert feed.ok
    assert feed.headers["content-type"].startswith("text/calendar")
    summaries = [str(event["SUMMARY"]) for event in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert any("30 days since you started" in summary for summary in summaries)
