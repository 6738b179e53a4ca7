"""The one scorer, against hand-typed tables from INSTRUMENTS.md (never derived from the data).

A wrong band edge, item count, option range or reverse item in a data file
makes one of these tables fail.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from closeknit.wellbeing import instruments, scoring
from closeknit.wellbeing.scoring import (
    AnswerError,
    check_answers,
    item_value,
    number,
    round_half_up,
    score,
)

# Hand-typed shapes: items, lowest code, highest code (INSTRUMENTS.md).
SHAPES = {
    "phq9": (9, 0, 3),
    "phq2": (2, 0, 3),
    "gad7": (7, 0, 3),
    "gad2": (2, 0, 3),
    "pss10": (10, 0, 4),
    "who5": (5, 0, 5),
    "ucla3": (3, 1, 3),
    "mspss": (12, 1, 7),
    "lsns6": (6, 0, 5),
}
PSS10_REVERSED = {4, 5, 7, 8}


def spread(total: int, count: int, low: int, high: int) -> list[int]:
    """`count` values between low and high adding up to `total`, the big ones first."""
    assert count * low <= total <= count * high, "no such answers"
    values = [low] * count
    left = total - count * low
    for place in range(count):
        step = min(high - low, left)
        values[place] += step
        left -= step
    return values


def answers_for(code: str, raw: int) -> list[int]:
    """Answers whose item values add up to `raw` (PSS-10 reverse items answered accordingly)."""
    count, low, high = SHAPES[code]
    values = spread(raw, count, low, high)
    if code == "pss10":
        return [4 - v if n in PSS10_REVERSED else v for n, v in enumerate(values, 1)]
    return values


def scored(code: str, answers: list[int | None]):
    return score(instruments.get(code), answers)


def test_spread_helper_builds_what_it_promises():
    assert spread(5, 3, 1, 3) == [3, 1, 1]
    assert spread(0, 2, 0, 3) == [0, 0]
    assert answers_for("pss10", 0) == [0, 0, 0, 4, 4, 0, 4, 4, 0, 0]


# Every band edge of every instrument --------------------------------------------------------

SUM_EDGES = [
    ("phq9", 0, "minimal"),
    ("phq9", 4, "minimal"),
    ("phq9", 5, "mild"),
    ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"),
    ("phq9", 14, "moderate"),
    ("phq9", 15, "moderately_severe"),
    ("phq9", 19, "moderately_severe"),
    ("phq9", 20, "severe"),
    ("phq9", 27, "severe"),
    ("phq2", 0, "negative"),
    ("phq2", 2, "negative"),
    ("phq2", 3, "positive"),
    ("phq2", 6, "positive"),
    ("gad2", 0, "negative"),
    ("gad2", 2, "negative"),
    ("gad2", 3, "positive"),
    ("gad2", 6, "positive"),
    ("gad7", 0, "minimal"),
    ("gad7", 4, "minimal"),
    ("gad7", 5, "mild"),
    ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"),
    ("gad7", 15, "severe"),
    ("gad7", 21, "severe"),
    ("pss10", 0, "low"),
    ("pss10", 13, "low"),
    ("pss10", 14, "moderate"),
    ("pss10", 26, "moderate"),
    ("pss10", 27, "high"),
    ("pss10", 40, "high"),
    ("ucla3", 3, "not_lonely"),
    ("ucla3", 5, "not_lonely"),
    ("ucla3", 6, "lonely"),
    ("ucla3", 9, "lonely"),
    ("lsns6", 0, "at_risk"),
    ("lsns6", 11, "at_risk"),
    ("lsns6", 12, "not_at_risk"),
    ("lsns6", 30, "not_at_risk"),
]


@pytest.mark.parametrize(("code", "total", "band"), SUM_EDGES)
def test_sum_band_edges(code, total, band):
    result = scored(code, answers_for(code, total))
    assert result.total == Fraction(total)
    assert result.band is not None
    assert result.band.slug == band
    assert result.complete
    assert not result.prorated
    assert result.missing == ()


@pytest.mark.parametrize(
    ("raw", "total", "band"),
    [
        (0, 0, "very_low"),
        (7, 28, "very_low"),
        (8, 32, "low"),
        (12, 48, "low"),
        (13, 52, "good"),
        (25, 100, "good"),
    ],
)
def test_who5_band_edges_on_the_raw_score_times_four(raw, total, band):
    result = scored("who5", answers_for("who5", raw))
    assert result.total == Fraction(total)
    assert result.band is not None
    assert result.band.slug == band


MSPSS_EDGES = [
    (Fraction(1), "low"),
    (Fraction(35, 12), "low"),  # 2.92, the highest mean below 3
    (Fraction(3), "moderate"),
    (Fraction(37, 12), "moderate"),
    (Fraction(5), "moderate"),
    (Fraction(61, 12), "high"),  # 5.08, the lowest mean above 5
    (Fraction(7), "high"),
]


@pytest.mark.parametrize(("mean", "band"), MSPSS_EDGES)
def test_mspss_band_edges_on_the_mean(mean, band):
    result = scored("mspss", spread(int(mean * 12), 12, 1, 7))
    assert result.total == mean
    assert result.band is not None
    assert result.band.slug == band


MSPSS_SUBSCALE_ITEMS = {
    "significant_other": (1, 2, 5, 10),
    "family": (3, 4, 8, 11),
    "friends": (6, 7, 9, 12),
}


@pytest.mark.parametrize("slug", MSPSS_SUBSCALE_ITEMS)
@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (Fraction(1), "low"),
        (Fraction(11, 4), "low"),  # 2.75, the highest subscale mean below 3
        (Fraction(3), "moderate"),
        (Fraction(5), "moderate"),
        (Fraction(21, 4), "high"),  # 5.25, the lowest subscale mean above 5
        (Fraction(7), "high"),
    ],
)
def test_mspss_subscale_band_edges(slug, mean, band):
    # The other items sit at 4 (neutral), so a wrong item list shows as a wrong mean.
    answers: list[int | None] = [4] * 12
    for n, value in zip(MSPSS_SUBSCALE_ITEMS[slug], spread(int(mean * 4), 4, 1, 7), strict=True):
        answers[n - 1] = value
    result = scored("mspss", answers)
    assert result.subscales[slug] == mean
    band_found = result.subscale_bands[slug]
    assert band_found is not None
    assert band_found.slug == band
    for other in MSPSS_SUBSCALE_ITEMS.keys() - {slug}:
        assert result.subscales[other] == Fraction(4)


@pytest.mark.parametrize(("slug", "items"), [("family", (1, 2, 3)), ("friends", (4, 5, 6))])
@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "limited"), (5, "limited"), (6, "not_limited"), (15, "not_limited")],
)
def test_lsns6_subscale_band_edges(slug, items, value, band):
    answers: list[int | None] = [2] * 6
    for n, answer in zip(items, spread(value, 3, 0, 5), strict=True):
        answers[n - 1] = answer
    result = scored("lsns6", answers)
    assert result.subscales[slug] == Fraction(value)
    band_found = result.subscale_bands[slug]
    assert band_found is not None
    assert band_found.slug == band


def test_lsns6_total_of_11_is_at_risk_even_with_one_full_subscale():
    result = scored("lsns6", [5, 5, 1, 0, 0, 0])
    assert result.total == 11
    assert result.band is not None and result.band.slug == "at_risk"
    assert result.subscales == {"family": 11, "friends": 0}
    assert {k: b.slug if b else None for k, b in result.subscale_bands.items()} == {
        "family": "not_limited",
        "friends": "limited",
    }


def test_band_label_is_for_people():
    result = scored("phq9", answers_for("phq9", 15))
    assert result.band is not None
    assert result.band.label == "Moderately severe"


# Reverse items ----------------------------------------------------------------------------


def test_pss10_all_answers_never_gives_16_from_the_four_reverse_items():
    result = scored("pss10", [0] * 10)
    assert result.total == 16
    assert result.band is not None and result.band.slug == "moderate"


def test_pss10_all_answers_very_often_gives_24():
    assert scored("pss10", [4] * 10).total == 24


def test_pss10_hand_worked_answers():
    # Values: 3, 2, 4, (4-1)=3, (4-0)=4, 3, (4-2)=2, (4-1)=3, 4, 2  ->  30
    result = scored("pss10", [3, 2, 4, 1, 0, 3, 2, 1, 4, 2])
    assert result.total == 30
    assert result.band is not None and result.band.slug == "high"


@pytest.mark.parametrize("number_", range(1, 11))
def test_pss10_item_value_reverses_only_items_4_5_7_8(number_):
    pss10 = instruments.get("pss10")
    values = [item_value(pss10, number_, answer) for answer in range(5)]
    if number_ in (4, 5, 7, 8):
        assert values == [4, 3, 2, 1, 0]
    else:
        assert values == [0, 1, 2, 3, 4]


def test_item_value_of_a_plain_item_is_the_answer():
    assert item_value(instruments.get("ucla3"), 2, 3) == 3
    assert item_value(instruments.get("who5"), 1, 5) == 5


# Subscale values --------------------------------------------------------------------------


def test_mspss_subscales_are_means_of_their_own_items():
    # SO 1,2,5,10 = 7,6,7,6; family 3,4,8,11 = 2,3,2,3; friends 6,7,9,12 = 4,4,5,5
    result = scored("mspss", [7, 6, 2, 3, 7, 4, 4, 2, 5, 6, 3, 5])
    assert result.subscales == {
        "significant_other": Fraction(13, 2),
        "family": Fraction(5, 2),
        "friends": Fraction(9, 2),
    }
    assert {k: b.slug if b else None for k, b in result.subscale_bands.items()} == {
        "significant_other": "high",
        "family": "low",
        "friends": "moderate",
    }
    assert result.total == Fraction(54, 12)
    assert result.band is not None and result.band.slug == "moderate"


def test_lsns6_subscales_are_sums_of_their_own_items():
    result = scored("lsns6", [5, 4, 3, 1, 1, 0])
    assert result.subscales == {"family": 12, "friends": 2}
    assert result.total == 14


@pytest.mark.parametrize("code", ["phq9", "phq2", "gad7", "gad2", "pss10", "who5", "ucla3"])
def test_instruments_without_subscales_score_none(code):
    result = scored(code, answers_for(code, SHAPES[code][0] * SHAPES[code][1]))
    assert result.subscales == {}
    assert result.subscale_bands == {}


# Missing answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # sum 4 over 8 answered: 4.5 -> 5 (halves up; round() would give 4, minimal)
        ([1, 1, 1, 1, 0, 0, 0, None, 0], 5, "mild"),
        # sum 12 over 8: 13.5 -> 14
        ([3, 3, 3, 3, None, 0, 0, 0, 0], 14, "moderate"),
        # sum 20 over 8: 22.5 -> 23 (round() would give 22)
        ([None, 3, 3, 3, 3, 3, 3, 2, 0], 23, "severe"),
        # sum 3 over 8: 3.375 -> 3
        ([None, 1, 1, 1, 0, 0, 0, 0, 0], 3, "minimal"),
        # sum 5 over 8: 5.625 -> 6
        ([2, 2, 1, None, 0, 0, 0, 0, 0], 6, "mild"),
        # sum 24 over 8: 27
        ([3, 3, 3, 3, 3, 3, 3, 3, None], 27, "severe"),
        ([0, 0, 0, 0, 0, 0, None, 0, 0], 0, "minimal"),
    ],
)
def test_phq9_with_one_missing_is_prorated_half_up(answers, total, band):
    result = scored("phq9", answers)
    assert result.total == total
    assert result.total.denominator == 1
    assert result.band is not None and result.band.slug == band
    assert result.prorated
    assert result.complete
    assert result.missing == (answers.index(None) + 1,)


def test_python_round_would_have_given_a_different_phq9_total():
    assert round(Fraction(9, 2)) == 4  # banker's rounding: the reason for round_half_up
    assert round(Fraction(45, 2)) == 22
    assert round_half_up(Fraction(9, 2)) == 5
    assert round_half_up(Fraction(45, 2)) == 23
    assert scored("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0]).total == 5


def test_phq9_missing_answer_is_never_counted_as_zero():
    result = scored("phq9", [3, 3, 3, 3, None, 3, 3, 3, 3])
    assert result.total == 27  # not 24


def test_phq9_with_two_missing_is_incomplete():
    result = scored("phq9", [3, None, 3, 3, 3, 3, None, 3, 3])
    assert result.total is None
    assert result.band is None
    assert not result.complete
    assert not result.prorated
    assert result.missing == (2, 7)


def test_phq9_with_every_answer_missing_is_incomplete_not_an_error():
    result = scored("phq9", [None] * 9)
    assert result.total is None
    assert result.missing == tuple(range(1, 10))


@pytest.mark.parametrize(
    "code", ["phq2", "gad7", "gad2", "pss10", "who5", "ucla3", "mspss", "lsns6"]
)
@pytest.mark.parametrize("place", ["first", "last"])
def test_other_instruments_are_incomplete_with_any_missing(code, place):
    count, low, _ = SHAPES[code]
    answers: list[int | None] = [low] * count
    answers[0 if place == "first" else -1] = None
    result = scored(code, answers)
    assert result.total is None
    assert result.band is None
    assert not result.complete
    assert not result.prorated
    assert result.missing == ((1,) if place == "first" else (count,))


def test_mspss_subscale_with_a_missing_item_is_none_and_the_others_still_count():
    answers: list[int | None] = [7, 6, 2, 3, 7, 4, 4, 2, 5, 6, 3, 5]
    answers[9] = None  # item 10, significant other
    result = scored("mspss", answers)
    assert result.subscales == {
        "significant_other": None,
        "family": Fraction(5, 2),
        "friends": Fraction(9, 2),
    }
    assert result.subscale_bands["significant_other"] is None
    assert result.subscale_bands["family"] is not None
    assert result.total is None
    assert result.band is None


def test_lsns6_subscale_with_a_missing_item_is_none_and_the_other_still_counts():
    result = scored("lsns6", [5, 4, 3, 1, None, 0])
    assert result.subscales == {"family": 12, "friends": None}
    assert result.subscale_bands["friends"] is None
    band = result.subscale_bands["family"]
    assert band is not None and band.slug == "not_limited"
    assert result.total is None


@pytest.mark.parametrize("difficulty", [[], [0], [3], [None]])
def test_phq9_difficulty_item_may_be_left_out_or_given_and_never_changes_the_total(difficulty):
    result = scored("phq9", [2, 2, 1, 1, 0, 0, 0, 0, 0, *difficulty])
    assert result.total == 6
    assert result.band is not None and result.band.slug == "mild"
    assert result.complete
    assert result.missing == ()


def test_phq9_difficulty_item_is_not_counted_towards_proration():
    with_it = scored("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0, 3])
    without = scored("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0])
    assert with_it.total == without.total == 5
    assert with_it.missing == (8,)


def test_phq9_unanswered_difficulty_is_not_a_missing_answer():
    result = scored("phq9", [0] * 9 + [None])
    assert result.missing == ()
    assert not result.prorated


# Safety flags -----------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_phq9_item_nine_flags_even_when_total_is_minimal(answer):
    result = scored("phq9", [0] * 8 + [answer])
    assert result.band is not None and result.band.slug == "minimal"
    assert result.flags == ("self_harm_thoughts",)


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_phq9_item_nine_flags_even_when_the_result_is_incomplete(answer):
    result = scored("phq9", [None, None, 0, 0, 0, 0, 0, 0, answer])
    assert not result.complete
    assert result.flags == ("self_harm_thoughts",)


def test_phq9_item_nine_flags_on_a_prorated_result():
    result = scored("phq9", [None, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.prorated
    assert result.flags == ("self_harm_thoughts",)


@pytest.mark.parametrize("answer", [0, None])
def test_phq9_item_nine_at_zero_or_unanswered_raises_no_flag(answer):
    result = scored("phq9", [3] * 8 + [answer])
    assert result.band is not None and result.band.slug == "severe"
    assert result.flags == ()


def test_phq9_difficulty_answer_raises_no_flag():
    assert scored("phq9", [0] * 9 + [3]).flags == ()


def test_phq2_at_its_highest_raises_no_flag():
    assert scored("phq2", [3, 3]).flags == ()


# check_answers ----------------------------------------------------------------------------


def test_check_answers_returns_the_answers_as_a_list():
    assert check_answers(instruments.get("gad2"), (1, None)) == [1, None]


def test_too_few_answers_names_the_counts():
    with pytest.raises(AnswerError) as caught:
        check_answers(instruments.get("gad7"), [0] * 6)
    message = str(caught.value)
    assert "GAD-7 has 7 questions, so it needs 7 answers" in message
    assert "6 were sent" in message


def test_too_many_answers_names_the_counts():
    with pytest.raises(AnswerError) as caught:
        check_answers(instruments.get("ucla3"), [1, 1, 1, 1])
    message = str(caught.value)
    assert "needs 3 answers" in message
    assert "4 were sent" in message


@pytest.mark.parametrize("count", [0, 8, 11])
def test_phq9_answer_count_names_nine_to_ten(count):
    with pytest.raises(AnswerError) as caught:
        check_answers(instruments.get("phq9"), [0] * count)
    message = str(caught.value)
    assert "9 scored questions and 1 more that can be left out" in message
    assert "needs 9 to 10 answers" in message
    assert f"{count} were sent" in message


@pytest.mark.parametrize("answers", [None, "000000000", {"1": 0}, 3])
def test_answers_that_are_not_a_list_are_refused(answers):
    with pytest.raises(AnswerError, match="Answers should be a list"):
        check_answers(instruments.get("phq9"), answers)


@pytest.mark.parametrize(
    ("code", "question", "answer", "allowed"),
    [
        ("phq9", 3, 4, "0, 1, 2, 3"),
        ("phq9", 1, -1, "0, 1, 2, 3"),
        ("phq9", 10, 4, "0, 1, 2, 3"),
        ("phq2", 2, 4, "0, 1, 2, 3"),
        ("gad7", 7, 4, "0, 1, 2, 3"),
        ("pss10", 4, 5, "0, 1, 2, 3, 4"),
        ("who5", 5, 6, "0, 1, 2, 3, 4, 5"),
        ("ucla3", 1, 0, "1, 2, 3"),
        ("ucla3", 3, 4, "1, 2, 3"),
        ("mspss", 12, 0, "1, 2, 3, 4, 5, 6, 7"),
        ("mspss", 1, 8, "1, 2, 3, 4, 5, 6, 7"),
        ("lsns6", 6, 6, "0, 1, 2, 3, 4, 5"),
    ],
)
def test_out_of_range_answer_names_the_question_and_the_codes(code, question, answer, allowed):
    count, low, _ = SHAPES[code]
    answers: list[object] = [low] * max(count, question)
    answers[question - 1] = answer
    with pytest.raises(AnswerError) as caught:
        check_answers(instruments.get(code), answers)
    message = str(caught.value)
    assert f"question {question} should be one of {allowed}" in message
    assert f"{answer!r} isn't" in message


@pytest.mark.parametrize("answer", [True, False, 1.0, 0.0, "1", "", [1]])
def test_answer_that_is_not_a_plain_int_is_refused_even_if_it_equals_a_code(answer):
    answers: list[object] = [0] * 9
    answers[4] = answer
    with pytest.raises(AnswerError) as caught:
        check_answers(instruments.get("phq9"), answers)
    assert "question 5 should be one of 0, 1, 2, 3" in str(caught.value)
    assert f"{answer!r} isn't" in str(caught.value)


def test_score_checks_the_answers_too():
    with pytest.raises(AnswerError, match="question 2"):
        score(instruments.get("phq9"), [0, 4, 0, 0, 0, 0, 0, 0, 0])


def test_answer_error_is_a_value_error():
    assert issubclass(AnswerError, ValueError)


# round_half_up and number -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Fraction(0), 0),
        (Fraction(7), 7),
        (Fraction(1, 3), 0),
        (Fraction(2, 3), 1),
        (Fraction(1, 2), 1),
        (Fraction(5, 2), 3),
        (Fraction(9, 2), 5),
        (Fraction(27, 2), 14),
        (Fraction(49, 2), 25),
        (Fraction(-9, 2), -4),
    ],
)
def test_round_half_up(value, rounded):
    assert round_half_up(value) == rounded
    assert type(round_half_up(value)) is int


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(14), 14),
        (Fraction(0), 0),
        (Fraction(35, 12), 2.92),
        (Fraction(61, 12), 5.08),
        (Fraction(1, 12), 0.08),
        (Fraction(11, 4), 2.75),
        (Fraction(9, 2), 4.5),
    ],
)
def test_number_keeps_whole_scores_whole_and_rounds_means_to_two_decimals(value, shown):
    result = number(value)
    assert result == shown
    assert type(result) is type(shown)


def test_number_of_no_score_is_none():
    assert number(None) is None


def test_number_of_a_whole_mean_is_an_int():
    assert number(scored("mspss", [5] * 12).total) == 5
    assert type(number(scored("mspss", [5] * 12).total)) is int


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        ("phq9", None, None),
        ("phq9", 7.0, 7),
        ("who5", 0.0, 0),
        ("mspss", 61 / 12, 5.08),
        ("mspss", 4.0, 4.0),
        ("mspss", 4.25, 4.25),
    ],
)
def test_stored_reads_a_float_column_back_as_the_scorer_reported_it(code, value, expected):
    result = scoring.stored(instruments.get(code), value)
    assert result == expected
    assert type(result) is type(expected)
