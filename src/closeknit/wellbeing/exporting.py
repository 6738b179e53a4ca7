"""Check-ins, questionnaire results and questionnaire schedules in the JSON export.

`network.exporting.export_document` adds these keys after the recovery plan's,
with the same conventions and the API's field names: a check-in's "date" is the
member's local day (2024-03-01), instants are ISO 8601 in UTC, vocabularies are slugs, notes and
answers are decrypted, and every list has a fixed order, so two exports of the
same data are equal. Nothing else in the document points at these records, so
they carry no id: a check-in is known by its day, a result by its questionnaire
and time, a schedule by its questionnaire.

A result's total, subscales and band (null when it is incomplete) are written
for whoever reads the file; an import works them out again from the answers
(see `wellbeing.importing`).

The queries are a fixed number (one per key), however many check-ins there are.
"""

from __future__ import annotations

from typing import Any

from closeknit.accounts.models import User
from closeknit.network.csvio import LIST_SEPARATOR, write_csv
from closeknit.network.exporting import utc
from closeknit.wellbeing import instruments, scoring
from closeknit.wellbeing.checkins import sleep_value
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule

CHECKIN_COLUMNS = ["date", "mood", "stress", "sleep_hours", "self_care", "connected", "note"]


def _checkins(owner: User) -> list[CheckIn]:
    # One per day, so the day alone gives the order.
    return sorted(CheckIn.objects.owned_by(owner), key=lambda checkin: checkin.day)


def wellbeing_document(owner: User) -> dict[str, Any]:
    """The wellbeing keys of the export document: check-ins, results, schedules."""
    results = sorted(
        Assessment.objects.owned_by(owner), key=lambda a: (a.taken_at, a.instrument, a.pk)
    )
    schedules = sorted(
        QuestionnaireSchedule.objects.owned_by(owner), key=lambda s: (s.instrument, s.pk)
    )
    return {
        "checkins": [_checkin(checkin) for checkin in _checkins(owner)],
        "assessments": [_assessment(result) for result in results],
        "questionnaire_schedules": [
            {
                "instrument": schedule.instrument,
                "every_days": schedule.every_days,
                "created_at": utc(schedule.created_at),
            }
            for schedule in schedules
        ],
    }


def _checkin(checkin: CheckIn) -> dict[str, Any]:
    return {
        "date": checkin.day.isoformat(),
        "mood": checkin.mood,
        "stress": checkin.stress,
        "sleep_hours": sleep_value(checkin.sleep_hours),
        "self_care": list(checkin.self_care),
        "connected": checkin.connected,
        "note": checkin.note,
        "created_at": utc(checkin.created_at),
        "updated_at": utc(checkin.updated_at),
    }


def _assessment(result: Assessment) -> dict[str, Any]:
    instrument = instruments.get(result.instrument)
    return {
        "instrument": result.instrument,
        "taken_at": utc(result.taken_at),
        "answers": list(result.answers),
        "total": scoring.stored(instrument, result.total),
        "subscales": {
            slug: scoring.stored(instrument, value) for slug, value in result.subscales.items()
        },
        "band": result.band or None,
        "complete": result.complete,
        "prorated": result.prorated,
        "flags": list(result.flags),
    }


def checkins_csv(owner: User) -> str:
    """One row per check-in, oldest first; self-care joined with ";", an empty cell for a gap."""
    return write_csv(
        CHECKIN_COLUMNS,
        (
            [
                checkin.day.isoformat(),
                checkin.mood,
                checkin.stress,
                checkin.sleep_hours,
                LIST_SEPARATOR.join(checkin.self_care),
                checkin.connected,
                checkin.note,
            ]
            for checkin in _checkins(owner)
        ),
    )


__all__ = ["CHECKIN_COLUMNS", "checkins_csv", "wellbeing_document"]
