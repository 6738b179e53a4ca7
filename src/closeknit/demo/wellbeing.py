"""The demo member's daily check-ins and questionnaire results, built on the contact log.

This part comes after the network's and the recovery plan's in `generate.PARTS`.
It writes a check-in on most days of the whole history (days are missed now and
then, and a few times for a week or more, as real people do) and a year of
questionnaire results with the schedules that ask for them.

The numbers tell the story the rest of the demo tells, without being perfect:

- stress is lower, and mood a little higher, on a local day with any contact in
  the log (about a point on the 0–10 scale, more after a contact that felt good),
  the member's own evidence of what connection does for them;
- there is a slow recovery over the last year (therapy, the goals, going back to
  the group), a winter dip, heavier weekdays and lighter weekends, and
  day-to-day noise with bad patches that last a few days;
- the PHQ-9 (every two weeks) and GAD-7 (every four weeks) fall from mild or
  moderate toward minimal, and the PHQ-9 is due on the demo's "today".

Every result is built from answers and scored by `wellbeing.scoring`; the
PHQ-9's question 9 is always answered 0, so the demo never raises a self-harm
flag. Everything uses the context's seeded generator, and rows are written with
`bulk_create`, so ten years of check-ins add well under a second.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from closeknit.wellbeing import instruments, scoring
from closeknit.wellbeing.models import (
    SCALE_MAX,
    SCALE_MIN,
    Assessment,
    CheckIn,
    QuestionnaireSchedule,
)
from closeknit.wellbeing.store import assessment_row
from closeknit.wellbeing.vocab import SelfCare

if TYPE_CHECKING:
    from closeknit.demo.generate import DemoContext

BATCH_SIZE = 1000
DAY = dt.timedelta(days=1)

# --- Check-ins ----------------------------------------------------------------------------------

# Things got better over the last this many days (therapy, the goals, the group).
RECOVERY_DAYS = 365

# Missed days: this share of ordinary days, a little more at weekends, and a few
# longer breaks (one in about every RUN_EVERY days of history), never in the last weeks.
SKIP_WEEKDAY = 0.08
SKIP_WEEKEND = 0.12
RUN_EVERY = 110
RUN_DAYS = (4, 12)
RUN_CLEAR_DAYS = 21

# How much a day with contact lowers stress, by how the best contact of the day felt.
CONTACT_RELIEF: dict[int | None, float] = {5: 1.4, 4: 1.2, 3: 0.9, 2: 0.4, 1: 0.1, None: 1.0}
# Mood rises by this share of the relief.
CONTACT_LIFT = 0.55
# Monday first: heavier at the start of the working week, lighter at the weekend.
WEEKDAY_STRESS = (0.7, 0.4, 0.3, 0.2, -0.2, -0.7, -0.2)
WEEKDAY_MOOD = (-0.3, -0.1, 0.0, 0.0, 0.2, 0.4, 0.2)
# A bad patch carries over from one day to the next, fading by this much a day.
CARRY = 0.65
# Sleep, in quarter hours, within what people really sleep.
SLEEP_STEP = Decimal("0.25")
SLEEP_RANGE = (3.5, 10.5)
# Questions people leave out now and then.
LEAVE_OUT: dict[str, float] = {"stress": 0.03, "sleep_hours": 0.07, "connected": 0.1}
NOTE_SHARE = 0.09

CHECKIN_NOTES: dict[str, tuple[str, ...]] = {
    "group": (
        "Tuesday group tonight. Glad I went, even though I nearly didn't.",
        "Said more at group than I meant to. It was fine. Better than fine.",
        "Group was quiet tonight, but it was good to be in the room.",
    ),
    "therapy": (
        "Therapy this morning. Tired after, but the good kind of tired.",
        "Went over the early warning signs with Noor again.",
        "Hard session. Walked home the long way to let it settle.",
    ),
    "contact": (
        "{name} made me laugh. Needed that.",
        "Good to hear from {name}.",
        "Talked things through with {name}; felt lighter after.",
        "{name} checked in on me. I didn't have to explain.",
    ),
    "good": (
        "Slept well and got out for a walk. A good day.",
        "Felt more like myself today.",
        "Sun came out; sat in the park for a bit.",
        "Cooked a proper dinner and enjoyed it.",
        "Got through the list and still had some energy left.",
    ),
    "hard": (
        "Tired and flat. Did the basics, and that's enough.",
        "Anxious most of the morning. Box breathing took the edge off.",
        "Didn't want to get up. Made it to the shower: a small win.",
        "Work was a lot today. Early night.",
        "Couldn't settle. Wrote it all down and closed the notebook.",
    ),
    "ordinary": (
        "An ordinary day, and that's fine.",
        "Rain all day. Stayed in with a book.",
        "Slow start, better by the evening.",
        "Nothing much to say. Steady.",
    ),
}


@dataclass
class _ContactDay:
    """What the contact log has on one local day."""

    feelings: list[int | None] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # people met one to one, or a few at a time
    group: bool = False  # the Tuesday peer group
    therapy: bool = False

    @property
    def relief(self) -> float:
        rated = [feeling for feeling in self.feelings if feeling is not None]
        return CONTACT_RELIEF[max(rated) if rated else None]


def _first_name(name: str, nickname: str) -> str:
    return nickname or name.split()[0]


def _contact_days(ctx: DemoContext) -> dict[dt.date, _ContactDay]:
    peer_group = ctx.groups.get("peer_group")
    therapist = ctx.people.get("therapist")
    professionals = {id(ctx.people[key]) for key in ("therapist", "gp") if key in ctx.people}
    days: dict[dt.date, _ContactDay] = {}
    for contact in ctx.contacts:
        day = days.setdefault(contact.occurred_at.astimezone(ctx.zone).date(), _ContactDay())
        day.feelings.append(contact.feeling)
        if contact.group is not None:
            day.group = day.group or contact.group is peer_group
            continue
        day.therapy = day.therapy or therapist in contact.people
        day.names.extend(
            _first_name(person.name, person.nickname)
            for person in contact.people
            if id(person) not in professionals
        )
    return days


def _skipped(ctx: DemoContext, first: dt.date, last: dt.date) -> set[dt.date]:
    """The days without a check-in: a few longer breaks and days missed here and there."""
    rng = ctx.rng
    span = (last - first).days + 1
    skipped: set[dt.date] = set()
    latest_start = span - RUN_CLEAR_DAYS - RUN_DAYS[1]
    for _ in range(max(1, round(span / RUN_EVERY)) if latest_start > 0 else 0):
        start = first + rng.randrange(latest_start) * DAY
        skipped.update(start + n * DAY for n in range(rng.randint(*RUN_DAYS)))
    day = first
    while day <= last:
        if rng.random() < (SKIP_WEEKEND if day.weekday() >= 5 else SKIP_WEEKDAY):
            skipped.add(day)
        day += DAY
    return skipped


def _recovery(ctx: DemoContext, day: dt.date) -> float:
    """0 a year or more ago, rising smoothly to 1 today: the year things got better."""
    x = max(0.0, min(1.0, 1 - (ctx.today - day).days / RECOVERY_DAYS))
    return x * x * (3 - 2 * x)


def _winter(day: dt.date) -> float:
    """1 in mid-January, -1 in mid-July."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365.25)


