"""One scorer for every questionnaire, following each definition exactly (pure, no database).

Answers come as a list in item order: an option's code, or None for a question
left unanswered. Unanswered is never counted as 0: a definition either allows a
few missing answers and prorates (the PHQ-9: one, mean of the answered × 9,
rounded half up), or the result is incomplete, with no total and no band.
Safety flags (PHQ-9 item 9 above 0) are raised from the answers themselves,
complete or not.

Arithmetic is exact (fractions): the MSPSS means move in twelfths, and a band
edge must never depend on a float's rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from closeknit.wellbeing.instruments import Band, Instrument, band_of

Answers = Sequence[int | None]
# Means are reported to two decimals; bands are always decided on the exact value.
MEAN_DIGITS = 2


class AnswerError(ValueError):
    """Answers that can't be scored: the wrong number, or a code the item doesn't offer."""


@dataclass(frozen=True)
class Score:
    total: Fraction | None
    subscales: dict[str, Fraction | None]
    band: Band | None
    subscale_bands: dict[str, Band | None]
    complete: bool
    prorated: bool
    missing: tuple[int, ...]  # numbers of the scored items left unanswered
    flags: tuple[str, ...]


def check_answers(instrument: Instrument, answers: object) -> list[int | None]:
    """The answers as a list, or AnswerError with a message a person can act on.

    Unscored trailing items (the PHQ-9's difficulty question) may be left out.
    """
    if not isinstance(answers, list | tuple):
        raise AnswerError("Answers should be a list, one per question, in order.")
    scored = len(instrument.scored_items)
    total = len(instrument.items)
    if not scored <= len(answers) <= total:
        if scored == total:
            expected = f"has {scored} questions, so it needs {scored} answers"
        else:
            expected = (
                f"has {scored} scored questions and {total - scored} more that can be left out, "
                f"so it needs {scored} to {total} answers"
            )
        raise AnswerError(
            f"The {instrument.name} {expected} (null for one left unanswered); "
            f"{len(answers)} were sent."
        )
    checked: list[int | None] = []
    for item, answer in zip(instrument.items, answers, strict=False):
        if answer is None:
            checked.append(None)
            continue
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in item.codes:
            allowed = ", ".join(str(code) for code in sorted(item.codes))
            raise AnswerError(
                f"The answer to question {item.number} should be one of {allowed} "
                f"(or null if unanswered); {answer!r} isn't."
            )
        checked.append(answer)
    return checked


def item_value(instrument: Instrument, number: int, answer: int) -> int:
    """What an answer adds to the score: reverse-scored items count from the other end."""
    item = instrument.item(number)
    return item.lowest + item.highest - answer if item.reverse else answer


def round_half_up(value: Fraction) -> int:
    """Round to a whole number, halves up (Python's round() would take 4.5 to 4)."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def _combine(instrument: Instrument, values: list[int]) -> Fraction:
    if instrument.method == "mean":
        return Fraction(sum(values), len(values))
    return Fraction(sum(values) * instrument.multiplier)


def score(instrument: Instrument, answers: Answers) -> Score:
    """Score checked answers (see `check_answers`) as the instrument's definition says."""
    checked = check_answers(instrument, list(answers))
    by_number = dict(zip(range(1, len(checked) + 1), checked, strict=True))
    flags = tuple(
        flag.flag
        for flag in instrument.flags
        if (answer := by_number.get(flag.item)) is not None and answer > flag.above
    )
    scored = instrument.scored_items
    values = {
        item.number: item_value(instrument, item.number, answer)
        for item in scored
        if (answer := by_number.get(item.number)) is not None
    }
    missing = tuple(item.number for item in scored if item.number not in values)

    subscales: dict[str, Fraction | None] = {}
    subscale_bands: dict[str, Band | None] = {}
    for subscale in instrument.subscales:
        if all(n in values for n in subscale.items):
            value = _combine(instrument, [values[n] for n in subscale.items])
            subscales[subscale.slug] = value
            subscale_bands[subscale.slug] = (
                band_of(subscale.bands, value) if subscale.bands else None
            )
        else:
            subscales[subscale.slug] = None
            subscale_bands[subscale.slug] = None

    if not missing:
        total: Fraction | None = _combine(instrument, list(values.values()))
        prorated = False
    elif instrument.prorate and len(missing) <= instrument.max_missing:
        # The mean of the answered items, times the number of items, rounded (halves up).
        mean = Fraction(sum(values.values()), len(values))
        total = Fraction(round_half_up(mean * len(scored)) * instrument.multiplier)
        prorated = True
    else:
        total = None
        prorated = False
    return Score(
        total=total,
        subscales=subscales,
        band=instrument.band_for(total) if total is not None else None,
        subscale_bands=subscale_bands,
        complete=total is not None,
        prorated=prorated,
        missing=missing,
        flags=flags,
    )


def number(value: Fraction | None) -> int | float | None:
    """A score as people read it: a whole number, or a mean to two decimals."""
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return round(float(value), MEAN_DIGITS)


def stored(instrument: Instrument, value: float | None) -> int | float | None:
    """A score read back from its float column: a whole number for a sum, 4.0 or 4.92 for a mean.

    Means stay floats even when whole, so a client sees one type per instrument.
    """
    if value is None:
        return None
    if instrument.method == "sum":
        return round(value)
    return round(float(value), MEAN_DIGITS)
