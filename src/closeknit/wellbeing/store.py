"""Saving and reading check-ins and questionnaire results: the one place the pages and the API share.

The rules themselves are pure (`checkins.py`, `scoring.py`, `schedules.py`);
this module applies them to the database, always through the owner's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.lib.days import local_day
from closeknit.lib.fields import slugs
from closeknit.wellbeing import checkins, instruments, scoring
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule
from closeknit.wellbeing.schedules import Due, Plan, due


class CheckInError(ValueError):
    """A check-in that breaks a rule; `errors` maps each field (or "__all__") to a message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


def today(owner: User, now: dt.datetime | None = None) -> dt.date:
    return local_day(now or timezone.now(), owner.zone)


def save_checkin(
    owner: User, day: dt.date, values: Mapping[str, Any], now: dt.datetime | None = None
) -> tuple[CheckIn, bool]:
    """Create the day's check-in, or change the one already there; returns it and "created".

    Only the fields in `values` change, so a second check-in the same day can add
    to the first. A refused check-in (CheckInError) changes nothing.
    """
    now = now or timezone.now()
    problem = checkins.day_problem(day, local_day(now, owner.zone))
    if problem:
        raise CheckInError({"date": problem})
    try:
        return _save_checkin(owner, day, values, now)
    except IntegrityError:
        # Two first check-ins for one day at once (a double tap): the other one made the
        # row, so this one edits it, as a second check-in that day would.
        return _save_checkin(owner, day, values, now)


def _save_checkin(
    owner: User, day: dt.date, values: Mapping[str, Any], now: dt.datetime
) -> tuple[CheckIn, bool]:
    with transaction.atomic():
        existing = CheckIn.objects.owned_by(owner).select_for_update().filter(day=day).first()
        entry = existing or CheckIn(owner=owner, day=day, created_at=now)
        for name, value in values.items():
            if name not in checkins.ANSWER_FIELDS:
                raise ValueError(f"not a check-in field: {name}")
            setattr(entry, name, slugs(value) if name == "self_care" else value)
        if checkins.is_empty({name: getattr(entry, name) for name in checkins.ANSWER_FIELDS}):
            raise CheckInError({"__all__": checkins.EMPTY})
        try:
            entry.full_clean(exclude=["owner"], validate_unique=False)
        except DjangoValidationError as error:
            raise CheckInError(
                {field: " ".join(messages) for field, messages in error.message_dict.items()}
            ) from None
        entry.updated_at = now
        entry.save()
    return entry, existing is None


def checkins_between(owner: User, first: dt.date, last: dt.date) -> list[CheckIn]:
    return list(
        CheckIn.objects.owned_by(owner).filter(day__gte=first, day__lte=last).order_by("day")
    )


def assessment_row(
    owner: User,
    code: str,
    answers: Sequence[int | None],
    result: scoring.Score,
    taken_at: dt.datetime,
) -> Assessment:
    """An unsaved result: checked answers and exactly what `scoring.score` gave for them.

    The one mapping from a score to its row, for single results and for the code
    that writes many at once (an import, the demo member).
    """
    return Assessment(
        owner=owner,
        instrument=code,
        answers=cast(Any, list(answers)),  # an encrypted JSON column, typed as text
        total=scoring.number(result.total),
        subscales={slug: scoring.number(value) for slug, value in result.subscales.items()},
        band=result.band.slug if result.band else "",
        complete=result.complete,
        prorated=result.prorated,
        flags=list(result.flags),
        taken_at=taken_at,
    )


def record_assessment(
    owner: User, code: str, answers: Sequence[int | None], taken_at: dt.datetime | None = None
) -> tuple[Assessment, scoring.Score]:
    """Score the answers and keep them with their score; AnswerError changes nothing.

    KeyError for an instrument we don't have.
    """
    instrument = instruments.get(code)
    checked = scoring.check_answers(instrument, list(answers))
    result = scoring.score(instrument, checked)
    assessment = assessment_row(owner, code, checked, result, taken_at or timezone.now())
    assessment.save()
    return assessment, result


def rescore(assessment: Assessment) -> scoring.Score:
    """The full score of a saved result (subscale bands, missing items), from its answers."""
    return scoring.score(instruments.get(assessment.instrument), assessment.answers)


def last_taken(owner: User, zone: ZoneInfo) -> dict[str, dt.date]:
    """The local day each questionnaire was last answered, in one query."""
    rows = (
        Assessment.objects.owned_by(owner)
        .values("instrument")
        .annotate(last=Max("taken_at"))
        .values_list("instrument", "last")
    )
    return {code: local_day(last, zone) for code, last in rows}


@dataclass(frozen=True)
class DueQuestionnaire:
    due: Due
    instrument: instruments.Instrument


def plan_of(schedule: QuestionnaireSchedule, zone: ZoneInfo) -> Plan:
    """A saved schedule as the pure rule in `schedules.py` reads it."""
    return Plan(schedule.instrument, schedule.every_days, local_day(schedule.created_at, zone))


def due_questionnaires(
    owner: User,
    now: dt.datetime | None = None,
    saved: list[QuestionnaireSchedule] | None = None,
) -> list[DueQuestionnaire]:
    """The member's scheduled questionnaires that are due today (two queries, or one
    when the caller already read the schedules and passes them as `saved`)."""
    zone = owner.zone
    moment = now or timezone.now()
    if saved is None:
        saved = list(QuestionnaireSchedule.objects.owned_by(owner))
    if not saved:
        return []
    plans = [plan_of(schedule, zone) for schedule in saved]
    found = due(plans, last_taken(owner, zone), local_day(moment, zone))
    return [DueQuestionnaire(one, instruments.get(one.instrument)) for one in found]


def set_schedule(owner: User, code: str, every_days: int) -> QuestionnaireSchedule:
    """Repeat a questionnaire every so many days, or change how often; one per questionnaire."""
    schedule, _created = QuestionnaireSchedule.objects.owned_by(owner).update_or_create(
        owner=owner, instrument=code, defaults={"every_days": every_days}
    )
    return schedule


def stop_schedule(owner: User, code: str) -> bool:
    """Stop repeating a questionnaire; whether there was a schedule to stop."""
    deleted, _ = QuestionnaireSchedule.objects.owned_by(owner).filter(instrument=code).delete()
    return deleted > 0
