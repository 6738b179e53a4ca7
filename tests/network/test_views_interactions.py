"""Logging contact: the one form (new, edit, delete) and the contact log with its filters."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from closeknit.network.models import Group, Interaction, Person

NOW = dt.datetime(2026, 1, 15, 17, 0, tzinfo=dt.UTC)
NEW_YORK = ZoneInfo("America/New_York")


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def contact_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "people": [],
        "group": "",
        "occurred_at": "2026-01-15T09:30",
        "channel": "call",
        "direction": "received",
        "support_types": ["emotional"],
        "feeling": "4",
        "note": "Sam listened.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


# Logging


@pytest.mark.usefixtures("frozen")
def test_logging_contact_saves_it_and_says_whom_with(
    member_client: Any, member: Any, network: Any
) -> None:
    sam = network["sam"]
    response = member_client.post(reverse("network:interaction-new"), contact_data(people=[sam.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("network:interactions")
    contact = Interaction.objects.owned_by(member).latest("pk")
    assert list(contact.people.all()) == [sam]
    assert (contact.channel, contact.direction, contact.feeling) == ("call", "received", 4)
    assert contact.support_types == ["emotional"]
    assert contact.note == "Sam listened."
    assert messages_of(response) == ["Logged your contact with Sam."]


@pytest.mark.usefixtures("frozen")
def test_when_is_read_in_the_members_time_zone(make_user: Any, client: Client) -> None:
    yorker = make_user("ny@example.org", time_zone="America/New_York")
    lee = Person.objects.create(owner=yorker, name="Lee")
    client.force_login(yorker)
    client.post(reverse("network:interaction-new"), contact_data(people=[lee.pk]))
    contact = Interaction.objects.owned_by(yorker).get()
    assert contact.occurred_at == dt.datetime(2026, 1, 15, 9, 30, tzinfo=NEW_YORK)
    assert contact.occurred_at == dt.datetime(2026, 1, 15, 14, 30, tzinfo=dt.UTC)


@pytest.mark.usefixtures("frozen")
def test_when_defaults_to_now_in_the_members_time_zone(make_user: Any, client: Client) -> None:
    yorker = make_user("ny@example.org", time_zone="America/New_York")
    client.force_login(yorker)
    html = client.get(reverse("network:interaction-new")).content.decode()
    assert 'value="2026-01-15T12:00"' in html  # 17:00 UTC is noon in New York


@pytest.mark.usefixtures("frozen")
def test_logging_with_several_people_and_a_group(
    member_client: Any, member: Any, network: Any
) -> None:
    sam, ada, group = network["sam"], network["ada"], network["group"]
    data = contact_data(people=[sam.pk, ada.pk], group=group.pk, feeling="")
    response = member_client.post(reverse("network:interaction-new"), data)
    contact = Interaction.objects.owned_by(member).latest("pk")
    assert contact.group == group
    assert contact.feeling is None
    assert messages_of(response) == [
        "Logged your contact with Ada Okafor, Sam and Tuesday peer group."
    ]


@pytest.mark.usefixtures("frozen")
def test_logging_with_no_one_asks_who_and_saves_nothing(
    member_client: Any, member: Any, network: Any
) -> None:
    before = Interaction.objects.count()
    response = member_client.post(reverse("network:interaction-new"), contact_data())
    assert response.status_code == 200
    assert "Please choose who you were in touch with: a person, or a group." in (
        response.content.decode()
    )
    assert Interaction.objects.count() == before


@pytest.mark.usefixtures("frozen")
@pytest.mark.parametrize("field", ["people", "group"])
def test_forged_person_or_group_is_an_error_and_saves_nothing(
    member_client: Any, network: Any, stranger: Any, field: str
) -> None:
    theirs: Person | Group
    if field == "people":
        theirs = Person.objects.create(owner=stranger, name="Not Yours")
        data = contact_data(people=[network["sam"].pk, theirs.pk])
    else:
        theirs = Group.objects.create(owner=stranger, name="Not Yours")
        data = contact_data(group=theirs.pk)
    before = Interaction.objects.count()
    response = member_client.post(reverse("network:interaction-new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Interaction.objects.count() == before
    assert not theirs.interactions.exists()


@pytest.mark.usefixtures("frozen")
def test_contact_in_the_future_is_refused(member_client: Any, network: Any) -> None:
    before = Interaction.objects.count()
    data = contact_data(people=[network["sam"].pk], occurred_at="2026-01-20T09:00")
    response = member_client.post(reverse("network:interaction-new"), data)
    assert "That&#x27;s still ahead." in response.content.decode()
    assert Interaction.objects.count() == before


@pytest.mark.usefixtures("frozen")
def test_feeling_outside_one_to_five_is_refused(member_client: Any, network: Any) -> None:
    data = contact_data(people=[network["sam"].pk], feeling="9")
    response = member_client.post(reverse("network:interaction-new"), data)
    assert response.context["form"].errors["feeling"]


def test_form_is_labelled_for_people(member_client: Any, network: Any) -> None:
    html = member_client.get(reverse("network:interaction-new")).content.decode()
    assert 'type="datetime-local" name="occurred_at"' in html
    assert "<legend>How it felt:</legend>" in html
    for label in ("Hard", "Not great", "Okay", "Good", "Lovely"):
        assert f"{label}</label>" in html
    assert 'type="radio" name="channel"' in html
    assert 'type="radio" name="direction"' in html
    assert 'type="checkbox" name="support_types"' in html


def test_person_and_group_can_be_preselected(member_client: Any, network: Any) -> None:
    sam, group = network["sam"], network["group"]
    url = reverse("network:interaction-new")
    by_person = member_client.get(url, {"person": sam.pk}).context["form"]
    by_group = member_client.get(url, {"group": group.pk}).context["form"]
    assert by_person["people"].value() == [sam.pk]
    assert str(by_group["group"].value()) == str(group.pk)


def test_preselecting_someone_elses_person_offers_nothing_of_theirs(
    member_client: Any, network: Any, stranger: Any
) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    response = member_client.get(reverse("network:interaction-new"), {"person": theirs.pk})
    assert "Not Yours" not in response.content.decode()


@pytest.mark.usefixtures("frozen")
def test_after_logging_it_goes_back_to_the_page_it_came_from(
    member_client: Any, network: Any
) -> None:
    sam = network["sam"]
    back = reverse("network:person", args=[sam.pk])
    data = contact_data(people=[sam.pk], next=back)
    response = member_client.post(reverse("network:interaction-new"), data)
    assert response["Location"] == back


@pytest.mark.usefixtures("frozen")
def test_next_never_leads_off_the_site(member_client: Any, network: Any) -> None:
    data = contact_data(people=[network["sam"].pk], next="https://elsewhere.example/")
    response = member_client.post(reverse("network:interaction-new"), data)
    assert response["Location"] == reverse("network:interactions")


# Editing and deleting


@pytest.mark.usefixtures("frozen")
def test_editing_contact_changes_it(member_client: Any, network: Any) -> None:
    call = network["call"]
    url = reverse("network:interaction-edit", args=[call.pk])
    form = member_client.get(url).context["form"]
    assert form["people"].value() == [network["sam"].pk]
    data = contact_data(people=[network["ada"].pk], channel="video", note="Changed my mind.")
    response = member_client.post(url, data)
    call.refresh_from_db()
    assert list(call.people.all()) == [network["ada"]]
    assert (call.channel, call.note) == ("video", "Changed my mind.")
    assert messages_of(response) == ["Saved."]


def test_deleting_contact_asks_first(member_client: Any, network: Any) -> None:
    call = network["call"]
    url = reverse("network:interaction-delete", args=[call.pk])
    confirm = member_client.get(url)
    assert "Delete this contact?" in confirm.content.decode()
    assert Interaction.objects.filter(pk=call.pk).exists()
    response = member_client.post(url)
    assert response.status_code == 302
    assert not Interaction.objects.filter(pk=call.pk).exists()
    assert network["sam"].pk in Person.objects.values_list("pk", flat=True)


# The contact log


def test_contact_log_lists_newest_first(member_client: Any, member: Any, network: Any) -> None:
    old = Interaction.objects.create(
        owner=member, occurred_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    old.people.add(network["ada"])
    response = member_client.get(reverse("network:interactions"))
    listed = list(response.context["page"].object_list)
    assert listed == [network["meeting"], network["call"], old]
    html = response.content.decode()
    assert "Felt: Good" in html
    assert "Talked it through." in html


def test_contact_log_pages_by_fifty(member_client: Any, member: Any) -> None:
    Interaction.objects.bulk_create(Interaction(owner=member) for _ in range(51))
    first = member_client.get(reverse("network:interactions"))
    second = member_client.get(reverse("network:interactions"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 1


def test_contact_log_filters_by_person(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:interactions"), {"person": network["sam"].pk})
    assert list(response.context["page"].object_list) == [network["call"]]


def test_contact_log_filters_by_group(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:interactions"), {"group": network["group"].pk})
    assert list(response.context["page"].object_list) == [network["meeting"]]


def test_contact_log_date_range_is_in_the_members_days(make_user: Any, client: Client) -> None:
    yorker = make_user("ny@example.org", time_zone="America/New_York")
    # 23:30 on 9 January in New York is already 10 January in UTC.
    late = Interaction.objects.create(
        owner=yorker, occurred_at=dt.datetime(2026, 1, 9, 23, 30, tzinfo=NEW_YORK)
    )
    next_morning = Interaction.objects.create(
        owner=yorker, occurred_at=dt.datetime(2026, 1, 10, 8, 0, tzinfo=NEW_YORK)
    )
    client.force_login(yorker)
    url = reverse("network:interactions")
    ninth = client.get(url, {"start": "2026-01-09", "end": "2026-01-09"})
    tenth_on = client.get(url, {"start": "2026-01-10"})
    assert list(ninth.context["page"].object_list) == [late]
    assert list(tenth_on.context["page"].object_list) == [next_morning]


def test_contact_log_rejects_a_backwards_range(member_client: Any, network: Any) -> None:
    response = member_client.get(
        reverse("network:interactions"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert "This date is before the “From” date." in response.content.decode()


def test_contact_log_ignores_someone_elses_person_as_a_filter(
    member_client: Any, network: Any, stranger: Any
) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    secret = Interaction.objects.create(owner=stranger, note="Their secret")
    secret.people.add(theirs)
    response = member_client.get(reverse("network:interactions"), {"person": theirs.pk})
    html = response.content.decode()
    assert "We couldn&#x27;t find that person in your network." in html
    assert "Their secret" not in html
    assert secret not in response.context["page"].object_list


def test_contact_log_shows_no_one_elses_contact(
    member_client: Any, network: Any, stranger: Any
) -> None:
    Interaction.objects.create(owner=stranger, note="Their secret")
    response = member_client.get(reverse("network:interactions"))
    assert "Their secret" not in response.content.decode()
    assert response.context["page"].paginator.count == 2


# Privacy


def test_stranger_gets_404_for_contact_pages(stranger_client: Any, network: Any) -> None:
    pk = network["call"].pk
    for name in ("network:interaction-edit", "network:interaction-delete"):
        assert stranger_client.get(reverse(name, args=[pk])).status_code == 404, name


def test_stranger_cannot_change_or_delete_contact(stranger_client: Any, network: Any) -> None:
    call = network["call"]
    edit = stranger_client.post(
        reverse("network:interaction-edit", args=[call.pk]), contact_data(note="Hacked")
    )
    delete = stranger_client.post(reverse("network:interaction-delete", args=[call.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    call.refresh_from_db()
    assert call.note == "Talked it through."


@pytest.mark.parametrize("url", ["/contact/", "/contact/new/", "/contact/1/edit/"])
def test_signed_out_visitor_is_sent_to_sign_in(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
