"""The appointment pages: lists, the forms, one-tap status, series edits, and strangers' 404s."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Group, Person
from closeknit.recovery import appointments as booked
from closeknit.recovery.models import Appointment, AppointmentSeries

LONDON = ZoneInfo("Europe/London")
LIST = reverse("recovery:appointments")
NEW = reverse("recovery:appointment-new")


def make(owner: Any, hours: float, status: str = "scheduled", **fields: Any) -> Appointment:
    fields.setdefault("kind", "therapy")
    return Appointment.objects.create(
        owner=owner,
        starts_at=timezone.now() + dt.timedelta(hours=hours),
        status=status,
        **fields,
    )


def weekly(owner: Any, days_ahead: float = 2, **fields: Any) -> Appointment:
    fields.setdefault("kind", "therapy")
    first = Appointment(
        owner=owner, starts_at=timezone.now() + dt.timedelta(days=days_ahead), **fields
    )
    return booked.create(first, "FREQ=WEEKLY", now=timezone.now(), zone=LONDON)


def local(moment: dt.datetime) -> str:
    return moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")


def said(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_data(**fields: Any) -> dict[str, Any]:
    data = {
        "kind": "therapy",
        "title": "",
        "person": "",
        "group": "",
        "starts_at": local(timezone.now() + dt.timedelta(days=3)),
        "duration_minutes": "50",
        "location": "",
        "notes": "",
        "status": "scheduled",
        "repeat": "",
        "rule": "",
    }
    data.update(fields)
    return data


# Lists -----------------------------------------------------------------------------


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_empty_list_invites_a_first_appointment(member_client):
    html = member_client.get(LIST).content.decode()
    assert "Nothing booked yet" in html
    assert "No data yet" in html
    assert f'href="{NEW}"' in html


def test_list_shows_attendance_with_the_numbers_behind_it(member_client, member):
    for hours, status in [(-1, "attended"), (-30, "attended"), (-60, "missed"), (-90, "cancelled")]:
        make(member, hours, status)
    html = member_client.get(LIST).content.decode()
    assert "You went to 2 of 3 in the last 90 days." in html
    assert "<strong>67%</strong>" in html


def test_list_splits_what_to_note_the_next_30_days_and_later(member_client, member, network):
    waiting = make(member, -2, person=network["ada"])
    soon = make(member, 24 * 3, title="Check-up")
    later = make(member, 24 * 45, title="Review")
    response = member_client.get(LIST)
    assert response.context["due"] == [waiting]
    assert response.context["upcoming"].soon == [soon]
    assert response.context["upcoming"].later == [later]
    html = response.content.decode()
    assert "Did you go?" in html
    assert html.index("Check-up") < html.index('id="later-heading"') < html.index("Review")


def test_viewing_the_list_tops_up_a_series(member_client, member):
    series = weekly(member).series
    series.appointments.filter(starts_at__gt=timezone.now() + dt.timedelta(days=20)).delete()
    member_client.get(LIST)
    latest = series.appointments.order_by("-starts_at").first()
    assert latest.starts_at > timezone.now() + dt.timedelta(days=100)


def test_strangers_list_shows_none_of_the_members(stranger_client, member, network):
    make(member, -2, title="Private session", person=network["ada"])
    make(member, 5, title="Another private one")
    html = stranger_client.get(LIST).content.decode()
    assert "Private session" not in html
    assert "Another private one" not in html
    assert "Ada Okafor" not in html
    assert "No data yet" in html


def test_past_list_is_paginated_newest_first_with_a_status_filter(member_client, member):
    for n in range(booked.PAGE_SIZE + 3):
        make(member, -(n + 1), "attended" if n % 2 else "missed", title=f"Session {n}")
    response = member_client.get(reverse("recovery:appointments-past"))
    page = response.context["page"]
    assert page.paginator.count == booked.PAGE_SIZE + 3
    assert [a.title for a in page.object_list[:2]] == ["Session 0", "Session 1"]
    assert 'rel="next"' in response.content.decode()
    missed = member_client.get(reverse("recovery:appointments-past") + "?status=missed")
    assert {a.status for a in missed.context["page"].object_list} == {"missed"}
    odd = member_client.get(reverse("recovery:appointments-past") + "?status=lost")
    assert odd.context["status"] == ""


# Adding ----------------------------------------------------------------------------


def test_the_form_offers_professionals_first(member_client, network, stranger):
    Person.objects.create(owner=stranger, name="Dr Not Yours", roles=["doctor"])
    response = member_client.get(NEW)
    html = response.content.decode()
    professionals = html.index('<optgroup label="Your professionals">')
    assert professionals < html.index("Ada Okafor") < html.index("Everyone else")
    assert html.index("Everyone else") < html.index("Sam Rivera")
    assert "Dr Not Yours" not in html


def test_without_professionals_people_are_one_plain_list(member_client, member):
    Person.objects.create(owner=member, name="Lee Chen", roles=["friend"])
    html = member_client.get(NEW).content.decode()
    assert "optgroup" not in html
    assert "Lee Chen" in html


def test_add_a_one_off_in_the_members_time_zone(member_client, member, network):
    response = member_client.post(
        NEW,
        form_data(
            person=network["ada"].pk,
            starts_at="2030-07-01T09:30",
            location="Room 4",
            notes="Ask about sleep",
            duration_minutes="60",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert said(response) == ["Saved."]
    saved = Appointment.objects.owned_by(member).get()
    # 09:30 in London in July is 08:30 UTC.
    assert saved.starts_at == dt.datetime(2030, 7, 1, 8, 30, tzinfo=dt.UTC)
    assert (saved.person, saved.location, saved.notes, saved.duration_minutes) == (
        network["ada"],
        "Room 4",
        "Ask about sleep",
        60,
    )
    assert saved.series is None


@pytest.mark.parametrize(
    ("repeat", "rule", "stored"),
    [
        ("weekly", "", "FREQ=WEEKLY"),
        ("fortnightly", "", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "", "FREQ=MONTHLY"),
        ("custom", "rrule:freq=weekly;byday=mo,th", "FREQ=WEEKLY;BYDAY=MO,TH"),
    ],
)
def test_add_a_repeating_appointment(member_client, member, repeat, rule, stored):
    response = member_client.post(NEW, form_data(repeat=repeat, rule=rule, notes="First one"))
    assert response.status_code == 302
    series = AppointmentSeries.objects.owned_by(member).get()
    assert series.schedule == stored
    rows = list(series.appointments.order_by("starts_at"))
    assert len(rows) >= 4
    assert rows[0].notes == "First one"
    assert rows[-1].starts_at <= timezone.now() + booked.HORIZON
    assert "It repeats" in said(response)[0]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"repeat": "custom", "rule": "FREQ=HOURLY"}, "rule", "at most once a day"),
        ({"repeat": "custom", "rule": ""}, "rule", "Please write the rule"),
        ({"repeat": "custom", "rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rule", "never"),
        ({"repeat": "sometimes"}, "repeat", "valid choice"),
        ({"starts_at": "tomorrow"}, "starts_at", "valid date"),
        ({"starts_at": "1850-01-01T10:00"}, "starts_at", "after 1900"),
        ({"duration_minutes": "0"}, "duration_minutes", "greater than or equal"),
        ({"kind": "dentist"}, "kind", "valid choice"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(member_client, member, changes, field, words):
    response = member_client.post(NEW, form_data(**changes))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert words in errors
    assert not Appointment.objects.exists()
    assert not AppointmentSeries.objects.exists()


def test_a_repeating_one_can_begin_at_most_90_days_back(member_client, member):
    old = local(timezone.now() - dt.timedelta(days=100))
    response = member_client.post(NEW, form_data(repeat="weekly", starts_at=old, status="attended"))
    assert "90 days back" in " ".join(response.context["form"].errors["starts_at"])
    assert not Appointment.objects.exists()
    # Once, it may be as old as the member likes.
    member_client.post(NEW, form_data(starts_at=old, status="attended"))
    assert Appointment.objects.get().status == "attended"


def test_attended_cannot_be_chosen_for_one_still_ahead(member_client):
    response = member_client.post(NEW, form_data(status="attended"))
    assert "hasn't started yet" in " ".join(response.context["form"].errors["status"])
    assert not Appointment.objects.exists()


def test_a_strangers_person_or_group_is_refused(member_client, member, stranger):
    theirs = Person.objects.create(owner=stranger, name="Not Yours", roles=["therapist"])
    their_group = Group.objects.create(owner=stranger, name="Their group")
    response = member_client.post(NEW, form_data(person=theirs.pk, group=their_group.pk))
    errors = response.context["form"].errors
    assert errors["person"] == ["We couldn't find that person in your network."]
    assert errors["group"] == ["We couldn't find that group among yours."]
    assert not Appointment.objects.exists()


def test_book_another_time_starts_from_the_one_missed(member_client, member, network, stranger):
    missed = make(member, -3, "missed", person=network["ada"], location="Room 4", kind="psychiatry")
    form = member_client.get(f"{NEW}?again={missed.pk}").context["form"]
    assert form.initial["person"] == network["ada"].pk
    assert form.initial["kind"] == "psychiatry"
    assert form.initial["location"] == "Room 4"
    theirs = make(stranger, -3, location="Their room")
    form = member_client.get(f"{NEW}?again={theirs.pk}").context["form"]
    assert "location" not in form.initial


# Changing one ----------------------------------------------------------------------


def edit_url(appointment: Appointment) -> str:
    return reverse("recovery:appointment-edit", args=[appointment.pk])


def test_edit_one_and_note_how_it_went(member_client, member):
    past = make(member, -5)
    data = form_data(
        starts_at=local(past.starts_at), status="missed", notes="Overslept", location="Clinic"
    )
    response = member_client.post(edit_url(past) + f"?next={LIST}", data)
    assert response["Location"] == LIST
    past.refresh_from_db()
    assert (past.status, past.notes, past.location) == ("missed", "Overslept", "Clinic")
    assert past.status_changed_at is not None


def test_edit_keeps_the_person_when_they_were_archived(member_client, member, network):
    ada = network["ada"]
    one = make(member, 5, person=ada)
    Person.objects.filter(pk=ada.pk).update(archived_at=timezone.now())
    response = member_client.post(
        edit_url(one), form_data(person=ada.pk, starts_at=local(one.starts_at))
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.person_id == ada.pk


def test_edit_refuses_a_strangers_person(member_client, member, stranger):
    one = make(member, 5)
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    response = member_client.post(edit_url(one), form_data(person=theirs.pk))
    assert response.status_code == 200
    one.refresh_from_db()
    assert one.person is None


def test_edit_of_one_in_a_series_points_to_the_series(member_client, member):
    first = weekly(member)
    html = member_client.get(edit_url(first)).content.decode()
    assert reverse("recovery:appointment-series-edit", args=[first.series_id]) in html
    assert 'name="repeat"' not in html


def test_moving_one_of_a_series_makes_it_a_one_off(member_client, member):
    first = weekly(member)
    moved = first.starts_at + dt.timedelta(hours=3)
    member_client.post(edit_url(first), form_data(starts_at=local(moved)))
    first.refresh_from_db()
    assert first.series is None
    assert first.starts_at == moved.replace(second=0, microsecond=0)


# One tap ---------------------------------------------------------------------------


def status_url(appointment: Appointment) -> str:
    return reverse("recovery:appointment-status", args=[appointment.pk])


def test_one_tap_i_went(member_client, member):
    one = make(member, -1)
    response = member_client.post(status_url(one), {"status": "attended", "next": "/"})
    assert response["Location"] == "/"
    one.refresh_from_db()
    assert one.status == "attended"
    assert one.status_changed_at is not None
    assert said(response) == ["Noted: you went. Good on you for showing up."]


def test_missing_one_is_met_with_warmth_and_a_way_forward(member_client, member, network):
    one = make(member, -1, person=network["ada"])
    response = member_client.post(status_url(one), {"status": "missed"})
    assert response["Location"] == LIST
    (message,) = said(response)
    assert message.startswith("That happens. Would you like to")
    assert f'href="{network["ada"].get_absolute_url()}">let Ada Okafor know</a>' in message
    assert f'href="{NEW}?again={one.pk}">book another time</a>' in message
    # The links reach the page as links, not as escaped text.
    page = member_client.get(LIST).content.decode()
    assert "That happens" in page


def test_missed_with_a_group_offers_to_let_the_group_know(member_client, member, network):
    one = make(member, -1, group=network["group"])
    (message,) = said(member_client.post(status_url(one), {"status": "missed"}))
    assert "let the group know" in message


def test_one_tap_with_htmx_swaps_in_the_kind_words(member_client, member):
    one = make(member, -1, title="Group night")
    response = member_client.post(
        status_url(one), {"status": "missed"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<li class="appointment marked" id="appointment-{one.pk}">')
    assert "That happens." in html
    assert "Group night" in html
    assert not said(response)


def test_attended_cannot_be_noted_before_it_starts_but_cancelled_can(member_client, member):
    ahead = make(member, 5)
    response = member_client.post(status_url(ahead), {"status": "attended"})
    assert "hasn't started yet" in said(response)[0]
    ahead.refresh_from_db()
    assert ahead.status == "scheduled"
    member_client.post(status_url(ahead), {"status": "cancelled"})
    ahead.refresh_from_db()
    assert ahead.status == "cancelled"
    member_client.post(status_url(ahead), {"status": "scheduled"})
    ahead.refresh_from_db()
    assert ahead.status == "scheduled"


def test_a_made_up_status_changes_nothing(member_client, member):
    one = make(member, -1)
    response = member_client.post(status_url(one), {"status": "postponed"})
    assert said(response) == ["Please choose how it went."]
    one.refresh_from_db()
    assert one.status == "scheduled"


def test_status_only_answers_post(member_client, member):
    assert member_client.get(status_url(make(member, -1))).status_code == 405


def test_next_never_leaves_the_site(member_client, member):
    one = make(member, -1)
    response = member_client.post(
        status_url(one), {"status": "attended", "next": "https://example.com/"}
    )
    assert response["Location"] == LIST


# Deleting --------------------------------------------------------------------------


def delete_url(appointment: Appointment) -> str:
    return reverse("recovery:appointment-delete", args=[appointment.pk])


def test_delete_a_one_off_after_confirming(member_client, member):
    one = make(member, 5)
    html = member_client.get(delete_url(one)).content.decode()
    assert "Delete this appointment?" in html
    assert 'name="scope"' not in html
    response = member_client.post(delete_url(one))
    assert response["Location"] == LIST
    assert not Appointment.objects.exists()


def test_deleting_one_of_a_series_asks_which_ones(member_client, member):
    first = weekly(member)
    rows = list(first.series.appointments.order_by("starts_at"))
    assert 'name="scope"' in member_client.get(delete_url(rows[2])).content.decode()
    member_client.post(delete_url(rows[2]), {"scope": "this"})
    assert first.series.appointments.count() == len(rows) - 1
    member_client.post(delete_url(rows[4]), {"scope": "future"})
    assert [a.pk for a in first.series.appointments.order_by("starts_at")] == [
        rows[0].pk,
        rows[1].pk,
        rows[3].pk,
    ]
    response = member_client.post(delete_url(rows[0]), {"scope": "everything"})
    assert response.status_code == 200
    assert first.series.appointments.count() == 3
    member_client.post(delete_url(rows[0]), {"scope": "all"})
    assert not AppointmentSeries.objects.exists()


# A series --------------------------------------------------------------------------


def test_series_form_shows_its_repeat_choice(member_client, member):
    series = weekly(member).series
    url = reverse("recovery:appointment-series-edit", args=[series.pk])
    form = member_client.get(url).context["form"]
    assert (form.initial["repeat"], form.initial["rule"]) == ("weekly", "")
    AppointmentSeries.objects.filter(pk=series.pk).update(schedule="FREQ=WEEKLY;BYDAY=MO,TH")
    form = member_client.get(url).context["form"]
    assert (form.initial["repeat"], form.initial["rule"]) == ("custom", "FREQ=WEEKLY;BYDAY=MO,TH")


def test_changing_a_series_changes_future_ones_and_keeps_history(member_client, member, network):
    now = timezone.now()
    first = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=now - dt.timedelta(days=14)),
        "FREQ=WEEKLY",
        now=now,
        zone=LONDON,
    )
    series = first.series
    booked.set_status(first, "attended", now)
    url = reverse("recovery:appointment-series-edit", args=[series.pk])
    response = member_client.post(
        url,
        {
            "kind": "psychiatry",
            "title": "Dr Okafor",
            "person": network["ada"].pk,
            "group": "",
            "starts_at": local(series.starts_at),
            "duration_minutes": "30",
            "location": "Video call",
            "repeat": "fortnightly",
            "rule": "",
        },
    )
    assert response["Location"] == LIST
    series.refresh_from_db()
    assert series.schedule == "FREQ=WEEKLY;INTERVAL=2"
    first.refresh_from_db()
    assert (first.kind, first.status, first.location) == ("therapy", "attended", "")
    future = list(series.appointments.filter(starts_at__gte=now))
    assert future
    assert {(a.kind, a.location, a.person_id, a.duration_minutes) for a in future} == {
        ("psychiatry", "Video call", network["ada"].pk, 30)
    }


def test_a_bad_rule_leaves_the_series_as_it_was(member_client, member):
    series = weekly(member).series
    url = reverse("recovery:appointment-series-edit", args=[series.pk])
    data = {
        "kind": "therapy",
        "starts_at": local(series.starts_at),
        "duration_minutes": "50",
        "repeat": "custom",
        "rule": "FREQ=MINUTELY",
    }
    response = member_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["rule"]
    series.refresh_from_db()
    assert series.schedule == "FREQ=WEEKLY"


def test_stop_a_series_keeps_the_past(member_client, member):
    now = timezone.now()
    first = booked.create(
        Appointment(owner=member, kind="therapy", starts_at=now - dt.timedelta(days=6)),
        "FREQ=WEEKLY",
        now=now,
        zone=LONDON,
    )
    series = first.series
    url = reverse("recovery:appointment-series-delete", args=[series.pk])
    assert "Only the future ones" in member_client.get(url).content.decode()
    response = member_client.post(url, {"scope": "future"})
    assert "Stopped the series" in said(response)[0]
    series.refresh_from_db()
    assert series.ended_at is not None
    assert list(series.appointments.values_list("starts_at", flat=True)) == [first.starts_at]


def test_delete_a_whole_series(member_client, member):
    series = weekly(member).series
    member_client.post(
        reverse("recovery:appointment-series-delete", args=[series.pk]), {"scope": "all"}
    )
    assert not AppointmentSeries.objects.exists()
    assert not Appointment.objects.exists()


# Home ------------------------------------------------------------------------------


def test_home_asks_how_past_ones_went_and_shows_the_next_three(member_client, member, network):
    waiting = make(member, -2, title="Earlier session", person=network["ada"])
    make(member, -1, "attended", title="Already noted")
    ahead = [make(member, 24 * n, title=f"Ahead {n}") for n in (1, 2, 3, 4)]
    make(member, 12, "cancelled", title="Called off")
    html = member_client.get(reverse("network:home")).content.decode()
    assert "How did it go?" in html
    assert "Earlier session" in html
    assert f'action="{status_url(waiting)}"' in html
    for label in ("I went", "I missed it", "It was cancelled"):
        assert f">{label}<" in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert "Already noted" not in html
    assert "Called off" not in html
    assert [a.title for a in ahead[:3]] == [
        t for t in ("Ahead 1", "Ahead 2", "Ahead 3", "Ahead 4") if t in html
    ]
    assert f'href="{LIST}"' in html


def test_home_says_nothing_about_appointments_when_there_are_none(member_client, network):
    html = member_client.get(reverse("network:home")).content.decode()
    assert "How did it go?" not in html
    assert "Coming up" not in html


def test_home_points_to_more_when_many_wait(member_client, member):
    for n in range(booked.DUE_ON_HOME + 1):
        make(member, -(n + 1))
    response = member_client.get(reverse("network:home"))
    assert len(response.context["appointments"].due) == booked.DUE_ON_HOME
    assert "More to note on your appointments page" in response.content.decode()


# Strangers -------------------------------------------------------------------------


@pytest.fixture
def members_series(member: Any, network: dict[str, Any]) -> Appointment:
    return weekly(member, person=network["ada"], title="Private session", notes="Very private")


OBJECT_URLS = [
    ("recovery:appointment-edit", lambda a: a.pk),
    ("recovery:appointment-delete", lambda a: a.pk),
    ("recovery:appointment-status", lambda a: a.pk),
    ("recovery:appointment-series-edit", lambda a: a.series_id),
    ("recovery:appointment-series-delete", lambda a: a.series_id),
]


def snapshot(member: Any) -> list[tuple[Any, ...]]:
    rows = Appointment.objects.owned_by(member).order_by("pk")
    series = AppointmentSeries.objects.owned_by(member).order_by("pk")
    return [
        *(tuple(vars(a)[k] for k in ("id", "starts_at", "status", "notes", "title")) for a in rows),
        *((s.pk, s.schedule, s.ended_at, s.starts_at) for s in series),
    ]


@pytest.mark.parametrize(("name", "pk"), OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
def test_stranger_gets_404_and_changes_nothing(stranger_client, member, members_series, name, pk):
    url = reverse(name, args=[pk(members_series)])
    before = snapshot(member)
    assert stranger_client.get(url).status_code in (404, 405)
    for body in ({"status": "attended"}, {"scope": "all"}, form_data(title="Mine now")):
        assert stranger_client.post(url, body).status_code == 404
    assert snapshot(member) == before


@pytest.mark.parametrize(("name", "pk"), OBJECT_URLS, ids=[name for name, _ in OBJECT_URLS])
def test_signed_out_visitor_is_sent_to_sign_in_everywhere(client, members_series, name, pk):
    response = client.get(reverse(name, args=[pk(members_series)]))
    assert response.status_code in (302, 405)
    assert "Private session" not in response.content.decode()


def test_strangers_past_list_and_home_show_none_of_the_members(stranger_client, member, network):
    make(member, -2, title="Private session", person=network["ada"])
    for url in (reverse("recovery:appointments-past"), reverse("network:home")):
        html = stranger_client.get(url).content.decode()
        assert "Private session" not in html
        assert "Ada Okafor" not in html


def test_book_again_with_a_strangers_person_id_is_not_offered(stranger_client, network):
    response = stranger_client.get(f"{NEW}?person={network['ada'].pk}&group={network['group'].pk}")
    assert "Ada Okafor" not in response.content.decode()
    assert "Tuesday peer group" not in response.content.decode()


def test_saving_unchanged_keeps_a_time_with_seconds_and_the_series(member_client, member):
    first = weekly(member)  # saved to the second, unlike the form's minutes
    member_client.post(edit_url(first), form_data(starts_at=local(first.starts_at), notes="Hi"))
    before = first.starts_at
    first.refresh_from_db()
    assert (first.starts_at, first.notes) == (before, "Hi")
    assert first.series_id is not None
    series = first.series
    count = series.appointments.count()
    member_client.post(
        reverse("recovery:appointment-series-edit", args=[series.pk]),
        {
            "kind": "therapy",
            "starts_at": local(series.starts_at),
            "duration_minutes": "50",
            "location": "Hall",
            "repeat": "weekly",
        },
    )
    series.refresh_from_db()
    assert series.starts_at == before
    assert series.appointments.count() == count
    assert set(series.appointments.values_list("location", flat=True)) == {"Hall"}


def test_made_up_ids_in_the_address_are_ignored(member_client):
    huge = "9" * 30
    response = member_client.get(f"{NEW}?again={huge}&person={huge}&group=x&kind=dentist")
    assert response.status_code == 200
    assert response.context["form"].initial.get("kind") is None
