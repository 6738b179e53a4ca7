"""/api/v1/insights: the network's health and what connection does for you, as figures.

The same figures as the insights pages (insights/store.py gathers, the pure modules in
insights/ compute), each with the days or contacts behind it. A comparison with fewer
than 14 days on either side answers `"enough_data": false` with the days still needed,
and no difference or interval: "not enough data yet" is an answer, a made-up number
never is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS
from closeknit.api.writes import InvalidInput
from closeknit.insights import connection, metrics, perceived, store
from closeknit.wellbeing.store import today as local_today

router = Router(tags=["insights"])


# --- The network ---------------------------------------------------------------------------------


class CircleOut(Schema):
    circle: str
    label: str
    people: int


class DiversityOut(Schema):
    score: int = Field(description="Roles with contact in the last `days` days.")
    possible: int = Field(description="How many roles the count can reach.")
    roles: list[str]
    band: str = Field(description="none, low (1–3), moderate (4–5) or high (6 or more).")
    people: int = Field(description="People in touch across those roles.")
    days: int = Field(metrics.DIVERSITY_DAYS, description="The window, in your local days.")


class GiverOut(Schema):
    person_id: int
    name: str
    times: int = Field(description="Logged times they gave this support in the window.")
    share: float | None = Field(description="Their part of the logged support of this type.")
    marked: bool = Field(description="You marked them as giving this support.")


class CoverageOut(Schema):
    support_type: str
    label: str
    givers: list[GiverOut]
    logged: int = Field(description="Logged times you received this support in the window.")
    single_point: GiverOut | None = Field(
        description="Who gave over half of it, when one person did (from 3 logged times on)."
    )


class BalanceOut(Schema):
    given: int
    received: int
    mutual: int


class PersonBalanceOut(Schema):
    person_id: int
    name: str
    balance: BalanceOut


class ReciprocityOut(Schema):
    overall: BalanceOut
    by_person: list[PersonBalanceOut]
    days: int = metrics.RECENT_DAYS


class InPersonOut(Schema):
    in_person: int
    total: int
    share: float | None
    days: int = metrics.RECENT_DAYS


class WeekOut(Schema):
    start: dt.date = Field(description="The Monday the week starts on.")
    contacts: int


class RunsOut(Schema):
    current: int | None = Field(description="Days since your last contact; 0 when today.")
    longest: int | None = Field(description="The longest run of days without contact.")
    longest_from: dt.date | None
    longest_to: dt.date | None
    days: int = Field(metrics.RUN_DAYS, description="The window the longest run is looked for in.")


class ConcentrationOut(Schema):
    index: float | None = Field(description="Herfindahl index of contact by person, 1/n to 1.")
    effective_people: float | None = Field(description="1 / index: as if this many, equally.")
    contacts: int
    people: int
    days: int = metrics.RECENT_DAYS


class QuestionnaireOut(Schema):
    instrument: str
    taken_on: dt.date
    total: float | None
    subscales: dict[str, float]
    band: str


class SideBySideOut(Schema):
    key: str
    label: str
    perceived: str = Field(description="What the questionnaire says; empty when not answered.")
    lived: str = Field(description="What the log says, in words.")
    people: int
    contacts: int
    last_contact: dt.date | None
    mspss: float | None = Field(description="The MSPSS subscale mean (1–7), when answered.")
    band: str = Field(description="Its band: low, moderate or high; empty when not answered.")
    lsns6: float | None = Field(description="The LSNS-6 subscale (0–15; family and friends).")
    small_network: bool = Field(description="The LSNS-6 subscale is below 6.")


class PerceivedOut(Schema):
    mspss: QuestionnaireOut | None
    lsns6: QuestionnaireOut | None
    results: list[str] = Field(description="Each questionnaire's latest result, in words.")
    rows: list[SideBySideOut]
    observations: list[str] = Field(description="Where the two differ, said gently.")
    days: int = perceived.LIVED_DAYS


class SuggestionOut(Schema):
    key: str
    text: str
    action: str | None


class NetworkOut(Schema):
    today: dt.date
    people: int
    circles: list[CircleOut]
    diversity: DiversityOut
    coverage: list[CoverageOut]
    missing_types: list[str]
    reciprocity: ReciprocityOut
    in_person: InPersonOut
    weekly: list[WeekOut]
    runs: RunsOut
    concentration: ConcentrationOut
    perceived: PerceivedOut
    suggestions: list[SuggestionOut]


def network_answer(found: store.NetworkInsights) -> dict[str, Any]:
    health = found.health
    return {
        "today": health.today,
        "people": health.people,
        "circles": health.circles,
        "diversity": health.diversity,
        "coverage": health.coverage,
        "missing_types": health.missing_types,
        "reciprocity": {"overall": health.reciprocity, "by_person": health.reciprocity_by_person},
        "in_person": health.in_person,
        "weekly": health.weekly,
        "runs": health.runs,
        "concentration": health.concentration,
        "perceived": found.perceived,
        "suggestions": found.suggestions,
    }


@router.get(
    "/network",
    response={200: NetworkOut, **ERRORS},
    summary="Your network's health: circles, diversity, support coverage, balance, contact",
)
def network_insights(request: HttpRequest) -> dict[str, Any]:
    owner: User = request_owner(request)
    return network_answer(store.network(owner, local_today(owner)))


# --- Connection and wellbeing --------------------------------------------------------------------


class SideOut(Schema):
    mean: float | None
    days: int


class DaysNeededOut(Schema):
    with_contact: int
    without_contact: int


class ComparisonOut(Schema):
    with_contact: SideOut
    without_contact: SideOut
    difference: float | None = Field(description="with_contact − without_contact.")
    ci95: tuple[float, float] | None = Field(description="Bootstrap 95% interval [low, high].")
    enough_data: bool = Field(description=f"At least {connection.MIN_DAYS} days on each side.")
    days_needed: DaysNeededOut = Field(description="More days each side needs; 0 when enough.")


class PersonEffectOut(Schema):
    person_id: int
    name: str
    days: int
    mood_with: float
    mood_other: float
    shrunk_with: float = Field(description="Mood with them, leaning toward your usual mood.")
    difference: float = Field(description="shrunk_with − mood_other.")


class ConnectionOut(Schema):
    first: dt.date = Field(alias="from")
    last: dt.date = Field(alias="to")
    checkin_days: int
    contact_days: int
    stress: ComparisonOut
    mood: ComparisonOut
    stress_in_person: ComparisonOut = Field(
        description="Days with in-person contact vs days with no contact at all."
    )
    mood_in_person: ComparisonOut
    next_day_stress: ComparisonOut = Field(
        description="Stress the day after a day with contact vs after a day without."
    )
    people: list[PersonEffectOut]


class RangeFilters(Schema):
    # "from" is a Python keyword, hence the alias.
    first: dt.date | None = Field(
        None, alias="from", description="The first day (ISO date). Left out, a year before 'to'."
    )
    last: dt.date | None = Field(
        None,
        alias="to",
        description=f"The last day, inclusive. Left out, today. At most {store.MAX_RANGE_DAYS} "
        "days in all.",
    )


def comparison_answer(found: connection.Comparison) -> dict[str, Any]:
    return {
        "with_contact": found.with_contact,
        "without_contact": found.without_contact,
        "difference": found.difference,
        "ci95": found.ci95,
        "enough_data": found.enough_data,
        "days_needed": {
            "with_contact": found.days_needed_with,
            "without_contact": found.days_needed_without,
        },
    }


def connection_answer(found: connection.Connection) -> dict[str, Any]:
    return {
        "from": found.first,
        "to": found.last,
        "checkin_days": found.checkin_days,
        "contact_days": found.contact_days,
        **{
            name: comparison_answer(getattr(found, name))
            for name in ("stress", "mood", "stress_in_person", "mood_in_person", "next_day_stress")
        },
        "people": found.people,
    }


@router.get(
    "/connection",
    response={200: ConnectionOut, **ERRORS},
    by_alias=True,
    summary="Stress and mood on days with contact vs without, with 95% intervals",
)
def connection_insights(request: HttpRequest, filters: Query[RangeFilters]) -> dict[str, Any]:
    owner: User = request_owner(request)
    try:
        first, last = store.date_range(local_today(owner), filters.first, filters.last)
    except store.RangeError as error:
        raise InvalidInput({error.field: str(error)}, ("query",)) from None
    return connection_answer(store.wellbeing(owner, first, last).connection)
