"""The occasions page, adding and changing the days a member keeps, and the home page's week."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.network.models import Person
from closeknit.rhythms import occasions_store
from closeknit.rhythms.models import Occasion
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1

# A Wednesday morning in London; the member's local day is 18 March 2026.
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 18)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response: Any) -> str:
    return response.content.decode()


def person(owner: Any, name: str, **fields: Any) -> Person:
    return Person.objects.create(owner=owner, name=name, **fields)


# The store ------------------------------------------------------------------------------------


def test_upcoming_joins_birthdays_and_stored_occasions(member):
    sam = person(member, "Sam Rivera", nickname="Sam", birthday=dt.date(1996, 3, 20))
    person(member, "Gone", birthday=dt.date(1990, 3, 21), archived_at=NOW)
    Occasion.objects.create(
        owner=member, kind="recovery", title="My recovery", day=TODAY - dt.timedelta(days=88)
    )
    Occasion.objects.create(
        owner=member,
        kind="anniversary",
        title="The day we met",
        day=dt.date(2020, 4, 1),
        person=sam,
    )
    found = occasions_store.upcoming(member, TODAY, TODAY + dt.timedelta(days=30))
    assert [(one.day, one.title) for one in found] == [
        (dt.date(2026, 3, 20), "90 days since you started your recovery"),
        (dt.date(2026, 3, 20), "Sam's birthday"),
        (dt.date(2026, 4, 1), "The day we met"),
    ]
    assert found[1].prompt.startswith("Sam turns 30.")
    assert found[2].person_id == sam.pk
    assert "mark it with Sam" in found[2].prompt


def test_upcoming_reads_only_the_members_own_days(member, stranger):
    person(stranger, "Their friend", birthday=dt.date(1990, 3, 19))
    Occasion.objects.create(owner=stranger, kind="custom", title="Theirs", day=TODAY)
    assert occasions_store.upcoming(member, TODAY, TODAY + dt.timedelta(days=30)) == []


def test_upcoming_takes_two_queries_however_many_people(member, django_assert_num_queries):
    Person.objects.bulk_create(
        Person(owner=member, name=f"P{n}", birthday=dt.date(1990, 1 + n % 12, 1 + n % 28))
        for n in range(200)
    )
    Occasion.objects.bulk_create(
        Occasion(owner=member, kind="anniversary", title=f"O{n}", day=dt.date(2000, 1, 1 + n))
        for n in range(20)
    )
    with django_assert_num_queries(2):
        found = occasions_store.upcoming(member, TODAY, TODAY + dt.timedelta(days=365))
    assert len(found) == 200 + 20


# The page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_next_sixty_days_with_prompts_and_links(member_client, member):
    sam = person(member, "Sam Rivera", nickname="Sam", birthday=dt.date(1996, 3, 20))
    person(member, "Later", birthday=dt.date(1996, 5, 17))  # the 61st day: not yet
    person(member, "Edge", birthday=dt.date(1996, 5, 16))  # the 60th day
    response = member_client.get(reverse("rhythms:occasions"))
    assert [item["occasion"].title for item in response.context["upcoming"]] == [
        "Sam's birthday",
        "Edge's birthday",
    ]
    page = html(response)
    assert "In 2 days" in page
    assert "Sam turns 30. A birthday to celebrate with Sam" in page
    assert f'href="/interactions/new/?person={sam.pk}"' in page or (
        f"{reverse('network:interaction-new')}?person={sam.pk}" in page
    )
    assert f"{reverse('rhythms:appreciation-new')}?person={sam.pk}" in page
    assert_one_h1(Page(response.content))


def test_an_empty_page_explains_and_invites_a_recovery_start(member_client):
    page = html(member_client.get(reverse("rhythms:occasions")))
    assert "Nothing in the next 60 days" in page
    assert "Mark the start of your recovery" in page
    assert f"{reverse('rhythms:occasion-new')}?kind=recovery" in page


def test_the_invitation_to_mark_a_recovery_start_goes_once_there_is_one(member_client, member):
    Occasion.objects.create(owner=member, kind="recovery", title="My recovery", day=TODAY)
    page = html(member_client.get(reverse("rhythms:occasions")))
    assert "Mark the start of your recovery" not in page
    assert "Started 18 March 2026" in page


def test_the_page_lists_the_days_the_member_keeps(member_client, member, stranger):
    Occasion.objects.create(
        owner=member, kind="anniversary", title="Moved into the flat", day=dt.date(2021, 9, 1)
    )
    Occasion.objects.create(
        owner=member,
        kind="custom",
        title="Housewarming",
        day=dt.date(2026, 9, 5),
        repeats_yearly=False,
    )
    Occasion.objects.create(owner=stranger, kind="custom", title="Their day", day=TODAY)
    page = html(member_client.get(reverse("rhythms:occasions")))
    assert "Moved into the flat" in page
    assert "1 September 2021, every year" in page
    assert "5 September 2026, once" in page
    assert "Their day" not in page


# Adding and changing ----------------------------------------------------------------------------


def test_adding_an_anniversary_with_someone(member_client, member):
    sam = person(member, "Sam Rivera")
    response = member_client.post(
        reverse("rhythms:occasion-new"),
        {
            "kind": "anniversary",
            "title": " The day we met ",
            "day": "2019-09-14",
            "repeats_yearly": "on",
            "person": sam.pk,
        },
    )
    assert response.status_code == 302
    occasion = Occasion.objects.owned_by(member).get()
    assert (occasion.title, occasion.day, occasion.repeats_yearly, occasion.person) == (
        "The day we met",
        dt.date(2019, 9, 14),
        True,
        sam,
    )
    assert messages_of(response) == ["Saved."]


def test_a_one_off_day(member_client, member):
    member_client.post(
        reverse("rhythms:occasion-new"),
        {"kind": "custom", "title": "Priya's housewarming", "day": "2026-05-02"},
    )
    assert Occasion.objects.owned_by(member).get().repeats_yearly is False


def test_a_recovery_start_is_easy_and_kind(member_client, member):
    url = reverse("rhythms:occasion-new") + "?kind=recovery"
    response = member_client.get(url)
    page = Page(response.content)
    assert_every_control_is_labelled(page)
    assert_one_h1(page)
    assert page.find("h1").text == "The start of your recovery"
    assert page.control("title").get("value") == "My recovery"
    assert page.control("day").get("value") == "2026-03-18"
    assert "every fresh start counts" in html(response).lower()
    response = member_client.post(url, {"kind": "recovery", "title": "", "day": "2026-01-01"})
    occasion = Occasion.objects.owned_by(member).get()
    # No title is fine, and it always comes round, whatever the box said.
    assert (occasion.title, occasion.repeats_yearly) == ("My recovery", True)
    assert messages_of(response)[0].startswith("Saved. Every day counts")


def test_other_days_need_a_title(member_client, member):
    response = member_client.post(
        reverse("rhythms:occasion-new"), {"kind": "anniversary", "title": " ", "day": "2020-01-01"}
    )
    assert response.status_code == 200
    assert "Please say what the day is" in html(response)
    assert not Occasion.objects.exists()


@pytest.mark.parametrize("day", ["1850-01-01", "2040-01-01", "not a day", ""])
def test_a_day_out_of_reach_is_refused(member_client, day):
    response = member_client.post(
        reverse("rhythms:occasion-new"), {"kind": "custom", "title": "Odd", "day": day}
    )
    assert response.status_code == 200
    assert not Occasion.objects.exists()


def test_a_strangers_person_cant_be_chosen(member_client, member, stranger):
    theirs = person(stranger, "Their friend")
    response = member_client.post(
        reverse("rhythms:occasion-new"),
        {"kind": "custom", "title": "Mine", "day": "2026-05-02", "person": theirs.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [
        "We couldn't find that person in your network."
    ]
    assert not Occasion.objects.exists()
    page = Page(member_client.get(reverse("rhythms:occasion-new")).content)
    assert "Their friend" not in [option.text for option in page.options("person")]


def test_the_form_is_accessible(member_client, member):
    person(member, "Sam Rivera")
    page = Page(member_client.get(reverse("rhythms:occasion-new")).content)
    assert_every_control_is_labelled(page)
    assert_one_h1(page)


def test_editing_a_day(member_client, member):
    occasion = Occasion.objects.create(
        owner=member, kind="anniversary", title="We met", day=dt.date(2020, 1, 1)
    )
    url = reverse("rhythms:occasion-edit", args=[occasion.pk])
    assert 'value="We met"' in html(member_client.get(url))
    member_client.post(url, {"kind": "anniversary", "title": "The day we met", "day": "2020-01-02"})
    occasion.refresh_from_db()
    assert (occasion.title, occasion.day, occasion.repeats_yearly) == (
        "The day we met",
        dt.date(2020, 1, 2),
        False,
    )


def test_removing_asks_first(member_client, member):
    occasion = Occasion.objects.create(
        owner=member, kind="recovery", title="My recovery", day=dt.date(2026, 1, 1)
    )
    url = reverse("rhythms:occasion-delete", args=[occasion.pk])
    response = member_client.get(url)
    assert "every fresh start counts" in html(response)
    assert Occasion.objects.exists()
    response = member_client.post(url)
    assert response["Location"] == reverse("rhythms:occasions")
    assert not Occasion.objects.exists()
    assert messages_of(response) == ["Removed “My recovery”."]


def test_another_members_day_is_not_found(member_client, stranger):
    theirs = Occasion.objects.create(owner=stranger, kind="custom", title="Theirs", day=TODAY)
    for name in ("rhythms:occasion-edit", "rhythms:occasion-delete"):
        url = reverse(name, args=[theirs.pk])
        assert member_client.get(url).status_code == 404
        assert member_client.post(url, {"title": "Mine"}).status_code == 404
    assert Occasion.objects.get(pk=theirs.pk).title == "Theirs"


# The home page --------------------------------------------------------------------------------


def test_home_shows_todays_and_the_coming_weeks_occasions(member_client, member):
    sam = person(member, "Sam Rivera", nickname="Sam", birthday=dt.date(1996, 3, 18))
    person(member, "Week", birthday=dt.date(1990, 3, 25))  # 7 days on: still this week
    person(member, "Later", birthday=dt.date(1990, 3, 26))
    response = member_client.get(reverse("network:home"))
    listed = [item["occasion"].title for item in response.context["occasions_soon"]]
    assert listed == ["Sam's birthday", "Week's birthday"]
    page = html(response)
    assert "Days to mark this week" in page
    assert "Today" in page
    assert f"{reverse('rhythms:appreciation-new')}?person={sam.pk}" in page


def test_home_shows_nothing_of_occasions_when_there_are_none(member_client):
    assert "Days to mark this week" not in html(member_client.get(reverse("network:home")))


# Query counts ---------------------------------------------------------------------------------


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def build(owner: Any, size: int) -> None:
    people = Person.objects.bulk_create(
        Person(owner=owner, name=f"P{n:03}", birthday=dt.date(1990, 3, 19 + n % 10))
        for n in range(size)
    )
    Occasion.objects.bulk_create(
        Occasion(
            owner=owner,
            kind="anniversary",
            title=f"O{n}",
            day=dt.date(2000, 3, 20),
            person=people[n],
        )
        for n in range(size)
    )


@pytest.mark.parametrize("name", ["rhythms:occasions", "rhythms:occasion-new", "network:home"])
def test_query_count_does_not_grow_with_occasions(name, make_user, client):
    counts = []
    for size in (3, 60):
        owner = make_user(f"size{size}@example.org")
        build(owner, size)
        client.force_login(owner)
        counts.append(count_queries(client, reverse(name)))
    assert counts[0] == counts[1], counts
