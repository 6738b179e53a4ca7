"""/api/v1/assessments: answering a questionnaire, its score, and the results kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from closeknit.accounts.models import ApiToken, User
from closeknit.recovery import crisis
from closeknit.wellbeing import store
from closeknit.wellbeing.models import Assessment
from tests.api.conftest import ApiClient, error_fields, error_messages, queries_for

ASSESSMENTS = "/api/v1/assessments"
NOON = dt.datetime(2024, 7, 1, 11, tzinfo=dt.UTC)


def url(assessment: Assessment) -> str:
    return f"{ASSESSMENTS}/{assessment.pk}"


def saved(owner: User) -> list[dict[str, Any]]:
    return [
        {f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields}
        for a in Assessment.objects.owned_by(owner).order_by("pk")
    ]


def take(owner: User, code: str, answers: list[int | None], days_ago: int = 0) -> Assessment:
    taken_at = timezone.now() - dt.timedelta(days=days_ago)
    return store.record_assessment(owner, code, answers, taken_at)[0]


# Scoring


@time_machine.travel(NOON, tick=False)
def test_answer_a_phq9(api, member):
    answers = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1]
    response = api.post(ASSESSMENTS, {"instrument": "phq9", "answers": answers})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {
        "id": body["id"],
        "instrument": "phq9",
        "total": 8,
        "subscales": {},
        "band": "mild",
        "complete": True,
        "flags": [],
        "prorated": False,
        "taken_at": "2024-07-01T11:00:00+00:00",
        "answers": answers,
        "support": None,
    }
    saved_one = Assessment.objects.owned_by(member).get(pk=body["id"])
    assert (saved_one.answers, saved_one.total, saved_one.band) == (answers, 8.0, "mild")


@pytest.mark.parametrize(
    ("answers", "total", "band", "prorated"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", False),
        ([2, 2, 1, 1, 1, 1, 1, 1, 0], 10, "moderate", False),
        ([3, 3, 3, 3, 3, 3, 3, 3, 2, 3], 26, "severe", False),
        # One left unanswered: the mean of the other eight (14 ÷ 8) × 9 = 15.75, so 16.
        ([2, 2, 2, 2, None, 2, 2, 2, 0], 16, "moderately_severe", True),
    ],
)
def test_phq9_vectors(api, answers, total, band, prorated):
    body = api.post(ASSESSMENTS, {"instrument": "phq9", "answers": answers}).json()
    assert (body["total"], body["band"], body["prorated"], body["complete"]) == (
        total,
        band,
        prorated,
        True,
    )
    assert isinstance(body["total"], int)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_0_raises_the_flag_and_offers_support(api, member, item9):
    answers = [0, 0, 0, 0, 0, 0, 0, 0, item9]
    response = api.post(ASSESSMENTS, {"instrument": "phq9", "answers": answers})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["flags"] == ["self_harm_thoughts"]
    assert body["band"] == "minimal"  # the flag stands whatever the total
    support = body["support"]
    assert support["country"] == "GB"
    assert [line["name"] for line in support["lines"]] == [
        line.name for line in crisis.lines_for("GB")
    ]
    assert support["lines"]
    assert support["lines"][0]["phone"]
    assert support["emergency_number"] == "999"
    assert support["directory_url"] == crisis.DIRECTORY_URL
    assert support["safety_plan_url"].endswith("/safety-plan/")
    assert "safety plan" in support["message"]
    assert "call 999" in support["message"]
    assert "Nothing has been sent to anyone." in support["message"]
    assert Assessment.objects.owned_by(member).get().flags == ["self_harm_thoughts"]


def test_the_flag_is_raised_even_when_the_result_is_incomplete(api):
    body = api.post(
        ASSESSMENTS, {"instrument": "phq9", "answers": [None, None, 0, 0, 0, 0, 0, 0, 1]}
    ).json()
    assert (body["complete"], body["flags"]) == (False, ["self_harm_thoughts"])
    assert body["support"] is not None


def test_support_is_for_the_members_own_country(make_user):
    owner = make_user("kiwi@example.org", time_zone="Pacific/Auckland", country="NZ")
    client = ApiClient(ApiToken.issue(owner, "tests")[1])
    body = client.post(ASSESSMENTS, {"instrument": "phq9", "answers": [0] * 8 + [2]}).json()
    support = body["support"]
    assert (support["country"], support["emergency_number"]) == ("NZ", "111")
    assert [line["name"] for line in support["lines"]] == ["Need to talk? 1737"]


def test_support_without_a_country_still_points_to_the_directory(make_user):
    owner = make_user("nowhere@example.org", country="")
    client = ApiClient(ApiToken.issue(owner, "tests")[1])
    support = client.post(ASSESSMENTS, {"instrument": "phq9", "answers": [0] * 8 + [1]}).json()[
        "support"
    ]
    assert (support["lines"], support["emergency_number"]) == ([], None)
    assert support["directory_url"] == crisis.DIRECTORY_URL
    assert "call" not in support["message"]


def test_other_questionnaires_never_raise_the_flag(api):
    body = api.post(ASSESSMENTS, {"instrument": "gad7", "answers": [3] * 7}).json()
    assert (body["total"], body["band"], body["flags"], body["support"]) == (21, "severe", [], None)


def test_an_incomplete_result_has_no_total_and_no_band(api, member):
    response = api.post(
        ASSESSMENTS, {"instrument": "phq9", "answers": [1, None, 1, None, 1, 1, 1, 1, 0]}
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["total"], body["band"], body["complete"], body["prorated"]) == (
        None,
        None,
        False,
        False,
    )
    assert body["answers"] == [1, None, 1, None, 1, 1, 1, 1, 0]
    assert Assessment.objects.owned_by(member).get().complete is False


def test_mspss_total_and_subscales_are_means(api):
    answers = [7, 6, 2, 3, 7, 4, 4, 2, 5, 6, 3, 5]
    body = api.post(ASSESSMENTS, {"instrument": "mspss", "answers": answers}).json()
    assert (body["total"], body["band"]) == (4.5, "moderate")
    assert body["subscales"] == {"significant_other": 6.5, "family": 2.5, "friends": 4.5}


def test_a_mean_is_given_to_two_decimals_and_as_a_number_with_a_point(api):
    # 49 ÷ 12 = 4.0833…; the subscales are whole: 4, 4 and 17 ÷ 4 = 4.25.
    answers = [4, 4, 4, 4, 4, 4, 4, 4, 5, 4, 4, 4]
    body = api.post(ASSESSMENTS, {"instrument": "mspss", "answers": answers}).json()
    assert body["total"] == 4.08
    assert body["subscales"] == {"significant_other": 4.0, "family": 4.0, "friends": 4.25}
    assert all(isinstance(value, float) for value in body["subscales"].values())


def test_an_mspss_subscale_with_a_missing_answer_is_null(api):
    answers = [None, 6, 2, 3, 7, 4, 4, 2, 5, 6, 3, 5]
    body = api.post(ASSESSMENTS, {"instrument": "mspss", "answers": answers}).json()
    assert body["complete"] is False
    assert body["subscales"] == {"significant_other": None, "family": 2.5, "friends": 4.5}


def test_lsns6_subscales_are_sums(api):
    body = api.post(ASSESSMENTS, {"instrument": "lsns6", "answers": [5, 4, 3, 1, 1, 0]}).json()
    assert (body["total"], body["band"]) == (14, "not_at_risk")
    assert body["subscales"] == {"family": 12, "friends": 2}


def test_who5_total_is_the_raw_score_times_four(api):
    body = api.post(ASSESSMENTS, {"instrument": "who5", "answers": [3, 3, 2, 2, 3]}).json()
    assert body["total"] == 52


# Refusals


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"instrument": "phq9", "answers": [0] * 8}, "needs 9 to 10 answers"),
        ({"instrument": "phq9", "answers": [0] * 11}, "11 were sent"),
        ({"instrument": "gad7", "answers": [0] * 6}, "has 7 questions, so it needs 7 answers"),
        ({"instrument": "phq9", "answers": []}, "0 were sent"),
        ({"instrument": "phq9", "answers": [0, 0, 4, 0, 0, 0, 0, 0, 0]}, "question 3"),
        ({"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, -1]}, "-1 isn't"),
        ({"instrument": "mspss", "answers": [0] * 12}, "one of 1, 2, 3, 4, 5, 6, 7"),
        ({"instrument": "phq9", "answers": [0] * 9 + [4]}, "question 10"),
    ],
)
def test_answers_that_cannot_be_scored_get_422_with_the_scorers_words(api, member, body, words):
    response = api.post(ASSESSMENTS, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "answers"]
    assert words in error_messages(response)
    assert saved(member) == []


@pytest.mark.parametrize("bad", [True, False, 1.5, 1.0, "2", [1], {"code": 1}])
def test_an_answer_that_is_not_a_whole_number_is_refused(api, member, bad):
    answers: list[Any] = [0] * 9
    answers[4] = bad
    response = api.post(ASSESSMENTS, {"instrument": "phq9", "answers": answers})
    assert error_fields(response) == ["answers"]
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "answers", 4]
    assert saved(member) == []


def test_an_unknown_instrument_is_refused_naming_the_valid_ones(api, member):
    response = api.post(ASSESSMENTS, {"instrument": "cssrs", "answers": [0]})
    assert error_fields(response) == ["instrument"]
    assert "'phq9', 'phq2', 'gad7'" in error_messages(response)
    assert saved(member) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": [0] * 9}, "instrument"),
        ({"instrument": "phq9"}, "answers"),
        ({"instrument": "phq9", "answers": "000000000"}, "answers"),
        ({"instrument": "phq9", "answers": [0] * 101}, "answers"),
        ({"instrument": "phq9", "answers": [0] * 9, "total": 0}, "total"),
        ({"instrument": "phq9", "answers": [0] * 9, "taken_at": "last week"}, "taken_at"),
    ],
)
def test_bad_input_gets_422_naming_the_field(api, member, body, field):
    assert error_fields(api.post(ASSESSMENTS, body)) == [field]
    assert saved(member) == []


@time_machine.travel(NOON, tick=False)
def test_taken_at_without_an_offset_is_the_members_time(api):
    body = api.post(
        ASSESSMENTS,
        {"instrument": "gad2", "answers": [1, 2], "taken_at": "2024-06-30T21:15:00"},
    ).json()
    assert body["taken_at"] == "2024-06-30T20:15:00+00:00"  # London summer time


@time_machine.travel(NOON, tick=False)
def test_taken_at_in_the_future_is_refused(api, member):
    response = api.post(
        ASSESSMENTS,
        {"instrument": "gad2", "answers": [1, 2], "taken_at": "2024-07-03T09:00:00+00:00"},
    )
    assert error_fields(response) == ["taken_at"]
    assert "still ahead" in error_messages(response)
    assert saved(member) == []
    # A few hours ahead is a clock or zone mix-up, and allowed.
    soon = {"instrument": "gad2", "answers": [1, 2], "taken_at": "2024-07-01T20:00:00+00:00"}
    assert api.post(ASSESSMENTS, soon).status_code == 201


# Reading and deleting


@pytest.fixture
def history(member: User) -> dict[str, Assessment]:
    return {
        "old_phq9": take(member, "phq9", [2] * 9, days_ago=30),
        "gad7": take(member, "gad7", [1] * 7, days_ago=20),
        "new_phq9": take(member, "phq9", [1] * 9, days_ago=2),
        "mspss": take(member, "mspss", [5] * 12, days_ago=1),
    }


def test_list_is_newest_first(api, history):
    body = api.get(ASSESSMENTS).json()
    assert body["count"] == 4
    assert [item["id"] for item in body["items"]] == [
        history[name].pk for name in ("mspss", "new_phq9", "gad7", "old_phq9")
    ]
    assert body["items"][0]["total"] == 5.0
    assert "support" not in body["items"][0]


def test_list_filtered_by_instrument(api, history):
    body = api.get(f"{ASSESSMENTS}?instrument=phq9").json()
    assert [item["id"] for item in body["items"]] == [
        history["new_phq9"].pk,
        history["old_phq9"].pk,
    ]
    assert [item["total"] for item in body["items"]] == [9, 18]
    assert api.get(f"{ASSESSMENTS}?instrument=who5").json() == {"items": [], "count": 0}


def test_list_filter_by_an_unknown_instrument_gets_422(api, history):
    response = api.get(f"{ASSESSMENTS}?instrument=phq10")
    assert error_fields(response) == ["instrument"]
    assert "'phq9'" in error_messages(response)


def test_list_pages(api, history):
    page = api.get(f"{ASSESSMENTS}?limit=2&offset=1").json()
    assert page["count"] == 4
    assert [item["id"] for item in page["items"]] == [history["new_phq9"].pk, history["gad7"].pk]


def test_get_one(api, history):
    body = api.get(url(history["gad7"])).json()
    assert (body["instrument"], body["total"], body["band"], body["answers"]) == (
        "gad7",
        7,
        "mild",
        [1] * 7,
    )


def test_delete_one(api, member, history):
    assert api.delete(url(history["gad7"])).status_code == 204
    assert len(saved(member)) == 3
    assert api.get(url(history["gad7"])).status_code == 404


def test_a_missing_id_gets_404(api, history):
    assert api.get(f"{ASSESSMENTS}/{10**9}").status_code == 404
    assert error_fields(api.get(f"{ASSESSMENTS}/latest")) == ["assessment_id"]


# Strangers and callers without a token


def test_a_stranger_sees_none_of_the_members_results(stranger_api, history):
    assert stranger_api.get(ASSESSMENTS).json() == {"items": [], "count": 0}
    assert stranger_api.get(f"{ASSESSMENTS}?instrument=phq9").json() == {"items": [], "count": 0}


def test_a_stranger_gets_the_same_404_for_the_members_result(api, stranger_api, member, history):
    missing = api.get(f"{ASSESSMENTS}/{10**9}").json()
    before = saved(member)
    for response in (
        stranger_api.get(url(history["new_phq9"])),
        stranger_api.delete(url(history["new_phq9"])),
    ):
        assert response.status_code == 404
        assert response.json() == missing
    assert saved(member) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", ASSESSMENTS, {"instrument": "phq9", "answers": [0] * 9}),
        ("get", ASSESSMENTS, None),
        ("get", "{one}", None),
        ("delete", "{one}", None),
    ],
)
def test_without_a_token_it_is_401(anonymous_api, member, history, method, path, body):
    before = saved(member)
    path = path.format(one=url(history["gad7"]))
    send = getattr(anonymous_api, method)
    response = send(path, body) if body is not None else send(path)
    assert response.status_code == 401
    assert saved(member) == before


# Query counts


def test_list_queries_do_not_grow_with_results(api, member, django_assert_max_num_queries):
    for n in range(2):
        take(member, "phq9", [n % 4] * 9, days_ago=n)
    api.get(ASSESSMENTS)
    small = queries_for(api, f"{ASSESSMENTS}?limit=500")
    for n in range(2, 60):
        take(member, ("phq9", "mspss", "gad7")[n % 3], [n % 3 + 1] * (9, 12, 7)[n % 3], days_ago=n)
    with django_assert_max_num_queries(3):  # token, count, page
        assert len(api.get(f"{ASSESSMENTS}?limit=500").json()["items"]) == 60
    assert queries_for(api, f"{ASSESSMENTS}?limit=500") == small


def test_one_result_takes_at_most_twoqueries_for(api, history, django_assert_max_num_queries):
    api.get(url(history["gad7"]))
    with django_assert_max_num_queries(2):
        assert api.get(url(history["gad7"])).status_code == 200
