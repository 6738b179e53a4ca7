"""Bringing the check-ins, questionnaire results and schedules of a JSON export into an account.

`network.importing.import_document` calls `read_wellbeing` (pure: it checks
every record and names the one at fault) before anything is written, and
`import_wellbeing` inside its one transaction, so a damaged document changes
nothing.

A result is scored again from its answers with `wellbeing.scoring`: the total,
subscales, band and flags the file gives are never used, so a file can't make a
result say something its answers don't (nor hide a safety flag).

Nothing is added twice, and nothing already there is changed. What is "already
there", among the member's own records:

- a **check-in** for the same day: the member's own check-in stays as it is;
- a **result** of the same questionnaire at the same moment;
- a **schedule** for the same questionnaire: its frequency stays as the member set it.

Within one document, two check-ins for one day, or two schedules for one
questionnaire, are refused (an account holds one of each). The counts are one
per check-in, result and schedule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from closeknit.accounts.models import User

# The network import's record checks, so that every message of one import reads alike.
from closeknit.network.importing import (
    ImportResult,
    _list,
    _Record,
    _taken,
    add_new,
    latest_day,
)
from closeknit.wellbeing import checkins, instruments, scoring
from closeknit.wellbeing.models import (
    SCALE_MAX,
    SCALE_MIN,
    SLEEP_MAX,
    Assessment,
    CheckIn,
    QuestionnaireSchedule,
)
from closeknit.wellbeing.store import assessment_row
from closeknit.wellbeing.vocab import SelfCare

__all__ = ["Wellbeing", "import_wellbeing", "read_wellbeing"]

# The schedule's own limits (see QuestionnaireSchedule.every_days).
EVERY_DAYS_MIN = 1
EVERY_DAYS_MAX = 366
SLEEP_PLACES = Decimal("0.01")


# The checked records --------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInEntry:
    day: date
    mood: int | None
    stress: int | None
    sleep_hours: Decimal | None
    self_care: list[str]
    connected: int | None
    note: str
    created_at: datetime | None
    updated_at: datetime | None


@dataclass(frozen=True)
class ResultEntry:
    instrument: str
    answers: list[int | None]
    score: scoring.Score  # worked out here, from the answers
    taken_at: datetime


@dataclass(frozen=True)
class ScheduleEntry:
    instrument: str
    every_days: int
    created_at: datetime | None


@dataclass(frozen=True)
class Wellbeing:
    """Checked check-ins, results and schedules: every value valid, every result scored."""

    checkins: list[CheckInEntry] = field(default_factory=list)
    results: list[ResultEntry] = field(default_factory=list)
    schedules: list[ScheduleEntry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.checkins) + len(self.results) + len(self.schedules)


# Reading (pure) -------------------------------------------------------------------------


def read_wellbeing(doc: dict[str, Any], now: datetime) -> Wellbeing:
    """Check the wellbeing part of an export and turn it into plain entries.

    `now` is the moment of the import: a check-in can't be for a day still ahead.
    Raises ImportFileError naming the record at fault (“Check-in 3: …”).
    """
    latest = latest_day(now)
    entries = []
    days: dict[date, int] = {}
    for n, item in enumerate(_list(doc, "checkins"), 1):
        record = _Record(item, f"Check-in {n}")
        entry = _read_checkin(record, latest)
        if entry.day in days:
            raise record.fail(
                f"check-in {days[entry.day]} is for the same day ({entry.day.isoformat()}); "
                "there can be one check-in a day."
            )
        days[entry.day] = n
        entries.append(entry)
    results = [
        _read_result(_Record(item, f"Questionnaire result {n}"))
        for n, item in enumerate(_list(doc, "assessments"), 1)
    ]
    schedules = []
    scheduled: dict[str, int] = {}
    for n, item in enumerate(_list(doc, "questionnaire_schedules"), 1):
        record = _Record(item, f"Questionnaire schedule {n}")
        schedule = _read_schedule(record)
        if schedule.instrument in scheduled:
            raise record.fail(
                f"schedule {scheduled[schedule.instrument]} is for the same questionnaire; "
                "there can be one schedule for each."
            )
        scheduled[schedule.instrument] = n
        schedules.append(schedule)
    return Wellbeing(entries, results, schedules)


def _read_checkin(record: _Record, latest: date) -> CheckInEntry:
    day = record.day("date")
    if day is None:
        raise record.fail("its “date” is empty.")
    if day < checkins.EARLIEST:
        raise record.fail(f"its “date” ({day.isoformat()}) is further back than a check-in can go.")
    if day > latest:
        raise record.fail(
            f"its “date” ({day.isoformat()}) is still ahead; a check-in is for a day that has come."
        )
    entry = CheckInEntry(
        day=day,
        mood=record.number("mood", SCALE_MIN, SCALE_MAX),
        stress=record.number("stress", SCALE_MIN, SCALE_MAX),
        sleep_hours=_sleep(record),
        self_care=record.choices("self_care", SelfCare.values),
        connected=record.number("connected", SCALE_MIN, SCALE_MAX),
        note=record.text("note"),
        created_at=record.moment("created_at"),
        updated_at=record.moment("updated_at"),
    )
    values = {name: getattr(entry, name) for name in checkins.ANSWER_FIELDS}
    if checkins.is_empty(values):
        raise record.fail("it has nothing in it: no number, no self-care and no note.")
    return entry


def _sleep(record: _Record) -> Decimal | None:
    value = record.item.get("sleep_hours")
    if value is None:
        return None
    problem = "its “sleep_hours” should be a number of hours from 0 to 24, like 7.5."
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise record.fail(problem)
    # Through the text, so 7.1 is 7.10 hours and not the float nearest to it.
    hours = Decimal(str(value))
    if not hours.is_finite() or not Decimal(0) <= hours <= SLEEP_MAX:
        raise record.fail(problem)
    if hours != hours.quantize(SLEEP_PLACES):
        raise record.fail("its “sleep_hours” has more than two decimals.")
    return hours.quantize(SLEEP_PLACES)


def _instrument(record: _Record) -> instruments.Instrument:
    code = record.text("instrument", required=True).strip()
    try:
        return instruments.get(code)
    except KeyError:
        raise record.fail(
            f"“{code}” isn't a questionnaire we know (use one of {', '.join(instruments.CODES)})."
        ) from None


def _read_result(record: _Record) -> ResultEntry:
    instrument = _instrument(record)
    try:
        answers = scoring.check_answers(instrument, record.item.get("answers"))
    except scoring.AnswerError as error:
        message = str(error)
        raise record.fail(message[:1].lower() + message[1:]) from None
    taken_at = record.moment("taken_at", required=True)
    assert taken_at is not None
    return ResultEntry(
        instrument=instrument.code,
        answers=answers,
        score=scoring.score(instrument, answers),
        taken_at=taken_at,
    )


def _read_schedule(record: _Record) -> ScheduleEntry:
    instrument = _instrument(record)
    every_days = record.number("every_days", EVERY_DAYS_MIN, EVERY_DAYS_MAX)
    if every_days is None:
        raise record.fail(
            f"its “every_days” should be a whole number from {EVERY_DAYS_MIN} to {EVERY_DAYS_MAX}."
        )
    return ScheduleEntry(instrument.code, every_days, record.moment("created_at"))


# Writing --------------------------------------------------------------------------------


def import_wellbeing(owner: User, wellbeing: Wellbeing) -> ImportResult:
    """Write checked records into the owner's account; call it inside the import's transaction."""
    now = timezone.now()
    return (
        _import_checkins(owner, wellbeing, now)
        + _import_results(owner, wellbeing)
        + _import_schedules(owner, wellbeing, now)
    )


def _import_checkins(owner: User, wellbeing: Wellbeing, now: datetime) -> ImportResult:
    there = set(CheckIn.objects.owned_by(owner).values_list("day", flat=True))

    def build(entry: CheckInEntry) -> CheckIn:
        created_at = entry.created_at or now
        return CheckIn(
            owner=owner,
            day=entry.day,
            mood=entry.mood,
            stress=entry.stress,
            sleep_hours=entry.sleep_hours,
            self_care=entry.self_care,
            connected=entry.connected,
            note=entry.note,
            created_at=created_at,
            updated_at=entry.updated_at or created_at,
        )

    return add_new(CheckIn, wellbeing.checkins, lambda entry: entry.day in there, build)


def _import_results(owner: User, wellbeing: Wellbeing) -> ImportResult:
    there: Counter[tuple[str, datetime]] = Counter(
        Assessment.objects.owned_by(owner).values_list("instrument", "taken_at")
    )
    return add_new(
        Assessment,
        wellbeing.results,
        lambda entry: _taken(there, (entry.instrument, entry.taken_at)),
        lambda entry: assessment_row(
            owner, entry.instrument, entry.answers, entry.score, entry.taken_at
        ),
    )


def _import_schedules(owner: User, wellbeing: Wellbeing, now: datetime) -> ImportResult:
    there = set(QuestionnaireSchedule.objects.owned_by(owner).values_list("instrument", flat=True))
    return add_new(
        QuestionnaireSchedule,
        wellbeing.schedules,
        lambda entry: entry.instrument in there,
        lambda entry: QuestionnaireSchedule(
            owner=owner,
            instrument=entry.instrument,
            every_days=entry.every_days,
            created_at=entry.created_at or now,
        ),
    )
