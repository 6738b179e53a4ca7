"""Properties of the scorer over random answers, for every instrument."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from closeknit.wellbeing import instruments
from closeknit.wellbeing.instruments import Instrument
from closeknit.wellbeing.scoring import item_value, round_half_up, score

# Fast, and nothing written into the working tree.
FAST = settings(max_examples=150, deadline=None, database=None)

CODES = list(instruments.CODES)
PSS10_REVERSED = (4, 5, 7, 8)


def expected_band(code: str, total: Fraction) -> str:
    """The bands of INSTRUMENTS.md, typed by hand (not read from the definitions)."""
    if code == "phq9":
        edges = [(20, "severe"), (15, "moderately_severe"), (10, "moderate"), (5, "mild")]
        return next((slug for edge, slug in edges if total >= edge), "minimal")
    if code == "gad7":
        edges = [(15, "severe"), (10, "moderate"), (5, "mild")]
        return next((slug for edge, slug in edges if total >= edge), "minimal")
    if code in ("phq2", "gad2"):
        return "positive" if total >= 3 else "negative"
    if code == "pss10":
        return "high" if total >= 27 else "moderate" if total >= 14 else "low"
    if code == "who5":
        return "good" if total > 50 else "low" if total > 28 else "very_low"
    if code == "ucla3":
        return "lonely" if total >= 6 else "not_lonely"
    if code == "mspss":
        return "high" if total > 5 else "moderate" if total >= 3 else "low"
    if code == "lsns6":
        return "not_at_risk" if total >= 12 else "at_risk"
    raise AssertionError(code)


def complete_answers(instrument: Instrument) -> st.SearchStrategy[list[int]]:
    return st.tuples(*(st.sampled_from(item.codes) for item in instrument.scored_items)).map(list)


@st.composite
def instrument_and_answers(draw: st.DrawFn) -> tuple[Instrument, list[int]]:
    instrument = instruments.get(draw(st.sampled_from(CODES)))
    return instrument, draw(complete_answers(instrument))


@st.composite
def instrument_and_gappy_answers(draw: st.DrawFn) -> tuple[Instrument, list[int | None]]:
    instrument, answers = draw(instrument_and_answers())
    gaps = draw(st.sets(st.integers(0, len(answers) - 1), max_size=3))
    return instrument, [None if place in gaps else a for place, a in enumerate(answers)]


@FAST
@given(instrument_and_answers())
def test_complete_answers_give_a_total_in_range_and_the_right_band(pair):
    instrument, answers = pair
    result = score(instrument, answers)
    assert result.complete
    assert result.total is not None
    assert instrument.lowest <= result.total <= instrument.highest
    assert result.band in instrument.bands
    assert result.band is not None
    assert result.band.slug == expected_band(instrument.code, result.total)


@FAST
@given(instrument_and_answers())
def test_flipping_every_answer_mirrors_the_total_within_its_range(pair):
    # Each answer a -> low + high - a turns each item value v into low + high - v, reversed
    # or not, so the two totals always add up to lowest + highest of the whole instrument.
    instrument, answers = pair
    flipped = [
        item.lowest + item.highest - a
        for item, a in zip(instrument.scored_items, answers, strict=True)
    ]
    first, second = score(instrument, answers).total, score(instrument, flipped).total
    assert first is not None and second is not None
    assert first + second == instrument.lowest + instrument.highest


@FAST
@given(st.lists(st.integers(0, 4), min_size=10, max_size=10))
def test_pss10_flipped_answers_score_forty_minus_the_total(answers):
    # s = the six plain answers, r = the four reversed ones: t = s + (16 - r),
    # and flipped t' = (24 - s) + r, so t + t' = 40.
    pss10 = instruments.get("pss10")
    plain = sum(a for n, a in enumerate(answers, 1) if n not in PSS10_REVERSED)
    reversed_ = sum(a for n, a in enumerate(answers, 1) if n in PSS10_REVERSED)
    total = score(pss10, answers).total
    assert total == plain + 16 - reversed_
    assert score(pss10, [4 - a for a in answers]).total == 40 - total


@FAST
@given(st.sampled_from(CODES), st.data())
def test_item_value_is_symmetric_on_every_item(code, data):
    instrument = instruments.get(code)
    item = data.draw(st.sampled_from(instrument.scored_items))
    answer = data.draw(st.sampled_from(item.codes))
    value = item_value(instrument, item.number, answer)
    mirrored = item_value(instrument, item.number, item.lowest + item.highest - answer)
    assert value + mirrored == item.lowest + item.highest
    assert item.lowest <= value <= item.highest
    reversed_ = code == "pss10" and item.number in PSS10_REVERSED
    assert value == (4 - answer if reversed_ else answer)


@FAST
@given(instrument_and_answers())
def test_sum_instruments_total_the_item_values_and_mean_ones_average_them(pair):
    instrument, answers = pair
    values = [item_value(instrument, n, a) for n, a in enumerate(answers, 1)]
    total = score(instrument, answers).total
    if instrument.code == "mspss":
        assert total == Fraction(sum(answers), 12)
    elif instrument.code == "who5":
        assert total == 4 * sum(answers)
    elif instrument.code == "pss10":
        assert total == sum(values)
    else:
        assert total == sum(answers) == sum(values)


@FAST
@given(instrument_and_answers())
def test_subscales_are_the_sum_or_mean_of_their_items(pair):
    instrument, answers = pair
    result = score(instrument, answers)
    if instrument.code == "mspss":
        assert result.subscales == {
            slug: Fraction(sum(answers[n - 1] for n in items), 4)
            for slug, items in {
                "significant_other": (1, 2, 5, 10),
                "family": (3, 4, 8, 11),
                "friends": (6, 7, 9, 12),
            }.items()
        }
    elif instrument.code == "lsns6":
        assert result.subscales == {"family": sum(answers[:3]), "friends": sum(answers[3:])}
        assert result.total == sum(result.subscales.values())  # type: ignore[arg-type]
    else:
        assert result.subscales == {}


@FAST
@given(instrument_and_gappy_answers())
def test_complete_only_without_gaps_or_with_one_gap_on_the_phq9(pair):
    instrument, answers = pair
    result = score(instrument, answers)
    gaps = tuple(n for n, a in enumerate(answers, 1) if a is None)
    assert result.missing == gaps
    assert result.complete == (not gaps or (instrument.code == "phq9" and len(gaps) == 1))
    assert result.prorated == (instrument.code == "phq9" and len(gaps) == 1)
    assert (result.total is None) == (not result.complete)
    assert (result.band is None) == (not result.complete)


@FAST
@given(instrument_and_gappy_answers())
def test_a_subscale_has_a_value_exactly_when_all_its_items_are_answered(pair):
    instrument, answers = pair
    result = score(instrument, answers)
    for subscale in instrument.subscales:
        answered = all(answers[n - 1] is not None for n in subscale.items)
        assert (result.subscales[subscale.slug] is not None) == answered
        assert (result.subscale_bands[subscale.slug] is not None) == answered


@FAST
@given(
    st.lists(st.integers(0, 3), min_size=9, max_size=9),
    st.integers(0, 8),
)
def test_prorated_phq9_is_the_mean_of_the_answered_times_nine_within_0_to_27(answers, gap):
    gappy: list[int | None] = list(answers)
    gappy[gap] = None
    answered = sum(a for a in gappy if a is not None)
    result = score(instruments.get("phq9"), gappy)
    assert result.total is not None
    assert 0 <= result.total <= 27
    assert result.total.denominator == 1
    assert result.total == round_half_up(Fraction(answered * 9, 8))
    # Never the same as counting the gap as 0, unless nothing was scored at all.
    assert result.total >= answered
    assert result.total > answered or answered < 4


@FAST
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=8, max_size=8),
    st.one_of(st.none(), st.integers(0, 3)),
    st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=1),
)
def test_phq9_flag_depends_only_on_item_nine(first_eight, ninth, difficulty):
    result = score(instruments.get("phq9"), [*first_eight, ninth, *difficulty])
    expected = ("self_harm_thoughts",) if ninth is not None and ninth > 0 else ()
    assert result.flags == expected


@FAST
@given(instrument_and_gappy_answers())
def test_only_the_phq9_ever_raises_a_flag(pair):
    instrument, answers = pair
    if instrument.code != "phq9":
        assert score(instrument, answers).flags == ()


@FAST
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=9, max_size=9),
    st.one_of(st.none(), st.integers(0, 3)),
)
def test_phq9_difficulty_answer_never_changes_the_score(answers, difficulty):
    phq9 = instruments.get("phq9")
    assert score(phq9, [*answers, difficulty]) == score(phq9, answers)


@FAST
@given(st.fractions(min_value=-100, max_value=100))
def test_round_half_up_is_the_nearest_whole_number_with_halves_going_up(value):
    rounded = round_half_up(value)
    assert abs(value - rounded) <= Fraction(1, 2)
    if abs(value - rounded) == Fraction(1, 2):
        assert rounded > value
