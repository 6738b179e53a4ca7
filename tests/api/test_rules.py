"""/api/v1/rules: the four early-warning rules, setting one, and the nudges they gave."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from closeknit.accounts.models import User
from closeknit.circle import early_warning, rules
from closeknit.circle.models import RuleFiring
from tests.api.conftest import error_fields, error_messages, queries_for
from tests.circle.rows import rule_rows

RULES = "/api/v1/rules"
FIRINGS = "/api/v1/rules/firings"
NOW = dt.datetime(2027, 6, 1, 8, 30, tzinfo=dt.UTC)
TODAY = dt.date(2027, 6, 1)

pytestmark = pytest.mark.django_db

STRESS = {
    "enabled": True,
    "threshold": 8,
    "days_needed": 2,
    "window_days": 4,
    "cooldown_days": 5,
    "nudge_supporters": True,
}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def fire(owner: User, back: int = 0, **extra: Any) -> RuleFiring:
    extra.setdefault("reason", f"Your mood has been 3 or lower on 3 of the last 5 days ({back}).")
    return RuleFiring.objects.create(
        owner=owner,
        kind=rules.MOOD_LOW,
        day=TODAY - dt.timedelta(days=back),
        fired_at=NOW - dt.timedelta(days=back),
        **extra,
    )


def test_the_four_rules_read_as_their_defaults_until_set(api):
    body = api.get(RULES).json()
    assert body["count"] == 4
    assert [item["kind"] for item in body["items"]] == list(rules.KINDS)
    first = body["items"][0]
    assert first == {
        "kind": "stress_high",
        "enabled": False,
        "threshold": 7,
        "days_needed": 3,
        "window_days": 5,
        "cooldown_days": 7,
        "nudge_supporters": False,
        "description": "When my stress is 7 or more on 3 of the last 5 days",
        "checked_on": None,
    }
    assert body["items"][3]["description"] == "When I miss two appointments in a row"


def test_put_sets_the_whole_rule(api, member):
    response = api.put(f"{RULES}/stress_high", STRESS)
    assert response.status_code == 200, response.content
    assert response.json() == {
        **STRESS,
        "kind": "stress_high",
        "description": "When my stress is 8 or more on 2 of the last 4 days",
        "checked_on": None,
    }
    assert rule_rows(member) == [("stress_high", True, 8, 2, 4, 5, True)]
    listed = api.get(RULES).json()["items"][0]
    assert listed["enabled"] is True and listed["threshold"] == 8
    # Again: the same rule changes, no second row.
    api.put(f"{RULES}/stress_high", {**STRESS, "enabled": False})
    assert rule_rows(member) == [("stress_high", False, 8, 2, 4, 5, True)]


def test_no_contact_takes_its_days_in_window_days(api, member):
    body = {"enabled": True, "window_days": 10, "cooldown_days": 3, "nudge_supporters": False}
    response = api.put(f"{RULES}/no_contact", body)
    assert response.status_code == 200, response.content
    assert response.json()["description"] == (
        "When I haven't noted contact with anyone for 10 days"
    )


@pytest.mark.parametrize(
    ("kind", "changes", "field", "words"),
    [
        ("stress_high", {"days_needed": 5}, "days_needed", "no larger than the 4 days"),
        ("stress_high", {"threshold": 11}, "threshold", "between 0 and 10"),
        ("stress_high", {"threshold": None}, "threshold", "between 0 and 10"),
        ("mood_low", {"window_days": 31}, "window_days", "between 1 and 30"),
        ("stress_high", {"cooldown_days": 91}, "cooldown_days", "between 1 and 90"),
        ("no_contact", {"threshold": 3, "days_needed": None}, "threshold", "leave it empty"),
        ("missed_appointments", {"days_needed": None, "threshold": None}, "window_days", "empty"),
    ],
)
def test_a_rule_that_breaks_the_rules_is_refused_and_nothing_changes(
    api, member, kind, changes, field, words
):
    api.put(f"{RULES}/stress_high", STRESS)
    before = rule_rows(member)
    response = api.put(f"{RULES}/{kind}", {**STRESS, **changes})
    assert field in error_fields(response)
    assert words in error_messages(response)
    assert rule_rows(member) == before


def test_a_misspelt_or_missing_field_is_refused(api, member):
    misspelt = api.put(f"{RULES}/stress_high", {**STRESS, "treshold": 3})
    assert "treshold" in error_fields(misspelt)
    missing = {key: value for key, value in STRESS.items() if key != "cooldown_days"}
    assert "cooldown_days" in error_fields(api.put(f"{RULES}/stress_high", missing))
    assert rule_rows(member) == []


def test_an_unknown_rule_is_not_found(api, member):
    response = api.put(f"{RULES}/sleep_short", STRESS)
    assert response.status_code == 404
    assert rule_rows(member) == []


def test_firings_newest_first_with_their_reason(api, member):
    fire(member, back=3)
    early_warning_firing = fire(
        member,
        back=0,
        supporters_due_at=NOW + dt.timedelta(hours=1),
        supporters_nudged=2,
    )
    response = api.get(FIRINGS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest = body["items"][0]
    assert newest == {
        "id": early_warning_firing.pk,
        "kind": "mood_low",
        "day": "2027-06-01",
        "reason": "Your mood has been 3 or lower on 3 of the last 5 days (0).",
        "fired_at": "2027-06-01T08:30:00+00:00",
        "self_nudges": 0,
        "supporters": "waiting",
        "supporters_nudged": 2,
        "supporters_due_at": "2027-06-01T09:30:00+00:00",
        "supporters_cancelled_at": None,
    }
    assert body["items"][1]["supporters"] == "none"
    early_warning.cancel_supporter_nudges(early_warning_firing)
    assert api.get(FIRINGS).json()["items"][0]["supporters"] == "kept"


def test_firings_come_in_pages(api, member):
    for back in range(7):
        fire(member, back=back)
    body = api.get(f"{FIRINGS}?limit=5&offset=5").json()
    assert body["count"] == 7
    assert [item["day"] for item in body["items"]] == ["2027-05-27", "2027-05-26"]


def test_listing_firings_costs_the_same_however_many(api, member):
    fire(member, back=0)
    api.get(RULES)  # the token's first use is noted once (not on every call)
    few = queries_for(api, FIRINGS)
    for back in range(1, 60):
        fire(member, back=back)
    assert queries_for(api, FIRINGS) == few


def test_a_stranger_sees_only_their_own(api, stranger_api, member, stranger):
    api.put(f"{RULES}/stress_high", STRESS)
    fire(member)
    assert stranger_api.get(FIRINGS).json() == {"items": [], "count": 0}
    assert stranger_api.get(RULES).json()["items"][0]["enabled"] is False
    assert stranger_api.put(f"{RULES}/stress_high", {**STRESS, "threshold": 2}).status_code == 200
    assert rule_rows(member) == [("stress_high", True, 8, 2, 4, 5, True)]
    assert rule_rows(stranger) == [("stress_high", True, 2, 2, 4, 5, True)]


def test_without_a_token_nothing_is_answered(anonymous_api):
    assert anonymous_api.get(RULES).status_code == 401
    assert anonymous_api.get(FIRINGS).status_code == 401
    assert anonymous_api.put(f"{RULES}/stress_high", STRESS).status_code == 401
