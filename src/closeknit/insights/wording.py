"""The wellbeing page's figures in words: pure, so each sentence is tested on its own.

- An effect with enough days reads "On days with contact your stress averaged 3.9,
  on days without 5.1: about 1.2 lower (95% interval 0.8 to 1.6), from 240 and 98
  days." Every number is rounded to one decimal; "lower" or "higher" comes from the
  unrounded difference, and a difference that rounds to 0.0 reads "about the same",
  so rounding never invents or flips a direction. An interval that reaches both
  sides of zero says so ("from 0.3 lower to 0.2 higher").
- Without enough days: "Not enough data yet: 6 more days without contact and 2 more
  with contact are needed." No mean is shown then: a handful of days says little.
"""

from __future__ import annotations

from dataclasses import dataclass

from closeknit.insights.connection import Comparison, Connection, PersonEffect
from closeknit.lib.words import counted

# Role diversity's band, in kind words (never a grade).
DIVERSITY_BANDS = {
    "none": "No contact logged in the last two weeks yet",
    "low": "A few kinds of relationship",
    "moderate": "A good mix of relationships",
    "high": "A wide mix of relationships",
}


@dataclass(frozen=True)
class EffectWords:
    """How one comparison is said."""

    title: str
    measure: str  # "stress" or "mood"
    with_days: str  # "On days with contact"
    without_days: str  # "on days without"
    more_with: str  # "2 more days with contact"
    more_without: str


EFFECTS = {
    "stress": EffectWords(
        "Stress on days with contact",
        "stress",
        "On days with contact",
        "on days without",
        "with contact",
        "without contact",
    ),
    "mood": EffectWords(
        "Mood on days with contact",
        "mood",
        "On days with contact",
        "on days without",
        "with contact",
        "without contact",
    ),
    "stress_in_person": EffectWords(
        "Stress on days you saw someone",
        "stress",
        "On days you saw someone in person",
        "on days with no contact at all",
        "with contact in person",
        "without any contact",
    ),
    "mood_in_person": EffectWords(
        "Mood on days you saw someone",
        "mood",
        "On days you saw someone in person",
        "on days with no contact at all",
        "with contact in person",
        "without any contact",
    ),
    "next_day_stress": EffectWords(
        "Stress the day after",
        "stress",
        "The day after a day with contact",
        "the day after a day without",
        "after a day with contact",
        "after a day without contact",
    ),
}


@dataclass(frozen=True)
class EffectCard:
    key: str
    title: str
    comparison: Comparison
    sentence: str
    so_far: str  # the days behind a comparison without enough of them; "" with enough


@dataclass(frozen=True)
class PersonLine:
    effect: PersonEffect
    difference: str  # the shrunk difference in words: "about 0.6 higher"


def one_decimal(value: float) -> str:
    """A size to one decimal, never "-0.0"."""
    return f"{abs(value):.1f}"


def difference_words(difference: float) -> str:
    """ "about 1.2 lower", "about 0.4 higher", or "about the same" when it rounds to 0.0."""
    size = one_decimal(difference)
    if size == one_decimal(0):
        return "about the same"
    return f"about {size} {'lower' if difference < 0 else 'higher'}"


def _end(value: float) -> str:
    size = one_decimal(value)
    if size == one_decimal(0):
        return size
    return f"{size} {'lower' if value < 0 else 'higher'}"


def interval_words(low: float, high: float, difference: float) -> str:
    """The 95% interval, in the direction the difference is said in when both ends agree."""
    said = difference_words(difference)
    if high <= 0 and said.endswith("lower"):
        return f"95% interval {one_decimal(high)} to {one_decimal(low)}"
    if low >= 0 and said.endswith("higher"):
        return f"95% interval {one_decimal(low)} to {one_decimal(high)}"
    if high <= 0:
        return f"95% interval {one_decimal(high)} to {one_decimal(low)} lower"
    if low >= 0:
        return f"95% interval {one_decimal(low)} to {one_decimal(high)} higher"
    return f"95% interval from {_end(low)} to {_end(high)}"


def needed_words(comparison: Comparison, words: EffectWords) -> str:
    """ "Not enough data yet: 6 more days without contact and 2 more with contact are needed." """
    parts = []
    if comparison.days_needed_without:
        parts.append((comparison.days_needed_without, words.more_without))
    if comparison.days_needed_with:
        parts.append((comparison.days_needed_with, words.more_with))
    if not parts:
        return "Not enough data yet."
    first_count, first_words = parts[0]
    said = f"{first_count} more {'day' if first_count == 1 else 'days'} {first_words}"
    if len(parts) == 2:
        said += f" and {parts[1][0]} more {parts[1][1]}"
    verb = "is" if len(parts) == 1 and first_count == 1 else "are"
    return f"Not enough data yet: {said} {verb} needed."


def effect_sentence(comparison: Comparison, words: EffectWords) -> str:
    with_side, without_side = comparison.with_contact, comparison.without_contact
    if (
        not comparison.enough_data
        or comparison.difference is None
        or with_side.mean is None
        or without_side.mean is None
    ):
        return needed_words(comparison, words)
    said = difference_words(comparison.difference)
    if comparison.ci95 is not None:
        low, high = comparison.ci95
        said += f" ({interval_words(low, high, comparison.difference)})"
    return (
        f"{words.with_days} your {words.measure} averaged {with_side.mean:.1f}, "
        f"{words.without_days} {without_side.mean:.1f}: {said}, "
        f"from {with_side.days} and {counted(without_side.days, 'day')}."
    )


def effect_cards(found: Connection) -> list[EffectCard]:
    cards = []
    for key, words in EFFECTS.items():
        comparison: Comparison = getattr(found, key)
        so_far = "" if comparison.enough_data else so_far_words(comparison, words)
        cards.append(
            EffectCard(key, words.title, comparison, effect_sentence(comparison, words), so_far)
        )
    return cards


def so_far_words(comparison: Comparison, words: EffectWords) -> str:
    """ "So far: 12 days with contact and 8 days without contact." """
    with_days = counted(comparison.with_contact.days, "day")
    without_days = counted(comparison.without_contact.days, "day")
    return f"So far: {with_days} {words.more_with} and {without_days} {words.more_without}."
