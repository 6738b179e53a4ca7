"""/api/v1/instruments: the questionnaires Closeknit offers, as their definitions say.

Nothing here is personal: every member reads the same definitions (wellbeing/data/*.json).
A client can show a questionnaire from `GET /instruments/{code}` and send the answers'
codes to `POST /assessments`; the scorer there is the one the pages use.
"""

from __future__ import annotations

from fractions import Fraction

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.wellbeing import instruments, scoring
from closeknit.wellbeing.instruments import Band, Instrument

router = Router(tags=["questionnaires"])


# Sums are whole numbers; means (the MSPSS) may not be.
Number = int | float


def _number(value: Fraction) -> Number:
    return scoring.number(value) or 0


class InstrumentOut(Schema):
    code: str
    name: str
    title: str
    measures: str = Field(description="What it asks about, in plain words.")
    period: str = Field(description="The time the questions look back over.")
    method: str = Field(description="How the total is made: 'sum' or 'mean' of the items.")
    item_count: int = Field(description="Questions in all, counting any that may be left out.")
    lowest_total: Number = Field(description="The lowest total there can be.")
    highest_total: Number = Field(description="The highest total there can be.")
    higher_is_better: bool
    loinc: dict[str, str] = Field(description="LOINC codes of the form and its total, if known.")
    source: str
    licence: str

    @staticmethod
    def resolve_item_count(obj: Instrument) -> int:
        return len(obj.items)

    @staticmethod
    def resolve_lowest_total(obj: Instrument) -> Number:
        return _number(obj.lowest)

    @staticmethod
    def resolve_highest_total(obj: Instrument) -> Number:
        return _number(obj.highest)


class OptionOut(Schema):
    code: int = Field(description="What to send as the answer.")
    label: str


class ItemOut(Schema):
    number: int
    text: str
    section: str
    reverse: bool = Field(description="Counted from the other end of its scale.")
    scored: bool = Field(description="false for a question that is recorded but not counted.")
    slug: str
    loinc: str
    options: list[OptionOut]


class BandOut(Schema):
    slug: str
    label: str
    lower: Number = Field(description="Where the band starts.")
    lower_exclusive: bool = Field(description="true: the band starts just above `lower`.")

    @staticmethod
    def resolve_lower(obj: Band) -> Number:
        return _number(obj.lower)

    @staticmethod
    def resolve_lower_exclusive(obj: Band) -> bool:
        return obj.above


class SubscaleOut(Schema):
    slug: str
    label: str
    items: list[int] = Field(description="The numbers of its items.")
    bands: list[BandOut]


class FlagOut(Schema):
    flag: str
    item: int
    above: int = Field(description="Raised when this item's answer is above this code.")


class InstrumentDetailOut(InstrumentOut):
    stem: str = Field(description="The words shown before the questions.")
    items: list[ItemOut]
    subscales: list[SubscaleOut]
    bands: list[BandOut] = Field(description="The total's bands, lowest first.")
    bands_note: str
    flags: list[FlagOut] = Field(
        description="Answers that raise a safety flag, whatever the total."
    )
    missing_rule: str = Field(description="What happens when questions are left unanswered.")
    meaningful_change: int | None = Field(
        description="A change in the total of at least this much, either way, is meaningful."
    )


@router.get(
    "",
    response={200: list[InstrumentOut], **ERRORS},
    summary="List the questionnaires you can answer",
)
@paginated
def list_instruments(request: HttpRequest) -> list[Instrument]:
    return instruments.all_instruments()


@router.get(
    "/{code}",
    response={200: InstrumentDetailOut, **NOT_FOUND_ERRORS},
    summary="One questionnaire, with its questions, answer codes and bands",
)
def get_instrument(request: HttpRequest, code: str) -> Instrument:
    try:
        return instruments.get(code)
    except KeyError:
        raise Http404 from None
