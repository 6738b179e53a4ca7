"""The instrument definitions, checked against INSTRUMENTS.md by hand-typed facts."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from closeknit.wellbeing import instruments
from closeknit.wellbeing.instruments import DefinitionError, Flag
from closeknit.wellbeing.vocab import SELF_HARM_THOUGHTS, InstrumentCode

REAL_DATA_DIR = instruments.DATA_DIR
ALL_CODES = ["phq9", "phq2", "gad7", "gad2", "pss10", "who5", "ucla3", "mspss", "lsns6"]
PFIZER = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)
FREQUENCY_0_TO_3 = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]


def options(code: str, number: int) -> list[tuple[int, str]]:
    item = instruments.get(code).item(number)
    return [(option.code, option.label) for option in item.options]


# Loading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_code_loads(code):
    instrument = instruments.get(code)
    assert instrument.code == code
    assert instrument.name
    assert instrument.title
    assert instrument.items


def test_codes_are_offered_long_forms_before_their_screeners():
    assert list(instruments.CODES) == ALL_CODES
    assert [one.code for one in instruments.all_instruments()] == ALL_CODES


def test_every_code_of_the_vocabulary_has_a_definition():
    assert sorted(InstrumentCode.values) == sorted(instruments.CODES)


def test_unknown_code_raises_key_error():
    with pytest.raises(KeyError):
        instruments.get("phq8")


def test_a_code_is_matched_exactly_not_by_case():
    with pytest.raises(KeyError):
        instruments.get("PHQ9")


def test_get_returns_the_same_cached_definition():
    assert instruments.get("phq9") is instruments.get("phq9")


# Items ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "scored", "unscored"),
    [
        ("phq9", 9, 1),
        ("phq2", 2, 0),
        ("gad7", 7, 0),
        ("gad2", 2, 0),
        ("pss10", 10, 0),
        ("who5", 5, 0),
        ("ucla3", 3, 0),
        ("mspss", 12, 0),
        ("lsns6", 6, 0),
    ],
)
def test_item_counts(code, scored, unscored):
    instrument = instruments.get(code)
    assert len(instrument.scored_items) == scored
    assert len(instrument.extra_items) == unscored
    assert len(instrument.items) == scored + unscored


@pytest.mark.parametrize("code", ALL_CODES)
def test_items_are_numbered_from_one_in_order_with_unscored_ones_last(code):
    instrument = instruments.get(code)
    assert [item.number for item in instrument.items] == list(range(1, len(instrument.items) + 1))
    flags = [item.scored for item in instrument.items]
    assert flags == sorted(flags, reverse=True)
    for item in instrument.items:
        assert instrument.item(item.number) is item
        assert item.text.strip()


def test_phq9_difficulty_item_is_the_tenth_and_unscored():
    difficulty = instruments.get("phq9").item(10)
    assert not difficulty.scored
    assert difficulty.slug == "difficulty"
    assert "how difficult" in difficulty.text
    assert options("phq9", 10) == [
        (0, "Not difficult at all"),
        (1, "Somewhat difficult"),
        (2, "Very difficult"),
        (3, "Extremely difficult"),
    ]


def test_phq9_item_nine_is_about_thoughts_of_death_or_self_harm():
    assert instruments.get("phq9").item(9).text == (
        "Thoughts that you would be better off dead, or of hurting yourself in some way"
    )


@pytest.mark.parametrize(("short", "long"), [("phq2", "phq9"), ("gad2", "gad7")])
def test_short_screener_is_the_first_two_items_of_its_long_form_word_for_word(short, long):
    screener, full = instruments.get(short), instruments.get(long)
    assert [item.text for item in screener.items] == [full.item(1).text, full.item(2).text]
    assert [item.options for item in screener.items] == [full.item(1).options, full.item(2).options]
    assert all(item.scored for item in screener.items)
    assert screener.period == full.period
    assert screener.stem == full.stem


def test_phq2_items_are_interest_and_feeling_down():
    texts = [item.text for item in instruments.get("phq2").items]
    assert texts == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
    ]


def test_gad2_items_are_nervousness_and_worrying():
    texts = [item.text for item in instruments.get("gad2").items]
    assert texts == [
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
    ]


# Option codes, exactly as INSTRUMENTS.md gives them ------------------------------------------


@pytest.mark.parametrize("code", ["phq9", "phq2", "gad7", "gad2"])
def test_phq_and_gad_items_are_coded_0_to_3_by_frequency(code):
    for item in instruments.get(code).scored_items:
        assert options(code, item.number) == FREQUENCY_0_TO_3


def test_pss10_items_are_coded_0_never_to_4_very_often():
    for number in range(1, 11):
        assert options("pss10", number) == [
            (0, "Never"),
            (1, "Almost never"),
            (2, "Sometimes"),
            (3, "Fairly often"),
            (4, "Very often"),
        ]


def test_ucla3_items_are_coded_1_hardly_ever_to_3_often():
    for number in range(1, 4):
        assert options("ucla3", number) == [
            (1, "Hardly ever"),
            (2, "Some of the time"),
            (3, "Often"),
        ]


def test_mspss_items_are_coded_1_very_strongly_disagree_to_7_very_strongly_agree():
    for number in range(1, 13):
        coded = options("mspss", number)
        assert [code for code, _ in coded] == [1, 2, 3, 4, 5, 6, 7]
        assert coded[0] == (1, "Very strongly disagree")
        assert coded[3] == (4, "Neutral")
        assert coded[6] == (7, "Very strongly agree")


def test_lsns6_items_are_coded_0_none_to_5_nine_or_more():
    for number in range(1, 7):
        assert options("lsns6", number) == [
            (0, "None"),
            (1, "One"),
            (2, "Two"),
            (3, "Three or four"),
            (4, "Five to eight"),
            (5, "Nine or more"),
        ]


def test_who5_items_are_coded_5_all_of_the_time_down_to_0_at_no_time():
    for number in range(1, 6):
        coded = options("who5", number)
        assert [code for code, _ in coded] == [5, 4, 3, 2, 1, 0]
        assert coded[0] == (5, "All of the time")
        assert coded[-1] == (0, "At no time")


# Reverse items and subscales --------------------------------------------------------------


def test_pss10_reverse_items_are_exactly_4_5_7_8():
    pss10 = instruments.get("pss10")
    assert [item.number for item in pss10.items if item.reverse] == [4, 5, 7, 8]


@pytest.mark.parametrize(
    "code", ["phq9", "phq2", "gad7", "gad2", "who5", "ucla3", "mspss", "lsns6"]
)
def test_other_instruments_have_no_reverse_items(code):
    assert not any(item.reverse for item in instruments.get(code).items)


def test_mspss_subscales_items_exactly():
    subscales = {one.slug: one.items for one in instruments.get("mspss").subscales}
    assert subscales == {
        "significant_other": (1, 2, 5, 10),
        "family": (3, 4, 8, 11),
        "friends": (6, 7, 9, 12),
    }


def test_lsns6_family_is_items_1_to_3_and_friends_4_to_6():
    subscales = {one.slug: one.items for one in instruments.get("lsns6").subscales}
    assert subscales == {"family": (1, 2, 3), "friends": (4, 5, 6)}


@pytest.mark.parametrize("code", ["phq9", "phq2", "gad7", "gad2", "pss10", "who5", "ucla3"])
def test_instruments_without_subscales_have_none(code):
    assert instruments.get(code).subscales == ()


def test_subscales_together_cover_every_scored_item_once():
    for code in ("mspss", "lsns6"):
        instrument = instruments.get(code)
        numbers = sorted(n for subscale in instrument.subscales for n in subscale.items)
        assert numbers == [item.number for item in instrument.scored_items]


# Ranges, methods, bands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "lowest", "highest"),
    [
        ("phq9", 0, 27),
        ("phq2", 0, 6),
        ("gad7", 0, 21),
        ("gad2", 0, 6),
        ("pss10", 0, 40),
        ("ucla3", 3, 9),
        ("mspss", 1, 7),
        ("lsns6", 0, 30),
        ("who5", 0, 100),
    ],
)
def test_total_ranges(code, lowest, highest):
    instrument = instruments.get(code)
    assert instrument.lowest == Fraction(lowest)
    assert instrument.highest == Fraction(highest)


@pytest.mark.parametrize(
    ("code", "method", "multiplier"),
    [
        ("phq9", "sum", 1),
        ("phq2", "sum", 1),
        ("gad7", "sum", 1),
        ("gad2", "sum", 1),
        ("pss10", "sum", 1),
        ("who5", "sum", 4),
        ("ucla3", "sum", 1),
        ("mspss", "mean", 1),
        ("lsns6", "sum", 1),
    ],
)
def test_scoring_method(code, method, multiplier):
    instrument = instruments.get(code)
    assert instrument.method == method
    assert instrument.multiplier == multiplier


def test_only_phq9_prorates_and_allows_one_missing_answer():
    for instrument in instruments.all_instruments():
        if instrument.code == "phq9":
            assert (instrument.prorate, instrument.max_missing) == (True, 1)
        else:
            assert (instrument.prorate, instrument.max_missing) == (False, 0)


@pytest.mark.parametrize(
    ("code", "bands"),
    [
        (
            "phq9",
            [
                ("minimal", 0, False),
                ("mild", 5, False),
                ("moderate", 10, False),
                ("moderately_severe", 15, False),
                ("severe", 20, False),
            ],
        ),
        ("phq2", [("negative", 0, False), ("positive", 3, False)]),
        (
            "gad7",
            [
                ("minimal", 0, False),
                ("mild", 5, False),
                ("moderate", 10, False),
                ("severe", 15, False),
            ],
        ),
        ("gad2", [("negative", 0, False), ("positive", 3, False)]),
        ("pss10", [("low", 0, False), ("moderate", 14, False), ("high", 27, False)]),
        ("ucla3", [("not_lonely", 3, False), ("lonely", 6, False)]),
        ("mspss", [("low", 1, False), ("moderate", 3, False), ("high", 5, True)]),
        ("lsns6", [("at_risk", 0, False), ("not_at_risk", 12, False)]),
        ("who5", [("very_low", 0, False), ("low", 28, True), ("good", 50, True)]),
    ],
)
def test_band_definitions(code, bands):
    defined = [(band.slug, band.lower, band.above) for band in instruments.get(code).bands]
    assert defined == [(slug, Fraction(lower), above) for slug, lower, above in bands]


def test_mspss_subscales_use_the_same_bands_as_the_total():
    mspss = instruments.get("mspss")
    for subscale in mspss.subscales:
        assert subscale.bands == mspss.bands


def test_lsns6_subscales_are_limited_below_six():
    for subscale in instruments.get("lsns6").subscales:
        assert [(band.slug, band.lower, band.above) for band in subscale.bands] == [
            ("limited", Fraction(0), False),
            ("not_limited", Fraction(6), False),
        ]


@pytest.mark.parametrize(
    ("code", "higher_is_better"),
    [
        ("phq9", False),
        ("phq2", False),
        ("gad7", False),
        ("gad2", False),
        ("pss10", False),
        ("ucla3", False),
        ("who5", True),
        ("mspss", True),
        ("lsns6", True),
    ],
)
def test_direction_of_feeling_better(code, higher_is_better):
    assert instruments.get(code).higher_is_better is higher_is_better


def test_meaningful_change_is_five_on_phq9_and_ten_on_who5_only():
    changes = {one.code: one.meaningful_change for one in instruments.all_instruments()}
    assert changes == {
        "phq9": 5,
        "phq2": None,
        "gad7": None,
        "gad2": None,
        "pss10": None,
        "who5": 10,
        "ucla3": None,
        "mspss": None,
        "lsns6": None,
    }


def test_pss10_bands_note_says_the_cut_offs_are_not_cohens():
    assert "not Cohen's" in instruments.get("pss10").bands_note


# LOINC, sources, licences, flags ----------------------------------------------------------


def test_phq9_loinc_codes():
    phq9 = instruments.get("phq9")
    assert phq9.loinc == {"panel": "44249-1", "total": "44261-6"}
    assert phq9.item(10).loinc == "69722-7"


def test_gad7_loinc_codes():
    assert instruments.get("gad7").loinc == {"panel": "69737-5", "total": "70274-6"}


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_definition_has_source_licence_and_missing_rule(code):
    instrument = instruments.get(code)
    assert instrument.source.strip()
    assert instrument.licence.strip()
    assert instrument.missing_rule.strip()


@pytest.mark.parametrize("code", ["phq9", "phq2", "gad7", "gad2"])
def test_phq_and_gad_licence_is_exactly_the_pfizer_attribution(code):
    assert instruments.get(code).licence == PFIZER


def test_ucla3_licence_says_the_twenty_item_scale_is_not_included():
    assert "20-item" in instruments.get("ucla3").licence
    assert "not included" in instruments.get("ucla3").licence


def test_phq9_flags_item_nine_answered_above_zero():
    assert instruments.get("phq9").flags == (Flag(flag=SELF_HARM_THOUGHTS, item=9, above=0),)
    assert SELF_HARM_THOUGHTS == "self_harm_thoughts"


@pytest.mark.parametrize(
    "code", ["phq2", "gad7", "gad2", "pss10", "who5", "ucla3", "mspss", "lsns6"]
)
def test_no_other_instrument_raises_a_safety_flag(code):
    assert instruments.get(code).flags == ()


def test_band_of_takes_the_last_band_reached():
    bands = instruments.get("mspss").bands
    assert instruments.band_of(bands, Fraction(3)).slug == "moderate"
    assert instruments.band_of(bands, Fraction(5)).slug == "moderate"
    assert instruments.band_of(bands, Fraction(61, 12)).slug == "high"


def test_band_of_a_value_below_every_band_is_the_first():
    # UCLA totals start at 3; the first band catches anything lower rather than failing.
    assert instruments.get("ucla3").band_for(Fraction(0)).slug == "not_lonely"


# Malformed data files ---------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary data directory; the cache is cleared on the way in and out."""
    monkeypatch.setattr(instruments, "DATA_DIR", tmp_path)
    instruments.get.cache_clear()
    yield tmp_path
    instruments.get.cache_clear()


