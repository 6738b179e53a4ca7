from __future__ import annotations

import pytest

from closeknit.recovery import crisis


def test_lines_for_a_listed_country():
    names = [line.name for line in crisis.lines_for("us")]
    assert names == ["988 Suicide & Crisis Lifeline", "Crisis Text Line"]


def test_every_shipped_row_has_a_way_to_reach_someone():
    for line in crisis.all_lines():
        assert line.phone or line.text, line.name
        assert len(line.country) == 2


def test_tel_link_keeps_only_digits_and_plus():
    (line,) = [x for x in crisis.lines_for("GB") if x.name == "Samaritans"]
    assert line.tel == "116123"


@pytest.mark.parametrize(
    ("country", "number"), [("US", "911"), ("GB", "999"), ("AU", "000"), ("PT", "112"), ("ZZ", "")]
)
def test_emergency_numbers(country, number):
    assert crisis.emergency_number(country) == number


def test_operator_can_override_the_lines(settings, tmp_path):
    override = tmp_path / "lines.csv"
    override.write_text(
        "country,name,phone,text,notes,verified\nPT,SOS Voz Amiga,213 544 545,,,no\n"
    )
    settings.CRISIS_LINES_FILE = str(override)
    assert [line.name for line in crisis.lines_for("PT")] == ["SOS Voz Amiga"]
    assert crisis.lines_for("US") == []


def test_get_help_needs_no_sign_in_and_shows_tap_to_call(client):
    response = client.get("/help/?country=GB")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Samaritans" in body
    assert 'href="tel:116123"' in body
    assert 'href="tel:999"' in body
    assert "United Kingdom" in body


def test_get_help_uses_the_members_country(member_client, member):
    member.country = "IE"
    member.save()
    body = member_client.get("/help/").content.decode()
    assert "Text About It" in body


def test_get_help_for_an_unlisted_country_points_to_the_directory(client):
    body = client.get("/help/?country=JP").content.decode()
    assert "findahelpline.com" in body
    assert "Japan" in body


def test_get_help_ignores_a_malformed_country(client):
    response = client.get("/help/?country=<script>")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]