def _scale(value: float) -> int:
    return max(SCALE_MIN, min(SCALE_MAX, round(value)))


def _sleep(value: float) -> Decimal:
    hours = max(SLEEP_RANGE[0], min(SLEEP_RANGE[1], value))
    return (Decimal(str(round(hours * 4))) * SLEEP_STEP).quantize(Decimal("0.01"))


@dataclass
class _Mood:
    """The slow parts of how the member is: long waves over the years, and today's bad patch."""

    phases: tuple[float, float]
    strain: float = 0.0

    def wave(self, ordinal: int) -> float:
        return 0.6 * math.sin(2 * math.pi * ordinal / 700 + self.phases[0]) + 0.4 * math.sin(
            2 * math.pi * ordinal / 1900 + self.phases[1]
        )


def _self_care(
    ctx: DemoContext, day: dt.date, stress: int, recovery: float, winter: float
) -> list[str]:
    weekend = 1.0 if day.weekday() >= 5 else 0.0
    tense = 1.0 if stress >= 7 else 0.0
    chances = {
        # The "sleep before midnight" and park goals show up as the year goes on.
        SelfCare.SLEEP_ROUTINE: 0.25 + 0.3 * recovery,
        SelfCare.MINDFULNESS: 0.15 + 0.15 * recovery + 0.1 * tense,
        SelfCare.MOVEMENT: 0.25 + 0.2 * recovery + 0.1 * weekend,
        SelfCare.OUTDOORS: 0.22 - 0.08 * winter + 0.15 * weekend,
        SelfCare.CREATIVE: 0.08 + 0.08 * weekend,
        SelfCare.NOURISHING_MEAL: 0.35 + 0.1 * recovery - 0.1 * tense,
        SelfCare.REST: 0.2 + 0.15 * weekend + 0.1 * tense,
        SelfCare.OTHER: 0.03,
    }
    return [str(slug) for slug, chance in chances.items() if ctx.rng.random() < chance]


