"""/api/v1/questionnaire-schedules: which questionnaires to repeat, and when each is due."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.wellbeing import store
from closeknit.wellbeing.models import QuestionnaireSchedule
from closeknit.wellbeing.vocab import InstrumentCode
from tests.api.conftest import error_fields, error_messages, queries_for

SCHEDULES = "/api/v1/questionnaire-schedules"
# 12:00 in London on Monday 1 July 2024.
NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)


def saved(owner: User) -> list[tuple[str, int]]:
    return list(
        QuestionnaireSchedule.objects.owned_by(owner)
        .order_by("instrument")
        .values_list("instrument", "every_days")
    )


def schedule(owner: User, code: str, every_days: int, made: dt.datetime) -> QuestionnaireSchedule:
    return QuestionnaireSchedule.objects.create(
        owner=owner, instrument=code, every_days=every_days, created_at=made
    )


def answered(owner: User, code: str, answers: list[int], at: dt.datetime) -> None:
    store.record_assessment(owner, code, answers, at)


@pytest.fixture
def plans(member: User) -> None:
    made = dt.datetime(2024, 6, 1, 9, tzinfo=dt.UTC)
    schedule(member, "phq9", 14, made)  # last answered 20 June: due 4 July
    schedule(member, "gad7", 7, made)  # last answered 20 June: due 27 June, so due now
    schedule(member, "who5", 28, made)  # never answered: due since it was made
    answered(member, "phq9", [0] * 9, dt.datetime(2024, 6, 20, 8, tzinfo=dt.UTC))
    answered(member, "gad7", [0] * 7, dt.datetime(2024, 6, 20, 8, tzinfo=dt.UTC))


@time_machine.travel(NOON, tick=False)
def test_list_says_when_each_is_next_due(api, plans):
    response = api.get(SCHEDULES)
    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "items": [
            {
                "instrument": "gad7",
                "name": "GAD-7",
                "every_days": 7,
                "last_taken": "2024-06-20",
                "next_due": "2024-06-27",
                "due": True,
            },
            {
                "instrument": "phq9",
                "name": "PHQ-9",
                "every_days": 14,
                "last_taken": "2024-06-20",
                "next_due": "2024-07-04",
                "due": False,
            },
            {
                "instrument": "who5",
                "name": "WHO-5",
                "every_days": 28,
                "last_taken": None,
                "next_due": "2024-06-01",
                "due": True,
            },
        ],
    }


def test_due_days_are_the_members_local_days(api, member):
    # Answered at 23:30 London time on 20 June (22:30 UTC): that is 20 June for the member.
    schedule(member, "phq9", 7, dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    answered(member, "phq9", [0] * 9, dt.datetime(2024, 6, 20, 22, 30, tzinfo=dt.UTC))
    # 00:30 on 27 June in London is still 26 June in UTC: already the day it is due.
    with time_machine.travel(dt.datetime(2024, 6, 26, 23, 30, tzinfo=dt.UTC), tick=False):
        item = api.get(SCHEDULES).json()["items"][0]
    assert (item["last_taken"], item["next_due"], item["due"]) == (
        "2024-06-20",
        "2024-06-27",
        True,
    )
    with time_machine.travel(dt.datetime(2024, 6, 26, 22, 30, tzinfo=dt.UTC), tick=False):
        assert api.get(SCHEDULES).json()["items"][0]["due"] is False


@time_machine.travel(NOON, tick=False)
def test_put_creates_a_schedule(api, member):
    response = api.put(f"{SCHEDULES}/pss10", {"every_days": 30})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "instrument": "pss10",
        "name": "PSS-10",
        "every_days": 30,
        "last_taken": None,
        "next_due": "2024-07-01",
        "due": True,
    }
    assert saved(member) == [("pss10", 30)]


@time_machine.travel(NOON, tick=False)
def test_put_changes_how_often(api, member, plans):
    body = api.put(f"{SCHEDULES}/phq9", {"every_days": 7}).json()
    assert (body["every_days"], body["next_due"], body["due"]) == (7, "2024-06-27", True)
    assert saved(member) == [("gad7", 7), ("phq9", 7), ("who5", 28)]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("phq9", {"every_days": 0}, "every_days"),
        ("phq9", {"every_days": 367}, "every_days"),
        ("phq9", {"every_days": "weekly"}, "every_days"),
        ("phq9", {}, "every_days"),
        ("phq9", {"every_days": 7, "since": "2024-01-01"}, "since"),
        ("phq10", {"every_days": 7}, "code"),
    ],
)
def test_bad_schedule_gets_422_and_changes_nothing(api, member, plans, path, body, field):
    before = saved(member)
    assert error_fields(api.put(f"{SCHEDULES}/{path}", body)) == [field]
    assert saved(member) == before


def test_an_unknown_code_is_refused_naming_the_valid_ones(api, plans):
    response = api.put(f"{SCHEDULES}/cssrs", {"every_days": 7})
    assert "'phq9', 'phq2', 'gad7'" in error_messages(response)


def test_delete_stops_a_schedule(api, member, plans):
    assert api.delete(f"{SCHEDULES}/who5").status_code == 204
    assert saved(member) == [("gad7", 7), ("phq9", 14)]
    assert api.delete(f"{SCHEDULES}/who5").status_code == 404


def test_deleting_a_schedule_there_is_none_of_gets_404(api, plans):
    response = api.delete(f"{SCHEDULES}/ucla3")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("We couldn't find that.")


# Strangers and callers without a token


def test_a_stranger_sees_none_of_the_members_schedules(stranger_api, plans):
    assert stranger_api.get(SCHEDULES).json() == {"items": [], "count": 0}


def test_a_stranger_cannot_delete_the_members_schedule(stranger_api, member, plans):
    before = saved(member)
    assert stranger_api.delete(f"{SCHEDULES}/phq9").status_code == 404
    assert saved(member) == before


@time_machine.travel(NOON, tick=False)
def test_a_strangers_put_makes_their_own_and_ignores_the_members_answers(
    stranger_api, member, stranger, plans
):
    body = stranger_api.put(f"{SCHEDULES}/phq9", {"every_days": 30}).json()
    # The member answered the PHQ-9 on 20 June; the stranger never did.
    assert (body["last_taken"], body["next_due"]) == (None, "2024-07-01")
    assert saved(stranger) == [("phq9", 30)]
    assert ("phq9", 14) in saved(member)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", SCHEDULES, None),
        ("put", f"{SCHEDULES}/phq9", {"every_days": 1}),
        ("delete", f"{SCHEDULES}/phq9", None),
    ],
)
def test_without_a_token_it_is_401(anonymous_api, member, plans, method, path, body):
    before = saved(member)
    send = getattr(anonymous_api, method)
    response = send(path, body) if body is not None else send(path)
    assert response.status_code == 401
    assert saved(member) == before


# Query counts


def test_list_queries_do_not_grow_with_schedules_or_results(api, member):
    made = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    codes = list(InstrumentCode.values)
    for code in codes[:2]:
        schedule(member, code, 7, made)
    answered(member, "phq9", [1] * 9, made)
    api.get(SCHEDULES)
    small = queries_for(api, f"{SCHEDULES}?limit=500")
    for code in codes[2:]:
        schedule(member, code, 14, made)
    for n in range(60):
        answered(member, "phq9", [n % 4] * 9, made + dt.timedelta(days=n))
    assert len(api.get(SCHEDULES).json()["items"]) == len(codes)
    assert (
        queries_for(api, f"{SCHEDULES}?limit=500") == small <= 3
    )  # token, schedules, last answers


def test_put_takes_a_fixed_number_ofqueries_for(api, member, plans, django_assert_max_num_queries):
    api.get(SCHEDULES)
    with django_assert_max_num_queries(6):
        assert api.put(f"{SCHEDULES}/phq9", {"every_days": 10}).status_code == 200
