"""The calendar feed from the member's data, and the page that makes, replaces and stops it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.network.models import Group, Interaction, Person
from closeknit.recovery import appointments as booked
from closeknit.recovery.models import Appointment
from closeknit.rhythms.models import CalendarFeed, Occasion, ReachOutPause
from closeknit.wellbeing.models import QuestionnaireSchedule
from closeknit.wellbeing.store import record_assessment
from tests.accounts.html import Page, assert_one_h1

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)  # Wednesday 18 March, 10:30 in London
TODAY = dt.date(2026, 3, 18)
SECRET_NOTE = "Talked about the divorce"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def data(member: Any) -> dict[str, Any]:
    """A member with something of every kind the feed shows, and some things it must not."""
    sam = Person.objects.create(
        owner=member,
        name="Sam Rivera",
        nickname="Sam",
        rhythm_days=14,
        birthday=dt.date(1996, 3, 20),
        notes="Private notes about Sam",
    )
    ada = Person.objects.create(owner=member, name="Ada Okafor", rhythm_days=30)  # never in touch
    lee = Person.objects.create(owner=member, name="Lee Chen", rhythm_days=7)
    kai = Person.objects.create(owner=member, name="Kai Moss", rhythm_days=10)
    Person.objects.create(
        owner=member,
        name="Old Friend",
        rhythm_days=7,
        archived_at=NOW,
        birthday=dt.date(1990, 4, 1),
    )
    noor = Person.objects.create(owner=member, name="Noor Haddad", roles=["therapist"])
    group = Group.objects.create(owner=member, name="Tuesday group")
    call = Interaction.objects.create(owner=member, occurred_at=local(dt.date(2026, 3, 10), 20))
    call.people.add(sam)
    old = Interaction.objects.create(owner=member, occurred_at=local(dt.date(2026, 1, 2), 12))
    old.people.add(lee)
    recent = Interaction.objects.create(owner=member, occurred_at=local(dt.date(2026, 3, 17), 9))
    recent.people.add(kai)
    ReachOutPause.objects.create(
        owner=member, person=kai, kind="snooze", until=dt.date(2026, 4, 30)
    )
    recovery = Occasion.objects.create(
        owner=member, kind="recovery", title="My recovery", day=dt.date(2026, 1, 10)
    )
    once = Occasion.objects.create(
        owner=member,
        kind="custom",
        title="Housewarming",
        day=dt.date(2026, 5, 2),
        repeats_yearly=False,
    )
    one_off = Appointment.objects.create(
        owner=member,
        kind="psychiatry",
        person=noor,
        starts_at=local(dt.date(2026, 3, 25), 11),
        duration_minutes=30,
        location="Clinic, room 4",
        notes=SECRET_NOTE,
    )
    cancelled = Appointment.objects.create(
        owner=member,
        kind="other",
        title="Cancelled thing",
        status="cancelled",
        starts_at=local(dt.date(2026, 3, 26), 9),
    )
    long_ago = Appointment.objects.create(
        owner=member, kind="other", title="Long ago", starts_at=local(dt.date(2026, 1, 5), 9)
    )
    weekly = booked.create(
        Appointment(
            owner=member,
            kind="therapy",
            person=noor,
            group=None,
            starts_at=local(dt.date(2026, 3, 12), 18),
            duration_minutes=50,
            notes=SECRET_NOTE,
        ),
        "FREQ=WEEKLY",
        now=NOW,
        zone=LONDON,
    )
    QuestionnaireSchedule.objects.create(owner=member, instrument="phq9", every_days=14)
    record_assessment(member, "phq9", [1] * 9, taken_at=local(dt.date(2026, 3, 10), 9))
    return {
        "sam": sam,
        "ada": ada,
        "lee": lee,
        "kai": kai,
        "group": group,
        "recovery": recovery,
        "once": once,
        "one_off": one_off,
        "cancelled": cancelled,
        "long_ago": long_ago,
        "weekly": weekly,
    }


@pytest.fixture
def feed(member: Any) -> CalendarFeed:
    return CalendarFeed.issue(member)


def fetch(feed: CalendarFeed, client: Client | None = None) -> Any:
    return (client or Client()).get(feed.get_absolute_url())


def events_of(response: Any) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def by_summary(events: dict[str, icalendar.Event]) -> dict[str, list[icalendar.Event]]:
    found: dict[str, list[icalendar.Event]] = {}
    for event in events.values():
        found.setdefault(str(event["SUMMARY"]), []).append(event)
    return found


# The feed --------------------------------------------------------------------------------------


def test_the_feed_is_icalendar_for_anyone_with_the_address(data, feed):
    response = fetch(feed)  # no sign-in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private"
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["X-WR-CALNAME"] == "Closeknit"
    assert cal["X-WR-TIMEZONE"] == "Europe/London"
    assert [zone["TZID"] for zone in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_occasions_for_the_next_twelve_months(data, feed, settings):
    settings.BASE_URL = "https://closeknit.example"
    events = events_of(fetch(feed))
    titles = by_summary(events)
    birthday = titles["Sam's birthday"]
    assert [e.decoded("DTSTART") for e in birthday] == [dt.date(2026, 3, 20)]
    assert birthday[0]["DESCRIPTION"].startswith("Sam turns 30.")
    assert birthday[0]["UID"] == f"birthday-{data['sam'].pk}-2026@closeknit.example"
    assert birthday[0]["URL"] == "https://closeknit.example/occasions/"
    recovery = [e for e in events.values() if "since you started your recovery" in e["SUMMARY"]]
    assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in recovery] == [
        (dt.date(2026, 4, 10), "90 days since you started your recovery"),
        (dt.date(2026, 7, 10), "6 months since you started your recovery"),
        (dt.date(2027, 1, 10), "1 year since you started your recovery"),
    ]
    assert [e.decoded("DTSTART") for e in titles["Housewarming"]] == [dt.date(2026, 5, 2)]
    # Archived people's birthdays stay out; the next birthday after a year is not in either.
    assert "Old Friend's birthday" not in titles
    all_day = [
        e
        for e in events.values()
        if isinstance(e.decoded("DTSTART"), dt.date)
        and not isinstance(e.decoded("DTSTART"), dt.datetime)
    ]
    assert all(TODAY <= e.decoded("DTSTART") <= dt.date(2027, 3, 17) for e in all_day)


def test_appointments_from_a_month_back_to_a_year_ahead_except_cancelled(data, feed):
    titles = by_summary(events_of(fetch(feed)))
    [psychiatry] = titles["Psychiatry with Noor Haddad"]
    assert psychiatry.decoded("DTSTART") == local(dt.date(2026, 3, 25), 11)
    assert psychiatry.decoded("DTEND") - psychiatry.decoded("DTSTART") == dt.timedelta(minutes=30)
    assert psychiatry["LOCATION"] == "Clinic, room 4"
    assert "Cancelled thing" not in titles
    assert "Long ago" not in titles  # more than 30 days back
    weekly = titles["Therapy with Noor Haddad"]
    starts = sorted(e.decoded("DTSTART") for e in weekly)
    # From 12 March (in the last 30 days) every week for a year, written out or not yet.
    assert starts[0] == local(dt.date(2026, 3, 12), 18)
    assert starts[-1] <= NOW + dt.timedelta(days=365)
    assert len(starts) == 53
    assert all(start.astimezone(LONDON).time() == dt.time(18) for start in starts)


def test_a_weekly_appointment_keeps_its_local_time_across_the_clock_change(data, feed):
    weekly = by_summary(events_of(fetch(feed)))["Therapy with Noor Haddad"]
    around = {e.decoded("DTSTART").date(): e for e in weekly}
    before, after = around[dt.date(2026, 3, 26)], around[dt.date(2026, 4, 2)]
    for event in (before, after):
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and start.astimezone(LONDON).hour == 18
    assert before.decoded("DTSTART").astimezone(dt.UTC).hour == 18  # GMT
    assert after.decoded("DTSTART").astimezone(dt.UTC).hour == 17  # BST
    body = fetch(feed).content
    assert b"DTSTART;TZID=Europe/London:20260402T180000\r\n" in body


def test_planned_check_ins_come_when_each_rhythm_comes_round(data, feed):
    titles = by_summary(events_of(fetch(feed)))
    day = {
        name: titles[f"Be in touch with {name}"][0].decoded("DTSTART")
        for name in ("Sam", "Ada Okafor", "Lee Chen", "Kai Moss")
    }
    assert day == {
        "Sam": dt.date(2026, 3, 24),  # last in touch 10 March, every 14 days
        "Ada Okafor": TODAY,  # never in touch yet
        "Lee Chen": TODAY,  # it came round a while ago: today, never in the past
        "Kai Moss": dt.date(2026, 4, 30),  # snoozed until then
    }
    assert "Be in touch with Old Friend" not in titles
    sam = titles["Be in touch with Sam"][0]
    assert sam["UID"].startswith(f"keep-in-touch-{data['sam'].pk}@")
    assert sam["DESCRIPTION"] == (
        "You hoped to be in touch with Sam every 14 days. A message, a call or a coffee all count."
    )


def test_a_scheduled_questionnaire_on_its_next_due_day(data, feed):
    [phq9] = [e for e in events_of(fetch(feed)).values() if e["UID"].startswith("questionnaire-")]
    assert phq9.decoded("DTSTART") == dt.date(2026, 3, 24)
    assert "PHQ-9" in phq9["SUMMARY"]


def test_logging_contact_moves_the_planned_check_in(data, feed):
    uid = f"keep-in-touch-{data['sam'].pk}@"
    before = [e for u, e in events_of(fetch(feed)).items() if u.startswith(uid)]
    call = Interaction.objects.create(owner=data["sam"].owner, occurred_at=NOW)
    call.people.add(data["sam"])
    after = [e for u, e in events_of(fetch(feed)).items() if u.startswith(uid)]
    assert before[0]["UID"] == after[0]["UID"]
    assert after[0].decoded("DTSTART") == TODAY + dt.timedelta(days=14)


def test_two_fetches_give_the_same_uids(data, feed):
    first, second = events_of(fetch(feed)), events_of(fetch(feed))
    assert set(first) == set(second)
    assert len(first) > 60
    assert all("@" in uid for uid in first)


def test_uids_stay_the_same_when_repeating_appointments_are_written_out(data, feed):
    before = set(events_of(fetch(feed)))
    series = data["weekly"].series
    written = booked.materialise(
        series, NOW + dt.timedelta(days=365), since=NOW, now=NOW, zone=LONDON
    )
    assert written > 10
    assert set(events_of(fetch(feed))) == before


def test_no_notes_leak_into_the_feed(data, feed):
    body = fetch(feed).content.decode()
    assert SECRET_NOTE not in body
    assert "Private notes about Sam" not in body


def test_an_unknown_or_revoked_address_is_not_found(data, feed):
    assert Client().get(reverse("rhythms:calendar-feed", args=["not-a-secret"])).status_code == 404
    url = feed.get_absolute_url()
    feed.delete()
    assert Client().get(url).status_code == 404


def test_a_closed_account_has_no_feed(member, data, feed):
    member.is_active = False
    member.save()
    assert fetch(feed).status_code == 404


def test_the_feed_answers_only_reads(feed):
    assert Client().post(feed.get_absolute_url()).status_code == 405


def test_a_strangers_feed_never_shows_the_members_days(data, feed, stranger):
    theirs = CalendarFeed.issue(stranger)
    body = fetch(theirs).content.decode()
    for secret in ("Sam", "Noor", "Housewarming", "recovery", "PHQ-9", "Clinic"):
        assert secret not in body
    assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []


def test_a_fetch_is_noted_at_most_once_an_hour(data, feed):
    fetch(feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(minutes=30), tick=False):
        fetch(feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW
    with time_machine.travel(NOW + dt.timedelta(minutes=61), tick=False):
        fetch(feed)
    feed.refresh_from_db()
    assert feed.last_used_at == NOW + dt.timedelta(minutes=61)


def count_queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return len(queries)


def build(owner: Any, size: int) -> CalendarFeed:
    people = Person.objects.bulk_create(
        Person(
            owner=owner, name=f"P{n:03}", rhythm_days=7 + n, birthday=dt.date(1990, 4, 1 + n % 28)
        )
        for n in range(size)
    )
    for n, person in enumerate(people):
        contact = Interaction.objects.create(owner=owner, occurred_at=NOW - dt.timedelta(days=n))
        contact.people.add(person)
        ReachOutPause.objects.create(owner=owner, person=person, kind="snooze", until=TODAY)
    Occasion.objects.bulk_create(
        Occasion(owner=owner, kind="recovery", title=f"R{n}", day=dt.date(2025, 1, 1 + n % 28))
        for n in range(size)
    )
    Appointment.objects.bulk_create(
        Appointment(
            owner=owner, kind="therapy", person=people[n], starts_at=NOW + dt.timedelta(days=n)
        )
        for n in range(size)
    )
    for n in range(size // 3 + 1):
        booked.create(
            Appointment(owner=owner, kind="therapy", person=people[n], starts_at=NOW),
            "FREQ=WEEKLY",
            now=NOW,
            zone=LONDON,
        )
    for code in ("phq9", "gad7")[: 1 + size % 2]:
        QuestionnaireSchedule.objects.create(owner=owner, instrument=code, every_days=14)
    return CalendarFeed.issue(owner)


def test_the_feed_costs_the_same_queries_for_a_small_and_a_large_network(make_user):
    counts = []
    for size in (3, 45):
        owner = make_user(f"size{size}@example.org")
        feed = build(owner, size)
        count_queries(feed.get_absolute_url())  # the first fetch notes its use: one write more
        counts.append(count_queries(feed.get_absolute_url()))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 12


# The page ---------------------------------------------------------------------------------------


def test_the_page_offers_to_make_an_address(member_client, member):
    response = member_client.get(reverse("rhythms:calendar"))
    page = Page(response.content)
    assert_one_h1(page)
    assert "Make my calendar address" in response.content.decode()
    assert "Your notes never go into it." in response.content.decode()
    response = member_client.post(reverse("rhythms:calendar"))
    assert response["Location"] == reverse("rhythms:calendar")
    assert CalendarFeed.objects.owned_by(member).count() == 1


def test_the_page_shows_the_address_again_to_copy(member_client, member, feed):
    response = member_client.get(reverse("rhythms:calendar"))
    page = Page(response.content)
    address = page.by_id("calendar-address")
    assert address.get("value") == f"http://testserver/calendar/{feed.secret}.ics"
    assert page.label_for(address).text == "Copy this address into your calendar app"
    assert f'href="webcal://testserver/calendar/{feed.secret}.ics"' in response.content.decode()
    assert "Google Calendar" in response.content.decode()
    # Making one again keeps the address the member already has.
    member_client.post(reverse("rhythms:calendar"))
    assert list(CalendarFeed.objects.owned_by(member)) == [feed]


def test_replacing_the_address_asks_first_and_stops_the_old_one(member_client, member, feed):
    url = reverse("rhythms:calendar-replace")
    assert "stops working at once" in member_client.get(url).content.decode()
    assert fetch(feed).status_code == 200
    response = member_client.post(url)
    assert response["Location"] == reverse("rhythms:calendar")
    [new] = CalendarFeed.objects.owned_by(member)
    assert new.secret != feed.secret
    assert fetch(feed).status_code == 404
    assert fetch(new).status_code == 200


def test_stopping_the_address_asks_first_and_it_answers_404(member_client, member, feed):
    url = reverse("rhythms:calendar-revoke")
    response = member_client.get(url)
    assert "Stop your calendar address?" in response.content.decode()
    assert fetch(feed).status_code == 200
    member_client.post(url)
    assert not CalendarFeed.objects.owned_by(member).exists()
    assert fetch(feed).status_code == 404
    assert (
        "Make my calendar address"
        in member_client.get(reverse("rhythms:calendar")).content.decode()
    )


def test_replacing_or_stopping_without_an_address_goes_back_to_the_page(member_client):
    for name in ("rhythms:calendar-replace", "rhythms:calendar-revoke"):
        response = member_client.post(reverse(name))
        assert response["Location"] == reverse("rhythms:calendar")
    assert not CalendarFeed.objects.exists()


def test_a_stranger_cant_stop_the_members_address(stranger_client, feed):
    stranger_client.post(reverse("rhythms:calendar-revoke"))
    stranger_client.post(reverse("rhythms:calendar-replace"))
    assert CalendarFeed.objects.filter(pk=feed.pk).exists()
    body = stranger_client.get(reverse("rhythms:calendar")).content.decode()
    assert feed.secret not in body
