"""The group pages: list, a group's page with its next meetings, add, edit, archive, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Group, Interaction, Person

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def group_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Thursday walkers",
        "kind": "sports",
        "members": [],
        "meets_from": "2026-01-08T10:00",
        "schedule": "FREQ=WEEKLY;BYDAY=TH",
        "notes": "Bring water.",
    }
    data.update(overrides)
    return data


# The list


def test_groups_list_shows_kind_members_and_last_contact(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:groups"))
    [group] = response.context["page"].object_list
    assert group.name == "Tuesday peer group"
    assert group.member_count == 1
    assert group.last_contact == network["meeting"].occurred_at
    assert "Support group" in response.content.decode()


def test_archived_groups_are_listed_apart(member_client: Any, network: Any) -> None:
    Group.objects.filter(pk=network["group"].pk).update(archived_at=timezone.now())
    current = member_client.get(reverse("network:groups"))
    archived = member_client.get(reverse("network:groups"), {"status": "archived"})
    assert list(current.context["page"].object_list) == []
    assert [g.name for g in archived.context["page"].object_list] == ["Tuesday peer group"]


def test_groups_list_shows_no_one_elses_groups(member_client: Any, stranger: Any) -> None:
    Group.objects.create(owner=stranger, name="Their group")
    response = member_client.get(reverse("network:groups"))
    assert "Their group" not in response.content.decode()


# A group's page


@time_machine.travel(dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC), tick=False)
def test_group_page_shows_next_three_meetings_in_the_members_zone(
    make_user: Any, client: Client
) -> None:
    kiwi = make_user("kiwi@example.org", time_zone="Pacific/Auckland")
    group = Group.objects.create(
        owner=kiwi,
        name="Evening circle",
        meets_from=dt.datetime(2026, 1, 6, 19, 0, tzinfo=AUCKLAND),
        schedule="FREQ=WEEKLY;BYDAY=TU",
    )
    client.force_login(kiwi)
    response = client.get(reverse("network:group", args=[group.pk]))
    html = response.content.decode()
    assert [m.astimezone(AUCKLAND).date() for m in response.context["meetings"]] == [
        dt.date(2026, 3, 24),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 7),
    ]
    # 19:00 in Auckland every time, across the end of New Zealand summer time on 5 April.
    assert "Tuesday 24 March 2026, 19:00" in html
    assert "Tuesday 7 April 2026, 19:00" in html
    assert "Times are in your time zone, Pacific/Auckland." in html


def test_group_page_shows_members_notes_and_history(member_client: Any, network: Any) -> None:
    group = network["group"]
    group.notes = "We meet in the library."
    group.save()
    response = member_client.get(reverse("network:group", args=[group.pk]))
    html = response.content.decode()
    assert [person.name for person in response.context["members"]] == ["Sam Rivera"]
    assert "We meet in the library." in html
    assert list(response.context["page"].object_list) == [network["meeting"]]
    assert f"?group={group.pk}" in html  # log contact with this group


def test_group_page_with_unreadable_stored_schedule_still_opens(
    member_client: Any, member: Any
) -> None:
    group = Group.objects.create(owner=member, name="Odd", schedule="FREQ=SOMETIMES")
    response = member_client.get(reverse("network:group", args=[group.pk]))
    assert response.status_code == 200
    assert response.context["meetings"] == []
    assert "No meetings ahead on this schedule." in response.content.decode()


# Adding and editing


def test_adding_a_group_with_members_and_a_schedule(
    member_client: Any, member: Any, network: Any
) -> None:
    data = group_data(
        members=[network["sam"].pk, network["ada"].pk], schedule="freq=weekly;byday=th;"
    )
    response = member_client.post(reverse("network:group-new"), data)
    group = Group.objects.owned_by(member).get(name="Thursday walkers")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:group", args=[group.pk])
    assert sorted(p.name for p in group.members.all()) == ["Ada Okafor", "Sam Rivera"]
    assert group.schedule == "FREQ=WEEKLY;BYDAY=TH"
    # Typed in the member's zone (London, winter): 10:00 local is 10:00 UTC.
    assert group.meets_from == dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC)
    assert messages_of(response) == ["Saved."]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("every tuesday", "A schedule needs a FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "We couldn&#x27;t read that schedule"),
        ("FREQ=HOURLY", "meetings repeat at most once a day"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "That schedule never meets."),
    ],
)
def test_bad_schedule_gets_a_clear_message_and_saves_nothing(
    member_client: Any, member: Any, schedule: str, message: str
) -> None:
    response = member_client.post(reverse("network:group-new"), group_data(schedule=schedule))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Group.objects.owned_by(member).exists()


def test_members_are_offered_from_own_current_people_only(
    member_client: Any, member: Any, network: Any, stranger: Any
) -> None:
    Person.objects.create(owner=stranger, name="Not Yours")
    Person.objects.filter(pk=network["ada"].pk).update(archived_at=timezone.now())
    response = member_client.get(reverse("network:group-new"))
    offered = [str(label) for _value, label in response.context["form"].fields["members"].choices]
    assert offered == ["Sam Rivera"]


def test_forged_member_id_is_an_error_and_saves_nothing(
    member_client: Any, member: Any, stranger: Any
) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    response = member_client.post(reverse("network:group-new"), group_data(members=[theirs.pk]))
    assert response.status_code == 200
    assert "We couldn&#x27;t find one of those people in your network." in response.content.decode()
    assert not Group.objects.exists()


def test_editing_keeps_an_archived_member(member_client: Any, network: Any) -> None:
    group, sam = network["group"], network["sam"]
    Person.objects.filter(pk=sam.pk).update(archived_at=timezone.now())
    url = reverse("network:group-edit", args=[group.pk])
    assert member_client.get(url).context["form"]["members"].value() == [sam.pk]
    member_client.post(url, group_data(name="Tuesday peer group", members=[sam.pk]))
    assert list(group.members.all()) == [sam]


# Archive and delete


def test_archiving_a_group_and_bringing_it_back(member_client: Any, network: Any) -> None:
    group = network["group"]
    url = reverse("network:group-archive", args=[group.pk])
    archived = member_client.post(url, {"action": "archive"})
    group.refresh_from_db()
    assert group.is_archived
    assert messages_of(archived) == [
        "Archived Tuesday peer group. You can bring it back at any time."
    ]
    member_client.post(url, {"action": "unarchive"})
    group.refresh_from_db()
    assert not group.is_archived


def test_deleting_a_group_keeps_its_people_and_shared_contact(
    member_client: Any, member: Any, network: Any
) -> None:
    group, sam = network["group"], network["sam"]
    shared = Interaction.objects.create(owner=member, group=group)
    shared.people.add(sam)
    confirm = member_client.get(reverse("network:group-delete", args=[group.pk]))
    assert "Delete Tuesday peer group?" in confirm.content.decode()
    response = member_client.post(reverse("network:group-delete", args=[group.pk]))
    assert response["Location"] == reverse("network:groups")
    assert not Group.objects.filter(pk=group.pk).exists()
    assert Person.objects.filter(pk=sam.pk).exists()
    assert not Interaction.objects.filter(pk=network["meeting"].pk).exists()
    shared.refresh_from_db()
    assert shared.group is None
    assert list(shared.people.all()) == [sam]


# Privacy


def test_stranger_gets_404_for_every_group_page(stranger_client: Any, network: Any) -> None:
    pk = network["group"].pk
    for name in ("network:group", "network:group-edit", "network:group-delete"):
        assert stranger_client.get(reverse(name, args=[pk])).status_code == 404, name


def test_stranger_cannot_change_archive_or_delete_a_group(
    stranger_client: Any, network: Any
) -> None:
    pk = network["group"].pk
    responses = [
        stranger_client.post(reverse("network:group-edit", args=[pk]), group_data()),
        stranger_client.post(reverse("network:group-archive", args=[pk])),
        stranger_client.post(reverse("network:group-delete", args=[pk])),
    ]
    assert [response.status_code for response in responses] == [404, 404, 404]
    group = Group.objects.get(pk=pk)
    assert (group.name, group.is_archived) == ("Tuesday peer group", False)


@pytest.mark.parametrize("url", ["/groups/", "/groups/new/", "/groups/1/", "/groups/1/edit/"])
def test_signed_out_visitor_is_sent_to_sign_in(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
