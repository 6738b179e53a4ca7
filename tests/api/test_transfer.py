"""/api/v1/export and /api/v1/import/vcard."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.conf import settings as django_settings
from ninja.responses import NinjaJSONEncoder

from closeknit.network.exporting import export_document
from closeknit.network.models import Person
from tests.api.conftest import VCARD, Call, error_fields, error_messages, network_state

EXPORT = "/api/v1/export"
IMPORT = "/api/v1/import/vcard"

BROKEN = b"""BEGIN:VCARD
VERSION:3.0
FN:Lee Chen
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Kai Moana
this line is not a property
END:VCARD
"""


def _upload(content: bytes) -> Call:
    return Call("POST", IMPORT, files={"file": content})


@time_machine.travel("2024-07-01 12:00:00Z", tick=False)
def test_export_is_the_members_export_document(api, member, network):
    response = api.get(EXPORT)
    assert response.status_code == 200
    expected = json.loads(json.dumps(export_document(member), cls=NinjaJSONEncoder))
    assert response.json() == expected
    assert "Sam Rivera" in response.content.decode()


def test_strangers_export_holds_none_of_the_members_data(stranger_api, stranger, network):
    Person.objects.create(owner=stranger, name="Their friend")
    response = stranger_api.get(EXPORT)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Their friend" in text
    for word in ("Sam Rivera", "Ada Okafor", "Tuesday peer group", "Talked it through."):
        assert word not in text


def test_import_adds_people_to_the_callers_network(api, member, stranger):
    response = api.send(_upload(VCARD))
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "merged": 0, "skipped": 0}
    lee = Person.objects.owned_by(member).get()
    assert lee.name == "Lee Chen"
    assert lee.email == "lee@example.org"
    assert not Person.objects.owned_by(stranger).exists()


def test_importing_the_same_file_again_merges(api, member):
    api.send(_upload(VCARD))
    response = api.send(_upload(VCARD))
    assert response.json()["created"] == 0
    assert response.json()["merged"] + response.json()["skipped"] == 1
    assert Person.objects.owned_by(member).count() == 1


def test_a_malformed_file_gets_422_naming_the_line_and_adds_no_one(api, member, network):
    before = network_state(member)
    response = api.send(_upload(BROKEN))
    assert error_fields(response) == ["file"]
    assert "Line 8" in error_messages(response)
    assert network_state(member) == before


def test_a_request_without_a_file_gets_422_naming_it(api, network):
    response = api.client.post(IMPORT, {}, headers={"Authorization": f"Bearer {api.token}"})
    assert error_fields(response) == ["file"]


def test_a_file_over_5_mb_is_refused_with_413_and_adds_no_one(api, member, network):
    before = network_state(member)
    padding = b"NOTE:" + b"x" * 70 + b"\n"
    body = VCARD * 2
    while len(body) <= django_settings.IMPORT_MAX_BYTES:
        body += padding * 10_000
    response = api.send(_upload(body))
    assert response.status_code == 413
    assert "5 MB" in response.json()["detail"]
    assert network_state(member) == before


@pytest.mark.parametrize("limit", [100])
def test_the_size_limit_comes_from_the_settings(api, member, settings, limit):
    settings.IMPORT_MAX_BYTES = limit
    assert len(VCARD) > limit
    assert api.send(_upload(VCARD)).status_code == 413
    settings.IMPORT_MAX_BYTES = len(VCARD)
    assert api.send(_upload(VCARD)).status_code == 200


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        b"Name,Email\nSam,sam@example.org\n",
    ],
    ids=["empty", "an image", "a csv file"],
)
def test_a_file_that_is_not_a_vcard_gets_422_and_adds_no_one(api, member, network, content):
    before = network_state(member)
    response = api.send(_upload(content))
    assert error_fields(response) == ["file"]
    assert error_messages(response)
    assert network_state(member) == before