@dataclass
class _Notes:
    """Short notes from the pools, never the same words twice running from one pool."""

    last: dict[str, str] = field(default_factory=dict)

    def pick(self, ctx: DemoContext, pool: str) -> str:
        options = [note for note in CHECKIN_NOTES[pool] if note != self.last.get(pool)]
        note = ctx.rng.choice(options)
        self.last[pool] = note
        return note

    def write(self, ctx: DemoContext, contact: _ContactDay | None, mood: int, stress: int) -> str:
        """A note now and then: about the day's contact, or else about how the day went."""
        rng = ctx.rng
        if rng.random() >= NOTE_SHARE:
            return ""
        if contact is not None:
            if contact.group and rng.random() < 0.5:
                return self.pick(ctx, "group")
            if contact.therapy and rng.random() < 0.5:
                return self.pick(ctx, "therapy")
            if contact.names and rng.random() < 0.4:
                return self.pick(ctx, "contact").format(name=rng.choice(contact.names))
        if mood >= 7:
            return self.pick(ctx, "good")
        if mood <= 3 or stress >= 8:
            return self.pick(ctx, "hard")
        return self.pick(ctx, "ordinary")


def _checked_in_at(ctx: DemoContext, day: dt.date) -> dt.datetime:
    """Mostly in the evening, sometimes earlier, now and then the next morning; never ahead."""
    rng = ctx.rng
    when = rng.random()
    if when < 0.7:
        moment = ctx.at(day, rng.randint(19, 22), rng.randrange(0, 60, 5))
    elif when < 0.9:
        moment = ctx.at(day, rng.randint(12, 18), rng.randrange(0, 60, 5))
    else:
        moment = ctx.at(day + DAY, rng.randint(7, 9), rng.randrange(0, 60, 5))
    return min(moment, ctx.now)


def _checkin(
    ctx: DemoContext, day: dt.date, mood_state: _Mood, contact: _ContactDay | None, notes: _Notes
) -> CheckIn:
    rng = ctx.rng
    recovery, winter = _recovery(ctx, day), _winter(day)
    wave = mood_state.wave(day.toordinal())
    relief = contact.relief if contact is not None else 0.0
    strain = mood_state.strain
    weekday = day.weekday()
    stress = _scale(
        6.0
        + 0.5 * winter
        + WEEKDAY_STRESS[weekday]
        + strain
        - 1.6 * recovery
        - 0.3 * wave
        - relief
        + rng.gauss(0, 1.0)
    )
    mood = _scale(
        4.7
        - 0.4 * winter
        + WEEKDAY_MOOD[weekday]
        - 0.7 * strain
        + 1.7 * recovery
        + 0.3 * wave
        + CONTACT_LIFT * relief
        + rng.gauss(0, 0.9)
    )
    connected = _scale(
        3.6
        + (2.2 if contact is not None else 0.0)
        + (0.8 if contact is not None and contact.group else 0.0)
        + 0.3 * (mood - 5)
        + 0.6 * recovery
        + rng.gauss(0, 1.1)
    )
    sleep = _sleep(
        7.0
        + (0.6 if weekday >= 5 else 0.0)
        + 0.15 * winter
        - 0.18 * (stress - 5)
        + 0.35 * recovery
        + rng.gauss(0, 0.6)
    )
    self_care = _self_care(ctx, day, stress, recovery, winter)
    note = notes.write(ctx, contact, mood, stress)
    left_out = {name for name, share in LEAVE_OUT.items() if rng.random() < share}
    moment = _checked_in_at(ctx, day)
    return CheckIn(
        owner=ctx.member,
        day=day,
        mood=mood,
        stress=None if "stress" in left_out else stress,
        sleep_hours=None if "sleep_hours" in left_out else sleep,
        self_care=self_care,
        connected=None if "connected" in left_out else connected,
        note=note,
        created_at=moment,
        updated_at=moment,
    )


def _checkins(ctx: DemoContext) -> list[CheckIn]:
    """Most days from the first of the history to yesterday (today's is still to come)."""
    rng = ctx.rng
    first = ctx.start.astimezone(ctx.zone).date() + DAY
    last = ctx.today - DAY
    contact_days = _contact_days(ctx)
    skipped = _skipped(ctx, first, last)
    mood_state = _Mood((rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)))
    notes = _Notes()
    rows = []
    day = first
    while day <= last:
        # The bad patches run on through days without a check-in too.
        mood_state.strain = CARRY * mood_state.strain + rng.gauss(0, 0.75)
        if day not in skipped:
            rows.append(_checkin(ctx, day, mood_state, contact_days.get(day), notes))
        day += DAY
    return rows


