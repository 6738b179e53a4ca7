"""/api/v1/safety-plan: read and save the plan, and read every version of it."""

from __future__ import annotations

from typing import Any

import pytest

from closeknit.network.models import Group, Person
from closeknit.recovery import safety_plan
from closeknit.recovery.models import SafetyPlanVersion
from closeknit.recovery.vocab import SAFETY_PLAN_SECTIONS
from tests.api.conftest import error_messages

PLAN = "/api/v1/safety-plan"
VERSIONS = f"{PLAN}/versions"


def body(**sections: Any) -> dict[str, Any]:
    return {"sections": sections}


def section(items=(), people=(), groups=()) -> dict[str, list]:
    return {"items": list(items), "people": list(people), "groups": list(groups)}


def error_locations(response) -> list[list]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.fixture
def saved(api, network) -> dict[str, Any]:
    response = api.put(
        PLAN,
        body(
            warning_signs={"items": ["Not sleeping"]},
            ask_for_help={"people": [network["sam"].pk]},
            distractions={"items": ["The park"], "groups": [network["group"].pk]},
        ),
    )
    assert response.status_code == 201, response.content
    return response.json()


# Reading --------------------------------------------------------------------------------


def test_no_plan_yet_is_404(api, member):
    response = api.get(PLAN)
    assert response.status_code == 404
    assert "couldn't find" in response.json()["detail"]


def test_get_returns_every_section_by_slug_with_version_and_time(api, saved, network):
    response = api.get(PLAN)
    assert response.status_code == 200
    data = response.json()
    assert list(data["sections"]) == list(SAFETY_PLAN_SECTIONS)
    assert data["sections"]["warning_signs"] == section(items=["Not sleeping"])
    assert data["sections"]["ask_for_help"] == section(people=[network["sam"].pk])
    assert data["sections"]["distractions"] == section(
        items=["The park"], groups=[network["group"].pk]
    )
    assert data["version"] == 1
    assert data["updated_at"].endswith("+00:00")
    assert data == saved


def test_anonymous_callers_are_asked_for_a_token(anonymous_api, saved):
    assert anonymous_api.get(PLAN).status_code == 401
    assert anonymous_api.put(PLAN, body()).status_code == 401


# Saving -------------------------------------------------------------------------------------


def test_saving_again_unchanged_makes_no_version(api, member, saved):
    response = api.put(PLAN, {"sections": saved["sections"]})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1


def test_what_was_read_can_be_written_back_as_it_is(api, member, saved):
    response = api.put(PLAN, api.get(PLAN).json())
    assert response.status_code == 200
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1


def test_a_change_makes_the_next_version(api, member, saved):
    response = api.put(PLAN, body(warning_signs={"items": ["Not sleeping", "Snapping"]}))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 2
    assert data["sections"]["warning_signs"]["items"] == ["Not sleeping", "Snapping"]
    # Sections left out are empty now: PUT replaces the whole plan.
    assert data["sections"]["ask_for_help"] == section()
    assert SafetyPlanVersion.objects.owned_by(member).count() == 2


def test_lines_are_cleaned_and_repeats_dropped(api, member):
    response = api.put(PLAN, body(on_my_own={"items": ["  Walk  ", "", "Walk", "Music"]}))
    assert response.json()["sections"]["on_my_own"]["items"] == ["Walk", "Music"]


def test_an_empty_plan_before_any_plan_saves_nothing(api, member):
    response = api.put(PLAN, body())
    assert response.status_code == 200
    assert response.json() == {
        "sections": safety_plan.empty_plan(),
        "updated_at": None,
        "version": None,
    }
    assert not SafetyPlanVersion.objects.exists()


def test_the_plan_is_stored_encrypted(api, member, saved):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sections FROM recovery_safetyplanversion")
        (stored,) = cursor.fetchone()
    assert "Not sleeping" not in stored


# Refusing ------------------------------------------------------------------------------------


def test_an_unknown_section_is_refused_by_name_and_nothing_changes(api, member, saved):
    response = api.put(PLAN, body(warning_signs={"items": ["x"]}, bogus={"items": ["y"]}))
    assert error_locations(response) == [["body", "payload", "sections", "bogus"]]
    assert "bogus" in error_messages(response)
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1


def test_someone_elses_person_is_refused_naming_the_section(api, member, stranger, saved):
    theirs = Person.objects.create(owner=stranger, name="Their friend")
    response = api.put(PLAN, body(ask_for_help={"people": [theirs.pk]}))
    assert error_locations(response) == [["body", "payload", "sections", "ask_for_help", "people"]]
    assert str(theirs.pk) in error_messages(response)
    assert "Their friend" not in response.content.decode()
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1


def test_an_id_that_never_existed_gets_the_same_words(api, member, stranger):
    theirs = Group.objects.create(owner=stranger, name="Their club")
    other = api.put(PLAN, body(distractions={"groups": [theirs.pk]}))
    missing = api.put(PLAN, body(distractions={"groups": [999999]}))
    assert error_messages(other).replace(str(theirs.pk), "N") == error_messages(missing).replace(
        "999999", "N"
    )


