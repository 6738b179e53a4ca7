"""Early-warning rules: when to nudge the member gently (and, if they chose so, their circle).

Pure functions over plain data (no database, no request, no clock), so every rule is
unit-tested on its own (tests/circle/test_rules.py). The worker gathers the facts, calls
`evaluate` for each rule and records what it says; what a nudge looks like and who gets
it are not decided here.

The rules, in one place:

- Every rule is off until the member turns it on. A rule that is off never fires and
  does not look at the facts at all (its verdict counts nothing).
- Everything here is in the member's local days. Turning instants into days is the
  caller's job, in the member's own time zone (`closeknit.lib.days.local_day`), so a
  change of clocks never changes how days are counted here: a day is a date.
- stress_high: among the last N local days ending today (today−N+1 … today, both
  included), count the days whose check-in has stress ≥ T; it fires when the count is at
  least K. A day without a check-in, or whose check-in has no stress, simply doesn't
  count: it is never taken as high (or as low). Check-ins after today are ignored.
- mood_low: the same, with mood ≤ T.
- no_contact: it fires when (today − since).days ≥ D, where `since` is the later of the
  last local day with any logged contact and the day the member joined. Nothing logged
  yet is not enough on its own: a brand-new member is counted from the day they joined.
  The later of the two, not "the contact if there is one", so contacts imported from
  before joining don't nudge a member in their first week.
- missed_appointments: only appointments noted as attended or missed count (cancelling
  in advance is looking after yourself; "scheduled" means nobody said yet how it went),
  and only those whose local day is today or before. In order of their start, it fires
  when the latest two were both missed and the latest of them started within the last
  RECENT_MISS_DAYS local days (today−13 … today, the same kind of window as the
  check-in rules): an old pair of misses is not news. Two appointments with the very
  same start are read with the attended one as the later, so the answer never depends on
  the order the caller listed them in, and a tie never makes a pair of misses.
- Cooldown: a rule fires at most once per `cooldown_days`. When its condition holds but
  it last fired fewer than `cooldown_days` days ago, the verdict is "held by cooldown"
  and it does not fire; exactly `cooldown_days` days later it may fire again. A
  `last_fired` after today (the member moved west) also holds it.
- Settings: T is a score 0–10; 1 ≤ K ≤ N ≤ 30; D is 1–90 days; the cooldown is 1–90
  days. A field a rule does not use must be empty (None): a stored rule then says only
  what it means, and nothing stray turns up on the settings page or in an export.
  `evaluate` refuses an enabled rule with such problems (a bug in the caller, since the
  form checks them first); `validate` says what to fix in kind words.
- Reasons speak to the member, plainly and kindly: what was seen, never a verdict, no
  "should", no exclamation marks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from closeknit.lib.words import counted, days_ago
from closeknit.recovery.vocab import AppointmentStatus

RuleKind = Literal["stress_high", "mood_low", "no_contact", "missed_appointments"]
KINDS: tuple[str, ...] = get_args(RuleKind)
STRESS_HIGH, MOOD_LOW, NO_CONTACT, MISSED_APPOINTMENTS = KINDS

# The check-in scales (wellbeing.models): 0 very low … 10 very good; 0 none … 10 overwhelming.
SCORE_MIN = 0
SCORE_MAX = 10
MAX_WINDOW_DAYS = 30
MAX_NO_CONTACT_DAYS = 90
MAX_COOLDOWN_DAYS = 90
DEFAULT_COOLDOWN_DAYS = 7

# A pair of misses counts only when the later one started in the last 14 local days.
RECENT_MISS_DAYS = 14
MISSES_IN_A_ROW = 2

ATTENDED = AppointmentStatus.ATTENDED.value
MISSED = AppointmentStatus.MISSED.value
# Only these say how an appointment went; cancelled and scheduled ones are left out.
COUNTED_STATUSES = frozenset({ATTENDED, MISSED})

OFF_REASON = "This rule is off, so it won't nudge you."


@dataclass(frozen=True)
class RuleSettings:
    """One rule as the member set it."""

    kind: str
    threshold: int | None  # T (0–10) for stress_high / mood_low; None otherwise
    days_needed: int | None  # K for stress_high / mood_low; None otherwise
    window_days: int | None  # N for stress_high / mood_low; D for no_contact; None otherwise
    cooldown_days: int
    enabled: bool


@dataclass(frozen=True)
class Facts:
    """What the worker knows, already in the member's local days.

    `appointments` are (start, status) pairs of past appointments in any order; each start
    is an aware datetime in the member's own time zone (`start.astimezone(zone)`), so its
    date is their local day. `member_since` is the local day the member joined.
    """

    today: dt.date
    checkins: Mapping[dt.date, tuple[int | None, int | None]]  # day -> (mood, stress)
    last_contact: dt.date | None
    appointments: Sequence[tuple[dt.datetime, str]]
    last_fired: dt.date | None
    member_since: dt.date


@dataclass(frozen=True)
class Verdict:
    fires: bool
    reason: str
    evidence_days: int  # how many days/appointments met the condition
    held_by_cooldown: bool  # the condition holds but the cooldown keeps it quiet


@dataclass(frozen=True)
class _Finding:
    """What a rule saw, before the cooldown has its say."""

    holds: bool
    reason: str
    evidence: int


def _defaults() -> dict[str, RuleSettings]:
    def rule(
        kind: str, threshold: int | None, needed: int | None, window: int | None
    ) -> RuleSettings:
        return RuleSettings(
            kind=kind,
            threshold=threshold,
            days_needed=needed,
            window_days=window,
            cooldown_days=DEFAULT_COOLDOWN_DAYS,
            enabled=False,
        )

    return {
        STRESS_HIGH: rule(STRESS_HIGH, 7, 3, 5),
        MOOD_LOW: rule(MOOD_LOW, 3, 3, 5),
        NO_CONTACT: rule(NO_CONTACT, None, None, 7),
        MISSED_APPOINTMENTS: rule(MISSED_APPOINTMENTS, None, None, None),
    }


# Starting values for the settings page: all off until the member turns them on.
DEFAULTS: dict[str, RuleSettings] = _defaults()


# --- Settings -------------------------------------------------------------------------------


# Which of the optional fields each kind uses; the others must be left empty.
_USES: dict[str, frozenset[str]] = {
    STRESS_HIGH: frozenset({"threshold", "days_needed", "window_days"}),
    MOOD_LOW: frozenset({"threshold", "days_needed", "window_days"}),
    NO_CONTACT: frozenset({"window_days"}),
    MISSED_APPOINTMENTS: frozenset(),
}

_UNUSED = {
    "threshold": "This rule doesn't use a score, so please leave it empty.",
    "days_needed": "This rule doesn't count days that way, so please leave it empty.",
    "window_days": "This rule doesn't use a number of days, so please leave it empty.",
}


def _in_range(value: object, low: int, high: int) -> bool:
    # bool is an int in Python, but True is not a number of days.
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _score_rule_problems(rule: RuleSettings) -> dict[str, str]:
    problems: dict[str, str] = {}
    needed, window = rule.days_needed, rule.window_days
    if not _in_range(rule.threshold, SCORE_MIN, SCORE_MAX):
        problems["threshold"] = f"Please choose a score between {SCORE_MIN} and {SCORE_MAX}."
    if not _in_range(window, 1, MAX_WINDOW_DAYS):
        problems["window_days"] = (
            f"Please choose how many of the last days, between 1 and {MAX_WINDOW_DAYS}."
        )
        window = None  # so K is checked against its own range only
    if not _in_range(needed, 1, MAX_WINDOW_DAYS):
        problems["days_needed"] = (
            f"Please choose on how many of those days, between 1 and {MAX_WINDOW_DAYS}."
        )
    elif needed is not None and window is not None and needed > window:
        problems["days_needed"] = (
            f"Please choose a number of days no larger than the {window} days it looks back over."
        )
    return problems


def validate(rule: RuleSettings) -> dict[str, str]:
    """What to fix in `rule`, field by field, in kind words; {} when it is fine."""
    problems: dict[str, str] = {}
    if rule.kind in _USES:
        used = _USES[rule.kind]
        for name, message in _UNUSED.items():
            if name not in used and getattr(rule, name) is not None:
                problems[name] = message
        if rule.kind in (STRESS_HIGH, MOOD_LOW):
            problems.update(_score_rule_problems(rule))
        elif rule.kind == NO_CONTACT and not _in_range(rule.window_days, 1, MAX_NO_CONTACT_DAYS):
            problems["window_days"] = (
                "Please choose after how many days without contact, "
                f"between 1 and {MAX_NO_CONTACT_DAYS}."
            )
    else:
        problems["kind"] = (
            "Please choose one of the early-warning rules: stress, mood, contact or appointments."
        )
    if not _in_range(rule.cooldown_days, 1, MAX_COOLDOWN_DAYS):
        problems["cooldown_days"] = (
            "Please choose how many days to wait between nudges, "
            f"between 1 and {MAX_COOLDOWN_DAYS}."
        )
    return problems


def _require_valid(rule: RuleSettings) -> None:
    problems = validate(rule)
    if problems:
        details = "; ".join(f"{name}: {message}" for name, message in sorted(problems.items()))
        raise ValueError(f"Early-warning rule {rule.kind!r} is not valid: {details}")


# --- Words ----------------------------------------------------------------------------------


def _level(kind: str, threshold: int) -> str:
    """The threshold in words; at the end of the scale "or more/lower" would be odd."""
    if kind == STRESS_HIGH:
        return f"at {SCORE_MAX}" if threshold == SCORE_MAX else f"{threshold} or more"
    return f"at {SCORE_MIN}" if threshold == SCORE_MIN else f"{threshold} or lower"


def _measure(kind: str) -> str:
    return "stress" if kind == STRESS_HIGH else "mood"


def _on_days(needed: int, window: int) -> str:
    if window == 1:
        return "today"
    return f"on {needed} of the last {window} days"


def describe(rule: RuleSettings) -> str:
    """The rule in words for the settings page: "When my stress is 7 or more on 3 of …"."""
    _require_valid(rule)
    if rule.kind in (STRESS_HIGH, MOOD_LOW):
        assert rule.threshold is not None and rule.days_needed is not None
        assert rule.window_days is not None
        level = _level(rule.kind, rule.threshold)
        when = _on_days(rule.days_needed, rule.window_days)
        return f"When my {_measure(rule.kind)} is {level} {when}"
    if rule.kind == NO_CONTACT:
        assert rule.window_days is not None
        return f"When I haven't noted contact with anyone for {counted(rule.window_days, 'day')}"
    return "When I miss two appointments in a row"


# --- The rules ------------------------------------------------------------------------------


def _count_days(facts: Facts, window: int, index: int, meets: Callable[[int], bool]) -> int:
    """Days of the last `window` local days whose check-in value at `index` meets the test."""
    count = 0
    for back in range(window):
        scores = facts.checkins.get(facts.today - dt.timedelta(days=back))
        if scores is None:
            continue
        value = scores[index]
        if value is not None and meets(value):
            count += 1
    return count


def _score_reason(kind: str, threshold: int, count: int, window: int) -> str:
    measure, level = _measure(kind), _level(kind, threshold)
    if window == 1:
        verb = "has been" if count else "hasn't been"
        return f"Your {measure} {verb} {level} today."
    if count == 0:
        return f"Your {measure} hasn't been {level} on any of the last {window} days."
    return f"Your {measure} has been {level} on {count} of the last {window} days."


def _score_rule(rule: RuleSettings, facts: Facts) -> _Finding:
    assert rule.threshold is not None and rule.days_needed is not None
    assert rule.window_days is not None
    threshold = rule.threshold
    if rule.kind == STRESS_HIGH:
        count = _count_days(facts, rule.window_days, 1, lambda stress: stress >= threshold)
    else:
        count = _count_days(facts, rule.window_days, 0, lambda mood: mood <= threshold)
    reason = _score_reason(rule.kind, threshold, count, rule.window_days)
    return _Finding(holds=count >= rule.days_needed, reason=reason, evidence=count)


def _no_contact(rule: RuleSettings, facts: Facts) -> _Finding:
    assert rule.window_days is not None
    contact = facts.last_contact
    from_contact = contact is not None and contact >= facts.member_since
    since = contact if from_contact and contact is not None else facts.member_since
    days = max((facts.today - since).days, 0)  # a day after today reads as today
    if from_contact:
        reason = (
            f"It's been {days} days since you last noted contact with someone."
            if days > 1
            else f"You last noted contact with someone {days_ago(days)}."
        )
    elif days > 1:
        reason = f"It's been {days} days since you joined, and no contact is noted since."
    else:
        reason = f"You joined {days_ago(days)}, and no contact is noted yet."
    return _Finding(holds=days >= rule.window_days, reason=reason, evidence=days)


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("An appointment's start must be an aware datetime (with a time zone).")


def _counted_appointments(facts: Facts) -> list[tuple[dt.datetime, str]]:
    """Attended and missed appointments up to today, oldest first (attended last on a tie)."""
    counted = []
    for start, status in facts.appointments:
        _require_aware(start)
        if status in COUNTED_STATUSES and start.date() <= facts.today:
            counted.append((start, status))
    counted.sort(key=lambda row: (row[0], row[1] == ATTENDED))
    return counted


def _misses_at_the_end(counted: list[tuple[dt.datetime, str]]) -> int:
    run = 0
    for _start, status in reversed(counted):
        if status != MISSED:
            break
        run += 1
    return run


def _missed_reason(run: int, total: int, days_since: int, recent: bool) -> str:
    if total == 0:
        return "There are no appointments noted as attended or missed yet."
    if run == 0:
        return "You went to your most recent appointment."
    if run == 1:
        if total == 1:
            return "You couldn't make your most recent appointment."
        return "You couldn't make your most recent appointment, and you went to the one before."
    last = (
        "your last two appointments" if run == MISSES_IN_A_ROW else f"your last {run} appointments"
    )
    if recent:
        return f"You couldn't make {last}."
    return f"You couldn't make {last}; the most recent was {days_since} days ago."


def _missed_appointments(rule: RuleSettings, facts: Facts) -> _Finding:
    counted = _counted_appointments(facts)
    run = _misses_at_the_end(counted)
    days_since = (facts.today - counted[-1][0].date()).days if counted else 0
    recent = bool(counted) and days_since < RECENT_MISS_DAYS
    # Old misses are not news, so they are not evidence either.
    evidence = run if recent else 0
    reason = _missed_reason(run, len(counted), days_since, recent)
    return _Finding(holds=recent and run >= MISSES_IN_A_ROW, reason=reason, evidence=evidence)


_CHECKS: dict[str, Callable[[RuleSettings, Facts], _Finding]] = {
    STRESS_HIGH: _score_rule,
    MOOD_LOW: _score_rule,
    NO_CONTACT: _no_contact,
    MISSED_APPOINTMENTS: _missed_appointments,
}


def _held_reason(reason: str, elapsed: int, cooldown: int) -> str:
    when = days_ago(elapsed) if elapsed >= 0 else "recently"
    wait = counted(cooldown - elapsed, "more day")
    return f"{reason} You had a gentle nudge about this {when}, so it will stay quiet for {wait}."


def evaluate(rule: RuleSettings, facts: Facts) -> Verdict:
    """Whether `rule` fires today, with kind words for the member and the evidence behind it."""
    if not rule.enabled:
        return Verdict(fires=False, reason=OFF_REASON, evidence_days=0, held_by_cooldown=False)
    _require_valid(rule)
    found = _CHECKS[rule.kind](rule, facts)
    if not found.holds:
        return Verdict(
            fires=False, reason=found.reason, evidence_days=found.evidence, held_by_cooldown=False
        )
    if facts.last_fired is not None:
        elapsed = (facts.today - facts.last_fired).days
        if elapsed < rule.cooldown_days:
            return Verdict(
                fires=False,
                reason=_held_reason(found.reason, elapsed, rule.cooldown_days),
                evidence_days=found.evidence,
                held_by_cooldown=True,
            )
    return Verdict(
        fires=True, reason=found.reason, evidence_days=found.evidence, held_by_cooldown=False
    )