# --- Questionnaires -----------------------------------------------------------------------------

# Results over the last year (at every scale), and the schedules that ask for them.
QUESTIONNAIRE_DAYS = 365
SCHEDULES: dict[str, int] = {"phq9": 14, "gad7": 28}
# How the item values of a total tend to spread: sleep and tiredness most, and
# nothing ever on the PHQ-9's question 9 (thoughts of self-harm) in a demo.
PHQ9_WEIGHTS: dict[int, float] = {1: 1.2, 2: 1.2, 3: 1.4, 4: 1.5, 5: 0.8, 6: 0.9, 7: 1.0, 8: 0.4}
PHQ9_SAFETY_ITEM = 9
GAD7_WEIGHTS: dict[int, float] = {1: 1.3, 2: 1.3, 3: 1.2, 4: 1.1, 5: 0.7, 6: 0.9, 7: 0.6}


def _spread(
    ctx: DemoContext,
    instrument: instruments.Instrument,
    total: int,
    weights: Mapping[int, float] | None = None,
) -> list[int | None]:
    """Answers to the scored items whose values add up to `total`, spread by `weights`.

    Items missing from `weights` (when given) stay at their lowest value. A
    reverse-scored item is answered from the other end, so the scorer's total is
    `total` whatever the instrument.
    """
    items = instrument.scored_items
    chances = {
        item.number: (weights or {}).get(item.number, 0.0 if weights else 1.0) for item in items
    }
    values = {item.number: item.lowest for item in items}
    for _ in range(max(0, total - sum(values.values()))):
        open_items = [
            item
            for item in items
            if values[item.number] < item.highest and chances[item.number] > 0
        ]
        if not open_items:
            break
        chosen = ctx.rng.choices(open_items, weights=[chances[i.number] for i in open_items])[0]
        values[chosen.number] += 1
    return [
        item.lowest + item.highest - values[item.number] if item.reverse else values[item.number]
        for item in items
    ]


def _times(
    ctx: DemoContext, last_days_ago: int, every: int, late: Sequence[int]
) -> list[dt.datetime]:
    """Evenings from `last_days_ago` back over the last year, `every` days (and a little) apart."""
    days_ago = last_days_ago
    times = []
    reach = min(QUESTIONNAIRE_DAYS, ctx.scale.days)
    while days_ago <= reach:
        day = ctx.today - days_ago * DAY
        times.append(
            min(ctx.now, ctx.at(day, ctx.rng.randint(19, 21), ctx.rng.randrange(0, 60, 5)))
        )
        days_ago += every + ctx.rng.choice(late)
    return sorted(times)


def _progress(ctx: DemoContext, moment: dt.datetime) -> float:
    """0 a year ago, 1 today."""
    return max(0.0, min(1.0, 1 - (ctx.now - moment).total_seconds() / 86400 / QUESTIONNAIRE_DAYS))


def _total(ctx: DemoContext, start: float, end: float, moment: dt.datetime, noise: float) -> int:
    """A total on the way from `start` (a year ago) to `end` (now), with noise."""
    return max(0, round(start + (end - start) * _progress(ctx, moment) + ctx.rng.gauss(0, noise)))


@dataclass
class _Results:
    rows: list[Assessment] = field(default_factory=list)

    def add(self, ctx: DemoContext, code: str, answers: list[int | None], at: dt.datetime) -> None:
        instrument = instruments.get(code)
        result = scoring.score(instrument, answers)
        self.rows.append(assessment_row(ctx.member, code, answers, result, at))


def _difficulty(ctx: DemoContext, total: int) -> int | None:
    """The PHQ-9's last question (how hard the problems made things), which is never scored."""
    if ctx.rng.random() < 0.1:
        return None  # left out, as it may be
    answer = 0 if total < 5 else 1 if total < 10 else 2 if total < 15 else 3
    # Some find it easier going than their total suggests.
    return max(0, answer - 1) if ctx.rng.random() < 0.2 else answer


def _phq9(ctx: DemoContext, results: _Results) -> None:
    """Every two weeks; the last one exactly two weeks ago, so the next is due today."""
    phq9 = instruments.get("phq9")
    times = _times(ctx, SCHEDULES["phq9"], SCHEDULES["phq9"], (0, 0, 0, 1, 2, 3))
    # One result with a question left out, to show how the PHQ-9 fills in a single gap.
    gap = ctx.rng.randrange(len(times)) if times else -1
    for index, moment in enumerate(times):
        total = min(24, _total(ctx, 11.5, 3.5, moment, 1.5))
        answers = _spread(ctx, phq9, total, PHQ9_WEIGHTS)
        assert answers[PHQ9_SAFETY_ITEM - 1] == 0
        answered = [n for n in PHQ9_WEIGHTS if answers[n - 1]]
        if index == gap and answered:
            answers[ctx.rng.choice(answered) - 1] = None
        results.add(ctx, "phq9", [*answers, _difficulty(ctx, total)], moment)


