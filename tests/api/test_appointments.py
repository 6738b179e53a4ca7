"""/api/v1/appointments: the list and its filters, writes, series, status, and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeknit.network.models import Group, Person
from closeknit.recovery import appointments as booked
from closeknit.recovery.models import Appointment, AppointmentSeries
from tests.api.conftest import error_fields, error_messages

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")
ROOT = "/api/v1/appointments"
ATTENDANCE = f"{ROOT}/attendance"


def url(appointment: Appointment) -> str:
    return f"{ROOT}/{appointment.pk}"


def make(owner: Any, when: dt.datetime, status: str = "scheduled", **fields: Any) -> Appointment:
    fields.setdefault("kind", "therapy")
    return Appointment.objects.create(owner=owner, starts_at=when, status=status, **fields)


def soon(**delta: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


def state(owner: Any) -> list[tuple[Any, ...]]:
    rows = Appointment.objects.owned_by(owner).order_by("pk")
    series = AppointmentSeries.objects.owned_by(owner).order_by("pk")
    fields = ("id", "kind", "person_id", "group_id", "starts_at", "status", "notes", "series_id")
    return [
        *(tuple(getattr(a, f) for f in fields) for a in rows),
        *((s.pk, s.schedule, s.ended_at) for s in series),
    ]


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


# Reading ---------------------------------------------------------------------------


def test_list_shows_the_members_appointments_soonest_first(api, member, network):
    later = make(member, dt.datetime(2030, 7, 1, 8, 30, tzinfo=UTC), group=network["group"])
    first = make(
        member,
        dt.datetime(2030, 6, 1, 8, 0, tzinfo=UTC),
        person=network["ada"],
        title="Session",
        location="Room 4",
        notes="Ask about sleep",
        duration_minutes=60,
    )
    body = api.get(ROOT).json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [first.pk, later.pk]
    assert body["items"][0] == {
        "id": first.pk,
        "kind": "therapy",
        "title": "Session",
        "person": network["ada"].pk,
        "group": None,
        "starts_at": "2030-06-01T08:00:00+00:00",
        "duration_minutes": 60,
        "location": "Room 4",
        "notes": "Ask about sleep",
        "status": "scheduled",
        "status_changed_at": None,
        "series": None,
    }
    assert body["items"][1]["group"] == network["group"].pk


def test_strangers_list_never_shows_the_members(stranger_api, member):
    make(member, soon(days=1))
    assert stranger_api.get(ROOT).json() == {"items": [], "count": 0}


def test_filters_by_status_kind_and_local_days(api, member):
    a = make(member, dt.datetime(2030, 3, 1, 0, 30, tzinfo=UTC), kind="therapy")
    b = make(member, dt.datetime(2030, 3, 2, 9, 0, tzinfo=UTC), kind="psychiatry")
    c = make(member, dt.datetime(2024, 3, 3, 9, 0, tzinfo=UTC), "missed", kind="therapy")
    assert ids(api.get(f"{ROOT}?status=missed")) == [c.pk]
    assert ids(api.get(f"{ROOT}?kind=therapy")) == [c.pk, a.pk]
    assert ids(api.get(f"{ROOT}?since=2030-03-01&until=2030-03-01")) == [a.pk]
    assert ids(api.get(f"{ROOT}?since=2030-03-02")) == [b.pk]
    assert ids(api.get(f"{ROOT}?until=2030-03-01T00:30:00Z")) == [c.pk, a.pk]
    assert ids(api.get(f"{ROOT}?kind=therapy&since=2029-01-01")) == [a.pk]


def test_summer_days_are_london_days(api, member):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    late = make(member, dt.datetime(2030, 6, 30, 23, 30, tzinfo=UTC))
    assert ids(api.get(f"{ROOT}?since=2030-07-01&until=2030-07-01")) == [late.pk]
    assert ids(api.get(f"{ROOT}?until=2030-06-30")) == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=lost", "status"),
        ("kind=dentist", "kind"),
        ("since=soon", "since"),
        ("until=2030-13-01", "until"),
        ("since=2030-03-02&until=2030-03-01", "until"),
        ("limit=0", "limit"),
    ],
)
def test_bad_filters_are_named(api, member, query, field):
    assert field in error_fields(api.get(f"{ROOT}?{query}"))


def test_list_is_paginated(api, member):
    rows = [make(member, soon(days=n + 1)) for n in range(5)]
    body = api.get(f"{ROOT}?limit=2&offset=2").json()
    assert body["count"] == 5
    assert [item["id"] for item in body["items"]] == [rows[2].pk, rows[3].pk]


def test_list_tops_up_series(api, member):
    first = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=soon(days=1)),
        "FREQ=WEEKLY",
        now=timezone.now(),
        zone=LONDON,
    )
    first.series.appointments.exclude(pk=first.pk).delete()
    assert api.get(ROOT).json()["count"] > 10


def test_get_one_and_404_for_strangers_and_unknown_ids(api, stranger_api, member):
    one = make(member, soon(days=1), notes="Private")
    assert api.get(url(one)).json()["notes"] == "Private"
    response = stranger_api.get(url(one))
    assert response.status_code == 404
    assert "Private" not in response.content.decode()
    assert api.get(f"{ROOT}/{one.pk + 1000}").status_code == 404


def test_attendance_is_not_read_as_an_id(api, member):
    assert api.get(ATTENDANCE).status_code == 200


# Attendance ------------------------------------------------------------------------


def test_attendance_with_no_appointments_has_no_rate(api):
    assert api.get(ATTENDANCE).json() == {
        "attended": 0,
        "missed": 0,
        "rate": None,
        "window_days": 90,
    }


def test_attendance_counts_the_last_90_days(api, stranger_api, member):
    for days, status in [(1, "attended"), (2, "attended"), (3, "missed"), (4, "cancelled")]:
        make(member, soon(days=-days), status)
    make(member, soon(days=-100), "missed")
    make(member, soon(days=-1), "scheduled")
    make(member, soon(days=5), "attended")
    body = api.get(ATTENDANCE).json()
    assert body == {"attended": 2, "missed": 1, "rate": pytest.approx(2 / 3), "window_days": 90}
    assert api.get(f"{ATTENDANCE}?window_days=2").json()["rate"] == 1.0
    assert stranger_api.get(ATTENDANCE).json()["rate"] is None


def test_attendance_window_is_checked(api):
    assert "window_days" in error_fields(api.get(f"{ATTENDANCE}?window_days=0"))
    assert "window_days" in error_fields(api.get(f"{ATTENDANCE}?window_days=9999"))


# Writing ---------------------------------------------------------------------------


def test_add_one_with_a_naive_time_in_the_members_zone(api, member, network):
    response = api.post(
        ROOT,
        {
            "kind": "psychiatry",
            "person": network["ada"].pk,
            "starts_at": "2030-07-01T09:30:00",
            "duration_minutes": 30,
            "location": " Clinic ",
            "notes": "Bring the list",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["starts_at"] == "2030-07-01T08:30:00+00:00"
    assert (body["location"], body["series"], body["status"]) == ("Clinic", None, "scheduled")
    saved = Appointment.objects.owned_by(member).get(pk=body["id"])
    assert saved.notes == "Bring the list"
    assert saved.person == network["ada"]


def test_add_a_past_one_as_attended(api, member):
    response = api.post(
        ROOT, {"kind": "peer_meeting", "starts_at": "2024-01-05T18:00:00Z", "status": "attended"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status_changed_at"] is not None


def test_add_a_repeating_one_creates_a_series(api, member):
    start = (
        (timezone.now() + dt.timedelta(days=1))
        .astimezone(LONDON)
        .replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None)
    )
    response = api.post(
        ROOT,
        {
            "kind": "support_group",
            "starts_at": start.isoformat(),
            "repeat": "rrule:freq=weekly",
            "notes": "First night",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    series = AppointmentSeries.objects.owned_by(member).get(pk=body["series"])
    assert series.schedule == "FREQ=WEEKLY"
    rows = list(series.appointments.order_by("starts_at"))
    assert rows[0].pk == body["id"]
    assert rows[0].notes == "First night"
    assert len(rows) >= 17
    assert {r.starts_at.astimezone(LONDON).time() for r in rows} == {dt.time(9, 0)}
    listed = api.get(f"{ROOT}?limit=500").json()["items"]
    assert {item["series"] for item in listed} == {series.pk}


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"repeat": "FREQ=HOURLY"}, "repeat", "at most once a day"),
        ({"repeat": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "repeat", "never meets"),
        ({"kind": "dentist"}, "kind", "therapy"),
        ({"duration_minutes": 0}, "duration_minutes", "greater than or equal"),
        ({"status": "attended"}, "status", "hasn't started yet"),
        ({"person": 10**9}, "person", "No one with id"),
        ({"group": 10**9}, "group", "no group with id"),
        ({"starts_at": "soon"}, "starts_at", "datetime"),
        ({"colour": "blue"}, "colour", "Extra inputs"),
    ],
)
def test_bad_input_is_named_and_saves_nothing(api, member, network, changes, field, words):
    body = {"kind": "therapy", "starts_at": soon(days=2).isoformat(), **changes}
    before = state(member)
    response = api.post(ROOT, body)
    assert field in error_fields(response)
    assert words in error_messages(response)
    assert state(member) == before


def test_a_repeating_one_may_begin_at_most_90_days_back(api, member):
    body = {"kind": "therapy", "starts_at": soon(days=-120).isoformat(), "repeat": "FREQ=WEEKLY"}
    response = api.post(ROOT, body)
    assert "starts_at" in error_fields(response)
    assert not Appointment.objects.exists()
    assert not AppointmentSeries.objects.exists()


def test_a_strangers_person_or_group_is_refused(api, member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    their_group = Group.objects.create(owner=stranger, name="Theirs")
    body = {"kind": "therapy", "starts_at": soon(days=2).isoformat()}
    assert "person" in error_fields(api.post(ROOT, {**body, "person": theirs.pk}))
    assert "group" in error_fields(api.post(ROOT, {**body, "group": their_group.pk}))
    assert not Appointment.objects.exists()


def test_replace_one(api, member, network):
    one = make(member, soon(days=2), notes="Old", person=network["ada"])
    response = api.put(
        url(one),
        {"kind": "other", "starts_at": "2030-01-10T10:00:00Z", "group": network["group"].pk},
    )
    assert response.status_code == 200, response.content
    one.refresh_from_db()
    assert (one.kind, one.notes, one.person, one.group) == ("other", "", None, network["group"])


def test_patch_the_status_in_one_call(api, member):
    one = make(member, soon(hours=-2))
    response = api.patch(url(one), {"status": "attended"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "attended"
    one.refresh_from_db()
    assert one.status_changed_at is not None
    changed_at = one.status_changed_at
    # Sending the same status again is not a change.
    api.patch(url(one), {"status": "attended"})
    one.refresh_from_db()
    assert one.status_changed_at == changed_at


def test_patch_refuses_attended_for_one_still_ahead_and_changes_nothing(api, member):
    one = make(member, soon(days=2))
    before = state(member)
    response = api.patch(url(one), {"status": "missed"})
    assert "status" in error_fields(response)
    assert state(member) == before
    assert api.patch(url(one), {"status": "cancelled"}).json()["status"] == "cancelled"


def test_moving_an_attended_one_into_the_future_is_refused(api, member):
    one = make(member, soon(days=-2), "attended")
    response = api.patch(url(one), {"starts_at": soon(days=3).isoformat()})
    assert "status" in error_fields(response)


def test_patch_refuses_null_for_a_field_that_cannot_be_empty(api, member):
    one = make(member, soon(days=2))
    assert "kind" in error_fields(api.patch(url(one), {"kind": None}))


def test_patch_clears_the_person_with_null(api, member, network):
    one = make(member, soon(days=2), person=network["ada"])
    assert api.patch(url(one), {"person": None}).json()["person"] is None


def test_patch_refuses_a_strangers_person(api, member, stranger):
    one = make(member, soon(days=2))
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    before = state(member)
    assert "person" in error_fields(api.patch(url(one), {"person": theirs.pk}))
    assert state(member) == before


def test_moving_one_of_a_series_makes_it_a_one_off(api, member):
    first = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=soon(days=1)),
        "FREQ=WEEKLY",
        now=timezone.now(),
        zone=LONDON,
    )
    body = api.patch(url(first), {"starts_at": soon(days=1, hours=3).isoformat()}).json()
    assert body["series"] is None
    assert api.patch(url(first), {"location": "Hall"}).json()["series"] is None


def test_strangers_writes_answer_404_and_change_nothing(stranger_api, member):
    one = make(member, soon(hours=-2), notes="Private")
    before = state(member)
    assert stranger_api.patch(url(one), {"status": "attended"}).status_code == 404
    assert (
        stranger_api.put(url(one), {"kind": "other", "starts_at": "2030-01-01T10:00Z"}).status_code
        == 404
    )
    assert stranger_api.delete(url(one)).status_code == 404
    assert stranger_api.delete(f"{url(one)}?scope=all").status_code == 404
    assert state(member) == before


# Deleting --------------------------------------------------------------------------


def test_delete_a_one_off(api, member):
    one = make(member, soon(days=1))
    assert api.delete(url(one)).status_code == 204
    assert not Appointment.objects.exists()


def series_rows(member: Any) -> list[Appointment]:
    first = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=soon(days=-20)),
        "FREQ=WEEKLY",
        now=timezone.now(),
        zone=LONDON,
    )
    booked.set_status(first, "attended", timezone.now())
    return list(first.series.appointments.order_by("starts_at"))


def test_delete_scopes_for_one_of_a_series(api, member):
    rows = series_rows(member)
    series = rows[0].series
    assert api.delete(url(rows[5])).status_code == 204
    assert series.appointments.count() == len(rows) - 1
    assert api.delete(f"{url(rows[3])}?scope=future").status_code == 204
    assert [a.pk for a in series.appointments.order_by("starts_at")] == [r.pk for r in rows[:3]]
    assert api.delete(f"{url(rows[1])}?scope=all").status_code == 204
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


def test_a_made_up_scope_is_refused(api, member):
    rows = series_rows(member)
    before = state(member)
    assert "scope" in error_fields(api.delete(f"{url(rows[1])}?scope=everything"))
    assert state(member) == before


# Queries ---------------------------------------------------------------------------


def count(api: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_appointments(api, member, network):
    make(member, soon(days=1), person=network["ada"])
    api.get(ROOT)  # the token's first use of the minute is recorded: a write of its own
    small = count(api, ROOT)
    for n in range(60):
        make(member, soon(days=n + 2), person=network["sam"], group=network["group"])
    assert count(api, f"{ROOT}?limit=500") == small
    assert count(api, ATTENDANCE) <= small
