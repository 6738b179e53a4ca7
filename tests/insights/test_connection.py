"""Connection and wellbeing on the member's own local days: the rules, with hand-made days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from closeknit.insights.connection import (
    MIN_DAYS,
    Comparison,
    Connection,
    DayContact,
    DayScores,
    Side,
    connection,
)

FIRST = dt.date(2026, 3, 2)
NAMES = {1: "Sam", 2: "Alex", 3: "Robin"}


def day(n: int) -> dt.date:
    return FIRST + dt.timedelta(days=n)


def checkin(n: int, mood: int | None = 5, stress: int | None = 5) -> DayScores:
    return DayScores(day=day(n), mood=mood, stress=stress)


def met(n: int, *people: int, in_person: bool = False) -> DayContact:
    return DayContact(day=day(n), person_ids=frozenset(people), in_person=in_person)


def log(contacts: Iterable[DayContact]) -> dict[dt.date, DayContact]:
    return {found.day: found for found in contacts}


def run(
    scores: list[DayScores],
    contacts: Iterable[DayContact] = (),
    last: int = 99,
    names: dict[int, str] | None = None,
) -> Connection:
    return connection(scores, log(contacts), NAMES if names is None else names, FIRST, day(last))


def split_member(with_stress: list[int], without_stress: list[int]) -> Connection:
    """Contact days first (days 0, 1, …), then days without contact, one check-in each."""
    scores = [checkin(n, stress=value) for n, value in enumerate(with_stress)]
    offset = len(with_stress)
    scores += [checkin(offset + n, stress=value) for n, value in enumerate(without_stress)]
    return run(scores, [met(n, 1) for n in range(offset)])


def not_enough(measure: str) -> Comparison:
    return Comparison(
        measure=measure,
        with_contact=Side(mean=None, days=0),
        without_contact=Side(mean=None, days=0),
        difference=None,
        ci95=None,
        enough_data=False,
        days_needed_with=MIN_DAYS,
        days_needed_without=MIN_DAYS,
    )


def comparisons(found: Connection) -> list[Comparison]:
    return [
        found.stress,
        found.mood,
        found.stress_in_person,
        found.mood_in_person,
        found.next_day_stress,
    ]


# --- No data, tiny ranges -----------------------------------------------------------------------


def test_no_data_at_all_is_not_enough_everywhere() -> None:
    found = connection([], {}, {}, FIRST, day(364))

    assert found == Connection(
        first=FIRST,
        last=day(364),
        checkin_days=0,
        contact_days=0,
        stress=not_enough("stress"),
        mood=not_enough("mood"),
        stress_in_person=not_enough("stress"),
        mood_in_person=not_enough("mood"),
        next_day_stress=not_enough("stress"),
        people=[],
    )


def test_contact_without_any_check_in_is_not_enough_but_counts_contact_days() -> None:
    found = run([], [met(n, 1) for n in range(30)])

    assert found.contact_days == 30
    assert found.checkin_days == 0
    assert all(not comparison.enough_data for comparison in comparisons(found))
    assert found.stress.with_contact == Side(mean=None, days=0)


def test_one_day_range_has_no_next_day_pairs() -> None:
    found = run([checkin(0, stress=3)], [met(0, 1)], last=0)

    assert found.stress.with_contact == Side(mean=3.0, days=1)
    assert found.next_day_stress.with_contact.days == 0
    assert found.next_day_stress.without_contact.days == 0


def test_range_ending_before_it_starts_has_no_days() -> None:
    found = connection([checkin(0)], log([met(0, 1)]), NAMES, day(5), day(4))

    assert (found.checkin_days, found.contact_days) == (0, 0)
    assert found.stress == not_enough("stress")


# --- Which days count ---------------------------------------------------------------------------


def test_day_without_a_check_in_is_left_out_not_counted_as_zero() -> None:
    # 14 contact days at stress 6 with a check-in, and 10 more contact days without one.
    scores = [checkin(n, stress=6) for n in range(14)]
    scores += [checkin(n, stress=4) for n in range(30, 44)]
    found = run(scores, [met(n, 1) for n in range(24)])

    assert found.stress.with_contact == Side(mean=6.0, days=14)
    assert found.stress.without_contact == Side(mean=4.0, days=14)
    assert found.stress.difference == 2.0


def test_check_in_without_stress_counts_for_mood_only() -> None:
    scores = [checkin(0, mood=8, stress=None), checkin(1, mood=6, stress=2)]
    found = run(scores, [met(0, 1), met(1, 1)])

    assert found.mood.with_contact == Side(mean=7.0, days=2)
    assert found.stress.with_contact == Side(mean=2.0, days=1)


def test_check_in_without_mood_counts_for_stress_only() -> None:
    found = run([checkin(0, mood=None, stress=7), checkin(1, mood=4, stress=3)])

    assert found.stress.without_contact == Side(mean=5.0, days=2)
    assert found.mood.without_contact == Side(mean=4.0, days=1)


def test_check_in_with_neither_number_is_a_check_in_day_but_on_no_side() -> None:
    found = run([checkin(0, mood=None, stress=None), checkin(1)], [met(0, 1)])

    assert found.checkin_days == 2
    assert found.stress.with_contact.days == 0
    assert found.mood.with_contact.days == 0


def test_zero_is_a_score_not_a_missing_day() -> None:
    found = run([checkin(0, mood=0, stress=0), checkin(1, mood=10, stress=10)])

    assert found.stress.without_contact == Side(mean=5.0, days=2)
    assert found.mood.without_contact == Side(mean=5.0, days=2)


def test_contact_logged_without_names_is_a_contact_day() -> None:
    found = run([checkin(0, stress=2), checkin(1, stress=8)], [met(0)])

    assert found.contact_days == 1
    assert found.stress.with_contact == Side(mean=2.0, days=1)
    assert found.stress.without_contact == Side(mean=8.0, days=1)


def test_days_just_outside_the_range_are_ignored() -> None:
    scores = [checkin(-1, stress=9), checkin(0, stress=1), checkin(10, stress=3)]
    scores += [checkin(11, stress=9)]
    contacts = [met(-1, 1), met(0, 1), met(10, 1), met(11, 1)]
    found = connection(scores, log(contacts), NAMES, day(0), day(10))

    assert (found.checkin_days, found.contact_days) == (2, 2)
    assert found.stress.with_contact == Side(mean=2.0, days=2)


def test_check_in_and_contact_counts() -> None:
    scores = [checkin(n) for n in (0, 1, 2, 5)]
    found = run(scores, [met(n, 1) for n in (1, 3)], last=6)

    assert (found.checkin_days, found.contact_days) == (4, 2)
    assert found.stress.with_contact.days == 1  # day 1
    assert found.stress.without_contact.days == 3  # days 0, 2 and 5


def test_result_does_not_depend_on_the_order_of_check_ins() -> None:
    scores = [checkin(n, mood=n % 11, stress=(3 * n) % 11) for n in range(60)]
    contacts = [met(n, 1 + n % 3) for n in range(0, 60, 2)]

    assert run(scores, contacts) == run(list(reversed(scores)), contacts)


# --- Enough data: the boundary at MIN_DAYS ------------------------------------------------------


def test_thirteen_days_with_contact_is_not_enough_yet() -> None:
    found = split_member([4] * 13, [6] * 20)

    assert found.stress.enough_data is False
    assert found.stress.difference is None
    assert found.stress.ci95 is None
    assert (found.stress.days_needed_with, found.stress.days_needed_without) == (1, 0)


def test_fourteen_days_with_contact_is_enough() -> None:
    found = split_member([4] * 14, [6] * 20)

    assert found.stress.enough_data is True
    assert found.stress.difference == -2.0
    assert (found.stress.days_needed_with, found.stress.days_needed_without) == (0, 0)


def test_thirteen_days_without_contact_is_not_enough_yet() -> None:
    found = split_member([4] * 20, [6] * 13)

    assert found.stress.enough_data is False
    assert (found.stress.days_needed_with, found.stress.days_needed_without) == (0, 1)


def test_fourteen_days_on_each_side_is_enough() -> None:
    found = split_member([3, 4, 5] * 4 + [4, 4], [6, 7, 5] * 4 + [6, 6])

    assert found.stress.enough_data is True
    assert found.stress.with_contact == Side(mean=4.0, days=14)
    assert found.stress.without_contact == Side(mean=6.0, days=14)
    assert found.stress.difference == pytest.approx(-2.0)
    assert found.stress.ci95 is not None
    low, high = found.stress.ci95
    assert low <= -2.0 <= high
    assert high < 0  # every resample of these days has lower stress with contact


def test_days_needed_say_how_many_more_each_side_needs() -> None:
    found = split_member([5] * 9, [5] * 3)

    assert (found.stress.days_needed_with, found.stress.days_needed_without) == (5, 11)


def test_means_and_counts_are_given_even_without_enough_data() -> None:
    found = split_member([3, 5] * 4 + [4], [7])

    assert found.stress.with_contact == Side(mean=4.0, days=9)
    assert found.stress.without_contact == Side(mean=7.0, days=1)


def test_lower_stress_with_contact_is_a_negative_difference() -> None:
    found = split_member([2, 3] * 10, [6, 7] * 10)

    assert found.stress.difference == pytest.approx(-4.0)
    assert found.stress.ci95 is not None
    assert found.stress.ci95[1] < 0


# --- In person ----------------------------------------------------------------------------------


def test_in_person_days_compare_with_days_of_no_contact_at_all() -> None:
    in_person = [met(n, 1, in_person=True) for n in range(14)]
    remote = [met(n, 2) for n in range(14, 28)]
    scores = [checkin(n, mood=8, stress=2) for n in range(14)]
    scores += [checkin(n, mood=3, stress=9) for n in range(14, 28)]
    scores += [checkin(n, mood=5, stress=6) for n in range(28, 42)]
    found = run(scores, in_person + remote)

    assert found.stress_in_person.with_contact == Side(mean=2.0, days=14)
    assert found.stress_in_person.without_contact == Side(mean=6.0, days=14)
    assert found.stress_in_person.difference == -4.0
    assert found.mood_in_person.difference == 3.0
    # Any contact: the remote days are contact days too.
    assert found.stress.with_contact == Side(mean=5.5, days=28)


def test_remote_only_days_are_on_neither_in_person_side() -> None:
    scores = [checkin(n) for n in range(20)]
    found = run(scores, [met(n, 1) for n in range(20)])

    assert found.stress_in_person.with_contact.days == 0
    assert found.stress_in_person.without_contact.days == 0
    assert found.stress.with_contact.days == 20


def test_a_day_with_both_remote_and_in_person_contact_is_in_person() -> None:
    found = run([checkin(0, stress=1)], [met(0, 1, 2, in_person=True)])

    assert found.stress_in_person.with_contact == Side(mean=1.0, days=1)


# --- The next day -------------------------------------------------------------------------------


def test_next_day_stress_is_the_stress_on_the_day_after_contact() -> None:
    # Contact on even days; the day after contact (odd) has stress 2, the others 8.
    scores = [checkin(n, stress=2 if n % 2 else 8) for n in range(40)]
    found = run(scores, [met(n, 1) for n in range(0, 40, 2)], last=39)

    assert found.next_day_stress.with_contact == Side(mean=2.0, days=20)
    # d = 1, 3, …, 37: their next days 2, 4, …, 38; day 39 has no next day in range.
    assert found.next_day_stress.without_contact == Side(mean=8.0, days=19)
    assert found.next_day_stress.difference == -6.0


def test_next_day_needs_only_the_next_days_check_in() -> None:
    found = run([checkin(1, stress=3)], [met(0, 1)], last=5)

    assert found.next_day_stress.with_contact == Side(mean=3.0, days=1)
    assert found.stress.with_contact.days == 0  # day 0 itself has no check-in


def test_next_day_without_a_check_in_is_left_out() -> None:
    found = run([checkin(0, stress=4), checkin(2, stress=6)], [met(0, 1), met(1, 1)], last=5)

    # Day 0 → day 1 has no check-in; day 1 → day 2 counts (stress 6).
    assert found.next_day_stress.with_contact == Side(mean=6.0, days=1)


def test_contact_on_the_last_day_has_no_next_day_in_the_range() -> None:
    scores = [checkin(9, stress=4), checkin(10, stress=7)]
    contacts = [met(9, 1), met(10, 1)]
    found = connection(scores, log(contacts), NAMES, day(0), day(9))

    assert found.next_day_stress.with_contact == Side(mean=None, days=0)


def test_second_to_last_day_pairs_with_the_last_day() -> None:
    found = run([checkin(9, stress=4)], [met(8, 1)], last=9)

    assert found.next_day_stress.with_contact == Side(mean=4.0, days=1)


def test_first_day_is_nobodys_next_day() -> None:
    # The day before the range is not in it, so the first day's stress pairs with nothing.
    scores = [checkin(0, stress=9), checkin(1, stress=2)]
    found = connection(scores, log([met(-1, 1), met(0, 1)]), NAMES, day(0), day(5))

    assert found.next_day_stress.with_contact == Side(mean=2.0, days=1)
    assert found.next_day_stress.without_contact == Side(mean=None, days=0)


# --- People -------------------------------------------------------------------------------------


def test_person_effect_is_shrunk_toward_the_members_usual_mood() -> None:
    # 20 mood days: four with Sam at mood 9, sixteen others at mood 5. Usual = 116/20 = 5.8.
    scores = [checkin(n, mood=9) for n in range(4)] + [checkin(n, mood=5) for n in range(4, 20)]
    found = run(scores, [met(n, 1) for n in range(4)])

    shrunk = (4 * 9 + 7 * 5.8) / (4 + 7)  # 6.96…: 4/11 of the way from 5.8 to 9
    (sam,) = found.people
    assert (sam.person_id, sam.name, sam.days) == (1, "Sam", 4)
    assert (sam.mood_with, sam.mood_other) == (9.0, 5.0)
    assert sam.shrunk_with == pytest.approx(shrunk)
    assert sam.difference == pytest.approx(shrunk - 5.0)


def test_one_great_day_with_someone_does_not_crown_them() -> None:
    # 60 mood days, the member's mean exactly 5. Alex: 3 days at 10. Sam: 20 days at 8.
    # Robin was there on one of Alex's days only.
    scores = [checkin(n, mood=10) for n in range(3)]
    scores += [checkin(n, mood=8) for n in range(3, 23)]
    scores += [checkin(n, mood=3) for n in range(23, 59)] + [checkin(59, mood=2)]
    contacts = [met(0, 2, 3), met(1, 2), met(2, 2)] + [met(n, 1) for n in range(3, 23)]
    found = run(scores, contacts)

    assert [(effect.name, effect.days) for effect in found.people] == [("Sam", 20), ("Alex", 3)]
    sam, alex = found.people
    assert alex.mood_with > sam.mood_with  # 10 beats 8 on the plain means …
    assert alex.mood_with - alex.mood_other > sam.mood_with - sam.mood_other
    assert alex.shrunk_with == pytest.approx((3 * 10 + 7 * 5) / 10)  # … but few days say little
    assert sam.shrunk_with == pytest.approx((20 * 8 + 7 * 5) / 27)
    assert sam.difference == pytest.approx(sam.shrunk_with - 3.5)
    assert alex.difference == pytest.approx(alex.shrunk_with - 270 / 57)


def test_person_needs_three_days_with_a_mood() -> None:
    scores = [checkin(n, mood=5 + n % 3) for n in range(30)]
    contacts = [met(0, 1), met(1, 1), met(2, 1)]

    assert [effect.days for effect in run(scores, contacts).people] == [3]
    assert run(scores, contacts[:2]).people == []


def test_days_with_someone_but_no_mood_do_not_count_for_them() -> None:
    scores = [checkin(n, mood=None, stress=4) for n in range(3)]
    scores += [checkin(n, mood=6) for n in range(3, 33)]
    found = run(scores, [met(n, 1) for n in range(5)])

    assert found.people == []  # two days with a mood (3 and 4), not five


def test_person_there_almost_every_day_has_too_few_other_days() -> None:
    scores = [checkin(n, mood=5 + n % 2) for n in range(20)]
    nearly_all = [met(n, 1) for n in range(18)]

    assert run(scores, nearly_all).people == []
    assert [effect.days for effect in run(scores, nearly_all[:17]).people] == [17]


def test_nobody_is_listed_before_fourteen_mood_days_in_all() -> None:
    contacts = [met(n, 1) for n in range(5)]
    thirteen = [checkin(n, mood=7 if n < 5 else 4) for n in range(13)]
    fourteen = [checkin(n, mood=7 if n < 5 else 4) for n in range(14)]

    assert run(thirteen, contacts).people == []
    assert [effect.name for effect in run(fourteen, contacts).people] == ["Sam"]


def test_people_not_in_names_are_left_out_but_their_days_are_contact_days() -> None:
    scores = [checkin(n, mood=8, stress=3) for n in range(14)]
    scores += [checkin(n, mood=5, stress=6) for n in range(14, 28)]
    found = run(scores, [met(n, 99) for n in range(14)])

    assert found.people == []
    assert found.contact_days == 14
    assert found.stress.difference == -3.0


def test_people_are_sorted_by_difference_then_name() -> None:
    scores = [checkin(n, mood=9 if n < 4 else 6 if n < 8 else 4) for n in range(30)]
    # Sam and Alex share the four mood-9 days; Robin has the mood-6 days.
    contacts = [met(n, 1, 2) for n in range(4)] + [met(n, 3) for n in range(4, 8)]
    found = run(scores, contacts)

    assert [effect.name for effect in found.people] == ["Alex", "Sam", "Robin"]
    assert found.people[0].difference == found.people[1].difference
    assert found.people[1].difference > found.people[2].difference


def test_a_person_the_member_feels_lower_with_has_a_negative_difference() -> None:
    scores = [checkin(n, mood=2 if n < 10 else 6) for n in range(30)]
    found = run(scores, [met(n, 1) for n in range(10)])

    (effect,) = found.people
    assert effect.difference < 0
    assert effect.mood_with < effect.shrunk_with < effect.mood_other


def test_same_days_give_the_same_answer() -> None:
    scores = [checkin(n, mood=(n * 7) % 11, stress=(n * 5) % 11) for n in range(120)]
    contacts = [met(n, 1 + n % 3, in_person=n % 4 == 0) for n in range(0, 120, 2)]

    assert run(scores, contacts, last=119) == run(scores, contacts, last=119)


def test_two_check_ins_on_one_day_keep_the_later() -> None:
    found = run([checkin(0, stress=9), checkin(0, stress=3)])

    assert found.checkin_days == 1
    assert found.stress.without_contact == Side(mean=3.0, days=1)