def _gad7(ctx: DemoContext, results: _Results) -> None:
    gad7 = instruments.get("gad7")
    last = ctx.rng.randint(9, 12)  # not due again for a couple of weeks
    for moment in _times(ctx, last, SCHEDULES["gad7"], (0, 0, 1, 2, 3, 5)):
        total = min(21, _total(ctx, 10.0, 3.5, moment, 1.4))
        results.add(ctx, "gad7", _spread(ctx, gad7, total, GAD7_WEIGHTS), moment)


def _who5(ctx: DemoContext, results: _Results) -> None:
    """About every two months; raw totals from 10 to 16 of 25 (40 to 64 of 100)."""
    who5 = instruments.get("who5")
    for moment in _times(ctx, ctx.rng.randint(20, 35), 61, (-7, -3, 0, 3, 7)):
        total = min(25, _total(ctx, 10.0, 16.0, moment, 1.2))
        results.add(ctx, "who5", _spread(ctx, who5, total), moment)


def _once(ctx: DemoContext, days_ago: int) -> dt.datetime | None:
    """An evening about `days_ago` days back, if the history goes back that far."""
    days_ago += ctx.rng.randint(-10, 10)
    if days_ago >= ctx.scale.days:
        return None
    day = ctx.today - days_ago * DAY
    return min(ctx.now, ctx.at(day, ctx.rng.randint(19, 21), ctx.rng.randrange(0, 60, 5)))


# MSPSS means by subscale (significant other, family, friends), before and after.
MSPSS_MEANS: tuple[tuple[int, dict[str, float]], ...] = (
    (300, {"significant_other": 6.2, "family": 5.0, "friends": 4.0}),
    (60, {"significant_other": 6.4, "family": 5.4, "friends": 5.3}),
)
# LSNS-6 answers (relatives 1–3, friends 4–6): at risk of isolation before, not after,
# though Alex still counts few friends to call on while the log has many (the insights
# page notices that gently).
LSNS6_ANSWERS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (330, (3, 2, 2, 2, 1, 1)),
    (45, (3, 3, 2, 2, 1, 2)),
)


def _one_offs(ctx: DemoContext, results: _Results) -> None:
    """Questionnaires taken once or twice: support, social network, stress, loneliness."""
    mspss = instruments.get("mspss")
    for days_ago, means in MSPSS_MEANS:
        moment = _once(ctx, days_ago)
        if moment is None:
            continue
        by_item = {n: means[s.slug] for s in mspss.subscales for n in s.items}
        answers: list[int | None] = [
            max(1, min(7, round(ctx.rng.gauss(by_item[item.number], 0.6))))
            for item in mspss.scored_items
        ]
        results.add(ctx, "mspss", answers, moment)
    for days_ago, lsns in LSNS6_ANSWERS:
        moment = _once(ctx, days_ago)
        if moment is not None:
            results.add(ctx, "lsns6", list(lsns), moment)
    for code, days_ago, total in (("pss10", 120, 16), ("ucla3", 90, 5)):
        moment = _once(ctx, days_ago)
        if moment is not None:
            instrument = instruments.get(code)
            results.add(ctx, code, _spread(ctx, instrument, total + ctx.rng.randint(-1, 1)), moment)


def _schedules(ctx: DemoContext) -> list[QuestionnaireSchedule]:
    # Made the day before the first result of the year.
    made = ctx.since(QUESTIONNAIRE_DAYS + 1)
    return [
        QuestionnaireSchedule(owner=ctx.member, instrument=code, every_days=days, created_at=made)
        for code, days in SCHEDULES.items()
    ]


def add_wellbeing(ctx: DemoContext) -> None:
    """A check-in on most days of the history, a year of questionnaires and their schedules."""
    rows = _checkins(ctx)
    CheckIn.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    ctx.report(2, 3)
    results = _Results()
    _phq9(ctx, results)
    _gad7(ctx, results)
    _who5(ctx, results)
    _one_offs(ctx, results)
    results.rows.sort(key=lambda row: (row.taken_at, row.instrument))
    Assessment.objects.bulk_create(results.rows, batch_size=BATCH_SIZE)
    QuestionnaireSchedule.objects.bulk_create(_schedules(ctx), batch_size=BATCH_SIZE)
