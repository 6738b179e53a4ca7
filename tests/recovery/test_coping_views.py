"""The coping strategy pages: ranked list, add, edit, archive, delete, and "I used this"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeknit.recovery.models import CopingStrategy, CopingUse


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def html(response: Any) -> str:
    return response.content.decode()


def strategy_with(owner: Any, title: str, helped: list[int] = (), **fields: Any) -> CopingStrategy:
    strategy = CopingStrategy.objects.create(owner=owner, title=title, **fields)
    for n, value in enumerate(helped):
        CopingUse.objects.create(
            owner=owner,
            strategy=strategy,
            helped=value,
            used_at=timezone.now() - dt.timedelta(days=len(helped) - n),
        )
    return strategy


@pytest.fixture
def walk(member: Any) -> CopingStrategy:
    return strategy_with(member, "A walk round the block", [4, 5], description="Even in rain.")


# The list


def test_list_puts_what_helped_most_first_and_never_used_last(member_client, member, walk):
    strategy_with(member, "Breathing", [])
    strategy_with(member, "Lucky once", [5])
    strategy_with(member, "Rarely helps", [1, 2])
    response = member_client.get(reverse("recovery:coping"))
    assert [s.title for s in response.context["page"].object_list] == [
        "A walk round the block",
        "Lucky once",
        "Rarely helps",
        "Breathing",
    ]
    page = html(response)
    assert "Used 2 times · on average it helped a lot (4.5 of 5)" in page
    assert "Used once · it helped a lot (5 of 5)" in page
    assert "Not used yet" in page
    assert f'href="/coping/{walk.pk}/used/"' in page


def test_an_empty_list_explains_and_invites(member_client):
    page = html(member_client.get(reverse("recovery:coping")))
    assert "Add your first strategy" in page


def test_archived_strategies_are_listed_apart(member_client, member, walk):
    strategy_with(member, "Old habit", [3], archived_at=timezone.now())
    current = member_client.get(reverse("recovery:coping"))
    archived = member_client.get(reverse("recovery:coping"), {"status": "archived"})
    assert [s.title for s in current.context["page"].object_list] == [walk.title]
    assert [s.title for s in archived.context["page"].object_list] == ["Old habit"]


def test_list_shows_no_one_elses_strategies(member_client, stranger):
    strategy_with(stranger, "Their strategy", [5])
    assert "Their strategy" not in html(member_client.get(reverse("recovery:coping")))


# Adding, editing, archiving, deleting


def test_adding_a_strategy(member_client, member):
    response = member_client.post(
        reverse("recovery:coping-new"), {"title": "Music with headphones", "description": "Loud."}
    )
    strategy = CopingStrategy.objects.owned_by(member).get()
    assert response["Location"] == reverse("recovery:coping-strategy", args=[strategy.pk])
    assert strategy.description == "Loud."
    assert messages_of(response) == ["Added “Music with headphones” to your coping strategies."]


def test_a_strategy_needs_a_title(member_client):
    response = member_client.post(reverse("recovery:coping-new"), {"title": ""})
    assert response.status_code == 200
    assert not CopingStrategy.objects.exists()


def test_editing_a_strategy(member_client, walk):
    url = reverse("recovery:coping-edit", args=[walk.pk])
    assert "Even in rain." in html(member_client.get(url))
    member_client.post(url, {"title": "A long walk", "description": ""})
    walk.refresh_from_db()
    assert (walk.title, walk.description) == ("A long walk", "")


def test_archiving_and_bringing_back(member_client, walk):
    url = reverse("recovery:coping-archive", args=[walk.pk])
    assert member_client.get(url).status_code == 405
    member_client.post(url, {"action": "archive"})
    assert CopingStrategy.objects.get(pk=walk.pk).archived_at is not None
    member_client.post(url, {"action": "unarchive"})
    assert CopingStrategy.objects.get(pk=walk.pk).archived_at is None


def test_deleting_asks_first_and_says_what_goes(member_client, walk):
    url = reverse("recovery:coping-delete", args=[walk.pk])
    page = html(member_client.get(url))
    assert "with the 2 times you noted using it" in page
    assert "Archive instead" in page
    response = member_client.post(url)
    assert response["Location"] == reverse("recovery:coping")
    assert not CopingStrategy.objects.exists() and not CopingUse.objects.exists()


# A strategy's page and "I used this"


def test_strategy_page_shows_its_uses_newest_first(member_client, walk):
    response = member_client.get(reverse("recovery:coping-strategy", args=[walk.pk]))
    assert [u.helped for u in response.context["page"].object_list] == [5, 4]
    page = html(response)
    assert "Even in rain." in page
    assert "A lot" in page and "Quite a bit" in page
    assert "How much did it help?" in page


def test_i_used_this_records_how_much_it_helped(member_client, member, walk):
    url = reverse("recovery:coping-use", args=[walk.pk])
    page = html(member_client.get(url))
    assert "It didn&#x27;t help this time" in page and "A lot" in page
    response = member_client.post(url, {"helped": "3", "note": "Cold out."})
    assert response["Location"] == reverse("recovery:coping-strategy", args=[walk.pk])
    use = CopingUse.objects.owned_by(member).order_by("-id").first()
    assert (use.strategy, use.helped, use.note) == (walk, 3, "Cold out.")
    assert "Looking after yourself" in messages_of(response)[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM recovery_copinguse WHERE id = %s", [use.pk])
        assert "Cold" not in cursor.fetchone()[0]


@pytest.mark.parametrize("helped", ["", "0", "6", "lots"])
def test_how_much_it_helped_is_needed_and_from_1_to_5(member_client, walk, helped):
    response = member_client.post(
        reverse("recovery:coping-use", args=[walk.pk]), {"helped": helped}
    )
    assert response.status_code == 200
    assert CopingUse.objects.count() == 2


# Tenancy


def _object_urls(strategy: CopingStrategy) -> list[str]:
    return [
        reverse(name, args=[strategy.pk])
        for name in (
            "recovery:coping-strategy",
            "recovery:coping-edit",
            "recovery:coping-archive",
            "recovery:coping-delete",
            "recovery:coping-use",
        )
    ]


def _state(strategy: CopingStrategy) -> Any:
    fresh = CopingStrategy.objects.get(pk=strategy.pk)
    return (fresh.title, fresh.description, fresh.archived_at, CopingUse.objects.count())


def test_a_stranger_gets_404_on_every_strategy_url(stranger_client, walk):
    before = _state(walk)
    for url in _object_urls(walk):
        assert stranger_client.get(url).status_code in (404, 405), url
        data = {"title": "Taken", "helped": "5", "action": "archive"}
        assert stranger_client.post(url, data).status_code == 404, url
    assert _state(walk) == before


def test_a_visitor_is_sent_to_sign_in(client: Client, walk):
    before = _state(walk)
    for url in [*_object_urls(walk), reverse("recovery:coping"), reverse("recovery:coping-new")]:
        response = client.post(url, {"title": "Taken", "helped": "5"})
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert _state(walk) == before


# Query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_strategies_or_uses(member_client, member, walk):
    small = _count(member_client, reverse("recovery:coping"))
    for n in range(40):
        strategy_with(member, f"Strategy {n}", [n % 5 + 1] * (n % 4))
    large = _count(member_client, reverse("recovery:coping"))
    # Session, user, the header's safety-plan link; the ranked strategies with their counts.
    assert small == large <= 4


def test_strategy_page_queries_do_not_grow_with_uses(member_client, member, walk):
    url = reverse("recovery:coping-strategy", args=[walk.pk])
    small = _count(member_client, url)
    for _ in range(60):
        CopingUse.objects.create(owner=member, strategy=walk, helped=4)
    # Session, user, header; the strategy with its counts, the uses' count and page.
    assert _count(member_client, url) == small <= 6
