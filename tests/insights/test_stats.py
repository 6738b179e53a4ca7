"""The difference of two means and its seeded bootstrap 95% interval."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from closeknit.insights.stats import CONFIDENCE, Difference, expanded_level, mean_difference

# Two small, hand-checkable samples: means 2 and 5.
LOW = [1.0, 2.0, 3.0]
HIGH = [4.0, 5.0, 6.0, 5.0]


def spread(seed: int, size: int, mean: float, sd: float) -> list[float]:
    return list(np.random.default_rng(seed).normal(mean, sd, size))


def test_means_and_difference_of_small_samples() -> None:
    found = mean_difference(LOW, HIGH)

    assert found.mean_a == 2.0
    assert found.mean_b == 5.0
    assert found.difference == -3.0


def test_difference_is_first_minus_second() -> None:
    assert mean_difference(HIGH, LOW).difference == 3.0


def test_integers_are_accepted() -> None:
    assert mean_difference([1, 2, 3], [4, 5, 6, 5]).difference == -3.0


def test_results_are_plain_python_floats() -> None:
    found = mean_difference(spread(1, 30, 5, 2), spread(2, 30, 4, 2))

    values = [found.mean_a, found.mean_b, found.difference, *found.ci95]
    assert [type(value) for value in values] == [float] * 5


def test_same_call_twice_gives_the_identical_interval() -> None:
    a, b = spread(1, 40, 5, 2), spread(2, 25, 4, 2)

    assert mean_difference(a, b) == mean_difference(a, b)


def test_other_calls_in_between_do_not_change_the_interval() -> None:
    a, b = spread(1, 40, 5, 2), spread(2, 25, 4, 2)
    before = mean_difference(a, b)

    mean_difference(spread(3, 300, 7, 3), spread(4, 65, 2, 1))
    np.random.seed(99)  # the legacy global generator is not what we draw from either
    np.random.random(1000)

    assert mean_difference(a, b) == before


def test_interval_contains_the_point_estimate() -> None:
    samples = [
        (LOW, HIGH),
        (spread(5, 14, 5, 2), spread(6, 14, 5, 2)),
        (spread(7, 300, 4, 1.5), spread(8, 65, 6, 2.5)),
        # Skewed: mostly calm days and a few very hard ones.
        ([1.0] * 20 + [10.0] * 2, [2.0] * 15 + [3.0] * 5),
    ]
    for a, b in samples:
        found = mean_difference(a, b)
        low, high = found.ci95
        assert low <= found.difference <= high


def test_interval_is_ordered_low_then_high() -> None:
    low, high = mean_difference(spread(1, 30, 5, 2), spread(2, 30, 8, 2)).ci95

    assert low < high


def test_noisier_data_gives_a_wider_interval() -> None:
    calm = mean_difference(spread(1, 60, 5, 1), spread(2, 60, 4, 1))
    noisy = mean_difference(spread(1, 60, 5, 3), spread(2, 60, 4, 3))

    assert width(noisy) > 2 * width(calm)


def test_more_days_give_a_narrower_interval() -> None:
    few = mean_difference(spread(1, 20, 5, 2), spread(2, 20, 4, 2))
    many = mean_difference(spread(1, 320, 5, 2), spread(2, 320, 4, 2))

    assert width(many) < width(few) / 2


def test_interval_is_about_as_wide_as_the_normal_one() -> None:
    # With hundreds of values the bootstrap's interval is close to the textbook
    # d ± 1.96·√(s²a/na + s²b/nb); a paired or otherwise wrong resampling would not be.
    a, b = spread(11, 400, 5, 2), spread(12, 300, 4, 1)
    expected = 2 * 1.96 * math.sqrt(np.var(a, ddof=1) / 400 + np.var(b, ddof=1) / 300)

    assert width(mean_difference(a, b)) == pytest.approx(expected, rel=0.08)


def test_all_equal_values_give_the_point_interval() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = mean_difference([3.0] * 20, [5.0] * 20)

    assert found == Difference(mean_a=3.0, mean_b=5.0, difference=-2.0, ci95=(-2.0, -2.0))


def test_all_equal_values_give_the_point_interval_without_rounding_noise() -> None:
    # Resampling 0.1s would give means like 0.10000000000000002; the answer is exact.
    found = mean_difference([0.1] * 30, [0.7] * 17)

    assert found.ci95 == (found.difference, found.difference)


def test_same_value_on_both_sides_gives_zero_and_a_zero_interval() -> None:
    found = mean_difference([4] * 14, [4] * 14)

    assert (found.difference, found.ci95) == (0.0, (0.0, 0.0))


def test_one_side_all_equal_still_has_the_other_sides_spread() -> None:
    low, high = mean_difference([5.0] * 30, spread(3, 30, 5, 2)).ci95

    assert high - low > 0.5


def test_one_value_on_a_side_adds_no_spread_of_its_own() -> None:
    # A resample of one value is that value: the interval is the other side's alone,
    # about d ± 1.96·s/√n.
    others = spread(4, 100, 4, 2)
    found = mean_difference([7.0], others)
    expected = 2 * 1.96 * np.std(others, ddof=1) / math.sqrt(100)

    assert found.difference == pytest.approx(7.0 - np.mean(others))
    assert found.ci95[0] <= found.difference <= found.ci95[1]
    assert width(found) == pytest.approx(expected, rel=0.1)


def test_one_value_on_the_second_side_works_too() -> None:
    found = mean_difference(spread(4, 50, 4, 2), [1.0])

    assert found.mean_b == 1.0
    assert found.ci95[0] < found.difference < found.ci95[1]


def test_one_value_on_each_side_is_a_point() -> None:
    assert mean_difference([7], [3]).ci95 == (4.0, 4.0)


@pytest.mark.parametrize(("a", "b"), [([], [1.0, 2.0]), ([1.0, 2.0], []), ([], [])])
def test_an_empty_side_has_no_mean(a: list[float], b: list[float]) -> None:
    with pytest.raises(ValueError, match="at least one value"):
        mean_difference(a, b)


def width(found: Difference) -> float:
    low, high = found.ci95
    return high - low


# --- The expanded level ------------------------------------------------------------------------


def test_expanded_level_widens_small_samples_and_fades_toward_95_percent() -> None:
    def level(n: int) -> float:
        return expanded_level(np.array(spread(n, n, 5, 2)), np.array(spread(n + 1, n, 4, 2)))

    small, medium, large = level(14), level(60), level(2000)
    assert small > medium > large > CONFIDENCE
    assert large == pytest.approx(CONFIDENCE, abs=0.001)


def test_expanded_level_matches_welchs_t_for_equal_spread() -> None:
    # Equal sizes and spread: Welch's df is 2n − 2, and the plug-in ratio is n / (n − 1).
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0] * 4)
    b = a + 10
    n = a.size
    z = stats.t.ppf(0.975, 2 * n - 2) * math.sqrt(n / (n - 1))
    assert expanded_level(a, b) == pytest.approx(1 - 2 * stats.norm.sf(z))


def test_expanded_level_without_spread_is_plain_95_percent() -> None:
    assert expanded_level(np.array([3.0, 3.0]), np.array([5.0])) == CONFIDENCE


def test_expanded_level_with_one_value_on_a_side_uses_the_other_sides_spread() -> None:
    a = np.array([2.0, 4.0, 6.0, 8.0])
    z = stats.t.ppf(0.975, a.size - 1) * math.sqrt(a.size / (a.size - 1))
    assert expanded_level(a, np.array([5.0])) == pytest.approx(1 - 2 * stats.norm.sf(z))
