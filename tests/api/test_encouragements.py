"""/api/v1/encouragements: the notes the member's supporters sent, kept or let go."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from closeknit.accounts.models import User
from closeknit.circle.models import Encouragement
from tests.api.conftest import error_fields, queries_for

NOTES = "/api/v1/encouragements"
START = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def notes(member: User, count: int) -> list[Encouragement]:
    return [
        Encouragement.objects.create(
            owner=member, author_name="Sam", text=f"Note {n}", sent_at=START + dt.timedelta(hours=n)
        )
        for n in range(count)
    ]


def state(member: User) -> list[tuple[Any, ...]]:
    return list(
        Encouragement.objects.filter(owner=member).order_by("pk").values_list("pk", "favourite")
    )


def test_list_newest_first(api, member):
    older, newer = notes(member, 2)
    body = api.get(NOTES).json()
    assert body == {
        "items": [
            {
                "id": newer.pk,
                "text": "Note 1",
                "author_name": "Sam",
                "favourite": False,
                "sent_at": "2025-06-01T10:00:00+00:00",
            },
            {
                "id": older.pk,
                "text": "Note 0",
                "author_name": "Sam",
                "favourite": False,
                "sent_at": "2025-06-01T09:00:00+00:00",
            },
        ],
        "count": 2,
    }


def test_favourites_filter_and_pages(api, member):
    kept, *_rest = notes(member, 3)
    api.patch(f"{NOTES}/{kept.pk}", {"favourite": True})
    assert [item["id"] for item in api.get(f"{NOTES}?favourite=true").json()["items"]] == [kept.pk]
    assert api.get(f"{NOTES}?favourite=false").json()["count"] == 2
    page = api.get(f"{NOTES}?limit=2&offset=2").json()
    assert (page["count"], [item["text"] for item in page["items"]]) == (3, ["Note 0"])
    assert error_fields(api.get(f"{NOTES}?favourite=maybe")) == ["favourite"]


def test_keep_and_let_go(api, member):
    [note] = notes(member, 1)
    response = api.patch(f"{NOTES}/{note.pk}", {"favourite": True})
    assert response.status_code == 200
    assert response.json()["favourite"] is True
    assert api.patch(f"{NOTES}/{note.pk}", {"favourite": False}).json()["favourite"] is False
    note.refresh_from_db()
    assert not note.favourite


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "favourite"), ({"favourite": "often"}, "favourite"), ({"text": "x"}, "text")],
)
def test_a_bad_patch_is_422_and_changes_nothing(api, member, payload, field):
    [note] = notes(member, 1)
    before = state(member)
    assert field in error_fields(api.patch(f"{NOTES}/{note.pk}", payload))
    assert state(member) == before


def test_delete(api, member):
    [note] = notes(member, 1)
    assert api.delete(f"{NOTES}/{note.pk}").status_code == 204
    assert api.delete(f"{NOTES}/{note.pk}").status_code == 404
    assert not Encouragement.objects.exists()


def test_a_stranger_gets_404_and_an_empty_list(stranger_api, member):
    [note] = notes(member, 1)
    before = state(member)
    assert stranger_api.get(NOTES).json() == {"items": [], "count": 0}
    assert stranger_api.patch(f"{NOTES}/{note.pk}", {"favourite": True}).status_code == 404
    assert stranger_api.delete(f"{NOTES}/{note.pk}").status_code == 404
    assert state(member) == before


def test_without_a_token_401(anonymous_api, member):
    [note] = notes(member, 1)
    assert anonymous_api.get(NOTES).status_code == 401
    assert anonymous_api.patch(f"{NOTES}/{note.pk}", {"favourite": True}).status_code == 401
    assert anonymous_api.delete(f"{NOTES}/{note.pk}").status_code == 401
    assert Encouragement.objects.filter(pk=note.pk, favourite=False).exists()


def test_list_costs_the_same_for_2_or_30_notes(api, member):
    api.get(NOTES)  # the token's first use is recorded once; not counted below
    counts = []
    for size in (2, 30):
        Encouragement.objects.all().delete()
        notes(member, size)
        counts.append(queries_for(api, NOTES))
    assert counts[0] == counts[1], counts
