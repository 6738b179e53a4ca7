"""The pure rules of occasions: which days come round in a span, and how they are said."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from closeknit.rhythms.occasions import (
    RECOVERY_PROMPT,
    Birthday,
    StoredOccasion,
    add_months,
    add_years,
    on_in_year,
    upcoming,
    when_words,
)

D = dt.date


def sam(day: dt.date, year_known: bool = True) -> Birthday:
    return Birthday(person_id=12, name="Sam", day=day, year_known=year_known)


def start(day: dt.date, title: str = "My recovery", occasion_id: int = 5) -> StoredOccasion:
    return StoredOccasion(occasion_id=occasion_id, kind="recovery", title=title, day=day)


def days(found) -> list[dt.date]:
    return [one.day for one in found]


# Days ----------------------------------------------------------------------------------


def test_the_29th_of_february_falls_on_the_28th_in_common_years():
    assert on_in_year(2, 29, 2027) == D(2027, 2, 28)
    assert on_in_year(2, 29, 2028) == D(2028, 2, 29)
    assert on_in_year(2, 29, 2100) == D(2100, 2, 28)  # not a leap year
    assert on_in_year(2, 29, 2000) == D(2000, 2, 29)  # a leap year
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


@pytest.mark.parametrize(
    ("first", "months", "expected"),
    [
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # February has no 31st: its last day
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # … which is the 29th in a leap year
        (D(2026, 12, 31), 6, D(2027, 6, 30)),
        (D(2026, 7, 1), 6, D(2027, 1, 1)),  # across the year's end
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 1, 31), 12, D(2027, 1, 31)),
    ],
)
def test_months_later_is_the_same_day_or_the_months_last(first, months, expected):
    assert add_months(first, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2999, 12, 31)), st.integers(0, 60))
def test_months_later_never_moves_to_another_month(first, months):
    later = add_months(first, months)
    assert (later.year * 12 + later.month) - (first.year * 12 + first.month) == months
    assert later.day == first.day or later.day < first.day


# Birthdays ------------------------------------------------------------------------------


def test_a_birthday_with_a_known_year_says_the_age():
    [one] = upcoming([sam(D(1997, 5, 3))], [], D(2027, 5, 1), D(2027, 5, 31))
    assert one.day == D(2027, 5, 3)
    assert one.kind == "birthday"
    assert one.title == "Sam's birthday"
    assert one.person_id == 12
    assert one.years == 30
    assert one.prompt == (
        "Sam turns 30. A birthday to celebrate with Sam — a message or a call can mean a lot."
    )
    assert one.key == "birthday-12-2027"
    assert one.occasion_id is None


def test_a_birthday_without_a_year_says_no_age():
    [one] = upcoming([sam(D(2000, 5, 3), year_known=False)], [], D(2027, 5, 1), D(2027, 5, 31))
    assert one.years is None
    assert "turns" not in one.prompt
    assert one.prompt == "A birthday to celebrate with Sam — a message or a call can mean a lot."


def test_a_birthday_whose_placeholder_year_is_later_still_comes_round():
    # "Any year will do": a placeholder year after the span must not hide the birthday.
    found = upcoming([sam(D(2030, 5, 3), year_known=False)], [], D(2027, 1, 1), D(2027, 12, 31))
    assert days(found) == [D(2027, 5, 3)]


def test_a_leap_day_birthday_is_on_the_28th_in_a_common_year():
    found = upcoming([sam(D(2004, 2, 29))], [], D(2027, 2, 1), D(2028, 3, 31))
    assert days(found) == [D(2027, 2, 28), D(2028, 2, 29)]
    assert [one.years for one in found] == [23, 24]
    assert [one.key for one in found] == ["birthday-12-2027", "birthday-12-2028"]


def test_a_birthday_typed_in_the_future_shows_nothing_before_it():
    assert upcoming([sam(D(2030, 5, 3))], [], D(2027, 1, 1), D(2030, 5, 3)) == []
    # Not even on the day of birth itself: "turns 0" would read oddly.
    assert days(upcoming([sam(D(2030, 5, 3))], [], D(2030, 1, 1), D(2031, 6, 1))) == [D(2031, 5, 3)]


def test_the_range_includes_both_of_its_edges():
    birthday = sam(D(1990, 6, 10))
    assert days(upcoming([birthday], [], D(2026, 6, 10), D(2026, 6, 10))) == [D(2026, 6, 10)]
    assert upcoming([birthday], [], D(2026, 6, 11), D(2027, 6, 9)) == []
    assert days(upcoming([birthday], [], D(2026, 6, 11), D(2027, 6, 10))) == [D(2027, 6, 10)]


def test_a_span_across_the_new_year_finds_both_years():
    found = upcoming(
        [sam(D(1990, 12, 30)), Birthday(7, "Ada", D(1985, 1, 2))],
        [],
        D(2026, 12, 20),
        D(2027, 1, 10),
    )
    assert [(one.day, one.title, one.years) for one in found] == [
        (D(2026, 12, 30), "Sam's birthday", 36),
        (D(2027, 1, 2), "Ada's birthday", 42),
    ]


def test_a_long_span_has_one_birthday_a_year_each_with_its_own_key():
    found = upcoming([sam(D(1990, 3, 1))], [], D(2026, 1, 1), D(2029, 12, 31))
    assert days(found) == [D(2026, 3, 1), D(2027, 3, 1), D(2028, 3, 1), D(2029, 3, 1)]
    assert len({one.key for one in found}) == 4


def test_no_people_and_no_occasions_is_an_empty_list():
    assert upcoming([], [], D(2026, 1, 1), D(2026, 12, 31)) == []


def test_an_inverted_range_is_empty():
    assert upcoming([sam(D(1990, 3, 1))], [], D(2026, 3, 2), D(2026, 3, 1)) == []


# Anniversaries and custom occasions -------------------------------------------------------


def met() -> StoredOccasion:
    return StoredOccasion(
        occasion_id=3,
        kind="anniversary",
        title="The day Sam and I met",
        day=D(2019, 9, 14),
        person_id=12,
        person_name="Sam",
    )


def test_an_anniversary_comes_round_every_year_with_its_count():
    found = upcoming([], [met()], D(2026, 1, 1), D(2027, 12, 31))
    assert [(one.day, one.years, one.key) for one in found] == [
        (D(2026, 9, 14), 7, "occasion-3-2026"),
        (D(2027, 9, 14), 8, "occasion-3-2027"),
    ]
    one = found[0]
    assert one.title == "The day Sam and I met"
    assert one.kind == "anniversary"
    assert one.person_id == 12
    assert one.occasion_id == 3
    assert one.prompt == (
        "7 years on. Would you like to mark it with Sam? A message or a call can mean a lot."
    )


def test_one_year_is_said_in_the_singular():
    [one] = upcoming([], [met()], D(2020, 9, 1), D(2020, 9, 30))
    assert one.prompt.startswith("1 year on.")


def test_an_anniversary_without_a_person_is_marked_gently():
    moved = StoredOccasion(4, "anniversary", "Moved into the flat", D(2021, 4, 1))
    [one] = upcoming([], [moved], D(2026, 4, 1), D(2026, 4, 1))
    assert one.prompt == "5 years on. A moment to remember, in whatever way feels right to you."
    assert "celebrate" not in one.prompt  # an anniversary can be a hard day


def test_an_anniversary_day_still_ahead_is_shown_on_that_day_and_then_yearly():
    wedding = StoredOccasion(6, "anniversary", "Our wedding", D(2026, 8, 1), True, 12, "Sam")
    found = upcoming([], [wedding], D(2026, 1, 1), D(2027, 12, 31))
    assert [(one.day, one.years) for one in found] == [(D(2026, 8, 1), None), (D(2027, 8, 1), 1)]
    assert found[0].prompt == (
        "Would you like to mark it with Sam? A message or a call can mean a lot."
    )
    assert upcoming([], [wedding], D(2025, 1, 1), D(2026, 7, 31)) == []


def test_a_one_off_occasion_happens_once():
    party = StoredOccasion(8, "custom", "Priya's housewarming", D(2026, 5, 2), False)
    assert days(upcoming([], [party], D(2026, 1, 1), D(2030, 12, 31))) == [D(2026, 5, 2)]
    assert upcoming([], [party], D(2026, 5, 3), D(2030, 12, 31)) == []
    [one] = upcoming([], [party], D(2026, 5, 2), D(2026, 5, 2))
    assert one.key == "occasion-8-2026"
    assert one.years is None
    assert one.prompt == "A day worth marking, in whatever way feels right to you."


def test_a_yearly_custom_occasion_comes_round_like_an_anniversary():
    day = StoredOccasion(9, "custom", "Allotment open day", D(2024, 2, 29), True)
    assert days(upcoming([], [day], D(2025, 1, 1), D(2028, 12, 31))) == [
        D(2025, 2, 28),
        D(2026, 2, 28),
        D(2027, 2, 28),
        D(2028, 2, 29),
    ]


# Recovery milestones -----------------------------------------------------------------------


def test_recovery_milestones_from_a_start_day():
    found = upcoming([], [start(D(2026, 1, 10))], D(2026, 1, 1), D(2028, 12, 31))
    assert [(one.day, one.title) for one in found] == [
        (D(2026, 1, 17), "1 week since you started your recovery"),
        (D(2026, 2, 9), "30 days since you started your recovery"),
        (D(2026, 3, 11), "60 days since you started your recovery"),
        (D(2026, 4, 10), "90 days since you started your recovery"),
        (D(2026, 7, 10), "6 months since you started your recovery"),
        (D(2027, 1, 10), "1 year since you started your recovery"),
        (D(2028, 1, 10), "2 years since you started your recovery"),
    ]
    assert {one.prompt for one in found} == {RECOVERY_PROMPT}
    assert RECOVERY_PROMPT == "That's worth marking. Who would you like to share it with?"
    assert {one.kind for one in found} == {"recovery"}
    assert [one.years for one in found][-2:] == [1, 2]
    assert len({one.key for one in found}) == len(found)


def test_the_start_day_itself_is_not_a_milestone():
    assert upcoming([], [start(D(2026, 1, 10))], D(2026, 1, 10), D(2026, 1, 16)) == []


def test_six_months_from_the_31st_is_the_end_of_a_shorter_month():
    found = upcoming([], [start(D(2026, 8, 31))], D(2027, 2, 1), D(2027, 3, 31))
    assert [(one.day, one.title) for one in found] == [
        (D(2027, 2, 28), "6 months since you started your recovery")
    ]


def test_a_recovery_started_on_a_leap_day_has_its_years_on_the_28th():
    found = upcoming([], [start(D(2024, 2, 29))], D(2025, 1, 1), D(2028, 12, 31))
    yearly = [(one.day, one.years) for one in found if one.years]
    assert yearly == [
        (D(2025, 2, 28), 1),
        (D(2026, 2, 28), 2),
        (D(2027, 2, 28), 3),
        (D(2028, 2, 29), 4),
    ]


def test_a_recovery_start_in_the_future_has_its_milestones_after_it():
    found = upcoming([], [start(D(2026, 6, 1))], D(2026, 1, 1), D(2026, 6, 30))
    assert days(found) == [D(2026, 6, 8)]


def test_milestones_across_the_year_end():
    found = upcoming([], [start(D(2026, 12, 20))], D(2026, 12, 1), D(2027, 1, 31))
    assert [(one.day, one.title) for one in found] == [
        (D(2026, 12, 27), "1 week since you started your recovery"),
        (D(2027, 1, 19), "30 days since you started your recovery"),
    ]


def test_a_named_recovery_reads_with_its_own_name():
    found = upcoming(
        [], [start(D(2026, 1, 10), title="Sober from alcohol")], D(2026, 4, 10), D(2026, 4, 10)
    )
    assert [one.title for one in found] == ["Sober from alcohol: 90 days"]


def test_a_fresh_start_gives_new_keys_so_its_milestones_are_reminded_again():
    before = upcoming([], [start(D(2026, 1, 10))], D(2026, 1, 1), D(2027, 12, 31))
    after = upcoming([], [start(D(2026, 3, 1))], D(2026, 1, 1), D(2027, 12, 31))
    assert not {one.key for one in before} & {one.key for one in after}


def test_keys_stay_the_same_whatever_span_finds_them():
    occasion = start(D(2026, 1, 10))
    wide = {one.day: one.key for one in upcoming([], [occasion], D(2026, 1, 1), D(2030, 1, 1))}
    for one in upcoming([], [occasion], D(2027, 1, 1), D(2027, 1, 31)):
        assert wide[one.day] == one.key


def test_everything_comes_sorted_by_day():
    found = upcoming(
        [sam(D(1990, 2, 9)), Birthday(7, "Ada", D(1985, 1, 20))],
        [start(D(2026, 1, 10)), met()],
        D(2026, 1, 1),
        D(2026, 12, 31),
    )
    assert days(found) == sorted(days(found))
    assert len(found) == 2 + 5 + 1
    # Two on one day: Sam's birthday and the 30 days, in a stable order.
    same_day = [one.title for one in found if one.day == D(2026, 2, 9)]
    assert same_day == ["30 days since you started your recovery", "Sam's birthday"]


@given(
    st.dates(min_value=D(1950, 1, 1), max_value=D(2060, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)),
    st.integers(0, 800),
)
def test_every_occurrence_is_within_the_span_and_keys_are_unique(day, first, length):
    last = first + dt.timedelta(days=length)
    found = upcoming(
        [sam(day), Birthday(13, "Lee", day, year_known=False)],
        [
            start(day),
            StoredOccasion(3, "anniversary", "A day", day),
            StoredOccasion(4, "custom", "Once", day, False),
        ],
        first,
        last,
    )
    assert all(first <= one.day <= last for one in found)
    assert len({one.key for one in found}) == len(found)
    assert days(found) == sorted(days(found))


# Words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "words"),
    [(0, "Today"), (1, "Tomorrow"), (5, "In 5 days"), (-1, "Yesterday"), (-3, "3 days ago")],
)
def test_how_far_off_an_occasion_is(offset, words):
    today = D(2026, 3, 18)
    assert when_words(today + dt.timedelta(days=offset), today) == words
