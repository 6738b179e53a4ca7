"""What connection does for the member: their own evidence, from their own days. Pure.

Check-ins give each local day's mood and stress; the contact log says which days had
contact, in person or not, and with whom. Days without a check-in (or without the
measure asked about) are left out, never counted as zero. A comparison needs at least
MIN_DAYS days on each side; below that the answer is "not enough data yet", with how
many more days each side needs.

The rules, in one place:

- Only the local days first … last count; check-ins and contact outside are ignored.
  There is one check-in per day (the database makes it so); given two, the later in
  `scores` is the one that counts.
- A contact day is a key of `contact`: any logged contact, with or without names. Every
  other day of the range is a day without contact — the log is the truth about
  contact, so a day with a check-in but nothing logged is a day without.
- A day counts for a measure only if it has a check-in whose value for that measure is
  not None. A check-in with a mood but no stress counts for mood only. A day without a
  check-in is on neither side of anything.
- `stress`, `mood`: days with contact vs days without.
- `stress_in_person`, `mood_in_person`: days with in-person contact vs days with no
  contact at all. Days with only remote contact are on neither side, so the comparison
  is "seeing someone" against "nobody", not against "a call".
- `next_day_stress`: for each day d of the range whose next day is also in the range,
  the stress on d+1, on the "with" side when d was a contact day and on the "without"
  side when it was not. The check-in that counts is the one on d+1; d itself needs none.
  The last day of the range has no next day in the range and is never a d.
- Enough data: at least MIN_DAYS days on each side. Then `difference` is
  with − without (a negative stress difference is lower stress with contact) and
  `ci95` its bootstrap percentile 95% interval (`stats.mean_difference`). Below that,
  `difference` and `ci95` are None, but the means and day counts are still given, and
  `days_needed_with` / `days_needed_without` say how many more days each side needs
  (0 for a side that has enough).
- `checkin_days`: days of the range with a check-in, whatever it holds.
  `contact_days`: contact days of the range.
- People (mood only): the member's "usual" is the mean mood of all days of the range
  with a mood. For each person id in `names` (ids not there are archived people and are
  ignored), the days with them are the mood days whose contact names them.
  `mood_with` is the plain mean of those days, `mood_other` the mean of the member's
  other mood days, `shrunk_with = (n·mood_with + PRIOR_DAYS·usual) / (n + PRIOR_DAYS)`
  and `difference = shrunk_with − mood_other`. Sorted by difference, largest first,
  then by name (then id, so equal names keep a fixed order).
- PRIOR_DAYS = 7: the usual counts as seven days of evidence, so a person needs about a
  week of days together before their own mean weighs as much as the member's usual.
  One lovely afternoon moves the estimate an eighth of the way, not all of it.
- MIN_PERSON_DAYS = 3 on both sides: a person is listed only with at least three mood
  days with them and three without. One or two days are an occasion, not a pattern;
  even shrunk, a row on the page would look like a finding. Three "other" days are
  needed for the same reason (someone who is there almost every day has nothing to be
  compared with).
- No one is listed until the member has MIN_DAYS mood days in all: before that their
  "usual" is itself too thin to measure anyone against.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from closeknit.insights import stats

MIN_DAYS = 14
MEASURES = ("stress", "mood")
MIN_PERSON_DAYS = 3
PRIOR_DAYS = 7


# --- Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayScores:
    """One day's check-in; either number may be missing."""

    day: dt.date
    mood: int | None
    stress: int | None


@dataclass(frozen=True)
class DayContact:
    """A local day with logged contact."""

    day: dt.date
    person_ids: frozenset[int]
    in_person: bool


# --- Outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    mean: float | None  # None with no days
    days: int


@dataclass(frozen=True)
class Comparison:
    """One measure on two kinds of day, e.g. stress with contact vs without."""

    measure: str  # "stress" or "mood"
    with_contact: Side
    without_contact: Side
    difference: float | None  # with − without; None when not enough data
    ci95: tuple[float, float] | None  # bootstrap percentile interval for the difference
    enough_data: bool
    days_needed_with: int  # more days needed on the "with" side (0 when enough)
    days_needed_without: int


@dataclass(frozen=True)
class PersonEffect:
    """Mood on days with one person vs the member's other days."""

    person_id: int
    name: str
    days: int  # days with them that have a mood
    mood_with: float  # the plain mean
    mood_other: float  # mean mood on the member's other days
    shrunk_with: float  # pulled toward the member's mean so few days say little
    difference: float  # shrunk_with − mood_other


@dataclass(frozen=True)
class Connection:
    first: dt.date
    last: dt.date
    checkin_days: int  # days in the range with a check-in
    contact_days: int  # days in the range with contact
    stress: Comparison  # any contact vs none
    mood: Comparison
    stress_in_person: Comparison  # in-person contact vs no contact at all
    mood_in_person: Comparison
    next_day_stress: Comparison  # stress the day after a contact day vs after a day without
    people: list[PersonEffect]  # biggest shrunk difference first


