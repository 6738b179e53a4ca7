from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from closeknit.notify import digest
from closeknit.notify.planning import AppointmentSoon, Occasion, Questionnaire, ReachOut

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 3, 2)


def compose(weekly: bool = False, **facts):
    for name in ("reach_out", "occasions", "appointments", "questionnaires"):
        facts.setdefault(name, [])
    return digest.compose(MONDAY, LONDON, weekly=weekly, **facts)


def person(n: int) -> ReachOut:
    return ReachOut(f"Person {n}", f"You and Person {n} last talked {20 + n} days ago.")


def test_day_labels():
    assert digest.day_label(MONDAY) == "Monday 2 March"
    assert digest.relative_day(MONDAY, MONDAY) == "today"
    assert digest.relative_day(dt.date(2026, 3, 3), MONDAY) == "tomorrow"
    assert digest.relative_day(dt.date(2026, 3, 5), MONDAY) == "Thursday 5 March"


def test_appointment_times_are_local():
    starts = dt.datetime(2026, 7, 1, 17, 0, tzinfo=UTC)
    assert digest.appointment_when(starts, LONDON, dt.date(2026, 7, 1)) == "today at 18:00"


def test_an_empty_digest_is_short_and_warm():
    title, body = compose()
    assert title == "Your day in Closeknit: Monday 2 March"
    assert "Nothing is waiting for you" in body
    assert "- " not in body


def test_weekly_title():
    title, _body = compose(weekly=True)
    assert title == "Your week ahead in Closeknit, from Monday 2 March"


def test_every_section_in_order():
    _title, body = compose(
        reach_out=[person(1)],
        occasions=[
            Occasion("b", dt.date(2026, 3, 6), "90 days since you started", "."),
            Occasion("a", MONDAY, "Sam's birthday", "."),
        ],
        appointments=[
            AppointmentSoon(2, dt.datetime(2026, 3, 3, 9, 30, tzinfo=UTC), "Group", "The hall"),
            AppointmentSoon(1, dt.datetime(2026, 3, 2, 18, 0, tzinfo=UTC), "Therapy with Ada"),
        ],
        questionnaires=[Questionnaire("phq9", "PHQ-9")],
    )
    expected = [
        "People you might reach out to",
        "- You and Person 1 last talked 21 days ago.",
        "Occasions this week",
        "- Today: Sam's birthday",
        "- Friday 6 March: 90 days since you started",
        "Appointments coming up",
        "- Today at 18:00: Therapy with Ada",
        "- Tomorrow at 09:30: Group (The hall)",
        "Questionnaires ready for you",
        "- PHQ-9, whenever suits you",
    ]
    positions = [body.index(line) for line in expected]
    assert positions == sorted(positions)
    assert body.endswith("Take care.")


def test_sections_without_anything_are_left_out():
    _title, body = compose(questionnaires=[Questionnaire("who5", "WHO-5")])
    assert "Questionnaires ready for you" in body
    assert "People you might" not in body
    assert "Occasions" not in body
    assert "Appointments" not in body


def test_a_long_reach_out_list_is_counted_not_listed():
    _title, body = compose(reach_out=[person(n) for n in range(1, 9)])
    assert "Person 5" in body
    assert "Person 6" not in body
    assert "… and 3 more on your list." in body


def test_no_scolding_words():
    _title, body = compose(reach_out=[person(1)], questionnaires=[Questionnaire("phq9", "PHQ-9")])
    for word in ("overdue", "failed", "must", "should", "late"):
        assert word not in body.lower()
