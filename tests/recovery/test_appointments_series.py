"""Recurring appointments: the rule's instants, rows up to a horizon, edits, stops and deletes."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from closeknit.recovery import appointments as booked
from closeknit.recovery.appointments import HORIZON, occurrences
from closeknit.recovery.models import Appointment, AppointmentSeries

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
# A Monday in winter (GMT), 10:00 local.
NOW = dt.datetime(2024, 1, 15, 10, 0, tzinfo=LONDON)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def local_times(rows: Any) -> set[tuple[int, int]]:
    return {
        (row.starts_at.astimezone(LONDON).hour, row.starts_at.astimezone(LONDON).minute)
        for row in rows
    }


def new_series(
    member: Any,
    first: dt.datetime,
    rule: str = "FREQ=WEEKLY",
    now: dt.datetime = NOW,
    **fields: Any,
) -> Appointment:
    fields.setdefault("kind", "therapy")
    appointment = Appointment(owner=member, starts_at=first, **fields)
    return booked.create(appointment, rule, now=now, zone=LONDON)


def rows_of(series: AppointmentSeries) -> list[Appointment]:
    return list(series.appointments.order_by("starts_at"))


# Pure: occurrences -----------------------------------------------------------------


def test_occurrences_keep_the_local_time_across_the_spring_change():
    found = occurrences(at(2024, 3, 17), "FREQ=WEEKLY", LONDON, until=at(2024, 4, 8))
    assert [w.astimezone(UTC).hour for w in found] == [9, 9, 8, 8]
    assert local_times_of(found) == {(9, 0)}


def test_occurrences_keep_the_local_time_across_the_autumn_change():
    found = occurrences(at(2024, 10, 20, 18, 30), "FREQ=WEEKLY", LONDON, until=at(2024, 11, 4))
    assert [w.astimezone(UTC).hour for w in found] == [17, 18, 18]
    assert local_times_of(found) == {(18, 30)}


def local_times_of(instants: list[dt.datetime]) -> set[tuple[int, int]]:
    return {(w.astimezone(LONDON).hour, w.astimezone(LONDON).minute) for w in instants}


def test_the_first_one_counts_even_when_the_rule_would_skip_it():
    # A Wednesday start with a Mondays-only rule: the Wednesday, then Mondays.
    found = occurrences(at(2024, 1, 17), "FREQ=WEEKLY;BYDAY=MO", LONDON, until=at(2024, 1, 30))
    assert [w.date() for w in found] == [
        dt.date(2024, 1, 17),
        dt.date(2024, 1, 22),
        dt.date(2024, 1, 29),
    ]


def test_occurrences_window_after_since_until_and_ended_at():
    first = at(2024, 1, 1)
    rule = "FREQ=DAILY"
    assert len(occurrences(first, rule, LONDON, until=at(2024, 1, 10))) == 10
    assert occurrences(first, rule, LONDON, until=at(2024, 1, 10), after=at(2024, 1, 8))[0] == at(
        2024, 1, 9
    )
    assert occurrences(first, rule, LONDON, until=at(2024, 1, 10), since=at(2024, 1, 8))[0] == at(
        2024, 1, 8
    )
    assert occurrences(first, rule, LONDON, until=at(2024, 1, 10), ended_at=at(2024, 1, 3))[
        -1
    ] == at(2024, 1, 2)


def test_an_unreadable_stored_rule_gives_just_the_first():
    assert occurrences(at(2024, 1, 1), "FREQ=SECONDLY", LONDON, until=at(2025, 1, 1)) == [
        at(2024, 1, 1)
    ]


def test_a_monthly_rule_with_count_ends():
    found = occurrences(at(2024, 1, 5), "FREQ=MONTHLY;COUNT=3", LONDON, until=at(2030, 1, 1))
    assert [w.month for w in found] == [1, 2, 3]


# Writing rows ----------------------------------------------------------------------


def test_a_new_series_is_written_up_to_the_horizon_at_the_same_local_time(member):
    first = new_series(member, at(2024, 1, 22), notes="Bring the letter", location="Room 4")
    series = first.series
    rows = rows_of(series)
    assert rows[0] == first
    assert rows[-1].starts_at <= NOW + HORIZON < rows[-1].starts_at + dt.timedelta(days=7)
    assert len(rows) == 17
    # Across 31 March: still 09:00 in London, 08:00 UTC after it.
    assert local_times(rows) == {(9, 0)}
    assert {row.starts_at.astimezone(UTC).hour for row in rows} == {8, 9}
    # The note belongs to the first one only; the rest copy the series' details.
    assert [row.notes for row in rows[:2]] == ["Bring the letter", ""]
    assert {row.location for row in rows} == {"Room 4"}
    assert series.schedule == "FREQ=WEEKLY"
    assert series.starts_at == first.starts_at


def test_materialise_is_idempotent(member):
    series = new_series(member, at(2024, 1, 22)).series
    count = series.appointments.count()
    assert booked.materialise(series, NOW + HORIZON, now=NOW, zone=LONDON) == 0
    assert booked.materialise(series, NOW + HORIZON, since=NOW, now=NOW, zone=LONDON) == 0
    assert booked.materialise_due(member, NOW) == 0
    assert series.appointments.count() == count


def test_a_series_starting_in_the_past_writes_the_ones_to_note(member):
    first = new_series(member, at(2023, 12, 18), status="attended")
    rows = rows_of(first.series)
    past = [row for row in rows if row.starts_at < NOW]
    assert [row.starts_at.date() for row in past] == [
        dt.date(2023, 12, 18),
        dt.date(2023, 12, 25),
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 8),
        dt.date(2024, 1, 15),
    ]
    assert [row.status for row in past] == ["attended"] + ["scheduled"] * 4
    assert rows[0].status_changed_at == NOW


def test_a_series_can_begin_at_most_90_days_back(member):
    with pytest.raises(booked.RepeatError, match="90 days back"):
        new_series(member, NOW - dt.timedelta(days=91))
    assert not AppointmentSeries.objects.exists()


def test_a_series_far_ahead_gets_its_first_one_at_once(member):
    first = new_series(member, at(2024, 9, 2))
    assert rows_of(first.series) == [first]
    # Topping up adds nothing until the next ones come within the horizon.
    assert booked.materialise_due(member, NOW) == 0


def test_topping_up_as_time_passes(member):
    series = new_series(member, at(2024, 1, 22)).series
    later = NOW + dt.timedelta(days=30)
    added = booked.materialise_due(member, later)
    assert added == 4
    assert rows_of(series)[-1].starts_at <= later + HORIZON
    assert local_times(rows_of(series)) == {(9, 0)}
    # Within a fortnight of slack nothing more is written.
    assert booked.materialise_due(member, later + dt.timedelta(days=10)) == 0


def test_a_member_away_for_months_finds_the_gap_filled(member):
    series = new_series(member, at(2024, 1, 22)).series
    back = NOW + dt.timedelta(days=200)
    booked.materialise_due(member, back)
    days = [row.starts_at.astimezone(LONDON).date() for row in rows_of(series)]
    assert {(b - a).days for a, b in itertools.pairwise(days)} == {7}
    assert days[-1] > (back + dt.timedelta(days=100)).date()


def test_an_ended_series_is_not_topped_up(member):
    series = new_series(member, at(2024, 1, 22)).series
    booked.end_series(series, NOW)
    assert booked.materialise_due(member, NOW + dt.timedelta(days=60)) == 0


def test_topping_up_reaches_only_the_members_own_series(member, stranger):
    series = new_series(member, at(2024, 1, 22)).series
    assert booked.materialise_due(stranger, NOW + dt.timedelta(days=60)) == 0
    assert series.appointments.count() == 17


# One occurrence deleted or moved ---------------------------------------------------------


def test_a_deleted_occurrence_stays_deleted(member):
    series = new_series(member, at(2024, 1, 22)).series
    second = rows_of(series)[1]
    assert booked.delete(second, booked.THIS, now=NOW, zone=LONDON) == 1
    booked.materialise_due(member, NOW + dt.timedelta(days=60))
    assert not series.appointments.filter(starts_at=second.starts_at).exists()


def test_deleting_the_latest_occurrence_does_not_bring_it_back(member):
    series = new_series(member, at(2024, 1, 22)).series
    latest = rows_of(series)[-1]
    booked.delete(latest, booked.THIS, now=NOW, zone=LONDON)
    booked.materialise_due(member, NOW + dt.timedelta(days=30))
    assert not series.appointments.filter(starts_at=latest.starts_at).exists()
    assert series.appointments.filter(starts_at=latest.starts_at + dt.timedelta(days=7)).exists()


def test_deleting_the_last_of_a_counted_series_ends_it(member):
    series = new_series(member, at(2024, 1, 22), "FREQ=WEEKLY;COUNT=3").series
    last = rows_of(series)[-1]
    booked.delete(last, booked.THIS, now=NOW, zone=LONDON)
    series.refresh_from_db()
    assert series.ended_at == last.starts_at
    booked.materialise_due(member, NOW + dt.timedelta(days=1))
    assert series.appointments.count() == 2


def test_moving_one_makes_it_a_one_off_and_the_old_time_stays_free(member):
    series = new_series(member, at(2024, 1, 22)).series
    latest = rows_of(series)[-1]
    old = latest.starts_at
    latest.starts_at = old + dt.timedelta(days=1, hours=2)
    booked.update(latest, old, now=NOW, zone=LONDON)
    latest.refresh_from_db()
    assert latest.series is None
    booked.materialise_due(member, NOW + dt.timedelta(days=30))
    assert not series.appointments.filter(starts_at=old).exists()


def test_changing_other_fields_of_one_keeps_it_in_the_series(member):
    first = new_series(member, at(2024, 1, 22))
    first.location = "Video call"
    booked.update(first, first.starts_at, now=NOW, zone=LONDON)
    first.refresh_from_db()
    assert first.series_id is not None


# Changing or stopping a series --------------------------------------------------------------


def series_with_history(member: Any, network: dict[str, Any]) -> AppointmentSeries:
    """Weekly from 18 December; the first two noted, one future one with a note."""
    first = new_series(member, at(2023, 12, 18), person=network["ada"], location="Room 4")
    series = first.series
    rows = rows_of(series)
    booked.set_status(rows[0], "attended", NOW)
    booked.set_status(rows[1], "missed", NOW)
    Appointment.objects.filter(pk=rows[6].pk).update(notes="Ask about the new dose")
    return series


def test_changing_details_reaches_future_scheduled_ones_only(member, network):
    series = series_with_history(member, network)
    previous = booked.timing(series)
    series.location = "Room 9"
    series.person = network["sam"]
    changed = booked.update_series(series, previous, now=NOW, zone=LONDON)
    rows = rows_of(series)
    future = [row for row in rows if row.starts_at >= NOW]
    assert changed == len(future)
    assert {(row.location, row.person_id) for row in future} == {("Room 9", network["sam"].pk)}
    past = [row for row in rows if row.starts_at < NOW]
    assert {(row.location, row.person_id) for row in past} == {("Room 4", network["ada"].pk)}
    assert [row.status for row in past[:2]] == ["attended", "missed"]
    assert rows[6].notes == "Ask about the new dose"


def test_changing_the_time_moves_future_ones_and_keeps_history(member, network):
    series = series_with_history(member, network)
    history = [
        (row.pk, row.starts_at, row.status) for row in rows_of(series) if row.starts_at < NOW
    ]
    previous = booked.timing(series)
    series.starts_at = at(2023, 12, 18, 14, 30)
    booked.update_series(series, previous, now=NOW, zone=LONDON)
    rows = rows_of(series)
    assert [(r.pk, r.starts_at, r.status) for r in rows if r.starts_at < NOW] == history
    future = [row for row in rows if row.starts_at >= NOW]
    assert local_times(future) == {(14, 30)}
    # Today's 09:00 has passed and stays; today's new 14:30 is still ahead.
    assert future[0].starts_at == at(2024, 1, 15, 14, 30)
    assert len(future) == 18


def test_changing_the_rule_keeps_the_ones_that_still_fit_with_their_notes(member, network):
    series = series_with_history(member, network)
    noted = rows_of(series)[6]
    previous = booked.timing(series)
    series.schedule = "FREQ=WEEKLY;BYDAY=MO,TH"
    booked.update_series(series, previous, now=NOW, zone=LONDON)
    noted.refresh_from_db()
    assert noted.notes == "Ask about the new dose"
    future = [row for row in rows_of(series) if row.starts_at >= NOW]
    assert {row.starts_at.astimezone(LONDON).weekday() for row in future} == {0, 3}


def test_a_rule_that_no_longer_meets_ends_the_series(member, network):
    series = series_with_history(member, network)
    previous = booked.timing(series)
    series.schedule = "FREQ=WEEKLY;UNTIL=20240101"
    booked.update_series(series, previous, now=NOW, zone=LONDON)
    series.refresh_from_db()
    assert series.ended_at == NOW
    assert not series.appointments.filter(starts_at__gte=NOW).exists()
    assert booked.materialise_due(member, NOW + dt.timedelta(days=30)) == 0


def test_stopping_a_series_keeps_what_was_noted(member, network):
    series = series_with_history(member, network)
    rows = rows_of(series)
    future_cancelled = rows[8]
    booked.set_status(future_cancelled, "cancelled", NOW)
    removed = booked.end_series(series, NOW)
    assert removed == len([row for row in rows if row.starts_at >= NOW])
    left = rows_of(series)
    assert all(row.starts_at < NOW for row in left)
    assert [row.status for row in left[:2]] == ["attended", "missed"]


def test_delete_this_and_later_ones(member, network):
    series = series_with_history(member, network)
    rows = rows_of(series)
    booked.delete(rows[7], booked.FUTURE, now=NOW, zone=LONDON)
    assert [row.pk for row in rows_of(series)] == [row.pk for row in rows[:7]]
    series.refresh_from_db()
    assert series.ended_at == rows[7].starts_at


def test_delete_from_a_noted_one_on_removes_that_one_too(member, network):
    series = series_with_history(member, network)
    rows = rows_of(series)
    booked.delete(rows[1], booked.FUTURE, now=NOW, zone=LONDON)
    assert [row.pk for row in rows_of(series)] == [rows[0].pk]


def test_delete_the_whole_series(member, network):
    series = series_with_history(member, network)
    count = series.appointments.count()
    assert booked.delete(rows_of(series)[3], booked.ALL, now=NOW, zone=LONDON) == count
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


def test_a_one_off_is_deleted_alone_whatever_the_scope(member):
    one = booked.create(
        Appointment(owner=member, kind="other", starts_at=NOW), "", now=NOW, zone=LONDON
    )
    assert booked.delete(one, booked.ALL, now=NOW, zone=LONDON) == 1
    assert not Appointment.objects.exists()


# Status ----------------------------------------------------------------------------


def test_set_status_records_when(member):
    one = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=NOW - dt.timedelta(hours=1)),
        "",
        now=NOW,
        zone=LONDON,
    )
    assert one.status_changed_at is None
    assert booked.set_status(one, "attended", NOW) is None
    one.refresh_from_db()
    assert (one.status, one.status_changed_at) == ("attended", NOW)


def test_set_status_refuses_attended_before_the_start(member):
    one = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=NOW + dt.timedelta(hours=1)),
        "",
        now=NOW,
        zone=LONDON,
    )
    assert "hasn't started" in (booked.set_status(one, "attended", NOW) or "")
    one.refresh_from_db()
    assert one.status == "scheduled"
    assert booked.set_status(one, "cancelled", NOW) is None


# Lists -----------------------------------------------------------------------------


def test_due_upcoming_and_past_lists(member, stranger):
    make = lambda owner, hours, status="scheduled": Appointment.objects.create(  # noqa: E731
        owner=owner, kind="therapy", starts_at=NOW + dt.timedelta(hours=hours), status=status
    )
    waiting = make(member, -2)
    noted = make(member, -30, "attended")
    too_old = make(member, -24 * 100)
    soon = make(member, 3)
    cancelled_soon = make(member, 5, "cancelled")
    later = make(member, 24 * 40)
    make(stranger, -2)
    make(stranger, 3)
    assert booked.due(member, NOW) == [waiting]
    ahead = booked.split_upcoming(booked.upcoming(member, NOW), NOW)
    assert (ahead.soon, ahead.later, ahead.more) == ([soon, cancelled_soon], [later], False)
    assert list(booked.past(member, NOW)) == [waiting, noted, too_old]
    assert list(booked.past(member, NOW, "attended")) == [noted]
    home = booked.for_home(member, NOW)
    assert (home.due, home.more_due, home.upcoming) == ([waiting], False, [soon, later])


def test_attendance_of_counts_the_members_own_in_the_window(member, stranger):
    for owner, status, days in [
        (member, "attended", 1),
        (member, "attended", 89),
        (member, "missed", 10),
        (member, "missed", 91),
        (member, "cancelled", 2),
        (stranger, "missed", 3),
    ]:
        Appointment.objects.create(
            owner=owner, kind="therapy", starts_at=NOW - dt.timedelta(days=days), status=status
        )
    result = booked.attendance_of(member, NOW)
    assert (result.attended, result.missed, result.window_days) == (2, 1, 90)
    assert result.rate == pytest.approx(2 / 3)


def test_upcoming_says_when_there_are_more_than_it_shows(member):
    for hours in (1, 2, 3):
        Appointment.objects.create(
            owner=member, kind="therapy", starts_at=NOW + dt.timedelta(hours=hours)
        )
    rows = booked.upcoming(member, NOW, limit=2)
    assert len(rows) == 3
    ahead = booked.split_upcoming(rows, NOW, limit=2)
    assert (len(ahead.soon), ahead.more) == (2, True)
    assert booked.split_upcoming(rows, NOW, limit=3).more is False


def test_a_first_one_with_microseconds_is_one_of_the_series_own(member):
    first = new_series(member, at(2024, 1, 22) + dt.timedelta(seconds=5, microseconds=123))
    rows = rows_of(first.series)
    assert rows[0] == first
    assert first.starts_at.microsecond == 0
    assert first.series.starts_at == first.starts_at
    assert {row.starts_at.second for row in rows} == {5}
    assert booked.materialise(first.series, NOW + HORIZON, since=NOW, now=NOW, zone=LONDON) == 0