def connection(
    scores: Sequence[DayScores],
    contact: Mapping[dt.date, DayContact],
    names: Mapping[int, str],
    first: dt.date,
    last: dt.date,
) -> Connection:
    """Every comparison of the wellbeing page over the member's local days first … last."""
    days = _days(first, last)
    checkins = {score.day: score for score in scores if first <= score.day <= last}
    contacts = {day: found for day, found in contact.items() if first <= day <= last}

    def had_contact(day: dt.date) -> bool:
        return day in contacts

    def in_person(day: dt.date) -> bool | None:
        found = contacts.get(day)
        if found is None:
            return False
        # Remote-only days are on neither side: "seeing someone" vs "nobody".
        return True if found.in_person else None

    def stress(day: dt.date) -> int | None:
        return _value(checkins.get(day), "stress")

    def mood(day: dt.date) -> int | None:
        return _value(checkins.get(day), "mood")

    def next_day_stress(day: dt.date) -> int | None:
        return stress(day + dt.timedelta(days=1))

    return Connection(
        first=first,
        last=last,
        checkin_days=len(checkins),
        contact_days=len(contacts),
        stress=_compare("stress", days, had_contact, stress),
        mood=_compare("mood", days, had_contact, mood),
        stress_in_person=_compare("stress", days, in_person, stress),
        mood_in_person=_compare("mood", days, in_person, mood),
        # Every day but the last: its next day must be in the range too.
        next_day_stress=_compare("stress", days[:-1], had_contact, next_day_stress),
        people=_people(checkins, contacts, names),
    )


# --- Comparisons --------------------------------------------------------------------------------


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    """first … last, inclusive; none when last is before first."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _value(checkin: DayScores | None, measure: str) -> int | None:
    if checkin is None:
        return None
    return checkin.stress if measure == "stress" else checkin.mood


def _compare(
    measure: str,
    days: Sequence[dt.date],
    side_of: Callable[[dt.date], bool | None],
    value_of: Callable[[dt.date], int | None],
) -> Comparison:
    """One measure on two kinds of day; `side_of` says True (with), False (without) or None."""
    with_values: list[float] = []
    without_values: list[float] = []
    for day in days:
        value = value_of(day)
        if value is None:
            continue  # no check-in, or none for this measure: left out, never zero
        side = side_of(day)
        if side is True:
            with_values.append(value)
        elif side is False:
            without_values.append(value)
    return _comparison(measure, with_values, without_values)


def _comparison(measure: str, with_values: list[float], without_values: list[float]) -> Comparison:
    needed_with = max(0, MIN_DAYS - len(with_values))
    needed_without = max(0, MIN_DAYS - len(without_values))
    enough = needed_with == 0 and needed_without == 0
    if not enough:
        return Comparison(
            measure=measure,
            with_contact=_side(with_values),
            without_contact=_side(without_values),
            difference=None,
            ci95=None,
            enough_data=False,
            days_needed_with=needed_with,
            days_needed_without=needed_without,
        )
    found = stats.mean_difference(with_values, without_values)
    return Comparison(
        measure=measure,
        with_contact=Side(mean=found.mean_a, days=len(with_values)),
        without_contact=Side(mean=found.mean_b, days=len(without_values)),
        difference=found.difference,
        ci95=found.ci95,
        enough_data=True,
        days_needed_with=0,
        days_needed_without=0,
    )


def _side(values: list[float]) -> Side:
    return Side(mean=fmean(values) if values else None, days=len(values))


# --- People -------------------------------------------------------------------------------------


def _people(
    checkins: Mapping[dt.date, DayScores],
    contacts: Mapping[dt.date, DayContact],
    names: Mapping[int, str],
) -> list[PersonEffect]:
    """Mood with each known person vs the member's other days, shrunk toward their usual."""
    moods = {day: found.mood for day, found in checkins.items() if found.mood is not None}
    if len(moods) < MIN_DAYS:
        return []
    total = float(sum(moods.values()))
    usual = total / len(moods)
    together: dict[int, list[int]] = defaultdict(list)
    for day, value in moods.items():
        found = contacts.get(day)
        if found is None:
            continue
        for person_id in found.person_ids:
            if person_id in names:
                together[person_id].append(value)
    effects = [
        _person_effect(person_id, names[person_id], values, total, len(moods), usual)
        for person_id, values in together.items()
        if len(values) >= MIN_PERSON_DAYS and len(moods) - len(values) >= MIN_PERSON_DAYS
    ]
    return sorted(effects, key=lambda effect: (-effect.difference, effect.name, effect.person_id))


def _person_effect(
    person_id: int, name: str, values: list[int], total: float, mood_days: int, usual: float
) -> PersonEffect:
    days = len(values)
    with_sum = float(sum(values))
    mood_with = with_sum / days
    # The member's other days are every mood day not with this person.
    mood_other = (total - with_sum) / (mood_days - days)
    shrunk_with = (days * mood_with + PRIOR_DAYS * usual) / (days + PRIOR_DAYS)
    return PersonEffect(
        person_id=person_id,
        name=name,
        days=days,
        mood_with=mood_with,
        mood_other=mood_other,
        shrunk_with=shrunk_with,
        difference=shrunk_with - mood_other,
    )
