"""Synthetic members with a known truth: does `connection()` find it, and how often does
its 95% interval cover it?

Each member is drawn from numpy's generator seeded with 0, 1, …, 99 (SEEDS, fixed and
never chosen to make a test pass). A member has DAYS local days; each day has contact
with probability P_CONTACT (half of it in person) and a check-in with probability
P_CHECKIN. Stress is BASE_STRESS + normal noise of sd SD, plus STRESS_EFFECT on contact
days; mood likewise with MOOD_EFFECT. The app stores whole numbers 0–10, so every
simulated score is rounded and clipped to 0–10, like a member's own answers.

The truth on that whole-number scale is not exactly the effect we add (clipping at 0
and 10 trims a little), so `true_difference()` computes it exactly from the normal
distribution: E[clip(round(X))] with contact minus without.

How close is "near"? One member's estimate has a standard error of about
SD·√(1/n_with + 1/n_without) (≈ 0.31 for stress here); the mean over 100 members has a
tenth of that. We allow four of those standard errors (`tolerance()`): a correct,
unbiased estimate misses by that much about once in 16,000 runs. (With half the
check-ins missing, a rule that counted missing days as zero would miss by over a point.)
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.stats import norm

from closeknit.insights.connection import MIN_DAYS, Connection, DayContact, DayScores, connection

SEEDS = range(100)
DAYS = 160
P_CONTACT = 0.55
P_IN_PERSON = 0.5  # of contact days
P_CHECKIN = 0.8
SD = 1.75
BASE_STRESS = 5.0
STRESS_EFFECT = -1.0
BASE_MOOD = 5.5
MOOD_EFFECT = 0.8
FIRST = dt.date(2025, 1, 6)
NAMES = {1: "Sam", 2: "Alex", 3: "Robin"}


@dataclass(frozen=True)
class Scenario:
    days: int = DAYS
    stress_effect: float = STRESS_EFFECT
    # Check-in probability on contact days and on days without.
    checkin_with: float = P_CHECKIN
    checkin_without: float = P_CHECKIN


KNOWN_EFFECT = Scenario()
NO_EFFECT = Scenario(stress_effect=0.0)
# Half the days without a check-in, and not at random with respect to contact: this
# member checks in on 32% of contact days and 72% of the others (0.55·0.32 + 0.45·0.72
# = 0.5).
HALF_MISSING = Scenario(checkin_with=0.32, checkin_without=0.72)
TOO_LITTLE = Scenario(days=20)


@dataclass(frozen=True)
class Member:
    scores: list[DayScores]
    contact: dict[dt.date, DayContact]
    last: dt.date
    # Counted from the simulation's own arrays, not by `connection()`.
    stress_with: int
    stress_without: int
    zero_filled_difference: float  # what a "missing = 0" rule would report


@dataclass(frozen=True)
class Run:
    member: Member
    found: Connection


def whole_scores(values: np.ndarray) -> list[int]:
    return [int(value) for value in np.clip(np.rint(values), 0, 10)]


def simulate(seed: int, scenario: Scenario) -> Member:
    rng = np.random.default_rng(seed)
    days = scenario.days
    contact = rng.random(days) < P_CONTACT
    in_person = contact & (rng.random(days) < P_IN_PERSON)
    checkin_chance = np.where(contact, scenario.checkin_with, scenario.checkin_without)
    present = rng.random(days) < checkin_chance
    stress = whole_scores(
        BASE_STRESS + rng.normal(0, SD, days) + np.where(contact, scenario.stress_effect, 0.0)
    )
    mood = whole_scores(BASE_MOOD + rng.normal(0, SD, days) + np.where(contact, MOOD_EFFECT, 0.0))
    person = rng.integers(1, 4, days)
    dates = [FIRST + dt.timedelta(days=n) for n in range(days)]
    scores = [
        DayScores(day=dates[n], mood=mood[n], stress=stress[n]) for n in range(days) if present[n]
    ]
    contacts = {
        dates[n]: DayContact(
            day=dates[n], person_ids=frozenset({int(person[n])}), in_person=bool(in_person[n])
        )
        for n in range(days)
        if contact[n]
    }
    filled = np.where(present, stress, 0)
    return Member(
        scores=scores,
        contact=contacts,
        last=dates[-1],
        stress_with=int(np.sum(contact & present)),
        stress_without=int(np.sum(~contact & present)),
        zero_filled_difference=float(filled[contact].mean() - filled[~contact].mean()),
    )


@functools.cache
def runs(scenario: Scenario) -> list[Run]:
    """The 100 seeded members of a scenario and what `connection()` found for each."""
    found = []
    for seed in SEEDS:
        member = simulate(seed, scenario)
        result = connection(member.scores, member.contact, NAMES, FIRST, member.last)
        found.append(Run(member=member, found=result))
    return found


def expected_whole_score(mean: float) -> float:
    """E[clip(round(X), 0, 10)] for X ~ Normal(mean, SD)."""
    scores = np.arange(11)
    low = np.where(scores == 0, -np.inf, scores - 0.5)
    high = np.where(scores == 10, np.inf, scores + 0.5)
    chance = norm.cdf(high, mean, SD) - norm.cdf(low, mean, SD)
    return float(np.sum(scores * chance))


def true_difference(base: float, effect: float) -> float:
    return expected_whole_score(base + effect) - expected_whole_score(base)


def tolerance(scenario: Scenario, *, in_person: bool = False) -> float:
    """Four standard errors of the mean estimate over len(SEEDS) members."""
    with_share = P_CONTACT * (P_IN_PERSON if in_person else 1.0)
    n_with = scenario.days * with_share * scenario.checkin_with
    n_without = scenario.days * (1 - P_CONTACT) * scenario.checkin_without
    # Rounding to whole numbers adds 1/12 to the variance.
    sd = math.sqrt(SD**2 + 1 / 12)
    return 4 * sd * math.sqrt(1 / n_with + 1 / n_without) / math.sqrt(len(SEEDS))


def mean_estimate(scenario: Scenario, measure: str) -> float:
    estimates = []
    for run in runs(scenario):
        difference = getattr(run.found, measure).difference
        assert difference is not None
        estimates.append(difference)
    return float(np.mean(estimates))


def covered(scenario: Scenario, measure: str, truth: float) -> int:
    count = 0
    for run in runs(scenario):
        interval = getattr(run.found, measure).ci95
        assert interval is not None
        count += interval[0] <= truth <= interval[1]
    return count


# --- A known effect -----------------------------------------------------------------------------


def test_every_simulated_member_has_enough_data() -> None:
    for run in runs(KNOWN_EFFECT):
        assert run.found.stress.enough_data
        assert run.found.mood.enough_data
        assert run.found.stress_in_person.enough_data


def test_day_counts_match_the_simulation() -> None:
    for run in runs(KNOWN_EFFECT):
        stress = run.found.stress
        assert stress.with_contact.days == run.member.stress_with
        assert stress.without_contact.days == run.member.stress_without


def test_known_stress_effect_lands_near_the_truth() -> None:
    truth = true_difference(BASE_STRESS, STRESS_EFFECT)

    assert mean_estimate(KNOWN_EFFECT, "stress") == pytest.approx(
        truth, abs=tolerance(KNOWN_EFFECT)
    )


def test_known_mood_effect_lands_near_the_truth() -> None:
    truth = true_difference(BASE_MOOD, MOOD_EFFECT)

    assert mean_estimate(KNOWN_EFFECT, "mood") == pytest.approx(truth, abs=tolerance(KNOWN_EFFECT))


def test_known_effect_in_person_lands_near_the_truth() -> None:
    # In-person days have the same effect as any contact day in this simulation.
    truth = true_difference(BASE_STRESS, STRESS_EFFECT)
    allowed = tolerance(KNOWN_EFFECT, in_person=True)

    assert mean_estimate(KNOWN_EFFECT, "stress_in_person") == pytest.approx(truth, abs=allowed)


def test_next_day_stress_shows_no_effect_where_none_was_simulated() -> None:
    # Contact lowers stress on its own day only, and days are independent: the next day's
    # stress depends on whether the next day had contact (55% either way), not on today.
    assert mean_estimate(KNOWN_EFFECT, "next_day_stress") == pytest.approx(
        0.0, abs=tolerance(KNOWN_EFFECT)
    )


def test_known_effect_interval_covers_the_truth_in_95_of_100_members() -> None:
    truth = true_difference(BASE_STRESS, STRESS_EFFECT)

    assert covered(KNOWN_EFFECT, "stress", truth) >= 95


# --- No effect ----------------------------------------------------------------------------------


def test_no_effect_estimate_lands_near_zero() -> None:
    assert mean_estimate(NO_EFFECT, "stress") == pytest.approx(0.0, abs=tolerance(NO_EFFECT))


def test_no_effect_interval_covers_zero_in_95_of_100_members() -> None:
    assert covered(NO_EFFECT, "stress", 0.0) >= 95


def test_interval_is_not_too_narrow() -> None:
    # A guard, not the acceptance test above: an exact 95% interval covers 88 or fewer of
    # 100 only 0.4% of the time (binomial), so fewer means the interval is too narrow.
    truth = true_difference(BASE_STRESS, STRESS_EFFECT)

    assert covered(KNOWN_EFFECT, "stress", truth) >= 89
    assert covered(NO_EFFECT, "stress", 0.0) >= 89


# --- Too little data ----------------------------------------------------------------------------


def test_too_little_data_says_how_many_more_days_each_side_needs() -> None:
    for run in runs(TOO_LITTLE):
        stress = run.found.stress
        assert stress.enough_data is False
        assert stress.difference is None
        assert stress.ci95 is None
        assert stress.days_needed_with == max(0, MIN_DAYS - run.member.stress_with)
        assert stress.days_needed_without == max(0, MIN_DAYS - run.member.stress_without)
        assert stress.days_needed_with + stress.days_needed_without > 0


def test_too_little_data_still_gives_the_days_behind_each_side() -> None:
    for run in runs(TOO_LITTLE):
        stress = run.found.stress
        assert stress.with_contact.days == run.member.stress_with
        assert (stress.with_contact.mean is None) == (run.member.stress_with == 0)


# --- Check-ins missing on half the days ---------------------------------------------------------


def test_half_the_check_ins_missing_leaves_the_estimate_unbiased() -> None:
    truth = true_difference(BASE_STRESS, STRESS_EFFECT)
    shares = [len(run.member.scores) / DAYS for run in runs(HALF_MISSING)]

    # One member's share has sd √(0.25/160) = 0.04; the mean of 100, 0.004.
    assert np.mean(shares) == pytest.approx(0.5, abs=0.02)
    assert mean_estimate(HALF_MISSING, "stress") == pytest.approx(
        truth, abs=tolerance(HALF_MISSING)
    )


def test_counting_missing_days_as_zero_would_have_been_far_off() -> None:
    # The scenario can tell the rules apart: with fewer check-ins on contact days, zeros
    # would make contact look like it halves stress.
    zero_filled = np.mean([run.member.zero_filled_difference for run in runs(HALF_MISSING)])

    assert zero_filled < true_difference(BASE_STRESS, STRESS_EFFECT) - 1.0
