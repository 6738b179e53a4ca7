"""A questionnaire's results over time: change since last time, and whether it matters."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.wellbeing.history import Result, Row, change_words, rows

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def results(*totals: float | None) -> list[Result]:
    return [
        Result(id=n, taken_at=START + dt.timedelta(weeks=n), total=total, band="")
        for n, total in enumerate(totals, 1)
    ]


def phq9_rows(*totals: float | None) -> list[Row]:
    return rows(results(*totals), meaningful_change=5, higher_is_better=False)


def changes(found: list[Row]) -> list[float | None]:
    return [row.change for row in found]


def test_no_results_no_rows():
    assert rows([], 5, False) == []


def test_first_result_has_no_change():
    (row,) = phq9_rows(12)
    assert row.change is None
    assert row.meaningful is False
    assert row.better is None
    assert change_words(row, 5) == "First result"


def test_rows_keep_the_results_in_order():
    given = results(12, 9, 14)
    assert [row.result for row in rows(given, 5, False)] == given


def test_change_is_since_the_previous_result():
    assert changes(phq9_rows(12, 9, 14, 14)) == [None, -3, 5, 0]


def test_incomplete_result_is_skipped_in_the_change_chain():
    found = phq9_rows(10, None, 15)
    assert changes(found) == [None, None, 5]
    assert found[1].meaningful is False
    assert found[1].better is None
    assert found[2].meaningful is True


def test_incomplete_result_reads_as_incomplete():
    assert change_words(phq9_rows(10, None)[1], 5) == "Incomplete"


def test_result_after_only_incomplete_ones_is_the_first():
    found = phq9_rows(None, None, 8)
    assert changes(found) == [None, None, None]
    assert change_words(found[0], 5) == "Incomplete"
    assert change_words(found[2], 5) == "First result"


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (10, 15, True),
        (15, 10, True),
        (10, 14, False),
        (14, 10, False),
        (0, 27, True),
        (20, 26, True),
    ],
)
def test_phq9_change_of_five_or_more_either_way_is_meaningful(before, after, meaningful):
    assert phq9_rows(before, after)[1].meaningful is meaningful


def test_no_meaningful_change_defined_means_never_meaningful():
    found = rows(results(0, 40), meaningful_change=None, higher_is_better=False)
    assert found[1].change == 40
    assert found[1].meaningful is False
    assert change_words(found[1], None) == "40 points higher than last time"


def test_who5_change_of_ten_is_meaningful_and_eight_is_not():
    found = rows(results(40, 52, 60), meaningful_change=10, higher_is_better=True)
    assert [row.meaningful for row in found] == [False, True, False]


@pytest.mark.parametrize(
    ("before", "after", "higher_is_better", "better"),
    [
        (14, 9, False, True),  # PHQ-9 going down is feeling better
        (9, 14, False, False),
        (40, 60, True, True),  # WHO-5 going up is feeling better
        (60, 40, True, False),
    ],
)
def test_better_honours_higher_is_better(before, after, higher_is_better, better):
    found = rows(results(before, after), 5, higher_is_better)
    assert found[1].better is better


def test_no_change_is_neither_better_nor_worse():
    found = phq9_rows(7, 7)
    assert found[1].change == 0
    assert found[1].better is None
    assert found[1].meaningful is False
    assert change_words(found[1], 5) == "The same as last time"


@pytest.mark.parametrize(
    ("totals", "words"),
    [
        ((7, 8), "1 point higher than last time"),
        ((8, 7), "1 point lower than last time"),
        ((7, 10), "3 points higher than last time"),
        ((10, 7), "3 points lower than last time"),
        ((10, 14), "4 points higher than last time"),
        ((10, 15), "5 points higher than last time (a change of 5 or more)"),
        ((20, 9), "11 points lower than last time (a change of 5 or more)"),
    ],
)
def test_change_words(totals, words):
    assert change_words(phq9_rows(*totals)[1], 5) == words


def test_change_words_show_whole_float_changes_without_a_decimal_point():
    found = rows(results(3.0, 4.0), None, True)
    assert change_words(found[1], None) == "1 point higher than last time"


@pytest.mark.parametrize(
    ("before", "after", "change", "words"),
    [
        (2.92, 3.0, 0.08, "0.08 points higher than last time"),
        (5.08, 2.92, -2.16, "2.16 points lower than last time"),
        (3.5, 4.75, 1.25, "1.25 points higher than last time"),
        (0.1, 0.3, 0.2, "0.2 points higher than last time"),
        (4.0, 3.5, -0.5, "0.5 points lower than last time"),
    ],
)
def test_mean_changes_are_rounded_to_two_decimals(before, after, change, words):
    # 3.0 - 2.92 is 0.08000000000000007 as a float; people should read 0.08.
    row = rows(results(before, after), None, True)[1]
    assert row.change == change
    assert change_words(row, None) == words


def test_a_change_too_small_to_show_reads_as_the_same():
    # A float difference that rounds to 0.00 is no change, neither better nor worse.
    row = rows(results(4.999999999, 5.0), 1, True)[1]
    assert row.change == 0
    assert row.better is None
    assert row.meaningful is False
    assert change_words(row, 1) == "The same as last time"
