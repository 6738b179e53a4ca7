"""/api/v1/rules: the member's early-warning rules, and the nudges they gave (their firings).

The rules are the settings page's own (circle/rules.py says what each means; the
worker looks once a day, at the member's reminder time). There are always four, one
per `kind`, off until turned on; one never saved reads as its defaults. A PUT sends
the whole rule: the fields a kind doesn't use must be null (`threshold` and
`days_needed` are for stress_high and mood_low only; `window_days` is N for those and
D for no_contact). Firings carry their reason: they are the member's own.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.api.writes import InvalidInput
from closeknit.circle import early_warning, rules
from closeknit.circle.models import RuleFiring
from closeknit.circle.rules import RuleKind

router = Router(tags=["circle"])


class RuleIn(Input):
    enabled: bool = Field(description="On or off. Every rule is off until you turn it on.")
    threshold: int | None = Field(
        None,
        description="T, a check-in score from 0 to 10: stress at least T (stress_high), or "
        "mood at most T (mood_low). Null for the other rules.",
    )
    days_needed: int | None = Field(
        None, description="K: on at least K of the last N days (1 to N). Null for other rules."
    )
    window_days: int | None = Field(
        None,
        description="N, the days looked back over, today included (1 to 30), for "
        "stress_high and mood_low; D, days without noted contact (1 to 90), for no_contact. "
        "Null for missed_appointments.",
    )
    cooldown_days: int = Field(description="Days between nudges of this rule, 1 to 90.")
    nudge_supporters: bool = Field(
        description="Also nudge the supporters you share check-in nudges with, a little "
        "after your own nudge. They never hear which rule or why."
    )


class RuleOut(Schema):
    kind: RuleKind
    enabled: bool
    threshold: int | None
    days_needed: int | None
    window_days: int | None
    cooldown_days: int
    nudge_supporters: bool
    description: str = Field(description="The rule in words.")
    checked_on: dt.date | None = Field(
        description="The day (your time) the rule was last looked at, if ever."
    )


class FiringOut(Schema):
    id: int
    kind: RuleKind
    day: dt.date = Field(description="Your local day it fired on.")
    reason: str = Field(description="What was seen, in your words. Never sent to supporters.")
    fired_at: UtcDateTime
    self_nudges: int = Field(description="Gentle nudges put in your outbox, one per channel.")
    supporters: str = Field(
        description="none (only you), waiting (they will be nudged at supporters_due_at "
        "unless you keep it to yourself), kept (you kept it to yourself) or nudged."
    )
    supporters_nudged: int = Field(description="How many supporters it was for.")
    supporters_due_at: UtcDateTime | None
    supporters_cancelled_at: UtcDateTime | None

    @staticmethod
    def resolve_supporters(obj: RuleFiring) -> str:
        return early_warning.supporters_of(obj).state


def _out(rule: early_warning.Rule) -> dict[str, object]:
    return {
        "kind": rule.kind,
        **rule.fields(),
        "description": rule.description,
        "checked_on": rule.stored.checked_on if rule.stored is not None else None,
    }


@router.get(
    "",
    response={200: list[RuleOut], **ERRORS},
    summary="List your four early-warning rules (defaults, off, for one never saved)",
)
@paginated
def list_rules(request: HttpRequest) -> list[dict[str, object]]:
    return [_out(rule) for rule in early_warning.rules_of(request_owner(request))]


# Declared before "/{kind}", so that "firings" is never read as a rule's kind.
@router.get(
    "/firings",
    response={200: list[FiringOut], **ERRORS},
    summary="List the nudges your rules gave, newest first",
)
@paginated
def list_rule_firings(request: HttpRequest) -> object:
    return early_warning.firings_of(request_owner(request))


@router.put(
    "/{kind}",
    response={200: RuleOut, **NOT_FOUND_ERRORS},
    summary="Set one early-warning rule (all its settings)",
)
def update_rule(request: HttpRequest, kind: str, payload: RuleIn) -> dict[str, object]:
    if kind not in rules.KINDS:
        raise Http404
    owner: User = request_owner(request)
    settings = rules.RuleSettings(
        kind=kind,
        threshold=payload.threshold,
        days_needed=payload.days_needed,
        window_days=payload.window_days,
        cooldown_days=payload.cooldown_days,
        enabled=payload.enabled,
    )
    try:
        early_warning.save_rule(owner, settings, payload.nudge_supporters, timezone.now())
    except early_warning.RuleError as error:
        raise InvalidInput(error.errors) from None
    return _out(early_warning.rule_of(owner, kind))
