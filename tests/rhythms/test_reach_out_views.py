"""The reach-out page, its buttons and the home page's top three."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.network.models import Interaction, Person
from closeknit.rhythms import reach_out
from closeknit.rhythms.models import ReachOutPause
from closeknit.wellbeing.models import CheckIn
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.rhythms.people import NOON, add

TODAY = dt.date(2024, 7, 1)
PAGE = "/reach-out/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOON, tick=False):
        yield


def html(client: Any, url: str = PAGE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def pause_url(person: Person) -> str:
    return reverse("rhythms:reach-out-pause", args=[person.pk])


def resume_url(person: Person) -> str:
    return reverse("rhythms:reach-out-resume", args=[person.pk])


# The page


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_lists_each_person_with_the_reason_and_last_contact(member_client, member):
    sam = add(member, "Sam Rivera", 23, nickname="Sam")
    page = html(member_client)
    assert page.count("<h1>") == 1
    assert "You and Sam last talked 23 days ago; you hoped for every 14." in page
    assert 'datetime="2024-06-08"' in page
    assert f'href="/people/{sam.pk}/"' in page


@pytest.mark.parametrize("url", [PAGE, "/"])
def test_page_has_one_h1_labelled_controls_and_headings_in_order(url, member_client, member):
    add(member, "Sam", 30)
    reach_out.pause(member, add(member, "Ada", 30), "not_now")
    content = html(member_client, url)
    page = Page(content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    levels = [int(level) for level in re.findall(r"<h([1-6])", content)]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_log_contact_links_to_the_form_with_the_person_and_back_here(member_client, member):
    sam = add(member, "Sam", 30)
    page = html(member_client)
    log_url = reverse("network:interaction-new")
    assert f'href="{log_url}?person={sam.pk}&amp;next=/reach-out/"' in page


def test_someone_owed_thanks_comes_with_a_way_to_write_them_a_note(member_client, member):
    sam = add(member, "Sam", rhythm_days=None)
    for days in range(1, 6):
        entry = Interaction.objects.create(
            owner=member,
            occurred_at=NOON - dt.timedelta(days=days),
            direction="received",
            support_types=["emotional"],
        )
        entry.people.add(sam)
    page = html(member_client)
    assert "Sam has been there for you a lot lately" in page
    assert f'href="{reverse("rhythms:appreciation-new")}?person={sam.pk}"' in page


def test_each_person_has_not_now_and_snooze_as_forms(member_client, member):
    sam = add(member, "Sam", 30)
    page = html(member_client)
    assert page.count(f'action="{pause_url(sam)}"') == 2
    assert 'name="kind" value="not_now"' in page
    assert 'name="kind" value="snooze"' in page
    # The snooze menu is labelled, and offers the days a snooze can be for.
    assert f'<label class="visually-hidden" for="snooze-{sam.pk}">Snooze Sam for</label>' in page
    assert re.findall(r'<option value="(\d+)"', page) == ["3", "7", "14", "30"]


def test_order_is_the_ranking(member_client, member):
    add(member, "Lately", 15)
    add(member, "Long ago", 50)
    page = html(member_client)
    assert page.index("Long ago") < page.index("Lately")


def test_new_member_is_asked_to_add_someone(member_client):
    page = html(member_client)
    assert "Your network starts with one person" in page
    assert reverse("network:person-new") in page


def test_without_rhythms_the_page_explains_them(member_client, member):
    add(member, "Sam", 30, rhythm_days=None)
    page = html(member_client)
    assert "Nobody has a rhythm yet" in page
    assert reverse("network:people") in page


def test_everyone_in_good_time_gets_a_warm_line(member_client, member):
    add(member, "Sam", 2)
    assert "Everyone is in good time today" in html(member_client)


def test_a_hard_day_is_said_kindly(member_client, member):
    add(member, "Sam", 2, circle="inner")
    CheckIn.objects.create(owner=member, day=TODAY, stress=9)
    page = html(member_client)
    assert "the people you lean on come first" in page
    assert "If things feel heavy, Sam is someone you can lean on." in page


def test_more_than_fifty_people_come_in_pages(member_client, member):
    Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n:02}", rhythm_days=7) for n in range(60)
    )
    first = html(member_client)
    assert "60 people for today" in first
    assert first.count('class="card" id="reach-out-') == 50
    assert "Page 1 of 2" in first
    second = html(member_client, PAGE + "?page=2")
    assert second.count('class="card" id="reach-out-') == 10
    # The buttons on page 2 come back to page 2.
    assert 'name="next" value="/reach-out/?page=2"' in second


# Not now and snooze


def test_not_now_takes_them_off_until_tomorrow(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(pause_url(sam), {"kind": "not_now", "next": PAGE}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    page = response.content.decode()
    assert "Okay. Sam is off your list for today." in page
    assert f'id="reach-out-{sam.pk}"' not in page
    assert ReachOutPause.objects.get(person=sam).until == dt.date(2024, 7, 2)


def test_snooze_for_the_days_chosen(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(pause_url(sam), {"kind": "snooze", "days": "14"}, follow=True)
    page = response.content.decode()
    assert "Okay. Sam is off your list for 14 days, back on Monday 15 July." in page
    # The pause is listed, with a way to lift it.
    assert "Paused for now" in page
    assert f'action="{resume_url(sam)}"' in page
    assert ReachOutPause.objects.get(person=sam).until == dt.date(2024, 7, 15)


@pytest.mark.parametrize("data", [{"kind": "snooze"}, {"kind": "snooze", "days": "5"}, {}])
def test_a_pause_without_a_valid_choice_changes_nothing(member_client, member, data):
    sam = add(member, "Sam", 30)
    response = member_client.post(pause_url(sam), data, follow=True)
    page = response.content.decode()
    assert "Please choose" in page
    assert not ReachOutPause.objects.exists()
    assert f'id="reach-out-{sam.pk}"' in page


def test_pause_returns_to_the_page_it_was_on_but_never_elsewhere(member_client, member):
    sam = add(member, "Sam", 30)
    home = member_client.post(pause_url(sam), {"kind": "not_now", "next": "/"})
    assert home["Location"] == "/"
    away = member_client.post(
        pause_url(sam), {"kind": "not_now", "next": "https://elsewhere.example/"}
    )
    assert away["Location"] == PAGE


def test_pause_with_htmx_answers_with_the_words_in_place(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(
        pause_url(sam), {"kind": "snooze", "days": "3", "next": PAGE}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="reach-out-{sam.pk}"' in fragment
    assert "Okay. Sam is off your list for 3 days, back on Thursday." in fragment
    assert f'action="{resume_url(sam)}"' in fragment  # undo
    assert "<html" not in fragment


def test_pause_with_htmx_and_no_choice_says_so_in_place(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(pause_url(sam), {"kind": "snooze"}, HTTP_HX_REQUEST="true")
    assert "Please choose how long to snooze for." in response.content.decode()
    assert not ReachOutPause.objects.exists()


def test_pause_is_post_only(member_client, member):
    sam = add(member, "Sam", 30)
    assert member_client.get(pause_url(sam)).status_code == 405
    assert member_client.get(resume_url(sam)).status_code == 405


def test_back_on_the_list_now(member_client, member):
    sam = add(member, "Sam", 30)
    reach_out.pause(member, sam, "snooze", 30)
    response = member_client.post(resume_url(sam), {"next": PAGE}, follow=True)
    page = response.content.decode()
    assert "Sam can come up on your reach-out list again." in page
    assert f'id="reach-out-{sam.pk}"' in page
    assert not ReachOutPause.objects.exists()


def test_lifting_a_pause_that_is_not_there_says_so(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(resume_url(sam), follow=True)
    assert "Sam wasn&#x27;t paused, so nothing changed." in response.content.decode()


def test_logging_contact_from_the_list_takes_them_off(member_client, member):
    sam = add(member, "Sam", 30)
    response = member_client.post(
        reverse("network:interaction-new"),
        {
            "people": [sam.pk],
            "occurred_at": "2024-07-01T11:55",
            "channel": "call",
            "direction": "mutual",
            "next": PAGE,
        },
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == PAGE
    assert f'id="reach-out-{sam.pk}"' not in html(member_client)


# The home page


def test_home_shows_the_top_three_and_links_to_the_rest(member_client, member):
    people = [add(member, f"Person {n}", days) for n, days in enumerate([20, 30, 40, 50])]
    page = html(member_client, "/")
    assert "Reach out today" in page
    shown = [int(pk) for pk in re.findall(r'id="reach-out-(\d+)"', page)]
    assert shown == [person.pk for person in reversed(people[1:])]  # not the least overdue
    assert "See everyone on your reach-out list" in page
    assert 'name="next" value="/"' in page


def test_home_without_rhythms_says_how_to_start(member_client, member):
    add(member, "Sam", 30, rhythm_days=None)
    page = html(member_client, "/")
    assert "Choose how often you hope to be in touch with someone" in page


def test_home_in_good_time(member_client, member):
    add(member, "Sam", 2)
    assert "Everyone is in good time today" in html(member_client, "/")


def test_home_for_a_new_member_shows_no_reach_out_section(member_client):
    assert "Reach out today" not in html(member_client, "/")


# Queries


def many(owner: User, size: int) -> None:
    people = Person.objects.bulk_create(
        Person(owner=owner, name=f"Person {n:03}", rhythm_days=7, circle="inner")
        for n in range(size)
    )
    links = Interaction.people.through
    entries = Interaction.objects.bulk_create(
        Interaction(owner=owner, occurred_at=NOON - dt.timedelta(days=8 + n), direction="received")
        for n in range(size)
    )
    links.objects.bulk_create(
        links(interaction=entry, person=person) for entry, person in zip(entries, people)
    )
    for person in people[::3]:
        reach_out.pause(owner, person, "snooze", 7)


@pytest.mark.parametrize("url", [PAGE, "/"])
def test_page_queries_are_the_same_for_2_people_and_200(url, make_user, client):
    counts = []
    for size in (2, 200):
        owner = make_user(f"size{size}@example.org")
        many(owner, size)
        client.force_login(owner)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("size", [2, 200])
def test_reach_out_page_stays_within_its_budget(
    size, member, member_client, django_assert_max_num_queries
):
    many(member, size)
    # Session, user, the safety-plan link (3); people, their last contact, pauses, check-ins,
    # support since thanks, birthdays and stored occasions (7).
    with django_assert_max_num_queries(10):
        assert member_client.get(PAGE).status_code == 200
