"""How the wellbeing page says its numbers: rounding never flips or invents a direction."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from closeknit.insights.connection import MIN_DAYS, Comparison, Side
from closeknit.insights.wording import (
    EFFECTS,
    difference_words,
    effect_sentence,
    interval_words,
    needed_words,
)


@pytest.mark.parametrize(
    ("difference", "words"),
    [
        (-1.2, "about 1.2 lower"),
        (0.4, "about 0.4 higher"),
        (0.0, "about the same"),
        # Rounding never invents a direction, nor writes "-0.0".
        (-0.04, "about the same"),
        (0.049, "about the same"),
        (-0.051, "about 0.1 lower"),
        (0.06, "about 0.1 higher"),
    ],
)
def test_difference_words(difference, words):
    assert difference_words(difference) == words


@pytest.mark.parametrize(
    ("low", "high", "difference", "words"),
    [
        (-1.6, -0.8, -1.2, "95% interval 0.8 to 1.6"),
        (0.3, 1.3, 0.8, "95% interval 0.3 to 1.3"),
        (-0.7, 0.4, -0.1, "95% interval from 0.7 lower to 0.4 higher"),
        (-0.3, 0.2, -0.01, "95% interval from 0.3 lower to 0.2 higher"),
        # A difference too small to name, its interval all on one side.
        (-0.5, -0.01, -0.04, "95% interval 0.0 to 0.5 lower"),
        (0.01, 0.5, 0.04, "95% interval 0.0 to 0.5 higher"),
        # An end that rounds to zero is said as 0.0, without a direction.
        (-0.6, 0.02, -0.3, "95% interval from 0.6 lower to 0.0"),
        (-3.0, -3.0, -3.0, "95% interval 3.0 to 3.0"),
    ],
)
def test_interval_words(low, high, difference, words):
    assert interval_words(low, high, difference) == words


def comparison(with_days: int, without_days: int, **fields: Any) -> Comparison:
    """A comparison short of days unless `fields` say otherwise."""
    found = Comparison(
        measure="stress",
        with_contact=Side(4.0, with_days),
        without_contact=Side(5.0, without_days),
        difference=None,
        ci95=None,
        enough_data=False,
        days_needed_with=max(0, MIN_DAYS - with_days),
        days_needed_without=max(0, MIN_DAYS - without_days),
    )
    return replace(found, **fields)


@pytest.mark.parametrize(
    ("with_days", "without_days", "words"),
    [
        (
            12,
            8,
            "Not enough data yet: 6 more days without contact and 2 more with contact are needed.",
        ),
        (14, 13, "Not enough data yet: 1 more day without contact is needed."),
        (0, 14, "Not enough data yet: 14 more days with contact are needed."),
        (13, 14, "Not enough data yet: 1 more day with contact is needed."),
        (14, 0, "Not enough data yet: 14 more days without contact are needed."),
    ],
)
def test_needed_words(with_days, without_days, words):
    assert needed_words(comparison(with_days, without_days), EFFECTS["stress"]) == words


def test_the_in_person_comparison_says_which_days_it_needs():
    found = comparison(3, 20)
    assert needed_words(found, EFFECTS["stress_in_person"]) == (
        "Not enough data yet: 11 more days with contact in person are needed."
    )


def test_effect_sentence_with_enough_data_and_a_rounded_mean():
    found = comparison(
        240,
        98,
        with_contact=Side(3.94, 240),
        without_contact=Side(5.12, 98),
        difference=-1.18,
        ci95=(-1.61, -0.79),
        enough_data=True,
        days_needed_with=0,
        days_needed_without=0,
    )
    assert effect_sentence(found, EFFECTS["stress"]) == (
        "On days with contact your stress averaged 3.9, on days without 5.1: about 1.2 lower "
        "(95% interval 0.8 to 1.6), from 240 and 98 days."
    )


def test_effect_sentence_never_shows_a_mean_without_enough_days():
    found = comparison(5, 5)
    assert "averaged" not in effect_sentence(found, EFFECTS["mood"])
