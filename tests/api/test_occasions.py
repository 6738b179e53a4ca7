"""/api/v1/occasions: the days a member keeps, and every occasion in a span of days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.network.models import Person
from closeknit.rhythms.models import Occasion
from tests.api.conftest import error_fields, error_messages, queries_for

OCCASIONS = "/api/v1/occasions"
UPCOMING = f"{OCCASIONS}/upcoming"
NOW = dt.datetime(2026, 3, 18, 23, 30, tzinfo=dt.UTC)  # 23:30 in London: still the 18th


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def url(occasion: Occasion) -> str:
    return f"{OCCASIONS}/{occasion.pk}"


def state(owner: User) -> list[tuple[Any, ...]]:
    return list(
        Occasion.objects.owned_by(owner)
        .order_by("pk")
        .values_list("pk", "kind", "title", "day", "repeats_yearly", "person_id")
    )


@pytest.fixture
def met(member: User, network: dict[str, Any]) -> Occasion:
    return Occasion.objects.create(
        owner=member,
        kind="anniversary",
        title="The day Sam and I met",
        day=dt.date(2019, 4, 1),
        person=network["sam"],
    )


# The days kept ------------------------------------------------------------------------------


def test_list_shows_the_days_kept(api, met, network):
    response = api.get(OCCASIONS)
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "id": met.pk,
                "kind": "anniversary",
                "title": "The day Sam and I met",
                "day": "2019-04-01",
                "repeats_yearly": True,
                "person": network["sam"].pk,
                "created_at": "2026-03-18T23:30:00+00:00",
            }
        ],
        "count": 1,
    }


def test_a_strangers_list_never_shows_the_members_days(stranger_api, met):
    assert stranger_api.get(OCCASIONS).json() == {"items": [], "count": 0}


def test_create_a_recovery_start_with_few_words(api, member):
    response = api.post(OCCASIONS, {"kind": "recovery", "day": "2026-01-10"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["title"], body["repeats_yearly"], body["person"]) == (
        "recovery",
        "My recovery",
        True,
        None,
    )
    assert state(member) == [
        (body["id"], "recovery", "My recovery", dt.date(2026, 1, 10), True, None)
    ]


def test_create_a_one_off_day_with_someone(api, member, network):
    response = api.post(
        OCCASIONS,
        {
            "kind": "custom",
            "title": " Priya's housewarming ",
            "day": "2026-05-02",
            "repeats_yearly": False,
            "person": network["ada"].pk,
        },
    )
    assert response.status_code == 201
    [row] = state(member)
    assert row[2:] == ("Priya's housewarming", dt.date(2026, 5, 2), False, network["ada"].pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "birthday", "title": "Sam", "day": "2026-01-01"}, "kind"),
        ({"kind": "anniversary", "day": "2026-01-01"}, "title"),
        ({"kind": "anniversary", "title": "  ", "day": "2026-01-01"}, "title"),
        ({"kind": "anniversary", "title": "x" * 201, "day": "2026-01-01"}, "title"),
        ({"kind": "custom", "title": "Odd", "day": "1850-01-01"}, "day"),
        ({"kind": "custom", "title": "Odd", "day": "2050-01-01"}, "day"),
        ({"kind": "custom", "title": "Odd", "day": "soon"}, "day"),
        ({"kind": "custom", "title": "Odd"}, "day"),
        ({"kind": "recovery", "day": "2026-01-01", "repeats_yearly": False}, "repeats_yearly"),
        ({"kind": "custom", "title": "Odd", "day": "2026-01-01", "colour": "red"}, "colour"),
        ({"kind": "custom", "title": "Odd", "day": "2026-01-01", "person": 0}, "person"),
    ],
)
def test_bad_input_gets_422_naming_the_field_and_adds_nothing(api, member, met, body, field):
    before = state(member)
    response = api.post(OCCASIONS, body)
    assert field in error_fields(response)
    assert state(member) == before


def test_a_person_from_another_network_is_refused(api, member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Theirs")
    response = api.post(
        OCCASIONS, {"kind": "custom", "title": "Mine", "day": "2026-05-02", "person": theirs.pk}
    )
    assert error_fields(response) == ["person"]
    assert f"No one with id {theirs.pk} is in your network." in error_messages(response)
    assert state(member) == []


def test_get_one(api, met):
    assert api.get(url(met)).json()["title"] == "The day Sam and I met"


def test_put_replaces_a_day(api, member, met):
    response = api.put(url(met), {"kind": "custom", "title": "Our day", "day": "2019-04-02"})
    assert response.status_code == 200
    assert state(member) == [(met.pk, "custom", "Our day", dt.date(2019, 4, 2), True, None)]


def test_patch_changes_only_the_fields_sent(api, member, met, network):
    response = api.patch(url(met), {"title": "When we met"})
    assert response.status_code == 200
    assert state(member) == [
        (met.pk, "anniversary", "When we met", dt.date(2019, 4, 1), True, network["sam"].pk)
    ]
    api.patch(url(met), {"person": None})
    assert state(member)[0][-1] is None


def test_patch_with_a_bad_value_changes_nothing(api, member, met):
    before = state(member)
    assert "title" in error_fields(api.patch(url(met), {"title": None}))
    assert "person" in error_fields(api.patch(url(met), {"person": 10**9}))
    assert state(member) == before


def test_delete(api, member, met):
    assert api.delete(url(met)).status_code == 204
    assert state(member) == []


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_stranger_gets_404_and_changes_nothing(stranger_api, member, met, method):
    before = state(member)
    body = {"kind": "custom", "title": "Mine", "day": "2026-01-01"}
    call = getattr(stranger_api, method)
    response = call(url(met), body) if method in ("put", "patch") else call(url(met))
    assert response.status_code == 404
    assert "Sam" not in response.content.decode()
    assert state(member) == before


def test_signed_out_gets_401(anonymous_api, met):
    assert anonymous_api.get(OCCASIONS).status_code == 401
    assert anonymous_api.get(UPCOMING).status_code == 401


# Upcoming -------------------------------------------------------------------------------------


@pytest.fixture
def days(member: User, network: dict[str, Any], met: Occasion) -> None:
    sam = network["sam"]
    sam.birthday = dt.date(1996, 3, 20)
    sam.save()
    Occasion.objects.create(
        owner=member, kind="recovery", title="My recovery", day=dt.date(2026, 1, 10)
    )


def test_upcoming_gives_the_next_sixty_days_from_the_members_today(api, days, network):
    response = api.get(UPCOMING)
    assert response.status_code == 200
    body = response.json()
    sam = network["sam"].pk
    assert [(one["date"], one["title"]) for one in body] == [
        ("2026-03-20", "Sam's birthday"),
        ("2026-04-01", "The day Sam and I met"),
        ("2026-04-10", "90 days since you started your recovery"),
    ]
    assert body[0] == {
        "key": f"birthday-{sam}-2026",
        "date": "2026-03-20",
        "kind": "birthday",
        "title": "Sam's birthday",
        "person": sam,
        "prompt": "Sam turns 30. A birthday to celebrate with Sam — a message or a call can mean a lot.",
        "occasion": None,
        "years": 30,
    }
    assert body[1]["years"] == 7
    assert body[2]["kind"] == "recovery"


def test_upcoming_in_a_span_asked_for(api, days):
    body = api.get(f"{UPCOMING}?from=2026-07-01&to=2027-01-31").json()
    assert [(one["date"], one["title"]) for one in body] == [
        ("2026-07-10", "6 months since you started your recovery"),
        ("2027-01-10", "1 year since you started your recovery"),
    ]


def test_upcoming_for_one_day(api, days):
    body = api.get(f"{UPCOMING}?from=2026-03-20&to=2026-03-20").json()
    assert [one["title"] for one in body] == ["Sam's birthday"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-03-20&to=2026-03-19", "on or after"),
        ("?from=2026-01-01&to=2027-02-05", "at most 400 days"),
        ("?from=2026-13-01", "date"),
        ("?to=nonsense", "date"),
    ],
)
def test_upcoming_refuses_a_span_it_cant_give(api, days, query, message):
    response = api.get(f"{UPCOMING}{query}")
    assert response.status_code == 422
    assert message in error_messages(response)


def test_four_hundred_days_is_allowed(api, days):
    assert api.get(f"{UPCOMING}?from=2026-01-01&to=2027-02-04").status_code == 200


def test_a_strangers_upcoming_never_shows_the_members_days(stranger_api, days):
    assert stranger_api.get(f"{UPCOMING}?from=2026-01-01&to=2026-12-31").json() == []


def test_queries_do_not_grow_with_people_and_days(api, member, days):
    api.get(OCCASIONS)  # the token's first use is noted: one write that comes once
    small = (queries_for(api, OCCASIONS), queries_for(api, UPCOMING))
    Person.objects.bulk_create(
        Person(owner=member, name=f"P{n}", birthday=dt.date(1990, 4, 1 + n % 28)) for n in range(80)
    )
    Occasion.objects.bulk_create(
        Occasion(owner=member, kind="recovery", title=f"R{n}", day=dt.date(2026, 1, 1 + n % 28))
        for n in range(40)
    )
    assert (queries_for(api, OCCASIONS), queries_for(api, UPCOMING)) == small


def test_an_unknown_kind_names_the_ones_there_are(api):
    response = api.post(OCCASIONS, {"kind": "birthday", "title": "Sam", "day": "2026-01-01"})
    assert error_messages(response) == "Input should be 'anniversary', 'recovery' or 'custom'"
