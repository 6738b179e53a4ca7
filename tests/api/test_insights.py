"""/api/v1/insights: the network's figures and the connection comparisons, with their days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from closeknit.network.models import Interaction, Person
from closeknit.wellbeing.models import CheckIn
from closeknit.wellbeing.store import record_assessment
from tests.api.conftest import error_fields, error_messages, queries_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 11, tzinfo=dt.UTC)  # noon in London
TODAY = dt.date(2026, 6, 15)
NETWORK = "/api/v1/insights/network"
CONNECTION = "/api/v1/insights/connection"


@pytest.fixture(autouse=True)
def noon():
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)


@pytest.fixture
def sam(member):
    return Person.objects.create(
        owner=member,
        name="Sam Rivera",
        nickname="Sam",
        circle="inner",
        roles=["friend"],
        support_types=["emotional"],
        rhythm_days=7,
    )


def steady_member(member, sam, days: int = 60) -> None:
    """Contact with Sam on even days: stress 2 or 4 then, 5 or 7 on the days between."""
    for n in range(1, days + 1):
        day = days_ago(n)
        if n % 2 == 0:
            entry = Interaction.objects.create(
                owner=member,
                occurred_at=at_noon(day),
                channel="in_person",
                direction="received",
                support_types=["emotional"],
            )
            entry.people.add(sam)
            stress, mood = (2, 8) if n % 4 == 0 else (4, 6)
        else:
            stress, mood = (5, 5) if n % 4 == 1 else (7, 3)
        CheckIn.objects.create(owner=member, day=day, stress=stress, mood=mood)


def test_network_answers_every_figure_with_its_window(api, member, sam):
    steady_member(member, sam)
    answer = api.get(NETWORK).json()
    assert answer["today"] == "2026-06-15"
    assert answer["people"] == 1
    assert [(c["circle"], c["people"]) for c in answer["circles"]] == [
        ("inner", 1),
        ("middle", 0),
        ("outer", 0),
    ]
    assert answer["diversity"]["days"] == 14
    assert answer["diversity"]["score"] == 1
    emotional = next(c for c in answer["coverage"] if c["support_type"] == "emotional")
    assert emotional["logged"] == 30
    assert emotional["givers"][0]["name"] == "Sam"
    assert emotional["single_point"]["person_id"] == sam.pk
    assert set(answer["missing_types"]) == {"practical", "informational", "companionship"}
    assert answer["reciprocity"]["overall"] == {"given": 0, "received": 30, "mutual": 0}
    assert answer["reciprocity"]["days"] == 90
    assert answer["in_person"] == {"in_person": 30, "total": 30, "share": 1.0, "days": 90}
    assert len(answer["weekly"]) == 12
    assert answer["runs"]["current"] == 2
    assert answer["concentration"]["index"] == 1.0
    assert answer["perceived"]["mspss"] is None
    assert [row["key"] for row in answer["perceived"]["rows"]] == [
        "significant_other",
        "family",
        "friends",
    ]
    keys = {suggestion["key"] for suggestion in answer["suggestions"]}
    assert "missing:informational" in keys


def test_network_shows_the_latest_questionnaires_beside_the_log(api, member, sam):
    record_assessment(member, "mspss", [7] * 12)
    record_assessment(member, "lsns6", [1] * 6)
    perceived = api.get(NETWORK).json()["perceived"]
    assert perceived["mspss"]["total"] == 7
    assert perceived["mspss"]["band"] == "high"
    assert perceived["lsns6"]["subscales"] == {"family": 3.0, "friends": 3.0}
    assert perceived["days"] == 60


def test_connection_compares_days_with_and_without_contact(api, member, sam):
    steady_member(member, sam)
    answer = api.get(f"{CONNECTION}?from={days_ago(60)}&to={days_ago(1)}").json()
    assert answer["from"] == str(days_ago(60))
    assert answer["to"] == str(days_ago(1))
    assert answer["checkin_days"] == 60
    assert answer["contact_days"] == 30
    stress = answer["stress"]
    assert stress["with_contact"] == {"mean": 3.0, "days": 30}
    assert stress["without_contact"] == {"mean": 6.0, "days": 30}
    assert stress["difference"] == -3.0
    low, high = stress["ci95"]
    assert low < -3.0 < high
    assert stress["enough_data"] is True
    assert stress["days_needed"] == {"with_contact": 0, "without_contact": 0}
    assert answer["mood"]["difference"] == 3.0
    assert answer["stress_in_person"]["difference"] == -3.0
    assert answer["next_day_stress"]["enough_data"] is True
    assert [person["name"] for person in answer["people"]] == ["Sam"]


def test_connection_is_the_same_answer_every_time(api, member, sam):
    steady_member(member, sam)
    first = api.get(CONNECTION).json()
    assert api.get(CONNECTION).json() == first


def test_connection_says_how_many_more_days_are_needed(api, member, sam):
    steady_member(member, sam, days=20)
    stress = api.get(CONNECTION).json()["stress"]
    assert stress["enough_data"] is False
    assert stress["difference"] is None
    assert stress["ci95"] is None
    assert stress["with_contact"]["days"] == 10
    assert stress["days_needed"] == {"with_contact": 4, "without_contact": 4}


def test_connection_without_any_data_is_not_enough_data(api):
    answer = api.get(CONNECTION).json()
    assert answer["checkin_days"] == 0
    assert answer["stress"]["enough_data"] is False
    assert answer["stress"]["days_needed"] == {"with_contact": 14, "without_contact": 14}
    assert answer["people"] == []


def test_connection_defaults_to_a_year_ending_today(api):
    answer = api.get(CONNECTION).json()
    assert (answer["from"], answer["to"]) == (str(days_ago(364)), str(TODAY))
    answer = api.get(f"{CONNECTION}?to=2026-01-31").json()
    assert answer["from"] == "2025-02-01"


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("?from=2026-06-02&to=2026-06-01", "to", "on or after"),
        ("?from=2020-01-01&to=2026-06-01", "to", "at most"),
        ("?from=yesterday", "from", ""),
        ("?to=2026-02-30", "to", ""),
        ("?to=0001-01-05", "to", "between 1900 and 2199"),
        ("?from=9999-12-01&to=9999-12-31", "from", "between 1900 and 2199"),
    ],
)
def test_connection_refuses_a_bad_range_naming_the_field(api, query, field, words):
    response = api.get(f"{CONNECTION}{query}")
    assert response.status_code == 422
    assert field in error_fields(response)
    assert words in error_messages(response)


def test_a_stranger_sees_only_their_own_insights(member, sam, stranger_api):
    steady_member(member, sam)
    network = stranger_api.get(NETWORK).json()
    assert network["people"] == 0
    connection = stranger_api.get(CONNECTION).json()
    assert connection["checkin_days"] == 0
    for answer in (network, connection):
        assert "Sam" not in str(answer)


def test_queries_do_not_grow_with_the_data(api, member, sam, make_user):
    api.get(NETWORK)  # the token's "last used" is written on its first call of the minute
    few = queries_for(api, NETWORK), queries_for(api, CONNECTION)
    steady_member(member, sam, days=120)
    for n in range(30):
        Person.objects.create(owner=member, name=f"Friend {n}", roles=["friend"])
    assert (queries_for(api, NETWORK), queries_for(api, CONNECTION)) == few
