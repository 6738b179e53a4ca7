"""The home page: a welcome for a new member, a quick-log form and recent contact after that."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Interaction, Person
from closeknit.network.queries import RECENT_CONTACTS


def test_signed_out_visitor_is_sent_to_sign_in(client: Any) -> None:
    response = client.get(reverse("network:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_new_member_is_welcomed_and_walked_to_their_first_person(member_client: Any) -> None:
    response = member_client.get(reverse("network:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Let's map the people who are there for you" in html
    for who in ("Family", "Friends", "Peers", "Mentors", "A therapist", "A group"):
        assert f"<strong>{who}" in html
    assert (
        f'<a class="button" href="{reverse("network:person-new")}">Add your first person</a>'
        in html
    )
    assert f'href="{reverse("transfer:import")}"' in html
    assert "vCard" in html
    assert "Log contact</button>" not in html


def test_member_with_people_gets_the_quick_log_form(member_client: Any, network: Any) -> None:
    response = member_client.get(reverse("network:home"))
    html = response.content.decode()
    assert "Add your first person" not in html
    assert f'action="{reverse("network:interaction-new")}"' in html
    assert '<button type="submit">Log contact</button>' in html
    assert f'<input type="hidden" name="next" value="{reverse("network:home")}">' in html
    offered = [str(label) for _value, label in response.context["form"].fields["people"].choices]
    assert offered == ["Ada Okafor", "Sam Rivera"]


def test_quick_log_offers_neither_archived_nor_others_people(
    member_client: Any, network: Any, stranger: Any
) -> None:
    Person.objects.create(owner=stranger, name="Not Yours")
    Person.objects.filter(pk=network["ada"].pk).update(archived_at=timezone.now())
    html = member_client.get(reverse("network:home")).content.decode()
    assert "Not Yours" not in html
    assert f'<option value="{network["ada"].pk}"' not in html
    assert f'<option value="{network["sam"].pk}"' in html


def test_quick_log_from_home_returns_home_with_thanks(member_client: Any, network: Any) -> None:
    sam = network["sam"]
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = member_client.post(
        reverse("network:interaction-new"),
        {
            "people": [sam.pk],
            "occurred_at": now,
            "channel": "message",
            "direction": "gave",
            "next": reverse("network:home"),
        },
    )
    assert response["Location"] == reverse("network:home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Logged your contact with Sam."
    ]
    assert Interaction.objects.filter(people=sam, channel="message", direction="gave").exists()


def test_recent_contact_is_the_newest_few(member_client: Any, member: Any, network: Any) -> None:
    now = timezone.now()
    newest = []
    for hours in range(1, RECENT_CONTACTS + 3):
        contact = Interaction.objects.create(
            owner=member, occurred_at=now + dt.timedelta(hours=hours)
        )
        contact.people.add(network["ada"])
        newest.append(contact)
    response = member_client.get(reverse("network:home"))
    expected = list(reversed(newest))[:RECENT_CONTACTS]
    assert response.context["recent"] == expected
    assert "See your whole contact log" in response.content.decode()


def test_home_shows_no_one_elses_contact(member_client: Any, network: Any, stranger: Any) -> None:
    Interaction.objects.create(owner=stranger, note="Their secret")
    html = member_client.get(reverse("network:home")).content.decode()
    assert "Their secret" not in html
    assert "Talked it through." in html
