"""/api/v1/crisis-lines: the crisis lines for a country, and its emergency number."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS
from closeknit.recovery import crisis

router = Router(tags=["crisis lines"])


def _country(value: str) -> str:
    if not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise PydanticCustomError(
            "value_error", "Please give a two-letter country code (ISO 3166-1), like GB or US."
        )
    return value


CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, max_length=10),
    AfterValidator(_country),
]


class CrisisLineOut(Schema):
    name: str
    phone: str = Field(description="A number to call; empty when the line is text only.")
    text: str = Field(description="A number (or 'WORD to number') to text; may be empty.")
    notes: str
    verified: bool = Field(description="Whether the number was confirmed against a public source.")


class CrisisLinesOut(Schema):
    country: str
    lines: list[CrisisLineOut]
    emergency_number: str | None = Field(description="The local emergency number, when we know it.")
    last_checked: str = Field(description="When the numbers were last checked (ISO date).")
    directory_url: str = Field(description="A world-wide directory of free helplines.")


def line_out(line: crisis.CrisisLine) -> CrisisLineOut:
    return CrisisLineOut(
        name=line.name, phone=line.phone, text=line.text, notes=line.notes, verified=line.verified
    )


class CountryFilter(Schema):
    country: CountryCode | None = Field(
        None, description="ISO 3166-1 alpha-2 code, e.g. GB. Left out, your account's country."
    )


@router.get("", response={200: CrisisLinesOut, **ERRORS}, summary="Crisis lines for a country")
def list_crisis_lines(request: HttpRequest, filters: Query[CountryFilter]) -> CrisisLinesOut:
    country = filters.country or request_owner(request).country.upper()
    return CrisisLinesOut(
        country=country,
        lines=[line_out(line) for line in crisis.lines_for(country)],
        emergency_number=crisis.emergency_number(country) or None,
        last_checked=crisis.LAST_CHECKED,
        directory_url=crisis.DIRECTORY_URL,
    )
