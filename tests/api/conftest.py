"""Fixtures for the JSON API: a client per caller, and a way to see that nothing changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from closeknit.accounts.models import User
from closeknit.network.models import Group, Interaction, Person

VCARD = b"""BEGIN:VCARD
VERSION:3.0
N:Chen;Lee;;;
FN:Lee Chen
EMAIL:lee@example.org
TEL:+44 7700 900456
END:VCARD
"""


@dataclass(frozen=True)
class Call:
    """One HTTP request to the API: JSON body, or a multipart upload in `files`."""

    method: str
    path: str
    json: Any = None
    files: dict[str, bytes] = field(default_factory=dict)


class ApiClient:
    """Django's test client (the whole middleware stack), sending a bearer token if given."""

    def __init__(self, token: str | None, client: Client | None = None) -> None:
        self.token = token
        self.client = client or Client()

    def send(self, call: Call) -> HttpResponse:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        send = getattr(self.client, call.method.lower())
        if call.files:
            uploads = {
                name: SimpleUploadedFile(f"{name}.vcf", content, "text/vcard")
                for name, content in call.files.items()
            }
            return send(call.path, uploads, headers=headers)
        if call.json is not None:
            return send(
                call.path, json.dumps(call.json), content_type="application/json", headers=headers
            )
        return send(call.path, headers=headers)

    def get(self, path: str) -> HttpResponse:
        return self.send(Call("GET", path))

    def post(self, path: str, body: Any) -> HttpResponse:
        return self.send(Call("POST", path, body))

    def put(self, path: str, body: Any) -> HttpResponse:
        return self.send(Call("PUT", path, body))

    def patch(self, path: str, body: Any) -> HttpResponse:
        return self.send(Call("PATCH", path, body))

    def delete(self, path: str) -> HttpResponse:
        return self.send(Call("DELETE", path))


@pytest.fixture
def api(member_token: str) -> ApiClient:
    return ApiClient(member_token)


@pytest.fixture
def stranger_api(stranger_token: str) -> ApiClient:
    return ApiClient(stranger_token)


@pytest.fixture
def anonymous_api(db: Any) -> ApiClient:
    return ApiClient(None)


def _row(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def network_state(owner: User) -> dict[str, Any]:
    """Every row the owner has, with its links, fresh from the database."""
    return {
        "people": [_row(p) for p in Person.objects.owned_by(owner).order_by("pk")],
        "groups": [
            {**_row(g), "members": sorted(g.members.values_list("pk", flat=True))}
            for g in Group.objects.owned_by(owner).order_by("pk")
        ],
        "interactions": [
            {**_row(i), "people": sorted(i.people.values_list("pk", flat=True))}
            for i in Interaction.objects.owned_by(owner).order_by("pk")
        ],
    }


def error_fields(response: HttpResponse) -> list[str]:
    """The field each 422 error names: `loc` is ["body", "payload", field, …] or [where, field]."""
    assert response.status_code == 422, response.content
    fields = []
    for error in response.json()["detail"]:
        loc = error["loc"]
        fields.append(loc[2] if loc[0] == "body" else loc[1])
    return fields


def error_messages(response: HttpResponse) -> str:
    return " ".join(error["msg"] for error in response.json()["detail"])


def queries_for(api: Any, path: str) -> int:
    """How many queries a GET of `path` takes (it must succeed)."""
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured)