def test_an_over_long_line_is_refused_naming_its_place(api, member):
    too_long = "x" * (safety_plan.MAX_ITEM_LENGTH + 1)
    response = api.put(PLAN, body(what_matters={"items": ["ok", too_long]}))
    assert error_locations(response) == [
        ["body", "payload", "sections", "what_matters", "items", 1]
    ]
    assert not SafetyPlanVersion.objects.exists()


def test_people_in_a_section_without_people_are_refused(api, member, network):
    response = api.put(PLAN, body(warning_signs={"people": [network["sam"].pk]}))
    assert error_locations(response) == [["body", "payload", "sections", "warning_signs", "people"]]


@pytest.mark.parametrize(
    "payload",
    [
        {"sections": {"warning_signs": {"items": ["x"], "notes": "y"}}},
        {"sections": {"warning_signs": {"people": ["sam"]}}},
        {"sections": {"warning_signs": {"people": [0]}}},
        {"sections": "everything"},
        {},
        {"sections": {}, "colour": "blue"},
    ],
)
def test_malformed_plans_are_refused_and_change_nothing(api, member, payload):
    assert api.put(PLAN, payload).status_code == 422
    assert not SafetyPlanVersion.objects.exists()


def test_someone_removed_since_is_dropped_when_the_plan_is_written_back(
    api, member, saved, network
):
    sam_id = network["sam"].pk
    network["sam"].delete()
    read = api.get(PLAN).json()
    assert read["sections"]["ask_for_help"]["people"] == [sam_id]
    response = api.put(PLAN, read)
    assert response.status_code == 200
    assert response.json()["sections"]["ask_for_help"]["people"] == []
    assert response.json()["version"] == 2


def test_a_stranger_saves_only_their_own_plan(stranger_api, member, stranger, saved, network):
    response = stranger_api.put(PLAN, body(warning_signs={"items": ["Mine"]}))
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert SafetyPlanVersion.objects.owned_by(member).count() == 1
    (mine,) = SafetyPlanVersion.objects.owned_by(member)
    assert mine.sections["warning_signs"]["items"] == ["Not sleeping"]


def test_a_stranger_cannot_name_the_members_people(stranger_api, network, saved):
    response = stranger_api.put(PLAN, body(ask_for_help={"people": [network["sam"].pk]}))
    assert response.status_code == 422
    assert "Sam" not in response.content.decode()


# Versions ---------------------------------------------------------------------------------


def test_versions_are_listed_newest_first_in_pages(api, member, saved):
    for n in range(3):
        api.put(PLAN, body(warning_signs={"items": [f"sign {n}"]}))
    response = api.get(f"{VERSIONS}?limit=2")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    assert [item["version"] for item in data["items"]] == [4, 3]
    assert set(data["items"][0]) == {"version", "created_at"}
    second = api.get(f"{VERSIONS}?limit=2&offset=2").json()
    assert [item["version"] for item in second["items"]] == [2, 1]


def test_one_earlier_version(api, saved):
    api.put(PLAN, body(warning_signs={"items": ["Changed"]}))
    first = api.get(f"{VERSIONS}/1")
    assert first.status_code == 200
    assert first.json()["version"] == 1
    assert first.json()["sections"]["warning_signs"]["items"] == ["Not sleeping"]
    assert api.get(f"{VERSIONS}/2").json()["sections"]["warning_signs"]["items"] == ["Changed"]


@pytest.mark.parametrize("number", ["2", "0", "-1", str(2**70)])
def test_a_version_that_does_not_exist_is_404(api, saved, number):
    response = api.get(f"{VERSIONS}/{number}")
    assert response.status_code == 404
    assert "couldn't find" in response.json()["detail"]


def test_a_stranger_sees_none_of_the_members_versions(stranger_api, saved):
    assert stranger_api.get(PLAN).status_code == 404
    assert stranger_api.get(f"{VERSIONS}/1").status_code == 404
    assert stranger_api.get(VERSIONS).json() == {"items": [], "count": 0}


def test_version_numbers_are_per_member(stranger_api, api, saved):
    stranger_api.put(PLAN, body(warning_signs={"items": ["Mine"]}))
    theirs = stranger_api.get(f"{VERSIONS}/1").json()
    assert theirs["sections"]["warning_signs"]["items"] == ["Mine"]
    assert api.get(f"{VERSIONS}/1").json()["sections"]["warning_signs"]["items"] == ["Not sleeping"]


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_reading_costs_the_same_however_many_versions(
    api, member, count, django_assert_max_num_queries
):
    for n in range(count):
        api.put(PLAN, body(warning_signs={"items": [f"sign {n}"]}))
    with django_assert_max_num_queries(4):
        assert api.get(PLAN).status_code == 200
    with django_assert_max_num_queries(4):
        assert api.get(VERSIONS).status_code == 200
    with django_assert_max_num_queries(4):
        assert api.get(f"{VERSIONS}/1").status_code == 200


def test_the_openapi_document_lists_the_operations(api):
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[PLAN]) == {"get", "put"}
    assert set(paths[VERSIONS]) == {"get"}
    assert set(paths[f"{VERSIONS}/{{version}}"]) == {"get"}
