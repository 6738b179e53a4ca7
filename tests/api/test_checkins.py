"""/api/v1/checkins: one check-in per local day, changed by a second one the same day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from closeknit.accounts.models import ApiToken, User
from closeknit.wellbeing import checkins
from closeknit.wellbeing.models import CheckIn
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for

CHECKINS = "/api/v1/checkins"
# 12:00 in London on a summer day (BST, UTC+1).
NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)


def saved(owner: User) -> list[dict[str, Any]]:
    """Every check-in the owner has, fresh from the database."""
    return [
        {f.attname: getattr(c, f.attname) for f in c._meta.concrete_fields}
        for c in CheckIn.objects.owned_by(owner).order_by("day")
    ]


def checkin_on(owner: User, day: dt.date, **fields: Any) -> CheckIn:
    return CheckIn.objects.create(owner=owner, day=day, **{"mood": 5, **fields})


@pytest.fixture
def kiwi_api(make_user) -> ApiClient:
    kiwi = make_user("kiwi@example.org", time_zone="Pacific/Auckland", country="NZ")
    return ApiClient(ApiToken.issue(kiwi, "tests")[1])


# Creating and changing


@time_machine.travel(NOON, tick=False)
def test_create_a_checkin(api, member):
    response = api.post(
        CHECKINS,
        {
            "date": "2024-06-30",
            "mood": 6,
            "stress": 3,
            "sleep_hours": 7.5,
            "self_care": ["rest", "movement", "rest"],
            "connected": 8,
            "note": "A walk with Sam.",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json() == {
        "date": "2024-06-30",
        "mood": 6,
        "stress": 3,
        "sleep_hours": 7.5,
        "self_care": ["movement", "rest"],
        "connected": 8,
        "note": "A walk with Sam.",
        "created_at": "2024-07-01T11:00:00+00:00",
        "updated_at": "2024-07-01T11:00:00+00:00",
    }
    entry = CheckIn.objects.owned_by(member).get()
    assert (entry.day, entry.sleep_hours, entry.note) == (
        dt.date(2024, 6, 30),
        Decimal("7.50"),
        "A walk with Sam.",
    )


def test_the_same_day_again_changes_only_what_is_sent(api, member):
    first = api.post(
        CHECKINS, {"date": "2024-06-30", "mood": 4, "sleep_hours": 6, "note": "Tired."}
    )
    assert first.status_code == 201
    with time_machine.travel(dt.datetime(2024, 7, 2, 9, tzinfo=dt.UTC), tick=False):
        second = api.post(CHECKINS, {"date": "2024-06-30", "stress": 7, "self_care": ["rest"]})
    assert second.status_code == 200, second.content
    body = second.json()
    assert (body["mood"], body["sleep_hours"], body["note"]) == (4, 6.0, "Tired.")
    assert (body["stress"], body["self_care"]) == (7, ["rest"])
    assert body["created_at"] == first.json()["created_at"]
    assert body["updated_at"] == "2024-07-02T09:00:00+00:00"
    assert CheckIn.objects.owned_by(member).count() == 1


def test_an_explicit_null_clears_a_field(api, member):
    api.post(
        CHECKINS, {"date": "2024-06-30", "mood": 4, "stress": 6, "note": "x", "self_care": ["rest"]}
    )
    body = api.post(
        CHECKINS, {"date": "2024-06-30", "stress": None, "note": None, "self_care": None}
    ).json()
    assert (body["mood"], body["stress"], body["note"], body["self_care"]) == (4, None, "", [])


def test_clearing_everything_is_refused_and_keeps_the_checkin(api, member):
    api.post(CHECKINS, {"date": "2024-06-30", "mood": 4})
    before = saved(member)
    response = api.post(CHECKINS, {"date": "2024-06-30", "mood": None})
    assert response.status_code == 422
    assert saved(member) == before


@pytest.mark.parametrize(
    ("now", "zone", "day"),
    [
        # 23:30 in London in summer is 22:30 UTC: still that London day.
        (dt.datetime(2024, 7, 1, 22, 30, tzinfo=dt.UTC), "Europe/London", "2024-07-01"),
        # 00:30 in London in summer is 23:30 UTC the day before: already the new London day.
        (dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC), "Europe/London", "2024-07-01"),
        # 00:30 in London in winter (GMT) is 00:30 UTC.
        (dt.datetime(2024, 1, 15, 0, 30, tzinfo=dt.UTC), "Europe/London", "2024-01-15"),
        # 22:30 UTC on 1 July is 10:30 on 2 July in Auckland (NZST, UTC+12).
        (dt.datetime(2024, 7, 1, 22, 30, tzinfo=dt.UTC), "Pacific/Auckland", "2024-07-02"),
        # 10:30 UTC on 1 January is 23:30 in Auckland (NZDT, UTC+13).
        (dt.datetime(2024, 1, 1, 10, 30, tzinfo=dt.UTC), "Pacific/Auckland", "2024-01-01"),
    ],
)
def test_without_a_date_it_is_for_today_in_the_members_time_zone(make_user, now, zone, day):
    owner = make_user("someone@example.org", time_zone=zone)
    client = ApiClient(ApiToken.issue(owner, "tests")[1])
    with time_machine.travel(now, tick=False):
        response = client.post(CHECKINS, {"mood": 7})
    assert response.status_code == 201, response.content
    assert response.json()["date"] == day
    assert CheckIn.objects.owned_by(owner).get().day == dt.date.fromisoformat(day)


@time_machine.travel(dt.datetime(2024, 7, 1, 22, 30, tzinfo=dt.UTC), tick=False)
def test_a_day_that_is_today_in_auckland_is_not_refused_there(api, kiwi_api):
    assert kiwi_api.post(CHECKINS, {"date": "2024-07-02", "mood": 5}).status_code == 201
    # …while in London it is still 1 July.
    response = api.post(CHECKINS, {"date": "2024-07-02", "mood": 5})
    assert error_fields(response) == ["date"]


@time_machine.travel(NOON, tick=False)
def test_a_day_still_ahead_is_refused(api, member):
    response = api.post(CHECKINS, {"date": "2024-07-02", "mood": 5})
    assert error_fields(response) == ["date"]
    assert error_messages(response) == checkins.FUTURE
    assert saved(member) == []


def test_an_empty_checkin_is_refused_for_the_whole_body(api, member):
    for body in ({}, {"date": "2024-06-30"}, {"mood": None, "note": "  ", "self_care": []}):
        response = api.post(CHECKINS, body)
        assert response.status_code == 422, body
        assert response.json()["detail"] == [
            {"loc": ["body", "payload"], "msg": checkins.EMPTY, "type": "value_error"}
        ]
    assert saved(member) == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"mood": 11}, "mood", "less than or equal to 10"),
        ({"mood": -1}, "mood", "greater than or equal to 0"),
        ({"stress": True}, "stress", "valid integer"),
        ({"stress": "7"}, "stress", "valid integer"),
        ({"connected": 4.5}, "connected", "valid integer"),
        ({"sleep_hours": 24.5}, "sleep_hours", "less than or equal to 24"),
        ({"sleep_hours": -1}, "sleep_hours", "greater than or equal to 0"),
        ({"sleep_hours": 7.125}, "sleep_hours", "2 decimal places"),
        ({"sleep_hours": True}, "sleep_hours", "valid number"),
        ({"sleep_hours": "7.5"}, "sleep_hours", "valid number"),
        ({"self_care": ["napping"]}, "self_care", "'sleep_routine', 'mindfulness'"),
        ({"self_care": "rest"}, "self_care", "valid list"),
        ({"note": "x" * 20_001}, "note", "at most 20000"),
        ({"date": "yesterday", "mood": 5}, "date", "valid date"),
        ({"date": "2024-02-30", "mood": 5}, "date", "valid date"),
        ({"mood": 5, "energy": 3}, "energy", "Extra inputs"),
    ],
)
def test_a_bad_value_gets_422_naming_the_field_and_saves_nothing(api, member, body, field, words):
    checkin_on(member, dt.date(2024, 6, 30), note="Kept.")
    before = saved(member)
    response = api.post(CHECKINS, {"date": "2024-06-30", **body})
    assert error_fields(response) == [field]
    assert words in error_messages(response)
    assert saved(member) == before


def test_sleep_keeps_two_decimals(api):
    assert api.post(CHECKINS, {"sleep_hours": 7.25}).json()["sleep_hours"] == 7.25
    assert api.post(CHECKINS, {"sleep_hours": 24}).json()["sleep_hours"] == 24.0


def test_a_stranger_checking_in_the_same_day_makes_their_own(api, stranger_api, member, stranger):
    api.post(CHECKINS, {"date": "2024-06-30", "mood": 3, "note": "Mine."})
    response = stranger_api.post(CHECKINS, {"date": "2024-06-30", "mood": 9})
    assert response.status_code == 201
    assert response.json()["note"] == ""
    assert [c["mood"] for c in saved(member)] == [3]
    assert [c["mood"] for c in saved(stranger)] == [9]


# Reading


@pytest.fixture
def week(member: User) -> list[CheckIn]:
    return [checkin_on(member, dt.date(2024, 6, day), mood=day % 11) for day in range(1, 8)]


def test_list_is_newest_first(api, week):
    body = api.get(CHECKINS).json()
    assert body["count"] == 7
    assert [item["date"] for item in body["items"]][:3] == [
        "2024-06-07",
        "2024-06-06",
        "2024-06-05",
    ]


@pytest.mark.parametrize(
    ("query", "days"),
    [
        ("from=2024-06-03&to=2024-06-05", ["2024-06-05", "2024-06-04", "2024-06-03"]),
        ("from=2024-06-06", ["2024-06-07", "2024-06-06"]),
        ("to=2024-06-02", ["2024-06-02", "2024-06-01"]),
        ("from=2024-06-04&to=2024-06-04", ["2024-06-04"]),
        ("from=2024-07-01", []),
    ],
)
def test_list_from_and_to_are_inclusive(api, week, query, days):
    assert [item["date"] for item in api.get(f"{CHECKINS}?{query}").json()["items"]] == days


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2024-06-05&to=2024-06-04", "to"),
        ("from=soon", "from"),
        ("to=2024-13-01", "to"),
        ("limit=0", "limit"),
    ],
)
def test_bad_list_filters_get_422(api, week, query, field):
    assert error_fields(api.get(f"{CHECKINS}?{query}")) == [field]


def test_list_pages(api, week):
    page = api.get(f"{CHECKINS}?limit=2&offset=2").json()
    assert page["count"] == 7
    assert [item["date"] for item in page["items"]] == ["2024-06-05", "2024-06-04"]


def test_get_one_day(api, week):
    response = api.get(f"{CHECKINS}/2024-06-03")
    assert response.status_code == 200
    assert (response.json()["date"], response.json()["mood"]) == ("2024-06-03", 3)


def test_a_day_without_a_checkin_gets_404(api, week):
    response = api.get(f"{CHECKINS}/2024-05-31")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("We couldn't find that.")


@pytest.mark.parametrize("day", ["today", "2024-06-31", "2024-6-3x"])
def test_a_day_that_is_not_a_date_gets_422(api, week, day):
    assert error_fields(api.get(f"{CHECKINS}/{day}")) == ["day"]


def test_delete_one_day(api, member, week):
    assert api.delete(f"{CHECKINS}/2024-06-03").status_code == 204
    assert len(saved(member)) == 6
    assert api.delete(f"{CHECKINS}/2024-06-03").status_code == 404


# Strangers and callers without a token


def test_a_stranger_sees_none_of_the_members_checkins(stranger_api, week):
    assert stranger_api.get(CHECKINS).json() == {"items": [], "count": 0}
    assert stranger_api.get(f"{CHECKINS}?from=2024-06-01").json() == {"items": [], "count": 0}


def test_a_stranger_gets_the_same_404_for_the_members_day(api, stranger_api, member, week):
    missing = api.get(f"{CHECKINS}/2024-05-31")
    before = saved(member)
    for response in (
        stranger_api.get(f"{CHECKINS}/2024-06-03"),
        stranger_api.delete(f"{CHECKINS}/2024-06-03"),
    ):
        assert response.status_code == 404
        assert response.json() == missing.json()
    assert saved(member) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", CHECKINS, {"mood": 5}),
        ("get", CHECKINS, None),
        ("get", f"{CHECKINS}/2024-06-03", None),
        ("delete", f"{CHECKINS}/2024-06-03", None),
    ],
)
def test_without_a_token_it_is_401(anonymous_api, member, week, method, path, body):
    before = saved(member)
    send = getattr(anonymous_api, method)
    response = send(path, body) if body is not None else send(path)
    assert response.status_code == 401
    assert saved(member) == before


# Query counts


def test_list_queries_do_not_grow_with_checkins(api, member, django_assert_max_num_queries):
    for day in range(2):
        checkin_on(member, dt.date(2024, 1, 1) + dt.timedelta(days=day))
    api.get(CHECKINS)  # the token's first use is recorded once; leave that out
    small = queries_for(api, f"{CHECKINS}?limit=500")
    for day in range(2, 60):
        checkin_on(member, dt.date(2024, 1, 1) + dt.timedelta(days=day), self_care=["rest"])
    with django_assert_max_num_queries(3):  # token, count, page
        assert len(api.get(f"{CHECKINS}?limit=500").json()["items"]) == 60
    assert queries_for(api, f"{CHECKINS}?limit=500") == small


def test_one_day_takes_at_most_twoqueries_for(api, week, django_assert_max_num_queries):
    api.get(f"{CHECKINS}/2024-06-03")
    with django_assert_max_num_queries(2):
        assert api.get(f"{CHECKINS}/2024-06-03").status_code == 200
