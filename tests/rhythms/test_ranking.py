"""The reach-out ranking: who is on today's list, in what order, and the one reason why."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeknit.rhythms import ranking
from closeknit.rhythms.ranking import Facts, rank, suggest

TODAY = dt.date(2024, 6, 12)  # a Wednesday


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def sam(**changes: object) -> Facts:
    base = Facts(
        person_id=1,
        name="Sam Rivera",
        nickname="Sam",
        circle="middle",
        support_types=frozenset({"companionship"}),
        rhythm_days=14,
        last_contact=ago(23),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def person(pk: int, name: str, **changes: object) -> Facts:
    return dataclasses.replace(sam(person_id=pk, name=name, nickname=""), **changes)  # type: ignore[arg-type]


def names(people: list[Facts], **kwargs: object) -> list[str]:
    return [one.name for one in rank(people, TODAY, **kwargs)]  # type: ignore[arg-type]


# Who is on the list


def test_no_people_no_list():
    assert rank([], TODAY) == []
    assert rank([], TODAY, high_stress=True) == []


def test_overdue_person_is_on_the_list_with_how_long_it_has_been():
    [one] = rank([sam()], TODAY)
    assert one.person_id == 1
    assert one.name == "Sam Rivera"
    assert one.short_name == "Sam"
    assert one.reason == "You and Sam last talked 23 days ago; you hoped for every 14."
    assert one.reason_kind == ranking.RHYTHM
    assert one.days_since_contact == 23
    assert one.rhythm_days == 14
    assert one.last_contact == ago(23)
    assert one.score == pytest.approx(23 / 14)


def test_never_contacted_person_with_a_rhythm_is_due():
    [one] = rank([sam(last_contact=None)], TODAY)
    assert one.reason == "You haven't logged any contact with Sam yet; you hoped for every 14 days."
    assert one.reason_kind == ranking.NEVER
    assert one.days_since_contact is None
    assert one.score == pytest.approx(1.0)


def test_person_contacted_today_is_never_on_the_list():
    in_touch = sam(
        last_contact=TODAY,
        occasion_in_days=0,
        occasion_title="Sam's birthday",
        support_since_thanks=9,
        circle="inner",
    )
    assert rank([in_touch], TODAY) == []
    assert rank([in_touch], TODAY, high_stress=True) == []


def test_contact_logged_for_a_later_day_counts_as_in_touch():
    assert rank([sam(last_contact=TODAY + dt.timedelta(days=1))], TODAY) == []


def test_exactly_at_the_rhythm_is_due():
    [one] = rank([sam(last_contact=ago(14))], TODAY)
    assert one.reason == "You and Sam last talked 14 days ago; you hoped for every 14."
    assert one.score == pytest.approx(1.0)


def test_a_day_before_the_rhythm_is_not_yet_due():
    assert rank([sam(last_contact=ago(13))], TODAY) == []


def test_one_day_over_the_rhythm_is_due():
    [one] = rank([sam(last_contact=ago(15))], TODAY)
    assert one.days_since_contact == 15
    assert one.score == pytest.approx(15 / 14)


def test_a_daily_rhythm_reads_every_day():
    [one] = rank([sam(rhythm_days=1, last_contact=ago(1))], TODAY)
    assert one.reason == "You and Sam last talked yesterday; you hoped for every day."
    [never] = rank([sam(rhythm_days=1, last_contact=None)], TODAY)
    assert never.reason.endswith("; you hoped for every day.")


def test_full_name_is_used_without_a_nickname():
    [one] = rank([sam(nickname="")], TODAY)
    assert one.reason.startswith("You and Sam Rivera last talked")
    assert one.short_name == "Sam Rivera"


def test_archived_people_never_appear():
    gone = sam(archived=True, last_contact=ago(400), occasion_in_days=0, support_since_thanks=5)
    assert rank([gone], TODAY, high_stress=True) == []


# Pauses


def test_paused_person_is_off_the_list_until_their_day():
    assert rank([sam(paused_until=TODAY + dt.timedelta(days=1))], TODAY) == []
    assert rank([sam(paused_until=TODAY + dt.timedelta(days=30))], TODAY) == []


def test_pause_ending_today_puts_them_back_on_the_list():
    assert names([sam(paused_until=TODAY)]) == ["Sam Rivera"]
    assert names([sam(paused_until=ago(3))]) == ["Sam Rivera"]


def test_pause_holds_even_for_an_occasion_or_a_hard_day():
    paused = sam(
        paused_until=TODAY + dt.timedelta(days=2),
        occasion_in_days=0,
        circle="inner",
        support_since_thanks=9,
    )
    assert rank([paused], TODAY, high_stress=True) == []


def test_not_now_is_until_tomorrow():
    assert ranking.pause_until("not_now", TODAY) == TODAY + dt.timedelta(days=1)


@pytest.mark.parametrize("days", ranking.SNOOZE_DAYS)
def test_snooze_is_for_the_days_chosen(days):
    assert ranking.pause_until("snooze", TODAY, days) == TODAY + dt.timedelta(days=days)


@pytest.mark.parametrize("days", [None, 0, 1, 5, 31, -7])
def test_snooze_refuses_days_not_offered(days):
    with pytest.raises(ValueError, match="snooze"):
        ranking.pause_until("snooze", TODAY, days)


def test_pause_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="kind of pause"):
        ranking.pause_until("forever", TODAY, 7)


# People without a rhythm


def test_person_without_a_rhythm_is_not_on_the_list_for_time_alone():
    assert rank([sam(rhythm_days=None, last_contact=ago(900))], TODAY) == []
    assert rank([sam(rhythm_days=None, last_contact=None)], TODAY) == []


def test_person_without_a_rhythm_comes_up_for_an_occasion():
    [one] = rank(
        [sam(rhythm_days=None, occasion_in_days=2, occasion_title="Sam's birthday")], TODAY
    )
    assert one.reason == "Sam's birthday is on Friday."
    assert one.reason_kind == ranking.OCCASION
    assert one.rhythm_days is None


def test_person_without_a_rhythm_comes_up_for_thanks():
    [one] = rank([sam(rhythm_days=None, support_since_thanks=5)], TODAY)
    assert one.reason == "Sam has been there for you a lot lately; maybe tell them what it meant."
    assert one.reason_kind == ranking.THANKS


def test_person_without_a_rhythm_does_not_come_up_on_a_hard_day_alone():
    inner = sam(rhythm_days=None, circle="inner", support_types=frozenset({"emotional"}))
    assert rank([inner], TODAY, high_stress=True) == []


# Occasions


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "Sam's birthday is today."),
        (1, "Sam's birthday is tomorrow."),
        (2, "Sam's birthday is on Friday."),
        (6, "Sam's birthday is on Tuesday."),
        (7, "Sam's birthday is on Wednesday 19 June."),
        (14, "Sam's birthday is on Wednesday 26 June."),
    ],
)
def test_occasion_within_two_weeks_is_the_reason(days, words):
    not_due = sam(last_contact=ago(2), occasion_in_days=days, occasion_title="Sam's birthday")
    [one] = rank([not_due], TODAY)
    assert one.reason == words


@pytest.mark.parametrize("days", [15, 30, -1])
def test_occasion_outside_the_window_is_no_reason(days):
    assert rank([sam(last_contact=ago(2), occasion_in_days=days)], TODAY) == []


def test_occasion_title_without_the_name_says_whose_it_is():
    [one] = rank([sam(last_contact=ago(2), occasion_in_days=1, occasion_title="Moving day")], TODAY)
    assert one.reason == "Moving day with Sam is tomorrow."


def test_occasion_without_a_title_still_names_the_person():
    [one] = rank([sam(last_contact=ago(2), occasion_in_days=0)], TODAY)
    assert one.reason == "Sam's day is today."


def test_occasion_adds_to_an_overdue_score():
    plain = suggest(sam(last_contact=ago(28)), TODAY)
    with_birthday = suggest(sam(last_contact=ago(28), occasion_in_days=10), TODAY)
    assert plain is not None and with_birthday is not None
    assert with_birthday.score > plain.score


def test_nearer_occasion_weighs_more():
    assert ranking.occasion_points(0) == 3.0
    assert ranking.occasion_points(7) == 2.0
    assert ranking.occasion_points(14) == 1.0
    people = [person(1, "Later", occasion_in_days=9), person(2, "Sooner", occasion_in_days=3)]
    assert names(people)[0] == "Sooner"


def test_when_words_cross_months_and_years():
    new_year = dt.date(2024, 12, 28)
    assert ranking.when_words(dt.date(2025, 1, 6), new_year) == "on Monday 6 January"
    assert ranking.when_words(dt.date(2025, 1, 1), new_year) == "on Wednesday"


# Thanks


def test_thanks_comes_after_five_times_of_support():
    assert rank([sam(last_contact=ago(2), support_since_thanks=4)], TODAY) == []
    [one] = rank([sam(last_contact=ago(2), support_since_thanks=5)], TODAY)
    assert one.reason_kind == ranking.THANKS


def test_more_support_weighs_more_up_to_a_limit():
    assert ranking.thanks_points(5) == 1.0
    assert ranking.thanks_points(7) == 1.5
    assert ranking.thanks_points(9) == 2.0
    assert ranking.thanks_points(70) == 2.0


def test_thanks_window_is_today_and_the_29_days_before():
    assert ranking.thanks_window_start(TODAY) == dt.date(2024, 5, 14)
    assert (TODAY - ranking.thanks_window_start(TODAY)).days + 1 == 30


# Order


def test_closer_circle_comes_first_for_the_same_wait():
    people = [
        person(1, "Outer", circle="outer"),
        person(2, "Middle", circle="middle"),
        person(3, "Inner", circle="inner"),
    ]
    assert names(people) == ["Inner", "Middle", "Outer"]


def test_more_overdue_comes_first_in_the_same_circle():
    people = [
        person(1, "Lately", last_contact=ago(15)),
        person(2, "Long ago", last_contact=ago(40)),
    ]
    assert names(people) == ["Long ago", "Lately"]


def test_long_silences_stop_adding_after_four_rhythms():
    # Past the cap, 3,000 days weigh what 56 do: the tie goes by name.
    people = [
        person(1, "Bea", last_contact=ago(3000)),
        person(2, "Abe", last_contact=ago(56)),
    ]
    found = rank(people, TODAY)
    assert [one.name for one in found] == ["Abe", "Bea"]
    assert found[0].score == found[1].score == pytest.approx(4.0)


def test_ties_go_by_name_then_id():
    people = [
        person(7, "sam"),
        person(3, "Sam"),
        person(5, "Ada"),
        person(2, "Sam"),
    ]
    assert [(one.name, one.person_id) for one in rank(people, TODAY)] == [
        ("Ada", 5),
        ("Sam", 2),
        ("Sam", 3),
        ("sam", 7),
    ]


def test_the_strongest_part_is_the_reason():
    # Overdue 4 rhythms in the middle circle (4.0) beats a birthday in 14 days (1.0).
    [one] = rank([sam(last_contact=ago(56), occasion_in_days=14)], TODAY)
    assert one.reason_kind == ranking.RHYTHM
    # A birthday today (3.0) beats a rhythm just reached (1.0).
    [two] = rank([sam(last_contact=ago(14), occasion_in_days=0)], TODAY)
    assert two.reason_kind == ranking.OCCASION
    # Thanks owed for seven times (1.5) beats a rhythm just reached (1.0) …
    [three] = rank([sam(last_contact=ago(14), support_since_thanks=7)], TODAY)
    assert three.reason_kind == ranking.THANKS
    # … but at five times (1.0) the two weigh the same, and the rhythm is named.
    [four] = rank([sam(last_contact=ago(14), support_since_thanks=5)], TODAY)
    assert four.reason_kind == ranking.RHYTHM


def test_a_tie_between_parts_names_the_occasion_first():
    # Three rhythms overdue (3.0) and a birthday today (3.0), both in the middle circle.
    [one] = rank([sam(last_contact=ago(42), occasion_in_days=0)], TODAY)
    assert one.reason_kind == ranking.OCCASION
    assert one.score == pytest.approx(6.0)


# A hard day


@pytest.mark.parametrize(
    ("stress", "hard"),
    [
        ({TODAY: 7}, True),
        ({TODAY: 10}, True),
        ({TODAY: 6}, False),
        ({TODAY: 2, TODAY - dt.timedelta(days=1): 9}, False),  # the latest answer counts
        ({TODAY - dt.timedelta(days=1): 8}, True),
        ({TODAY: None, TODAY - dt.timedelta(days=1): 8}, True),  # no stress answer today
        ({TODAY - dt.timedelta(days=2): 10}, False),  # too long ago
        ({}, False),
    ],
)
def test_hard_day_is_the_latest_stress_of_today_or_yesterday(stress, hard):
    assert ranking.is_high_stress(stress, TODAY) is hard


def test_on_a_hard_day_inner_circle_and_emotional_supporters_come_first():
    people = [
        person(1, "Very overdue colleague", circle="middle", last_contact=ago(56)),
        person(2, "Inner friend", circle="inner", last_contact=ago(15)),
        person(3, "Emotional supporter", circle="outer", support_types=frozenset({"emotional"})),
    ]
    assert names(people) == ["Very overdue colleague", "Inner friend", "Emotional supporter"]
    assert names(people, high_stress=True) == [
        "Inner friend",
        "Emotional supporter",
        "Very overdue colleague",
    ]


def test_on_a_hard_day_supporters_not_yet_due_are_on_the_list():
    recent = sam(circle="inner", last_contact=ago(3))
    assert rank([recent], TODAY) == []
    [one] = rank([recent], TODAY, high_stress=True)
    assert one.reason == "If things feel heavy, Sam is someone you can lean on."
    assert one.reason_kind == ranking.HARD_DAY


def test_on_a_hard_day_others_not_yet_due_stay_off():
    assert rank([sam(last_contact=ago(3))], TODAY, high_stress=True) == []


def test_on_a_hard_day_an_overdue_supporter_keeps_the_plain_reason():
    [one] = rank([sam(circle="inner")], TODAY, high_stress=True)
    assert one.reason == "You and Sam last talked 23 days ago; you hoped for every 14."


def test_the_lift_outweighs_any_other_score():
    biggest = (
        max(ranking.CLOSENESS.values()) * (ranking.RATIO_CAP + ranking.OCCASION_TODAY_POINTS)
        + ranking.THANKS_MAX_POINTS
    )
    assert biggest < ranking.STRESS_LIFT


# Guards


def test_unknown_circle_is_refused():
    with pytest.raises(ValueError, match="circle"):
        rank([sam(circle="far")], TODAY)


def test_rhythm_below_one_day_is_refused():
    with pytest.raises(ValueError, match="rhythm"):
        ranking.overdue_ratio(3, 0)


# Properties, over any network


def _facts_strategy() -> st.SearchStrategy[list[Facts]]:
    one = st.builds(
        Facts,
        person_id=st.integers(1, 60),
        name=st.sampled_from(["Sam", "sam", "Ada", "Lee Chen", "Zoë", "Ann"]),
        nickname=st.sampled_from(["", "", "Bee"]),
        circle=st.sampled_from(["inner", "middle", "outer"]),
        support_types=st.frozensets(
            st.sampled_from(["emotional", "practical", "informational", "companionship"])
        ),
        rhythm_days=st.none() | st.integers(1, 400),
        last_contact=st.none() | st.integers(-3, 4000).map(ago),
        occasion_in_days=st.none() | st.integers(-2, 20),
        occasion_title=st.sampled_from(["", "Sam's birthday", "Moving day"]),
        support_since_thanks=st.integers(0, 12),
        paused_until=st.none() | st.integers(-5, 31).map(lambda d: TODAY + dt.timedelta(days=d)),
        archived=st.booleans(),
    )
    return st.lists(one, max_size=25, unique_by=lambda facts: facts.person_id)


GUILT = ("fail", "should", "forgot", "neglect", "must", "!")


@settings(max_examples=300, deadline=None)
@given(people=_facts_strategy(), high_stress=st.booleans())
def test_properties_of_any_list(people, high_stress):
    found = rank(people, TODAY, high_stress=high_stress)
    keys = [(-one.score, one.name.casefold(), one.name, one.person_id) for one in found]
    assert keys == sorted(keys)
    facts_of = {facts.person_id: facts for facts in people}
    for one in found:
        facts = facts_of[one.person_id]
        assert not facts.archived
        assert facts.paused_until is None or facts.paused_until <= TODAY
        assert one.days_since_contact is None or one.days_since_contact >= 1
        assert one.score > 0
        assert one.reason.endswith(".")
        assert one.short_name.casefold() in one.reason.casefold()
        assert not any(word in one.reason.casefold() for word in GUILT)
        if facts.rhythm_days is None:
            assert one.reason_kind in (ranking.OCCASION, ranking.THANKS)


@settings(max_examples=200, deadline=None)
@given(people=_facts_strategy(), high_stress=st.booleans(), seed=st.integers(0, 1000))
def test_order_does_not_depend_on_the_order_given(people, high_stress, seed):
    shuffled = list(people)
    random.Random(seed).shuffle(shuffled)
    assert rank(shuffled, TODAY, high_stress=high_stress) == rank(
        people, TODAY, high_stress=high_stress
    )


@settings(max_examples=200, deadline=None)
@given(people=_facts_strategy())
def test_a_hard_day_never_takes_anyone_off(people):
    calm = {one.person_id for one in rank(people, TODAY)}
    hard = {one.person_id for one in rank(people, TODAY, high_stress=True)}
    assert calm <= hard


@settings(max_examples=200, deadline=None)
@given(
    people=_facts_strategy(),
    extra=st.integers(1, 400),
)
def test_a_longer_silence_never_lowers_a_score(people, extra):
    for facts in people:
        if facts.last_contact is None:
            continue
        before = suggest(facts, TODAY)
        later = suggest(
            dataclasses.replace(facts, last_contact=facts.last_contact - dt.timedelta(days=extra)),
            TODAY,
        )
        if before is not None:
            assert later is not None
            assert later.score >= before.score