def real(code: str) -> dict[str, Any]:
    return json.loads((REAL_DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))


def write(directory: Path, code: str, doc: Any) -> None:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    (directory / f"{code}.json").write_text(text, encoding="utf-8")


def test_temporary_data_dir_is_read_and_real_definitions_come_back_afterwards(data_dir):
    doc = real("gad7")
    doc["name"] = "GAD-7 (test copy)"
    write(data_dir, "gad7", doc)
    assert instruments.get("gad7").name == "GAD-7 (test copy)"


def test_after_the_temporary_data_dir_the_real_definition_is_read_again():
    # Runs after the test above in file order: the fixture cleared the cache behind it.
    assert instruments.get("gad7").name == "GAD-7"


Breaker = Callable[[dict[str, Any]], None]


def _set(key: str, value: Any) -> Breaker:
    def apply(doc: dict[str, Any]) -> None:
        doc[key] = value

    return apply


def _delete(key: str) -> Breaker:
    def apply(doc: dict[str, Any]) -> None:
        del doc[key]

    return apply


def _first_band(**changes: Any) -> Breaker:
    def apply(doc: dict[str, Any]) -> None:
        doc["bands"][0] = {**doc["bands"][0], **changes}
        for key in [k for k, v in changes.items() if v is None]:
            del doc["bands"][0][key]

    return apply


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_set("code", "gad8"), "gad7.json: its “code” should be 'gad7'"),
        (_delete("name"), "gad7.json: “name” should be a non-empty str"),
        (_set("name", 7), "gad7.json: “name” should be a non-empty str"),
        (_set("source", ""), "gad7.json: “source” should be a non-empty str"),
        (_set("licence", ""), "gad7.json: “licence” should be a non-empty str"),
        (_delete("missing_rule"), "gad7.json: “missing_rule” should be a non-empty str"),
        (_set("items", "Feeling nervous"), "gad7.json: “items” should be a non-empty list"),
        (_set("items", []), "gad7.json: “items” should be a non-empty list"),
        (_delete("options"), "gad7.json item 1: no answer options"),
        (_set("options", [[0, "Not at all"]]), "options should be a list of [code, label] pairs"),
        (_set("options", [[0, "Not at all"], [0, "Never"]]), "gad7.json: two options share a code"),
        (_delete("scoring"), "gad7.json: “scoring” should be a non-empty dict"),
        (_set("scoring", {"method": "median"}), "scoring method should be “sum” or “mean”"),
        (_set("bands", []), "gad7.json: “bands” should be a non-empty list"),
        (
            _set(
                "bands",
                [{"slug": "b", "label": "B", "from": 5}, {"slug": "a", "label": "A", "from": 0}],
            ),
            "gad7.json: bands should rise",
        ),
        (
            _set("subscales", [{"slug": "worry", "label": "Worry", "items": [2, 3, 8]}]),
            "gad7.json: subscale worry names an item that isn't there",
        ),
        (
            _set("flags", [{"flag": "panic", "item": 8, "above": 0}]),
            "gad7.json: flag panic names an item that isn't there",
        ),
        (
            _set("flags", [{"flag": "panic", "item": 0, "above": 0}]),
            "gad7.json: flag panic names an item that isn't there",
        ),
        (_first_band(**{"from": None}), "gad7.json: 'from' is missing"),
        (_first_band(**{"from": "a lot"}), "gad7.json: a value has the wrong shape"),
        (
            _set("options", [[0, "Not at all", "extra"], [1, "Some"]]),
            "gad7.json: a value has the wrong shape",
        ),
    ],
)
def test_malformed_definition_raises_definition_error_saying_what_is_wrong(
    data_dir, breaker, message
):
    doc = real("gad7")
    breaker(doc)
    write(data_dir, "gad7", doc)
    with pytest.raises(DefinitionError) as caught:
        instruments.get("gad7")
    assert message in str(caught.value)


