"""/api/v1/crisis-lines: the lines for a country, its emergency number and the directory."""

from __future__ import annotations

import pytest

from closeknit.recovery import crisis
from tests.api.conftest import error_fields

LINES = "/api/v1/crisis-lines"


def test_lines_for_a_named_country(api):
    response = api.get(f"{LINES}?country=GB")
    assert response.status_code == 200
    data = response.json()
    assert data["country"] == "GB"
    assert data["emergency_number"] == "999"
    assert data["last_checked"] == crisis.LAST_CHECKED
    assert data["directory_url"] == crisis.DIRECTORY_URL
    samaritans = next(line for line in data["lines"] if line["name"] == "Samaritans")
    assert samaritans == {
        "name": "Samaritans",
        "phone": "116 123",
        "text": "",
        "notes": "Free, 24/7",
        "verified": False,
    }


def test_country_defaults_to_the_callers(api, member):
    member.country = "US"
    member.save()
    data = api.get(LINES).json()
    assert data["country"] == "US"
    assert data["emergency_number"] == "911"
    assert [line["name"] for line in data["lines"]] == [
        "988 Suicide & Crisis Lifeline",
        "Crisis Text Line",
    ]


def test_country_code_is_read_in_any_case(api):
    assert api.get(f"{LINES}?country=au").json()["country"] == "AU"


def test_an_eu_country_without_listed_lines_gets_112_and_the_directory(api):
    data = api.get(f"{LINES}?country=PT").json()
    assert data["lines"] == []
    assert data["emergency_number"] == "112"
    assert data["directory_url"] == "https://findahelpline.com"


def test_an_unknown_country_gets_no_emergency_number_but_still_the_directory(api):
    data = api.get(f"{LINES}?country=ZZ").json()
    assert data["lines"] == [] and data["emergency_number"] is None
    assert data["directory_url"]


def test_a_caller_without_a_country_gets_the_directory(api, member):
    member.country = ""
    member.save()
    data = api.get(LINES).json()
    assert data["country"] == "" and data["lines"] == [] and data["emergency_number"] is None


@pytest.mark.parametrize("country", ["GBR", "G", "12", "G1", "ÉÉ"])
def test_a_malformed_country_is_refused_naming_the_field(api, country):
    response = api.get(f"{LINES}?country={country}")
    assert error_fields(response) == ["country"]
    assert "two-letter country code" in response.json()["detail"][0]["msg"]


def test_operator_override_file_is_used(api, settings, tmp_path):
    override = tmp_path / "lines.csv"
    override.write_text(
        "country,name,phone,text,notes,verified\nPT,SOS Voz Amiga,213 544 545,,,yes\n"
    )
    settings.CRISIS_LINES_FILE = str(override)
    data = api.get(f"{LINES}?country=PT").json()
    assert data["lines"] == [
        {"name": "SOS Voz Amiga", "phone": "213 544 545", "text": "", "notes": "", "verified": True}
    ]


def test_needs_a_token(anonymous_api):
    assert anonymous_api.get(f"{LINES}?country=GB").status_code == 401


def test_costs_no_query_beyond_the_token(api, django_assert_max_num_queries):
    api.get(f"{LINES}?country=GB")  # records the token's use once
    with django_assert_max_num_queries(1):
        assert api.get(f"{LINES}?country=GB").status_code == 200
