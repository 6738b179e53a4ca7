"""Early-warning rules on the member's own local days: thresholds, windows, cooldowns, zones."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeknit.circle.rules import (
    DEFAULTS,
    KINDS,
    OFF_REASON,
    RECENT_MISS_DAYS,
    Facts,
    RuleSettings,
    Verdict,
    describe,
    evaluate,
    validate,
)

TODAY = dt.date(2026, 3, 10)
JOINED = dt.date(2025, 6, 1)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
AUCKLAND = ZoneInfo("Pacific/Auckland")
UTC = dt.UTC

STRESS, MOOD, CONTACT, MISSED_APPTS = "stress_high", "mood_low", "no_contact", "missed_appointments"

Scores = dict[dt.date, tuple[int | None, int | None]]


def day(back: int, today: dt.date = TODAY) -> dt.date:
    """The local day `back` days before `today` (negative: after it)."""
    return today - dt.timedelta(days=back)


def on(kind: str, **changes: object) -> RuleSettings:
    """The default rule of `kind`, switched on, with `changes`."""
    return replace(DEFAULTS[kind], enabled=True, **changes)  # type: ignore[arg-type]


def facts(
    *,
    today: dt.date = TODAY,
    checkins: Mapping[dt.date, tuple[int | None, int | None]] | None = None,
    last_contact: dt.date | None = None,
    appointments: Iterable[tuple[dt.datetime, str]] = (),
    last_fired: dt.date | None = None,
    member_since: dt.date = JOINED,
) -> Facts:
    return Facts(
        today=today,
        checkins={} if checkins is None else checkins,
        last_contact=last_contact,
        appointments=tuple(appointments),
        last_fired=last_fired,
        member_since=member_since,
    )


def stress_on(values: Mapping[int, int | None]) -> Scores:
    """Check-ins {days back: stress}, with an unremarkable mood."""
    return {day(back): (5, value) for back, value in values.items()}


def mood_on(values: Mapping[int, int | None]) -> Scores:
    """Check-ins {days back: mood}, with an unremarkable stress."""
    return {day(back): (value, 5) for back, value in values.items()}


def appt(back: int, status: str, hour: int = 10, zone: ZoneInfo = LOS_ANGELES) -> tuple:
    return (dt.datetime.combine(day(back), dt.time(hour), tzinfo=zone), status)


def holding_facts(kind: str, **changes: object) -> Facts:
    """Facts under which the default rule of `kind` holds."""
    found = {
        STRESS: facts(checkins=stress_on({0: 8, 1: 8, 2: 8})),
        MOOD: facts(checkins=mood_on({0: 2, 1: 2, 2: 2})),
        CONTACT: facts(last_contact=day(10)),
        MISSED_APPTS: facts(appointments=[appt(5, "missed"), appt(2, "missed")]),
    }[kind]
    return replace(found, **changes)  # type: ignore[arg-type]


# --- stress_high ----------------------------------------------------------------------------


@pytest.mark.parametrize(("stress", "counts"), [(6, False), (7, True), (8, True), (10, True)])
def test_stress_counts_from_the_threshold_up(stress, counts):
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({0: stress, 1: stress, 2: stress})))
    assert verdict.fires is counts
    assert verdict.evidence_days == (3 if counts else 0)


def test_stress_on_one_day_fewer_than_needed_does_not_fire():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({0: 9, 3: 7})))
    assert verdict == Verdict(
        fires=False,
        reason="Your stress has been 7 or more on 2 of the last 5 days.",
        evidence_days=2,
        held_by_cooldown=False,
    )


def test_stress_on_exactly_the_days_needed_fires():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({0: 9, 3: 7, 4: 8})))
    assert verdict == Verdict(
        fires=True,
        reason="Your stress has been 7 or more on 3 of the last 5 days.",
        evidence_days=3,
        held_by_cooldown=False,
    )


def test_evidence_counts_every_high_day_not_just_the_days_needed():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on(dict.fromkeys(range(5), 9))))
    assert verdict.fires
    assert verdict.evidence_days == 5
    assert verdict.reason == "Your stress has been 7 or more on 5 of the last 5 days."


def test_a_high_day_just_outside_the_window_does_not_count():
    # The window of 5 is today and the 4 days before; 5 days back is the first day outside.
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({0: 8, 1: 8, 5: 8})))
    assert not verdict.fires
    assert verdict.evidence_days == 2


def test_a_high_day_on_the_first_day_of_the_window_counts():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({0: 8, 1: 8, 4: 8})))
    assert verdict.fires
    assert verdict.evidence_days == 3


def test_the_window_always_ends_today_even_without_a_check_in_today():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({2: 8, 3: 8, 4: 8, 5: 8})))
    assert verdict.fires
    assert verdict.evidence_days == 3


def test_check_ins_after_today_are_ignored():
    verdict = evaluate(on(STRESS), facts(checkins=stress_on({-1: 9, -2: 9, 0: 9})))
    assert not verdict.fires
    assert verdict.evidence_days == 1


def test_days_without_a_check_in_are_not_taken_as_high():
    # Only one check-in in the window, and it is high: missing days are neither high nor low.
    verdict = evaluate(on(STRESS, days_needed=2), facts(checkins=stress_on({2: 9})))
    assert not verdict.fires
    assert verdict.evidence_days == 1


def test_a_check_in_without_stress_does_not_count():
    checkins = {day(0): (1, None), day(1): (0, None), day(2): (None, None), day(3): (5, 8)}
    verdict = evaluate(on(STRESS, days_needed=1), facts(checkins=checkins))
    assert verdict.fires
    assert verdict.evidence_days == 1


def test_no_check_ins_at_all_is_a_quiet_plain_reason():
    verdict = evaluate(on(STRESS), facts())
    assert verdict == Verdict(
        fires=False,
        reason="Your stress hasn't been 7 or more on any of the last 5 days.",
        evidence_days=0,
        held_by_cooldown=False,
    )


def test_stress_rule_looks_at_stress_not_mood():
    checkins = {day(back): (0, 2) for back in range(5)}  # very low mood, calm
    assert not evaluate(on(STRESS), facts(checkins=checkins)).fires


def test_a_one_day_window_is_about_today():
    rule = on(STRESS, days_needed=1, window_days=1)
    high_today = evaluate(rule, facts(checkins=stress_on({0: 7, 1: 9})))
    high_yesterday = evaluate(rule, facts(checkins=stress_on({1: 9})))
    assert (high_today.fires, high_today.reason) == (True, "Your stress has been 7 or more today.")
    assert (high_yesterday.fires, high_yesterday.reason) == (
        False,
        "Your stress hasn't been 7 or more today.",
    )


def test_needing_every_day_of_the_window_fires_only_when_all_are_high():
    rule = on(STRESS, days_needed=5, window_days=5)
    assert evaluate(rule, facts(checkins=stress_on(dict.fromkeys(range(5), 7)))).fires
    four = stress_on({0: 7, 1: 7, 2: 7, 3: 7, 4: 6})
    assert not evaluate(rule, facts(checkins=four)).fires


def test_the_longest_window_reaches_back_thirty_days():
    rule = on(STRESS, days_needed=1, window_days=30)
    assert evaluate(rule, facts(checkins=stress_on({29: 9}))).fires
    assert not evaluate(rule, facts(checkins=stress_on({30: 9}))).fires


def test_top_of_the_scale_threshold_reads_as_at_ten():
    rule = on(STRESS, threshold=10, days_needed=1)
    assert not evaluate(rule, facts(checkins=stress_on({0: 9}))).fires
    verdict = evaluate(rule, facts(checkins=stress_on({0: 10})))
    assert (verdict.fires, verdict.reason) == (
        True,
        "Your stress has been at 10 on 1 of the last 5 days.",
    )


def test_a_zero_stress_threshold_counts_every_day_with_a_stress():
    rule = on(STRESS, threshold=0, days_needed=2)
    checkins = {day(0): (5, 0), day(1): (5, None), day(2): (5, 0)}
    assert evaluate(rule, facts(checkins=checkins)).evidence_days == 2


# --- mood_low -------------------------------------------------------------------------------


@pytest.mark.parametrize(("mood", "counts"), [(4, False), (3, True), (2, True), (0, True)])
def test_mood_counts_from_the_threshold_down(mood, counts):
    verdict = evaluate(on(MOOD), facts(checkins=mood_on({0: mood, 2: mood, 4: mood})))
    assert verdict.fires is counts
    assert verdict.evidence_days == (3 if counts else 0)


def test_low_mood_on_the_days_needed_fires_with_a_kind_reason():
    verdict = evaluate(on(MOOD), facts(checkins=mood_on({0: 3, 1: 2, 4: 1})))
    assert verdict == Verdict(
        fires=True,
        reason="Your mood has been 3 or lower on 3 of the last 5 days.",
        evidence_days=3,
        held_by_cooldown=False,
    )


def test_low_mood_on_one_day_fewer_than_needed_does_not_fire():
    verdict = evaluate(on(MOOD), facts(checkins=mood_on({0: 3, 1: 2, 2: 4})))
    assert (verdict.fires, verdict.evidence_days) == (False, 2)


def test_a_low_mood_just_outside_the_window_does_not_count():
    assert not evaluate(on(MOOD), facts(checkins=mood_on({0: 1, 1: 1, 5: 1}))).fires
    assert evaluate(on(MOOD), facts(checkins=mood_on({0: 1, 1: 1, 4: 1}))).fires


def test_a_check_in_without_mood_is_never_taken_as_low():
    # A missing mood must not read as 0, the lowest score.
    checkins = {day(back): (None, 9) for back in range(5)}
    verdict = evaluate(on(MOOD), facts(checkins=checkins))
    assert (verdict.fires, verdict.evidence_days) == (False, 0)


def test_mood_rule_looks_at_mood_not_stress():
    checkins = {day(back): (8, 10) for back in range(5)}  # good mood, high stress
    assert not evaluate(on(MOOD), facts(checkins=checkins)).fires


def test_bottom_of_the_scale_threshold_reads_as_at_zero():
    rule = on(MOOD, threshold=0, days_needed=1)
    assert not evaluate(rule, facts(checkins=mood_on({0: 1}))).fires
    verdict = evaluate(rule, facts(checkins=mood_on({0: 0})))
    assert (verdict.fires, verdict.reason) == (
        True,
        "Your mood has been at 0 on 1 of the last 5 days.",
    )


def test_no_low_mood_days_says_so_plainly():
    verdict = evaluate(on(MOOD), facts(checkins=mood_on({0: 6, 1: 7})))
    assert verdict.reason == "Your mood hasn't been 3 or lower on any of the last 5 days."


# --- no_contact -----------------------------------------------------------------------------


@pytest.mark.parametrize(("days_since", "fires"), [(6, False), (7, True), (8, True)])
def test_no_contact_fires_from_the_day_count_on(days_since, fires):
    verdict = evaluate(on(CONTACT), facts(last_contact=day(days_since)))
    assert verdict.fires is fires
    assert verdict.evidence_days == days_since
    assert verdict.reason == (
        f"It's been {days_since} days since you last noted contact with someone."
    )


def test_a_brand_new_member_with_nothing_logged_is_not_nudged():
    verdict = evaluate(on(CONTACT), facts(last_contact=None, member_since=TODAY))
    assert verdict == Verdict(
        fires=False,
        reason="You joined today, and no contact is noted yet.",
        evidence_days=0,
        held_by_cooldown=False,
    )


def test_a_new_member_is_counted_from_the_day_they_joined():
    before = evaluate(on(CONTACT), facts(last_contact=None, member_since=day(6)))
    after = evaluate(on(CONTACT), facts(last_contact=None, member_since=day(7)))
    assert (before.fires, before.evidence_days) == (False, 6)
    assert (after.fires, after.evidence_days) == (True, 7)
    assert after.reason == "It's been 7 days since you joined, and no contact is noted since."


def test_a_member_who_joined_yesterday_reads_kindly():
    verdict = evaluate(on(CONTACT), facts(last_contact=None, member_since=day(1)))
    assert verdict.reason == "You joined yesterday, and no contact is noted yet."


def test_contact_imported_from_before_joining_does_not_nudge_a_new_member():
    verdict = evaluate(on(CONTACT), facts(last_contact=day(400), member_since=day(2)))
    assert (verdict.fires, verdict.evidence_days) == (False, 2)
    assert verdict.reason == "It's been 2 days since you joined, and no contact is noted since."


def test_contact_today_and_yesterday_read_as_words():
    today = evaluate(on(CONTACT), facts(last_contact=day(0)))
    yesterday = evaluate(on(CONTACT), facts(last_contact=day(1)))
    assert (today.evidence_days, today.reason) == (
        0,
        "You last noted contact with someone today.",
    )
    assert (yesterday.evidence_days, yesterday.reason) == (
        1,
        "You last noted contact with someone yesterday.",
    )


def test_a_contact_dated_after_today_reads_as_today():
    verdict = evaluate(on(CONTACT, window_days=1), facts(last_contact=day(-1)))
    assert (verdict.fires, verdict.evidence_days) == (False, 0)


@pytest.mark.parametrize(
    ("window", "back", "fires"), [(1, 0, False), (1, 1, True), (90, 89, False), (90, 90, True)]
)
def test_no_contact_at_the_ends_of_its_range(window, back, fires):
    assert evaluate(on(CONTACT, window_days=window), facts(last_contact=day(back))).fires is fires


# --- missed_appointments --------------------------------------------------------------------


def test_two_recent_misses_in_a_row_fire():
    verdict = evaluate(
        on(MISSED_APPTS),
        facts(appointments=[appt(9, "attended"), appt(6, "missed"), appt(2, "missed")]),
    )
    assert verdict == Verdict(
        fires=True,
        reason="You couldn't make your last two appointments.",
        evidence_days=2,
        held_by_cooldown=False,
    )


def test_three_misses_in_a_row_are_all_evidence():
    rows = [appt(12, "missed"), appt(6, "missed"), appt(2, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert (verdict.fires, verdict.evidence_days) == (True, 3)
    assert verdict.reason == "You couldn't make your last 3 appointments."


def test_the_order_the_appointments_come_in_does_not_matter():
    rows = [appt(2, "missed"), appt(9, "attended"), appt(6, "missed")]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires
    rows = [appt(2, "attended"), appt(9, "missed"), appt(6, "missed")]
    assert not evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_attending_the_latest_one_is_not_a_pair_of_misses():
    rows = [appt(9, "missed"), appt(6, "missed"), appt(2, "attended")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert verdict == Verdict(
        fires=False,
        reason="You went to your most recent appointment.",
        evidence_days=0,
        held_by_cooldown=False,
    )


def test_misses_that_are_not_in_a_row_do_not_fire():
    rows = [appt(9, "missed"), appt(6, "attended"), appt(2, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert (verdict.fires, verdict.evidence_days) == (False, 1)
    assert verdict.reason == (
        "You couldn't make your most recent appointment, and you went to the one before."
    )


def test_a_single_miss_does_not_fire():
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=[appt(1, "missed")]))
    assert (verdict.fires, verdict.evidence_days) == (False, 1)
    assert verdict.reason == "You couldn't make your most recent appointment."


@pytest.mark.parametrize("between", ["cancelled", "scheduled"])
def test_cancelled_or_scheduled_between_two_misses_still_makes_a_pair(between):
    rows = [appt(8, "missed"), appt(5, between), appt(2, "missed")]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


@pytest.mark.parametrize("latest", ["cancelled", "scheduled"])
def test_a_later_cancelled_or_scheduled_one_does_not_hide_a_pair(latest):
    rows = [appt(8, "missed"), appt(5, "missed"), appt(1, latest), appt(0, latest)]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_only_cancelled_and_scheduled_appointments_are_nothing_to_count():
    rows = [appt(8, "cancelled"), appt(5, "cancelled"), appt(2, "scheduled")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert verdict == Verdict(
        fires=False,
        reason="There are no appointments noted as attended or missed yet.",
        evidence_days=0,
        held_by_cooldown=False,
    )


def test_no_appointments_at_all_is_nothing_to_count():
    verdict = evaluate(on(MISSED_APPTS), facts())
    assert (verdict.fires, verdict.evidence_days) == (False, 0)


def test_a_latest_miss_on_the_last_day_of_the_recent_window_fires():
    rows = [appt(20, "missed"), appt(RECENT_MISS_DAYS - 1, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert (verdict.fires, verdict.evidence_days) == (True, 2)


def test_a_latest_miss_just_outside_the_recent_window_is_not_news():
    rows = [appt(20, "missed"), appt(RECENT_MISS_DAYS, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert verdict == Verdict(
        fires=False,
        reason="You couldn't make your last two appointments; the most recent was 14 days ago.",
        evidence_days=0,
        held_by_cooldown=False,
    )


def test_the_recent_window_is_fourteen_days():
    assert RECENT_MISS_DAYS == 14


def test_only_the_later_miss_needs_to_be_recent():
    rows = [appt(200, "missed"), appt(3, "missed")]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_a_miss_earlier_today_counts():
    rows = [
        appt(4, "missed"),
        (dt.datetime.combine(TODAY, dt.time(0, 5), tzinfo=LOS_ANGELES), "missed"),
    ]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_appointments_after_today_are_left_out():
    # A "missed" dated tomorrow can't be one yet; it must not pair with today's miss.
    rows = [appt(5, "attended"), appt(0, "missed"), appt(-1, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert (verdict.fires, verdict.evidence_days) == (False, 1)


@pytest.mark.parametrize("attended_first", [True, False])
def test_an_attended_and_a_missed_one_at_the_same_start_never_make_a_pair(attended_first):
    same = dt.datetime.combine(day(1), dt.time(18), tzinfo=LOS_ANGELES)
    tie = [(same, "attended"), (same, "missed")]
    rows = [appt(5, "missed"), *(tie if attended_first else reversed(tie))]
    assert not evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_an_attended_one_at_the_latest_start_is_read_as_the_latest_even_beside_two_misses():
    same = dt.datetime.combine(day(1), dt.time(18), tzinfo=LOS_ANGELES)
    rows = [(same, "missed"), (same, "attended"), (same, "missed")]
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    assert (verdict.fires, verdict.reason) == (False, "You went to your most recent appointment.")


def test_two_misses_at_the_same_start_are_a_pair():
    same = dt.datetime.combine(day(1), dt.time(18), tzinfo=LOS_ANGELES)
    rows = [appt(5, "attended"), (same, "missed"), (same, "missed")]
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_appointments_are_ordered_by_instant_not_by_wall_clock():
    # 09:00 in Los Angeles is after 10:00 in Auckland on the same date (it is a day later in
    # instants), so the attended one in Los Angeles is the latest.
    rows = [
        appt(5, "missed"),
        (dt.datetime.combine(day(1), dt.time(10), tzinfo=AUCKLAND), "missed"),
        (dt.datetime.combine(day(1), dt.time(9), tzinfo=LOS_ANGELES), "attended"),
    ]
    assert not evaluate(on(MISSED_APPTS), facts(appointments=rows)).fires


def test_a_start_without_a_time_zone_is_refused():
    rows = [(dt.datetime(2026, 3, 9, 10, 0), "missed")]
    with pytest.raises(ValueError, match="aware"):
        evaluate(on(MISSED_APPTS), facts(appointments=rows))


# --- Cooldown -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_rule_that_never_fired_fires(kind):
    verdict = evaluate(on(kind), holding_facts(kind, last_fired=None))
    assert (verdict.fires, verdict.held_by_cooldown) == (True, False)


@pytest.mark.parametrize("kind", KINDS)
def test_one_day_short_of_the_cooldown_is_held(kind):
    fired = holding_facts(kind, last_fired=day(6))
    verdict = evaluate(on(kind), fired)
    unheld = evaluate(on(kind), replace(fired, last_fired=None))
    assert (verdict.fires, verdict.held_by_cooldown) == (False, True)
    assert verdict.evidence_days == unheld.evidence_days > 0
    assert verdict.reason == (
        f"{unheld.reason} You had a gentle nudge about this 6 days ago, "
        "so it will stay quiet for 1 more day."
    )


@pytest.mark.parametrize("kind", KINDS)
def test_exactly_the_cooldown_later_it_fires_again(kind):
    verdict = evaluate(on(kind), holding_facts(kind, last_fired=day(7)))
    assert (verdict.fires, verdict.held_by_cooldown) == (True, False)


def test_a_rule_that_fired_today_is_held_for_the_whole_cooldown():
    verdict = evaluate(on(STRESS), holding_facts(STRESS, last_fired=TODAY))
    assert (verdict.fires, verdict.held_by_cooldown) == (False, True)
    assert verdict.reason.endswith(
        "You had a gentle nudge about this today, so it will stay quiet for 7 more days."
    )


def test_a_rule_that_fired_yesterday_says_yesterday():
    verdict = evaluate(on(MOOD), holding_facts(MOOD, last_fired=day(1)))
    assert verdict.reason.endswith(
        "You had a gentle nudge about this yesterday, so it will stay quiet for 6 more days."
    )


@pytest.mark.parametrize(
    ("cooldown", "back", "fires"),
    [(1, 0, False), (1, 1, True), (3, 2, False), (3, 3, True), (90, 89, False), (90, 90, True)],
)
def test_the_cooldown_is_the_members_own_number_of_days(cooldown, back, fires):
    rule = on(CONTACT, cooldown_days=cooldown)
    verdict = evaluate(rule, holding_facts(CONTACT, last_fired=day(back)))
    assert verdict.fires is fires
    assert verdict.held_by_cooldown is not fires


def test_a_last_firing_after_today_holds_the_rule():
    # A member who moved west can have fired "tomorrow" by their new local days.
    verdict = evaluate(on(STRESS), holding_facts(STRESS, last_fired=day(-1)))
    assert (verdict.fires, verdict.held_by_cooldown) == (False, True)
    assert verdict.reason.endswith(
        "You had a gentle nudge about this recently, so it will stay quiet for 8 more days."
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_quiet_rule_is_not_held_by_the_cooldown(kind):
    # Nothing to say: the cooldown is not what keeps it quiet.
    verdict = evaluate(on(kind), facts(last_contact=TODAY, last_fired=day(1)))
    assert (verdict.fires, verdict.held_by_cooldown) == (False, False)
    assert "nudge" not in verdict.reason


# --- Disabled and invalid rules -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_rule_starts_off(kind):
    assert DEFAULTS[kind].enabled is False
    assert DEFAULTS[kind].kind == kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_rule_that_is_off_never_fires(kind):
    rule = replace(DEFAULTS[kind], enabled=False)
    verdict = evaluate(rule, holding_facts(kind))
    assert verdict == Verdict(
        fires=False, reason=OFF_REASON, evidence_days=0, held_by_cooldown=False
    )
    assert "off" in verdict.reason


@pytest.mark.parametrize("kind", KINDS)
def test_a_rule_that_is_off_is_not_held_either(kind):
    verdict = evaluate(DEFAULTS[kind], holding_facts(kind, last_fired=TODAY))
    assert verdict.held_by_cooldown is False


def test_a_rule_that_is_off_may_hold_unfinished_settings():
    rule = RuleSettings(STRESS, None, None, None, 7, enabled=False)
    assert evaluate(rule, facts()).reason == OFF_REASON


def test_an_enabled_rule_with_bad_settings_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        evaluate(on(STRESS, threshold=11), holding_facts(STRESS))


def test_an_unknown_kind_is_refused():
    rule = RuleSettings("sleep_short", None, None, None, 7, enabled=True)
    with pytest.raises(ValueError, match="sleep_short"):
        evaluate(rule, facts())


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_defaults_are_valid(kind):
    assert validate(DEFAULTS[kind]) == {}


def test_the_defaults_are_the_decided_starting_values():
    assert (DEFAULTS[STRESS].threshold, DEFAULTS[STRESS].days_needed) == (7, 3)
    assert (DEFAULTS[MOOD].threshold, DEFAULTS[MOOD].days_needed) == (3, 3)
    assert DEFAULTS[STRESS].window_days == DEFAULTS[MOOD].window_days == 5
    assert DEFAULTS[CONTACT].window_days == 7
    assert {rule.cooldown_days for rule in DEFAULTS.values()} == {7}
    assert set(DEFAULTS) == set(KINDS)


@pytest.mark.parametrize("kind", [STRESS, MOOD])
@pytest.mark.parametrize(
    ("threshold", "ok"), [(-1, False), (0, True), (10, True), (11, False), (None, False)]
)
def test_a_score_runs_from_zero_to_ten(kind, threshold, ok):
    problems = validate(on(kind, threshold=threshold))
    assert problems == ({} if ok else {"threshold": "Please choose a score between 0 and 10."})


@pytest.mark.parametrize("kind", [STRESS, MOOD])
@pytest.mark.parametrize(
    ("window", "ok"), [(0, False), (1, True), (30, True), (31, False), (None, False)]
)
def test_the_look_back_runs_from_one_to_thirty_days(kind, window, ok):
    problems = validate(on(kind, days_needed=1, window_days=window))
    message = "Please choose how many of the last days, between 1 and 30."
    assert problems == ({} if ok else {"window_days": message})


@pytest.mark.parametrize("kind", [STRESS, MOOD])
@pytest.mark.parametrize(
    ("needed", "ok"), [(0, False), (1, True), (30, True), (31, False), (None, False)]
)
def test_the_days_needed_run_from_one_to_thirty(kind, needed, ok):
    problems = validate(on(kind, days_needed=needed, window_days=30))
    message = "Please choose on how many of those days, between 1 and 30."
    assert problems == ({} if ok else {"days_needed": message})


@pytest.mark.parametrize("kind", [STRESS, MOOD])
def test_the_days_needed_fit_in_the_look_back(kind):
    assert validate(on(kind, days_needed=5, window_days=5)) == {}
    assert validate(on(kind, days_needed=6, window_days=5)) == {
        "days_needed": "Please choose a number of days no larger than the 5 days it looks back over."
    }


def test_days_needed_are_not_compared_with_a_look_back_that_is_itself_wrong():
    assert set(validate(on(STRESS, days_needed=20, window_days=40))) == {"window_days"}


@pytest.mark.parametrize(
    ("window", "ok"), [(0, False), (1, True), (90, True), (91, False), (None, False)]
)
def test_no_contact_days_run_from_one_to_ninety(window, ok):
    message = "Please choose after how many days without contact, between 1 and 90."
    assert validate(on(CONTACT, window_days=window)) == ({} if ok else {"window_days": message})


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("cooldown", "ok"), [(0, False), (1, True), (90, True), (91, False), (-7, False)]
)
def test_the_cooldown_runs_from_one_to_ninety_days(kind, cooldown, ok):
    message = "Please choose how many days to wait between nudges, between 1 and 90."
    assert validate(on(kind, cooldown_days=cooldown)) == ({} if ok else {"cooldown_days": message})


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        (CONTACT, "threshold", "This rule doesn't use a score, so please leave it empty."),
        (
            CONTACT,
            "days_needed",
            "This rule doesn't count days that way, so please leave it empty.",
        ),
        (MISSED_APPTS, "threshold", "This rule doesn't use a score, so please leave it empty."),
        (
            MISSED_APPTS,
            "days_needed",
            "This rule doesn't count days that way, so please leave it empty.",
        ),
        (
            MISSED_APPTS,
            "window_days",
            "This rule doesn't use a number of days, so please leave it empty.",
        ),
    ],
)
def test_a_field_the_rule_does_not_use_must_be_left_empty(kind, field, message):
    assert validate(on(kind, **{field: 3})) == {field: message}


def test_true_is_not_a_number_of_days():
    assert set(validate(on(STRESS, days_needed=True))) == {"days_needed"}
    assert set(validate(on(CONTACT, cooldown_days=True))) == {"cooldown_days"}


def test_an_unknown_kind_is_named_kindly_and_the_cooldown_still_checked():
    problems = validate(RuleSettings("sleep_short", 3, 3, 5, 0, enabled=True))
    assert problems == {
        "kind": "Please choose one of the early-warning rules: stress, mood, contact or appointments.",
        "cooldown_days": "Please choose how many days to wait between nudges, between 1 and 90.",
    }


def test_every_problem_is_reported_at_once():
    problems = validate(RuleSettings(STRESS, 12, 0, 31, 0, enabled=True))
    assert set(problems) == {"threshold", "days_needed", "window_days", "cooldown_days"}


def test_validation_messages_ask_kindly():
    problems = validate(RuleSettings(STRESS, 12, 0, 31, 0, enabled=True))
    problems |= validate(RuleSettings(MISSED_APPTS, 1, 1, 1, 1, enabled=True))
    for message in problems.values():
        assert message.startswith(("Please", "This rule"))
        assert message.endswith(".")
        assert "!" not in message and "invalid" not in message.lower()


# --- describe -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (STRESS, "When my stress is 7 or more on 3 of the last 5 days"),
        (MOOD, "When my mood is 3 or lower on 3 of the last 5 days"),
        (CONTACT, "When I haven't noted contact with anyone for 7 days"),
        (MISSED_APPTS, "When I miss two appointments in a row"),
    ],
)
def test_describe_says_each_default_rule_in_words(kind, words):
    assert describe(DEFAULTS[kind]) == words


def test_describe_follows_the_members_numbers():
    assert describe(on(STRESS, threshold=8, days_needed=4, window_days=10)) == (
        "When my stress is 8 or more on 4 of the last 10 days"
    )
    assert describe(on(MOOD, threshold=2, days_needed=1, window_days=2)) == (
        "When my mood is 2 or lower on 1 of the last 2 days"
    )
    assert (
        describe(on(CONTACT, window_days=1)) == "When I haven't noted contact with anyone for 1 day"
    )


def test_describe_a_one_day_look_back_and_the_ends_of_the_scale():
    assert describe(on(STRESS, threshold=10, days_needed=1, window_days=1)) == (
        "When my stress is at 10 today"
    )
    assert describe(on(MOOD, threshold=0)) == "When my mood is at 0 on 3 of the last 5 days"


def test_describe_does_not_depend_on_whether_the_rule_is_on():
    assert describe(on(STRESS)) == describe(DEFAULTS[STRESS])


def test_describe_refuses_unfinished_settings():
    with pytest.raises(ValueError, match="window_days"):
        describe(on(CONTACT, window_days=None))


# --- Time zones: the member's own local days ------------------------------------------------


def local(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    return instant.astimezone(zone).date()


def facts_in(
    zone: ZoneInfo,
    now: dt.datetime,
    *,
    stress_at: Iterable[tuple[dt.datetime, int]] = (),
    contact_at: Iterable[dt.datetime] = (),
    appointments_at: Iterable[tuple[dt.datetime, str]] = (),
    joined_at: dt.datetime = dt.datetime(2025, 6, 1, 12, tzinfo=UTC),
) -> Facts:
    """Facts as the worker would build them from instants, for a member living in `zone`.

    One check-in per local day (a later one on the same day replaces the earlier one).
    """
    checkins: Scores = {}
    for instant, stress in sorted(stress_at):
        checkins[local(instant, zone)] = (None, stress)
    contacts = [local(instant, zone) for instant in contact_at]
    return Facts(
        today=local(now, zone),
        checkins=checkins,
        last_contact=max(contacts, default=None),
        appointments=tuple((start.astimezone(zone), status) for start, status in appointments_at),
        last_fired=None,
        member_since=local(joined_at, zone),
    )


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def at(zone: ZoneInfo, *parts: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone, fold=fold)  # type: ignore[misc]


TODAY_ONLY = {"days_needed": 1, "window_days": 1}


def test_a_check_in_counts_until_the_members_own_midnight():
    checked_in = utc(2026, 3, 10, 10, 30)  # 23:30 in Auckland, 03:30 in Los Angeles
    now = utc(2026, 3, 10, 11, 30)  # just after midnight in Auckland
    auckland = facts_in(AUCKLAND, now, stress_at=[(checked_in, 9)])
    los_angeles = facts_in(LOS_ANGELES, now, stress_at=[(checked_in, 9)])
    assert (auckland.today, los_angeles.today) == (dt.date(2026, 3, 11), dt.date(2026, 3, 10))
    assert not evaluate(on(STRESS, **TODAY_ONLY), auckland).fires
    assert evaluate(on(STRESS, **TODAY_ONLY), los_angeles).fires


def test_the_same_instants_can_be_today_in_auckland_and_yesterday_in_los_angeles():
    checked_in = utc(2026, 3, 9, 20)  # 09:00 on the 10th in Auckland, 13:00 on the 9th in LA
    now = utc(2026, 3, 10, 10)  # 23:00 on the 10th in Auckland, 03:00 on the 10th in LA
    auckland = facts_in(AUCKLAND, now, stress_at=[(checked_in, 9)])
    los_angeles = facts_in(LOS_ANGELES, now, stress_at=[(checked_in, 9)])
    assert auckland.today == los_angeles.today == dt.date(2026, 3, 10)
    assert evaluate(on(STRESS, **TODAY_ONLY), auckland).fires
    assert not evaluate(on(STRESS, **TODAY_ONLY), los_angeles).fires


def test_two_check_ins_are_two_days_or_one_by_the_members_own_midnight():
    # Two hours apart: 23:30 and 01:30 in Auckland (two days), 03:30 and 05:30 in Los Angeles
    # (one day, where the later check-in replaces the earlier).
    high = [(utc(2026, 3, 10, 10, 30), 8), (utc(2026, 3, 10, 12, 30), 8)]
    now = utc(2026, 3, 10, 13)
    rule = on(STRESS, days_needed=2, window_days=2)
    assert evaluate(rule, facts_in(AUCKLAND, now, stress_at=high)).evidence_days == 2
    assert evaluate(rule, facts_in(LOS_ANGELES, now, stress_at=high)).evidence_days == 1


def test_no_contact_is_counted_in_the_members_own_days():
    contact = utc(2026, 3, 3, 12)  # 01:00 on the 4th in Auckland, 04:00 on the 3rd in LA
    now = utc(2026, 3, 10, 10)  # the 10th in both
    auckland = evaluate(on(CONTACT), facts_in(AUCKLAND, now, contact_at=[contact]))
    los_angeles = evaluate(on(CONTACT), facts_in(LOS_ANGELES, now, contact_at=[contact]))
    assert (auckland.fires, auckland.evidence_days) == (False, 6)
    assert (los_angeles.fires, los_angeles.evidence_days) == (True, 7)


def test_joining_is_counted_in_the_members_own_days():
    joined = utc(2026, 3, 3, 12)
    now = utc(2026, 3, 10, 10)
    assert not evaluate(on(CONTACT), facts_in(AUCKLAND, now, joined_at=joined)).fires
    assert evaluate(on(CONTACT), facts_in(LOS_ANGELES, now, joined_at=joined)).fires


def test_the_recent_misses_window_is_in_the_members_own_days():
    misses = [(utc(2026, 2, 20, 12), "missed"), (utc(2026, 2, 24, 12), "missed")]
    now = utc(2026, 3, 10, 10)
    # The later miss is on the 25th in Auckland (13 days ago), the 24th in LA (14 days ago).
    assert evaluate(on(MISSED_APPTS), facts_in(AUCKLAND, now, appointments_at=misses)).fires
    assert not evaluate(on(MISSED_APPTS), facts_in(LOS_ANGELES, now, appointments_at=misses)).fires


# Each clock change of 2026 in both zones: (zone, the local day the clocks change).
CLOCK_CHANGES = [
    (LOS_ANGELES, dt.date(2026, 3, 8)),  # spring forward, a 23-hour day
    (LOS_ANGELES, dt.date(2026, 11, 1)),  # fall back, a 25-hour day
    (AUCKLAND, dt.date(2026, 4, 5)),  # fall back
    (AUCKLAND, dt.date(2026, 9, 27)),  # spring forward
]


@pytest.mark.parametrize(("zone", "change"), CLOCK_CHANGES)
def test_a_clock_change_inside_the_window_does_not_change_day_counting(zone, change):
    today = change + dt.timedelta(days=2)
    evenings = [
        at(zone, d.year, d.month, d.day, 23, 30)
        for d in (change + dt.timedelta(days=n) for n in range(-2, 3))
    ]
    gaps = {
        later.astimezone(UTC) - earlier.astimezone(UTC) for earlier, later in pairwise(evenings)
    }
    assert gaps != {dt.timedelta(hours=24)}  # the clocks really do change in this window
    now = at(zone, today.year, today.month, today.day, 23, 45)
    found = facts_in(zone, now, stress_at=[(evening, 8) for evening in evenings])
    verdict = evaluate(on(STRESS, days_needed=5, window_days=5), found)
    assert found.today == today
    assert (verdict.fires, verdict.evidence_days) == (True, 5)


@pytest.mark.parametrize(("zone", "change"), CLOCK_CHANGES)
def test_the_window_edges_are_local_midnights_across_a_clock_change(zone, change):
    today = change + dt.timedelta(days=2)
    outside, first = today - dt.timedelta(days=5), today - dt.timedelta(days=4)
    late_outside = at(zone, outside.year, outside.month, outside.day, 23, 59)
    early_inside = at(zone, first.year, first.month, first.day, 0, 1)
    now = at(zone, today.year, today.month, today.day, 12)
    rule = on(STRESS, days_needed=1, window_days=5)
    assert not evaluate(rule, facts_in(zone, now, stress_at=[(late_outside, 9)])).fires
    assert evaluate(rule, facts_in(zone, now, stress_at=[(early_inside, 9)])).fires


def test_the_repeated_hour_when_clocks_fall_back_is_still_one_day():
    # 01:30 happens twice in Los Angeles on 1 November 2026; both are that one day.
    first = at(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=0)
    second = at(LOS_ANGELES, 2026, 11, 1, 1, 30, fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == dt.timedelta(hours=1)
    high = [(first, 9), (second, 9), (at(LOS_ANGELES, 2026, 10, 31, 20), 9)]
    now = at(LOS_ANGELES, 2026, 11, 2, 9)
    verdict = evaluate(
        on(STRESS, days_needed=3, window_days=3), facts_in(LOS_ANGELES, now, stress_at=high)
    )
    assert (verdict.fires, verdict.evidence_days) == (False, 2)


def test_no_contact_across_spring_forward_counts_calendar_days():
    # Fewer than 7 × 24 hours have passed (one day had 23), yet it is 7 days for the member.
    contact = at(LOS_ANGELES, 2026, 3, 3, 0, 30)
    now = at(LOS_ANGELES, 2026, 3, 10, 1)
    assert now.astimezone(UTC) - contact.astimezone(UTC) < dt.timedelta(days=7)
    verdict = evaluate(on(CONTACT), facts_in(LOS_ANGELES, now, contact_at=[contact]))
    assert (verdict.fires, verdict.evidence_days) == (True, 7)


def test_the_recent_misses_window_across_spring_forward_counts_calendar_days():
    now = at(LOS_ANGELES, 2026, 3, 10, 8)
    earlier = (at(LOS_ANGELES, 2026, 2, 10, 9), "missed")
    inside = [earlier, (at(LOS_ANGELES, 2026, 2, 25, 0, 15), "missed")]  # 13 days back
    outside = [earlier, (at(LOS_ANGELES, 2026, 2, 24, 23, 45), "missed")]  # 14 days back
    # Less than 14 × 24 hours before now, but on the 14th local day back: not recent.
    assert now.astimezone(UTC) - outside[1][0].astimezone(UTC) < dt.timedelta(days=14)
    assert evaluate(on(MISSED_APPTS), facts_in(LOS_ANGELES, now, appointments_at=inside)).fires
    assert not evaluate(on(MISSED_APPTS), facts_in(LOS_ANGELES, now, appointments_at=outside)).fires


def test_a_start_given_in_another_zone_is_read_on_that_zones_date():
    # The caller owns time zones: a start left in UTC is read on its UTC date. 23:30 in LA on
    # 24 February is 07:30 UTC on the 25th, which is 13 days before 10 March, not 14.
    late = at(LOS_ANGELES, 2026, 2, 24, 23, 30)
    rows = [(at(LOS_ANGELES, 2026, 2, 10, 9), "missed")]
    in_los_angeles = facts(appointments=[*rows, (late, "missed")])
    in_utc = facts(appointments=[*rows, (late.astimezone(UTC), "missed")])
    assert not evaluate(on(MISSED_APPTS), in_los_angeles).fires
    assert evaluate(on(MISSED_APPTS), in_utc).fires


# --- Properties -----------------------------------------------------------------------------

scores = st.one_of(st.none(), st.integers(min_value=0, max_value=10))
checkin_maps = st.dictionaries(
    st.integers(min_value=-3, max_value=40).map(day), st.tuples(scores, scores), max_size=30
)


@st.composite
def score_rules(draw: st.DrawFn) -> RuleSettings:
    window = draw(st.integers(min_value=1, max_value=30))
    return RuleSettings(
        kind=draw(st.sampled_from([STRESS, MOOD])),
        threshold=draw(st.integers(min_value=0, max_value=10)),
        days_needed=draw(st.integers(min_value=1, max_value=window)),
        window_days=window,
        cooldown_days=draw(st.integers(min_value=1, max_value=90)),
        enabled=True,
    )


def qualifies(rule: RuleSettings, entry: tuple[int | None, int | None]) -> bool:
    assert rule.threshold is not None
    mood, stress = entry
    if rule.kind == STRESS:
        return stress is not None and stress >= rule.threshold
    return mood is not None and mood <= rule.threshold


def in_window(rule: RuleSettings, when: dt.date) -> bool:
    assert rule.window_days is not None
    return TODAY - dt.timedelta(days=rule.window_days - 1) <= when <= TODAY


@settings(max_examples=300, deadline=None)
@given(score_rules(), checkin_maps)
def test_the_evidence_is_the_qualifying_days_in_the_window(rule, checkins):
    verdict = evaluate(rule, facts(checkins=checkins))
    expected = sum(
        1 for when, entry in checkins.items() if in_window(rule, when) and qualifies(rule, entry)
    )
    assert verdict.evidence_days == expected
    assert verdict.fires is (expected >= rule.days_needed)
    if verdict.fires:
        assert rule.days_needed <= verdict.evidence_days <= rule.window_days


@settings(max_examples=300, deadline=None)
@given(
    score_rules(), checkin_maps, st.integers(min_value=-3, max_value=40), st.tuples(scores, scores)
)
def test_adding_a_day_that_does_not_qualify_never_makes_a_rule_fire(rule, checkins, back, entry):
    when = day(back)
    if when in checkins or (qualifies(rule, entry) and in_window(rule, when)):
        return
    before = evaluate(rule, facts(checkins=checkins))
    after = evaluate(rule, facts(checkins={**checkins, when: entry}))
    assert after == before


@settings(max_examples=300, deadline=None)
@given(score_rules(), checkin_maps, st.integers(min_value=0, max_value=29))
def test_a_worse_day_never_stops_a_rule_from_firing(rule, checkins, back):
    when = day(back)
    worse: tuple[int | None, int | None] = (0, 10)  # the lowest mood and the highest stress
    before = evaluate(rule, facts(checkins=checkins))
    after = evaluate(rule, facts(checkins={**checkins, when: worse}))
    assert after.evidence_days >= before.evidence_days
    assert after.fires or not before.fires


@settings(max_examples=300, deadline=None)
@given(score_rules(), checkin_maps)
def test_a_stricter_threshold_never_fires_where_a_looser_one_does_not(rule, checkins):
    assert rule.threshold is not None
    step = 1 if rule.kind == STRESS else -1  # higher stress, lower mood is stricter
    stricter = replace(rule, threshold=min(10, max(0, rule.threshold + step)))
    if evaluate(stricter, facts(checkins=checkins)).fires:
        assert evaluate(rule, facts(checkins=checkins)).fires


statuses = st.sampled_from(["attended", "missed", "cancelled", "scheduled"])
starts = st.builds(
    lambda back, minutes: (
        dt.datetime.combine(day(back), dt.time(0), tzinfo=LOS_ANGELES)
        + dt.timedelta(minutes=minutes)
    ),
    st.integers(min_value=-3, max_value=40),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
appointment_lists = st.lists(st.tuples(starts, statuses), max_size=12)


@settings(max_examples=300, deadline=None)
@given(appointment_lists, st.randoms(use_true_random=False))
def test_the_order_of_appointments_never_changes_the_verdict(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert evaluate(on(MISSED_APPTS), facts(appointments=rows)) == evaluate(
        on(MISSED_APPTS), facts(appointments=shuffled)
    )


@settings(max_examples=300, deadline=None)
@given(appointment_lists, starts, st.sampled_from(["cancelled", "scheduled"]))
def test_a_cancelled_or_scheduled_appointment_never_changes_the_verdict(rows, start, status):
    before = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    after = evaluate(on(MISSED_APPTS), facts(appointments=[*rows, (start, status)]))
    assert after == before


@settings(max_examples=300, deadline=None)
@given(appointment_lists)
def test_missed_appointments_fire_only_on_a_recent_pair_of_misses(rows):
    verdict = evaluate(on(MISSED_APPTS), facts(appointments=rows))
    counted = sorted(
        (start, status)
        for start, status in rows
        if status in ("attended", "missed") and start.date() <= TODAY
    )
    if verdict.fires:
        assert verdict.evidence_days >= 2
        assert [status for _, status in counted[-2:]] == ["missed", "missed"]
        assert (TODAY - counted[-1][0].date()).days < RECENT_MISS_DAYS
    if len(counted) < 2 or counted[-1][1] == "attended":
        assert not verdict.fires


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=90),
    st.one_of(st.none(), st.integers(min_value=-2, max_value=120)),
    st.integers(min_value=0, max_value=120),
)
def test_no_contact_only_grows_as_days_pass_without_contact(window, contact_back, joined_back):
    rule = on(CONTACT, window_days=window)
    last = None if contact_back is None else day(contact_back)
    base = facts(last_contact=last, member_since=day(joined_back))
    today = evaluate(rule, base)
    tomorrow = evaluate(rule, replace(base, today=TODAY + dt.timedelta(days=1)))
    assert tomorrow.evidence_days >= today.evidence_days
    assert tomorrow.fires or not today.fires
    assert today.evidence_days <= joined_back  # never counted from before joining


@st.composite
def any_case(draw: st.DrawFn) -> tuple[RuleSettings, Facts]:
    kind = draw(st.sampled_from(KINDS))
    if kind in (STRESS, MOOD):
        rule = replace(draw(score_rules()), kind=kind)
    elif kind == CONTACT:
        rule = on(CONTACT, window_days=draw(st.integers(min_value=1, max_value=90)))
    else:
        rule = on(MISSED_APPTS)
    rule = replace(
        rule,
        cooldown_days=draw(st.integers(min_value=1, max_value=90)),
        enabled=draw(st.booleans()),
    )
    back = st.integers(min_value=-2, max_value=120)
    found = facts(
        checkins=draw(checkin_maps),
        last_contact=draw(st.one_of(st.none(), back.map(day))),
        appointments=draw(appointment_lists),
        last_fired=draw(st.one_of(st.none(), back.map(day))),
        member_since=draw(st.integers(min_value=0, max_value=400).map(day)),
    )
    return rule, found


@settings(max_examples=400, deadline=None)
@given(any_case())
def test_the_cooldown_and_the_switch_always_have_the_last_word(case):
    rule, found = case
    verdict = evaluate(rule, found)
    unheld = evaluate(rule, replace(found, last_fired=None))
    assert not (verdict.fires and verdict.held_by_cooldown)
    if not rule.enabled:
        assert verdict == Verdict(False, OFF_REASON, 0, False)
        return
    if verdict.fires:
        assert found.last_fired is None or (TODAY - found.last_fired).days >= rule.cooldown_days
    if verdict.held_by_cooldown:
        assert unheld.fires
        assert found.last_fired is not None
        assert (TODAY - found.last_fired).days < rule.cooldown_days
    assert verdict.fires or verdict.held_by_cooldown or not unheld.fires
    assert verdict.evidence_days == unheld.evidence_days >= 0


@settings(max_examples=400, deadline=None)
@given(any_case())
def test_reasons_are_plain_and_kind(case):
    rule, found = case
    reason = evaluate(rule, found).reason
    assert reason and reason[0].isupper() and reason.endswith(".")
    assert "!" not in reason
    for word in ("should", "fail", "must", "warning", "alert"):
        assert word not in reason.lower()
    assert "None" not in reason
    assert not re.search(r"\b1 days", reason)