def test_file_that_is_not_json_raises_definition_error(data_dir):
    write(data_dir, "gad7", '{"code": "gad7", "name": ')
    with pytest.raises(DefinitionError, match=r"^gad7\.json: can't be read as JSON"):
        instruments.get("gad7")


def test_file_holding_a_list_raises_definition_error(data_dir):
    write(data_dir, "gad7", [1, 2, 3])
    with pytest.raises(DefinitionError, match=r"^gad7\.json: should hold one JSON object$"):
        instruments.get("gad7")


def test_missing_file_raises_definition_error(data_dir):
    with pytest.raises(DefinitionError, match=r"^phq9\.json: can't be read as JSON"):
        instruments.get("phq9")


def test_definition_error_is_a_value_error():
    assert issubclass(DefinitionError, ValueError)


@pytest.mark.parametrize("numbers", [[1, 10], [0], [1, 2, 11], ["1"]])
def test_screener_borrowing_an_item_its_base_does_not_score_raises_definition_error(
    data_dir, numbers
):
    write(data_dir, "phq9", real("phq9"))
    doc = real("phq2")
    doc["item_numbers"] = numbers
    write(data_dir, "phq2", doc)
    with pytest.raises(DefinitionError, match=r"^phq2\.json: item_numbers names an item that phq9"):
        instruments.get("phq2")


def test_screener_whose_base_is_broken_names_the_base_file(data_dir):
    base = real("phq9")
    base["scoring"] = {"method": "median"}
    write(data_dir, "phq9", base)
    write(data_dir, "phq2", real("phq2"))
    with pytest.raises(DefinitionError, match=r"^phq9\.json: scoring method"):
        instruments.get("phq2")


def test_screener_whose_base_is_missing_names_the_missing_file(data_dir):
    write(data_dir, "phq2", real("phq2"))
    with pytest.raises(DefinitionError, match=r"^phq9\.json: can't be read"):
        instruments.get("phq2")


def test_every_real_data_file_still_loads_from_a_copy(data_dir):
    for code in ALL_CODES:
        write(data_dir, code, copy.deepcopy(real(code)))
    assert [one.code for one in instruments.all_instruments()] == ALL_CODES
