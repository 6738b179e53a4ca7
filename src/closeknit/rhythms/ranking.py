"""Whom to reach out to today, and why: the reach-out list as one pure ranking.

Plain data in (`Facts` for each person, the member's local today, whether today is a
hard day), ranked `Suggestion`s out, each with one kind sentence saying why. The
database work is in reach_out.py; the tests are in tests/rhythms/test_ranking.py.

Who is never on the list, whatever else is true:
- archived people;
- anyone the member was in touch with today: logging contact takes a person off at
  once. A contact logged for a later local day counts as in touch, too;
- anyone paused ("not now" or a snooze) until their pause's day; they are back on
  the list that day (`until` is exclusive).

Everyone else is on the list for at least one of these reasons:
- rhythm: the member hopes to be in touch every `rhythm_days`, and the days since the
  last contact have reached it (the overdue ratio, days since ÷ rhythm, is 1 or more).
  Someone never in touch counts as exactly due (ratio 1): not late, simply not yet begun;
- occasion: their birthday, an anniversary or another occasion of theirs is within
  `OCCASION_WINDOW_DAYS`;
- thanks: they gave the member support (contact "received" or "mutual", with a support
  type) `THANKS_AFTER` times or more in the last `THANKS_WINDOW_DAYS` since the member
  last wrote them a note of thanks;
- a hard day: when the member's latest stress, today's or else yesterday's, was
  `HIGH_STRESS` or more, inner-circle people and emotional supporters who have a rhythm
  are on the list even when not yet due: a hard day is exactly when to lean on them.
People without a rhythm are on the list only for an occasion or thanks; people not yet
due with no other reason are not on it.

The score (higher first) adds up what applies:
- rhythm: closeness × the overdue ratio, capped at `RATIO_CAP`: past four rhythms a long
  silence is simply long, and a list led by one long-lost name helps nobody;
- occasion: closeness × 3 on the day itself, falling evenly to 1 two weeks ahead;
- thanks: 1, and a quarter more for each time past `THANKS_AFTER`, up to 2: a nudge, never
  the main thing;
- closeness (`CLOSENESS`) weighs inner above middle above outer;
- on a hard day, inner-circle people and emotional supporters get `STRESS_LIFT`, larger
  than any score without it, so they come first.
Ties go by name, then id, so the order never changes between two looks.

The reason names the strongest part (ties: occasion, rhythm, thanks); the hard-day words
only when nothing else applies. Words are plain and kind: how long it has been and what
the member hoped for, never what they "failed" to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from closeknit.network.vocab import Circle, SupportType
from closeknit.network.wording import short_name
from closeknit.rhythms.vocab import PauseKind

OCCASION_WINDOW_DAYS = 14
THANKS_WINDOW_DAYS = 30
THANKS_AFTER = 5
HIGH_STRESS = 7
RATIO_CAP = 4.0

CLOSENESS: dict[str, float] = {
    Circle.INNER.value: 1.5,
    Circle.MIDDLE.value: 1.0,
    Circle.OUTER.value: 0.75,
}
OCCASION_TODAY_POINTS = 3.0
OCCASION_LAST_POINTS = 1.0
THANKS_POINTS = 1.0
THANKS_EXTRA_POINTS = 0.25
THANKS_MAX_POINTS = 2.0
# Above the largest score without it: the most overdue inner-circle person, with an
# occasion today, who is also owed thanks.
STRESS_LIFT = 20.0

# "Not now" is until tomorrow; a snooze is for one of these many days.
SNOOZE_DAYS = (3, 7, 14, 30)

# What a suggestion's reason is about, strongest first when two weigh the same.
OCCASION = "occasion"
RHYTHM = "rhythm"
NEVER = "never"  # a rhythm, and no contact logged yet
THANKS = "thanks"
HARD_DAY = "hard_day"
_PRECEDENCE = (OCCASION, RHYTHM, THANKS)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Facts:
    """What the ranking knows about one person; days are local days of the member."""

    person_id: int
    name: str
    nickname: str = ""
    circle: str = Circle.MIDDLE.value
    support_types: frozenset[str] = frozenset()
    rhythm_days: int | None = None
    last_contact: dt.date | None = None
    occasion_in_days: int | None = None  # their next occasion is this many days ahead
    occasion_title: str = ""  # e.g. "Sam's birthday"
    support_since_thanks: int = 0  # times they supported the member since last thanked
    paused_until: dt.date | None = None  # off the list before this day
    archived: bool = False


@dataclass(frozen=True)
class Suggestion:
    """Someone to reach out to today, with the one reason that weighs most."""

    person_id: int
    name: str
    reason: str
    days_since_contact: int | None
    rhythm_days: int | None
    score: float
    short_name: str = ""
    reason_kind: str = RHYTHM
    last_contact: dt.date | None = None
    circle: str = Circle.MIDDLE.value


def is_high_stress(stress_by_day: Mapping[dt.date, int | None], today: dt.date) -> bool:
    """Whether today is a hard day: the latest stress noted, today's or else yesterday's,
    was HIGH_STRESS or more. A check-in without a stress answer says nothing either way."""
    for day in (today, today - dt.timedelta(days=1)):
        stress = stress_by_day.get(day)
        if stress is not None:
            return stress >= HIGH_STRESS
    return False


def thanks_window_start(today: dt.date) -> dt.date:
    """The first local day whose support counts towards thanks: today and the 29 before."""
    return today - dt.timedelta(days=THANKS_WINDOW_DAYS - 1)


def pause_until(kind: str, today: dt.date, days: int | None = None) -> dt.date:
    """The day a paused person is back on the list: tomorrow for "not now", else after
    `days` (one of SNOOZE_DAYS)."""
    if kind == PauseKind.NOT_NOW.value:
        return today + dt.timedelta(days=1)
    if kind == PauseKind.SNOOZE.value:
        if days not in SNOOZE_DAYS:
            raise ValueError(f"a snooze is for one of {SNOOZE_DAYS} days, not {days}")
        return today + dt.timedelta(days=days)
    raise ValueError(f"not a kind of pause: {kind!r}")


def closeness(circle: str) -> float:
    try:
        return CLOSENESS[circle]
    except KeyError:
        raise ValueError(f"not a circle: {circle!r}") from None


def overdue_ratio(days_since: int | None, rhythm_days: int) -> float:
    """Days since the last contact ÷ the rhythm; never in touch counts as exactly due."""
    if rhythm_days < 1:
        raise ValueError("a rhythm is at least one day")
    if days_since is None:
        return 1.0
    return days_since / rhythm_days


def occasion_points(days_ahead: int) -> float:
    """3 on the day, falling evenly to 1 at the edge of the window."""
    share = days_ahead / OCCASION_WINDOW_DAYS
    return OCCASION_TODAY_POINTS - (OCCASION_TODAY_POINTS - OCCASION_LAST_POINTS) * share


def thanks_points(times: int) -> float:
    extra = THANKS_EXTRA_POINTS * (times - THANKS_AFTER)
    return min(THANKS_POINTS + extra, THANKS_MAX_POINTS)


def leans_on(facts: Facts) -> bool:
    """Someone to lean on on a hard day: the inner circle and emotional supporters."""
    return facts.circle == Circle.INNER.value or SupportType.EMOTIONAL.value in facts.support_types


def when_words(day: dt.date, today: dt.date) -> str:
    """ "today", "tomorrow", "on Friday" within the week, "on Friday 21 June" after."""
    ahead = (day - today).days
    if ahead == 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    weekday = _WEEKDAYS[day.weekday()]
    if ahead < len(_WEEKDAYS):
        return f"on {weekday}"
    return f"on {weekday} {day.day} {_MONTHS[day.month - 1]}"


def _every(rhythm_days: int, unit: bool) -> str:
    if rhythm_days == 1:
        return "every day"
    return f"every {rhythm_days} days" if unit else f"every {rhythm_days}"


def _ago(days: int) -> str:
    return "yesterday" if days == 1 else f"{days} days ago"


def reason_words(kind: str, facts: Facts, today: dt.date, days_since: int | None) -> str:
    """The one sentence the member reads about this person."""
    who = short_name(facts.name, facts.nickname)
    if kind == OCCASION:
        title = facts.occasion_title or f"{who}'s day"
        if who.casefold() not in title.casefold():
            title = f"{title} with {who}"  # "Our anniversary with Jamie"
        ahead = facts.occasion_in_days or 0
        return f"{title} is {when_words(today + dt.timedelta(days=ahead), today)}."
    if kind == NEVER and facts.rhythm_days is not None:
        every = _every(facts.rhythm_days, unit=True)
        return f"You haven't logged any contact with {who} yet; you hoped for {every}."
    if kind == RHYTHM and facts.rhythm_days is not None and days_since is not None:
        every = _every(facts.rhythm_days, unit=False)
        return f"You and {who} last talked {_ago(days_since)}; you hoped for {every}."
    if kind == THANKS:
        return f"{who} has been there for you a lot lately; maybe tell them what it meant."
    return f"If things feel heavy, {who} is someone you can lean on."


def is_paused(facts: Facts, today: dt.date) -> bool:
    return facts.paused_until is not None and facts.paused_until > today


def suggest(facts: Facts, today: dt.date, *, high_stress: bool = False) -> Suggestion | None:
    """This person's suggestion for today, or None when they are not on the list."""
    if facts.archived or is_paused(facts, today):
        return None
    days_since = None if facts.last_contact is None else (today - facts.last_contact).days
    if days_since is not None and days_since <= 0:
        return None
    weight = closeness(facts.circle)
    parts: dict[str, float] = {}
    if facts.rhythm_days is not None:
        ratio = overdue_ratio(days_since, facts.rhythm_days)
        if ratio >= 1:
            parts[RHYTHM] = weight * min(ratio, RATIO_CAP)
    ahead = facts.occasion_in_days
    if ahead is not None and 0 <= ahead <= OCCASION_WINDOW_DAYS:
        parts[OCCASION] = weight * occasion_points(ahead)
    if facts.support_since_thanks >= THANKS_AFTER:
        parts[THANKS] = thanks_points(facts.support_since_thanks)
    lifted = high_stress and leans_on(facts)
    if not parts and not (lifted and facts.rhythm_days is not None):
        return None
    if parts:
        strongest = max(parts.values())
        kind = next(k for k in _PRECEDENCE if parts.get(k) == strongest)
        if kind == RHYTHM and days_since is None:
            kind = NEVER
    else:
        kind = HARD_DAY
    score = sum(parts.values()) + (STRESS_LIFT if lifted else 0.0)
    return Suggestion(
        person_id=facts.person_id,
        name=facts.name,
        reason=reason_words(kind, facts, today, days_since),
        days_since_contact=days_since,
        rhythm_days=facts.rhythm_days,
        score=score,
        short_name=short_name(facts.name, facts.nickname),
        reason_kind=kind,
        last_contact=facts.last_contact,
        circle=facts.circle,
    )


def rank(people: Iterable[Facts], today: dt.date, *, high_stress: bool = False) -> list[Suggestion]:
    """Today's reach-out list: highest score first, then by name, then by id."""
    found = [suggest(facts, today, high_stress=high_stress) for facts in people]
    return sorted(
        (one for one in found if one is not None),
        key=lambda one: (-one.score, one.name.casefold(), one.name, one.person_id),
    )
