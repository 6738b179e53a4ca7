"""The demo member's check-ins and questionnaires: believable, true to the contact log, repeatable."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from closeknit.accounts.models import User
from closeknit.demo.generate import create_demo_member
from closeknit.network.models import Interaction
from closeknit.wellbeing import instruments, scoring, store
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule
from closeknit.wellbeing.vocab import SelfCare

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # a Wednesday morning in London
LONDON = ZoneInfo("Europe/London")
TODAY = NOW.astimezone(LONDON).date()


@pytest.fixture
def demo(db) -> User:
    with time_machine.travel(NOW, tick=False):
        return create_demo_member("demo@example.org", seed=7)


def _days(member: User) -> list[dt.date]:
    return sorted(CheckIn.objects.owned_by(member).values_list("day", flat=True))


def _contact_days(member: User) -> set[dt.date]:
    """The local days with any contact in the log."""
    return {
        moment.astimezone(LONDON).date()
        for moment in Interaction.objects.owned_by(member).values_list("occurred_at", flat=True)
    }


def _gaps(days: list[dt.date]) -> list[int]:
    """The runs of days without a check-in, longest first."""
    return sorted(((b - a).days - 1 for a, b in itertools.pairwise(days)), reverse=True)


def _signature(member: User) -> tuple:
    checkins = [
        (c.day, c.mood, c.stress, c.sleep_hours, tuple(c.self_care), c.connected, c.note)
        for c in CheckIn.objects.owned_by(member).order_by("day")
    ]
    results = [
        (a.instrument, a.taken_at, tuple(a.answers), a.total)
        for a in Assessment.objects.owned_by(member).order_by("taken_at", "instrument")
    ]
    return checkins, results


# Check-ins --------------------------------------------------------------------------


def test_check_ins_on_most_days_of_eighteen_months_with_some_gaps(demo):
    days = _days(demo)
    assert len(days) == len(set(days))  # one a day at most
    assert days[0] <= TODAY - dt.timedelta(days=540)
    assert days[0] >= TODAY - dt.timedelta(days=549)
    # Up to yesterday: today's check-in is still to come.
    assert TODAY - dt.timedelta(days=3) <= days[-1] < TODAY
    span = (days[-1] - days[0]).days + 1
    assert 0.78 * span <= len(days) <= 0.92 * span  # real people miss days
    gaps = _gaps(days)
    assert sum(1 for gap in gaps if gap >= 5) >= 2  # a few longer breaks
    assert sum(1 for gap in gaps if gap == 1) >= 20  # and single days missed here and there


def test_check_in_values_are_within_their_scales(demo):
    checkins = list(CheckIn.objects.owned_by(demo))
    assert all(c.mood is not None and 0 <= c.mood <= 10 for c in checkins)
    for name in ("stress", "connected"):
        values = [getattr(c, name) for c in checkins]
        assert all(0 <= v <= 10 for v in values if v is not None), name
        # Now and then a question is left out, as people do.
        assert 0 < values.count(None) < 0.15 * len(values), name
    sleep = [c.sleep_hours for c in checkins if c.sleep_hours is not None]
    assert all(Decimal("3.5") <= hours <= Decimal("10.5") for hours in sleep)
    assert all(hours % Decimal("0.25") == 0 for hours in sleep)
    assert 6.5 <= statistics.mean(float(hours) for hours in sleep) <= 8
    done = Counter(slug for c in checkins for slug in c.self_care)
    assert set(done) <= set(SelfCare.values)
    assert len(done) >= 6
    for c in checkins:
        assert c.created_at == c.updated_at <= NOW
        # Checked in that day, or the next morning.
        assert c.created_at.astimezone(LONDON).date() in (c.day, c.day + dt.timedelta(days=1))


def test_some_check_ins_have_a_short_kind_note(demo):
    notes = [c.note for c in CheckIn.objects.owned_by(demo)]
    written = [note for note in notes if note]
    assert 0.04 * len(notes) <= len(written) <= 0.15 * len(notes)
    assert all(len(note) < 80 for note in written)
    assert len(set(written)) >= 15  # varied, not one line over and over
    assert all(a != b for a, b in itertools.pairwise(written))
    assert not any("{name}" in note for note in written)


def test_stress_is_lower_and_mood_higher_on_days_with_contact(demo):
    contact_days = _contact_days(demo)
    stress: dict[bool, list[int]] = {True: [], False: []}
    mood: dict[bool, list[int]] = {True: [], False: []}
    for day, day_stress, day_mood in CheckIn.objects.owned_by(demo).values_list(
        "day", "stress", "mood"
    ):
        if day_stress is not None:
            stress[day in contact_days].append(day_stress)
        mood[day in contact_days].append(day_mood)
    # Enough days without contact for the insights' comparison (it needs 14 on each side).
    assert len(stress[False]) >= 20
    difference = statistics.mean(stress[False]) - statistics.mean(stress[True])
    assert 0.5 <= difference <= 2.5  # about a point on the 0–10 scale
    assert statistics.mean(mood[True]) > statistics.mean(mood[False])


def test_the_pattern_is_real_but_not_perfect(demo):
    rows = list(CheckIn.objects.owned_by(demo).exclude(stress=None))
    stress = [c.stress for c in rows]
    assert statistics.pstdev(stress) > 1  # days differ
    assert len(set(stress)) >= 7
    by_weekday: dict[int, list[int]] = {}
    for c in rows:
        by_weekday.setdefault(c.day.weekday(), []).append(c.stress)
    # Mondays are heavier than Saturdays.
    assert statistics.mean(by_weekday[0]) > statistics.mean(by_weekday[5])
    # Things got better over the last year.
    year_ago = TODAY - dt.timedelta(days=365)
    before = [c.stress for c in rows if c.day < year_ago]
    lately = [c.stress for c in rows if c.day >= TODAY - dt.timedelta(days=90)]
    assert statistics.mean(lately) < statistics.mean(before)


# Questionnaires ---------------------------------------------------------------------


def test_questionnaires_over_the_last_year(demo):
    results = list(Assessment.objects.owned_by(demo).order_by("taken_at"))
    counts = Counter(a.instrument for a in results)
    assert 20 <= counts["phq9"] <= 28  # every two weeks or so
    assert 10 <= counts["gad7"] <= 14  # every four weeks or so
    assert 5 <= counts["who5"] <= 7  # every two months or so
    assert 1 <= counts["mspss"] <= 2
    assert 1 <= counts["lsns6"] <= 2
    assert counts["pss10"] == counts["ucla3"] == 1
    assert all(NOW - dt.timedelta(days=376) <= a.taken_at < NOW for a in results)
    phq9 = [a.taken_at.astimezone(LONDON).date() for a in results if a.instrument == "phq9"]
    assert {(b - a).days for a, b in itertools.pairwise(phq9)} <= set(range(14, 18))


def test_every_result_is_the_scorers_score_of_its_answers(demo):
    for result in Assessment.objects.owned_by(demo):
        score = scoring.score(instruments.get(result.instrument), result.answers)
        assert result.total == scoring.number(score.total)
        assert result.band == (score.band.slug if score.band else "")
        assert result.subscales == {
            slug: scoring.number(value) for slug, value in score.subscales.items()
        }
        assert (result.complete, result.prorated) == (score.complete, score.prorated)
        assert result.flags == list(score.flags)


def test_the_demo_never_shows_a_self_harm_flag(demo):
    results = list(Assessment.objects.owned_by(demo))
    assert not [a for a in results if a.flags]
    assert all(a.answers[8] == 0 for a in results if a.instrument == "phq9")


def test_phq9_and_gad7_improve_slowly_toward_minimal(demo):
    for code, first_bands in (("phq9", {"mild", "moderate"}), ("gad7", {"mild", "moderate"})):
        results = list(Assessment.objects.owned_by(demo).filter(instrument=code))
        results.sort(key=lambda a: a.taken_at)
        totals = [a.total for a in results if a.total is not None]
        assert statistics.mean(totals[:4]) > statistics.mean(totals[-4:]) + 3, code
        assert results[0].band in first_bands, code
        assert results[-1].band in {"minimal", "mild"}, code
        # With noise: not a straight line down.
        assert any(b > a for a, b in itertools.pairwise(totals)), code
    phq9 = Assessment.objects.owned_by(demo).filter(instrument="phq9")
    assert phq9.filter(prorated=True).count() == 1  # one with a question left out


def test_phq9_and_gad7_are_scheduled_and_the_phq9_is_due_today(demo):
    schedules = QuestionnaireSchedule.objects.owned_by(demo)
    assert dict(schedules.values_list("instrument", "every_days")) == {"phq9": 14, "gad7": 28}
    due = store.due_questionnaires(demo, NOW)
    assert [(one.due.instrument, one.due.due_on) for one in due] == [("phq9", TODAY)]


# Private, repeatable ----------------------------------------------------------------


def test_notes_and_answers_are_encrypted_at_rest(demo):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT note FROM wellbeing_checkin WHERE owner_id = %s AND note <> ''", [demo.pk]
        )
        notes = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT answers FROM wellbeing_assessment WHERE owner_id = %s", [demo.pk])
        answers = [row[0] for row in cursor.fetchall()]
    assert notes and answers
    assert all(token.startswith("gAAAA") for token in notes + answers)


@pytest.mark.django_db
def test_same_seed_gives_the_same_check_ins_and_another_seed_others():
    with time_machine.travel(NOW, tick=False):
        first = create_demo_member("one@example.org", seed=11)
        second = create_demo_member("two@example.org", seed=11)
        third = create_demo_member("three@example.org", seed=12)
    assert _signature(first) == _signature(second)
    assert _signature(first) != _signature(third)
    assert CheckIn.objects.filter(owner=first).count() == CheckIn.objects.owned_by(first).count()


@pytest.mark.slow
@pytest.mark.django_db
def test_heavy_scale_has_ten_years_of_check_ins_and_a_year_of_questionnaires():
    with time_machine.travel(NOW, tick=False):
        member = create_demo_member("heavy@example.org", scale="heavy")
    days = _days(member)
    assert len(days) == len(set(days))
    assert TODAY - dt.timedelta(days=3652) <= days[0] <= TODAY - dt.timedelta(days=3640)
    span = (days[-1] - days[0]).days + 1
    assert 0.78 * span <= len(days) <= 0.92 * span
    results = Assessment.objects.owned_by(member)
    assert 40 <= results.count() <= 60
    assert not results.filter(taken_at__lt=NOW - dt.timedelta(days=376)).exists()
    assert not results.exclude(flags=[]).exists()
