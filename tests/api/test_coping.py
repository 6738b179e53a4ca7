"""/api/v1/coping-strategies: strategies, ranked by how much they helped, and their uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.recovery.models import CopingStrategy, CopingUse
from tests.api.conftest import error_fields, error_messages

STRATEGIES = "/api/v1/coping-strategies"


def url(strategy: CopingStrategy) -> str:
    return f"{STRATEGIES}/{strategy.pk}"


def _row(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def coping_state(owner: User) -> dict[str, Any]:
    return {
        "strategies": [_row(s) for s in CopingStrategy.objects.owned_by(owner).order_by("pk")],
        "uses": [_row(u) for u in CopingUse.objects.owned_by(owner).order_by("pk")],
    }


def strategy_with(owner: User, title: str, helped: list[int] = (), **fields: Any) -> CopingStrategy:
    strategy = CopingStrategy.objects.create(owner=owner, title=title, **fields)
    for n, value in enumerate(helped):
        CopingUse.objects.create(
            owner=owner,
            strategy=strategy,
            helped=value,
            used_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC) + dt.timedelta(days=n),
        )
    return strategy


@pytest.fixture
def walk(member: User) -> CopingStrategy:
    return strategy_with(member, "A walk", [4, 5], description="Even in rain.")


# Reading


def test_list_is_ranked_with_score_and_uses(api, member, walk):
    strategy_with(member, "Breathing")
    strategy_with(member, "Lucky once", [5])
    response = api.get(STRATEGIES)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == ["A walk", "Lucky once", "Breathing"]
    assert body["items"][0] == {
        "id": walk.pk,
        "title": "A walk",
        "description": "Even in rain.",
        "archived": False,
        "uses": 2,
        "score": 3.75,  # (4 + 5 + 3 × 2) ÷ (2 + 2)
        "last_used_at": "2024-05-02T00:00:00+00:00",
    }
    assert body["items"][2]["score"] is None and body["items"][2]["uses"] == 0


def test_list_pages_keep_the_ranking(api, member, walk):
    strategy_with(member, "Breathing")
    strategy_with(member, "Lucky once", [5])
    page = api.get(f"{STRATEGIES}?limit=1&offset=1").json()
    assert page["count"] == 3
    assert [item["title"] for item in page["items"]] == ["Lucky once"]


def test_archived_filter(api, member, walk):
    strategy_with(member, "Old habit", archived_at=timezone.now())
    assert [i["title"] for i in api.get(f"{STRATEGIES}?archived=true").json()["items"]] == [
        "Old habit"
    ]
    assert [i["title"] for i in api.get(f"{STRATEGIES}?archived=false").json()["items"]] == [
        "A walk"
    ]


def test_strangers_list_never_shows_the_members_strategies(stranger_api, walk):
    assert stranger_api.get(STRATEGIES).json() == {"items": [], "count": 0}


def test_get_one(api, walk):
    assert api.get(url(walk)).json()["uses"] == 2


def test_stranger_gets_404_for_the_members_strategy(stranger_api, walk):
    assert stranger_api.get(url(walk)).status_code == 404


# Writing strategies


def test_create_a_strategy(api, member):
    response = api.post(STRATEGIES, {"title": " Music ", "description": "Headphones on."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["uses"], body["score"], body["last_used_at"]) == (
        "Music",
        0,
        None,
        None,
    )
    assert CopingStrategy.objects.owned_by(member).get().description == "Headphones on."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "M", "score": 5}, "score"),
        ({"title": "M", "uses": 3}, "uses"),
        ({"title": "M", "archived": "maybe"}, "archived"),
    ],
)
def test_bad_strategy_gets_422_naming_the_field_and_adds_nothing(api, member, walk, body, field):
    before = coping_state(member)
    assert error_fields(api.post(STRATEGIES, body)) == [field]
    assert coping_state(member) == before


def test_put_replaces_and_patch_changes_only_what_is_sent(api, walk):
    body = api.put(url(walk), {"title": "A long walk"}).json()
    assert (body["title"], body["description"], body["uses"]) == ("A long walk", "", 2)
    body = api.patch(url(walk), {"description": "Round the lake."}).json()
    assert (body["title"], body["description"]) == ("A long walk", "Round the lake.")


def test_patch_archives(api, walk):
    assert api.patch(url(walk), {"archived": True}).json()["archived"] is True
    assert CopingStrategy.objects.get(pk=walk.pk).archived_at is not None


def test_delete_takes_its_uses(api, member, walk):
    assert api.delete(url(walk)).status_code == 204
    assert coping_state(member) == {"strategies": [], "uses": []}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_stranger_cannot_change_the_members_strategy(stranger_api, member, walk, method):
    before = coping_state(member)
    if method == "delete":
        response = stranger_api.delete(url(walk))
    else:
        response = getattr(stranger_api, method)(url(walk), {"title": "Taken"})
    assert response.status_code == 404
    assert coping_state(member) == before


# Uses


@time_machine.travel(dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC), tick=False)
def test_note_a_use(api, member, walk):
    response = api.post(f"{url(walk)}/uses", {"helped": 2, "note": "Too tired."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "strategy": walk.pk,
        "helped": 2,
        "note": "Too tired.",
        "used_at": "2024-07-01T12:00:00+00:00",
    }
    assert CopingUse.objects.owned_by(member).get(pk=body["id"]).note == "Too tired."
    after = api.get(url(walk)).json()
    assert (after["uses"], after["score"]) == (3, 3.4)


def test_a_use_time_without_an_offset_is_the_members(api, walk):
    body = api.post(f"{url(walk)}/uses", {"helped": 4, "used_at": "2024-07-01T08:00:00"}).json()
    assert body["used_at"] == "2024-07-01T07:00:00+00:00"  # London summer time


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "helped"),
        ({"helped": 0}, "helped"),
        ({"helped": 6}, "helped"),
        ({"helped": "lots"}, "helped"),
        ({"helped": 3, "used_at": "yesterday"}, "used_at"),
        ({"helped": 3, "strategy": 1}, "strategy"),
    ],
)
def test_bad_use_gets_422_and_adds_nothing(api, member, walk, body, field):
    before = coping_state(member)
    assert error_fields(api.post(f"{url(walk)}/uses", body)) == [field]
    assert coping_state(member) == before


def test_a_use_in_the_future_is_refused(api, member, walk):
    before = coping_state(member)
    later = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api.post(f"{url(walk)}/uses", {"helped": 3, "used_at": later})
    assert error_fields(response) == ["used_at"]
    assert "still ahead" in error_messages(response)
    assert coping_state(member) == before


def test_stranger_cannot_note_a_use_of_the_members_strategy(stranger_api, member, walk):
    before = coping_state(member)
    assert stranger_api.post(f"{url(walk)}/uses", {"helped": 5}).status_code == 404
    assert coping_state(member) == before


# Query counts


def _queries(api: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def test_list_queries_do_not_grow_with_strategies_or_uses(api, member, walk):
    api.get(STRATEGIES)
    small = _queries(api, f"{STRATEGIES}?limit=500")
    for n in range(60):
        strategy_with(member, f"Strategy {n}", [n % 5 + 1] * (n % 4))
    large = _queries(api, f"{STRATEGIES}?limit=500")
    assert small == large <= 2  # token, and the ranked strategies with their counts


def test_one_strategy_takes_at_most_two_queries(api, walk, django_assert_max_num_queries):
    api.get(url(walk))
    with django_assert_max_num_queries(2):
        assert api.get(url(walk)).status_code == 200
