"""The people pages: list, search and filters, a person's page, add, edit, archive, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Group, Interaction, Person


def names_listed(response: Any) -> list[str]:
    return [person.name for person in response.context["page"].object_list]


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def person_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Lee Chen",
        "nickname": "Lee",
        "circle": "middle",
        "roles": ["peer", "friend"],
        "support_types": ["emotional", "informational"],
        "preferred_channels": ["call"],
        "rhythm_days": "21",
        "email": "lee@example.org",
        "phone": "07700 900456",
        "birthday": "1990-05-17",
        "birthday_year_known": "on",
        "notes": "Met at the Tuesday group.",
    }
    data.update(overrides)
    return data


# The list


def test_people_list_shows_circle_roles_and_last_contact(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:people"))
    assert response.status_code == 200
    assert names_listed(response) == ["Ada Okafor", "Sam Rivera"]
    sam_row = next(p for p in response.context["page"].object_list if p.name == "Sam Rivera")
    assert sam_row.last_contact == network["call"].occurred_at
    html = response.content.decode()
    assert "Inner circle" in html
    assert "Therapist or counsellor" in html
    assert "Not logged yet" in html  # Ada


def test_people_list_shows_no_one_elses_people(
    member_client: Any, network: Any, stranger: Any
) -> None:
    Person.objects.create(owner=stranger, name="Someone Else")
    response = member_client.get(reverse("network:people"))
    assert "Someone Else" not in names_listed(response)


@pytest.mark.parametrize(
    "search",
    ["sam", "RIVERA", "Sam", "sam@example", "7700 900123", "07700900123", "+447700900123"],
)
def test_search_finds_by_name_nickname_email_or_phone(
    member_client: Any, network: Any, search: str
) -> None:
    response = member_client.get(reverse("network:people"), {"q": search})
    assert names_listed(response) == ["Sam Rivera"]


def test_search_with_no_match_says_so_kindly(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:people"), {"q": "nobody-like-this"})
    assert names_listed(response) == []
    assert "No one matches that." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"circle": "inner"}, ["Sam Rivera"]),
        ({"circle": "middle"}, ["Ada Okafor"]),
        ({"role": "therapist"}, ["Ada Okafor"]),
        ({"support": "companionship"}, ["Sam Rivera"]),
        ({"support": "practical"}, []),
        ({"circle": "not-a-circle"}, ["Ada Okafor", "Sam Rivera"]),
    ],
)
def test_filters_narrow_the_list(
    member_client: Any, network: Any, params: dict[str, str], expected: list[str]
) -> None:
    response = member_client.get(reverse("network:people"), params)
    assert response.status_code == 200
    assert names_listed(response) == expected


def test_archived_people_are_listed_apart(member_client: Any, network: Any) -> None:
    Person.objects.filter(pk=network["ada"].pk).update(archived_at=timezone.now())
    current = member_client.get(reverse("network:people"))
    archived = member_client.get(reverse("network:people"), {"status": "archived"})
    everyone = member_client.get(reverse("network:people"), {"status": "all"})
    assert names_listed(current) == ["Sam Rivera"]
    assert names_listed(archived) == ["Ada Okafor"]
    assert names_listed(everyone) == ["Ada Okafor", "Sam Rivera"]


def test_list_pages_by_fifty_and_keeps_the_filters(member_client: Any, member: Any) -> None:
    Person.objects.bulk_create(
        Person(owner=member, name=f"Friend {n:02}", roles=["friend"]) for n in range(51)
    )
    first = member_client.get(reverse("network:people"), {"role": "friend"})
    second = member_client.get(reverse("network:people"), {"role": "friend", "page": "2"})
    assert len(names_listed(first)) == 50
    assert names_listed(second) == ["Friend 50"]
    assert "?role=friend&amp;page=2" in first.content.decode()


def test_empty_network_invites_adding_someone(member_client: Any) -> None:
    response = member_client.get(reverse("network:people"))
    assert "Add your first person" in response.content.decode()


# A person's page


def test_person_page_shows_details_notes_and_history(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    response = member_client.get(reverse("network:person", args=[sam.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam walked with me every Sunday in March." in html
    assert "Every 14 days" in html
    assert "sam@example.org" in html
    assert "Tuesday peer group" in html  # their group
    assert list(response.context["page"].object_list) == [network["call"]]
    assert "Talked it through." in html
    assert "Log contact with Sam" in html


def test_person_history_is_newest_first_and_paginated(
    member_client: Any, member: Any, network: Any
) -> None:
    sam = network["sam"]
    now = timezone.now()
    for days in range(60):
        contact = Interaction.objects.create(
            owner=member, occurred_at=now - dt.timedelta(days=days)
        )
        contact.people.add(sam)
    response = member_client.get(reverse("network:person", args=[sam.pk]))
    page = response.context["page"]
    moments = [contact.occurred_at for contact in page.object_list]
    assert len(moments) == 50
    assert moments == sorted(moments, reverse=True)
    assert page.paginator.count == 61


def test_quick_log_on_person_page_has_them_chosen(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    response = member_client.get(reverse("network:person", args=[sam.pk]))
    form = response.context["form"]
    assert form["people"].value() == [sam.pk]
    assert f'<option value="{sam.pk}" selected>' in response.content.decode()


def test_person_page_offers_an_invitation_to_the_circle_unless_archived(
    member_client: Any, network: Any
) -> None:
    sam = network["sam"]
    invite = f"{reverse('circle:invite')}?person={sam.pk}"
    page = reverse("network:person", args=[sam.pk])
    assert invite in member_client.get(page).content.decode()
    sam.archived_at = timezone.now()
    sam.save()
    assert invite not in member_client.get(page).content.decode()


# Adding and editing


def test_adding_a_person_saves_every_field(member_client: Any, member: Any) -> None:
    response = member_client.post(reverse("network:person-new"), person_data())
    lee = Person.objects.owned_by(member).get(name="Lee Chen")
    assert response.status_code == 302
    assert response["Location"] == reverse("network:person", args=[lee.pk])
    assert lee.roles == ["friend", "peer"]
    assert lee.support_types == ["emotional", "informational"]
    assert lee.preferred_channels == ["call"]
    assert lee.rhythm_days == 21
    assert lee.birthday == dt.date(1990, 5, 17)
    assert lee.birthday_year_known is True
    assert lee.notes == "Met at the Tuesday group."
    assert messages_of(response) == ["Saved."]


def test_add_form_uses_fieldsets_radios_and_a_date_input(member_client: Any) -> None:
    html = member_client.get(reverse("network:person-new")).content.decode()
    assert "<legend>Who they are to you:</legend>" in html
    assert "<legend>Support they give:</legend>" in html
    assert "<legend>Ways you like to be in touch:</legend>" in html
    assert 'type="radio" name="circle"' in html
    assert 'type="date" name="birthday"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("rhythm_days", "0", "greater than or equal to 1"),
        ("rhythm_days", "3651", "less than or equal to 3650"),
        ("roles", ["astronaut"], "Select a valid choice."),
        ("circle", "closest", "Select a valid choice."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_bad_person_input_gets_a_message_and_saves_nothing(
    member_client: Any, member: Any, field: str, value: Any, message: str
) -> None:
    response = member_client.post(reverse("network:person-new"), person_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.owned_by(member).exists()


def test_editing_a_person_changes_them(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    url = reverse("network:person-edit", args=[sam.pk])
    form_page = member_client.get(url)
    assert form_page.context["form"]["roles"].value() == ["friend"]
    response = member_client.post(url, person_data(name="Sam R.", circle="outer", rhythm_days=""))
    sam.refresh_from_db()
    assert response.status_code == 302
    assert (sam.name, sam.circle, sam.rhythm_days) == ("Sam R.", "outer", None)
    assert messages_of(response) == ["Saved."]


# Archive and delete


def test_archiving_and_bringing_back(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    url = reverse("network:person-archive", args=[sam.pk])
    member_client.post(url, {"action": "archive"})
    sam.refresh_from_db()
    assert sam.is_archived
    response = member_client.post(url, {"action": "unarchive"})
    sam.refresh_from_db()
    assert not sam.is_archived
    assert messages_of(response)[-1] == "Sam is back in your network."


def test_archive_needs_a_post(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:person-archive", args=[network["sam"].pk]))
    assert response.status_code == 405


def test_delete_asks_first_and_offers_archiving(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    response = member_client.get(reverse("network:person-delete", args=[sam.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete Sam Rivera?" in html
    assert "Archive instead" in html
    assert "One entry in your contact log was" in html
    assert Person.objects.filter(pk=sam.pk).exists()


def test_deleting_a_person_removes_contact_only_with_them(
    member_client: Any, member: Any, network: Any
) -> None:
    sam, ada = network["sam"], network["ada"]
    together = Interaction.objects.create(owner=member)
    together.people.add(sam, ada)
    response = member_client.post(reverse("network:person-delete", args=[sam.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("network:people")
    assert not Person.objects.filter(pk=sam.pk).exists()
    assert not Interaction.objects.filter(pk=network["call"].pk).exists()
    assert list(Interaction.objects.get(pk=together.pk).people.all()) == [ada]
    assert Group.objects.get(pk=network["group"].pk).members.count() == 0
    assert messages_of(response) == [
        "Removed Sam Rivera and the 1 contact log entry that was only with them."
    ]


# Privacy


def person_urls(pk: int) -> list[str]:
    return [
        reverse("network:person", args=[pk]),
        reverse("network:person-edit", args=[pk]),
        reverse("network:person-delete", args=[pk]),
    ]


def test_stranger_gets_404_for_every_person_page(stranger_client: Any, network: Any) -> None:
    for url in person_urls(network["sam"].pk):
        assert stranger_client.get(url).status_code == 404, url


def test_stranger_cannot_change_archive_or_delete_a_person(
    stranger_client: Any, network: Any
) -> None:
    sam = network["sam"]
    responses = [
        stranger_client.post(reverse("network:person-edit", args=[sam.pk]), person_data()),
        stranger_client.post(reverse("network:person-archive", args=[sam.pk])),
        stranger_client.post(reverse("network:person-delete", args=[sam.pk])),
    ]
    assert [response.status_code for response in responses] == [404, 404, 404]
    sam.refresh_from_db()
    assert (sam.name, sam.is_archived) == ("Sam Rivera", False)


@pytest.mark.parametrize(
    "url", ["/people/", "/people/new/", "/people/1/", "/people/1/edit/", "/people/1/delete/"]
)
def test_signed_out_visitor_is_sent_to_sign_in(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
