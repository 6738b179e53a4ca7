"""The OpenAPI document and the docs page at /api/v1/."""

from __future__ import annotations

import re

import pytest

from tests.api.test_operations import OPERATIONS

EXPECTED_PATHS = {
    "/api/v1/occasions",
    "/api/v1/occasions/upcoming",
    "/api/v1/occasions/{occasion_id}",
    "/api/v1/appreciations",
    "/api/v1/appreciations/{appreciation_id}",
    "/api/v1/channels",
    "/api/v1/channels/{channel_id}",
    "/api/v1/channels/{channel_id}/verify",
    "/api/v1/channels/{channel_id}/test",
    "/api/v1/outbox",
    "/api/v1/insights/network",
    "/api/v1/insights/connection",
    "/api/v1/supporters",
    "/api/v1/supporters/{supporter_id}",
    "/api/v1/invitations",
    "/api/v1/invitations/accept",
    "/api/v1/invitations/{invitation_id}",
    "/api/v1/help-requests",
    "/api/v1/help-requests/{help_request_id}",
    "/api/v1/rules",
    "/api/v1/rules/firings",
    "/api/v1/rules/{kind}",
    "/api/v1/supporting",
    "/api/v1/supporting/{link_id}",
    "/api/v1/supporting/{link_id}/mood-trend",
    "/api/v1/supporting/{link_id}/safety-plan",
    "/api/v1/supporting/{link_id}/goals",
    "/api/v1/supporting/{link_id}/help-requests",
    "/api/v1/supporting/{link_id}/encouragements",
    "/api/v1/encouragements",
    "/api/v1/encouragements/{encouragement_id}",
    "/api/v1/access-log",
    "/api/v1/outbox/{message_id}",
    "/api/v1/notification-preferences",
    "/api/v1/reach-out",
    "/api/v1/reach-out/{person_id}/pause",
    "/api/v1/people",
    "/api/v1/people/{person_id}",
    "/api/v1/groups",
    "/api/v1/groups/{group_id}",
    "/api/v1/interactions",
    "/api/v1/interactions/{interaction_id}",
    "/api/v1/export",
    "/api/v1/import/vcard",
    "/api/v1/safety-plan",
    "/api/v1/safety-plan/versions",
    "/api/v1/safety-plan/versions/{version}",
    "/api/v1/crisis-lines",
    "/api/v1/appointments",
    "/api/v1/appointments/attendance",
    "/api/v1/appointments/{appointment_id}",
    "/api/v1/goals",
    "/api/v1/goals/{goal_id}",
    "/api/v1/coping-strategies",
    "/api/v1/coping-strategies/{strategy_id}",
    "/api/v1/coping-strategies/{strategy_id}/uses",
    "/api/v1/checkins",
    "/api/v1/checkins/{day}",
    "/api/v1/instruments",
    "/api/v1/instruments/{code}",
    "/api/v1/assessments",
    "/api/v1/assessments/{assessment_id}",
    "/api/v1/questionnaire-schedules",
    "/api/v1/questionnaire-schedules/{code}",
}


@pytest.fixture
def document(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_has_title_version_and_description(document):
    info = document["info"]
    assert info["title"] == "Closeknit API"
    assert info["version"] == "1"
    assert "Authorization: Bearer" in info["description"]


def test_document_lists_every_path(document):
    assert set(document["paths"]) == EXPECTED_PATHS
    assert {path for _method, path in OPERATIONS} == EXPECTED_PATHS


def test_every_operation_needs_the_bearer_token(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"BearerToken": {"type": "http", "scheme": "bearer"}}
    for item in document["paths"].values():
        for operation in item.values():
            assert operation["security"] == [{"BearerToken": []}]


def test_slugs_are_listed_as_enums(document):
    schemas = document["components"]["schemas"]
    assert schemas["Circle"]["enum"] == ["inner", "middle", "outer"]
    assert "support_group" in schemas["Role"]["enum"]
    assert schemas["Direction"]["enum"] == ["received", "gave", "mutual"]


def test_operation_ids_are_short_names(document):
    ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert {"list_people", "create_interaction", "import_vcard_file"} <= ids
    assert {
        "create_checkin",
        "list_checkins",
        "get_checkin",
        "delete_checkin",
        "list_instruments",
        "get_instrument",
        "create_assessment",
        "list_assessments",
        "get_assessment",
        "delete_assessment",
        "list_questionnaire_schedules",
        "set_questionnaire_schedule",
        "delete_questionnaire_schedule",
    } <= ids


def test_docs_page_loads_nothing_from_other_sites(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/openapi.json" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [source for source in sources if source.startswith(("http:", "https:", "//"))]
