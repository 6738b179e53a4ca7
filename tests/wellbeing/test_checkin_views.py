"""The daily check-in pages: one per local day, past days, the month calendar, deleting."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from closeknit.wellbeing.models import CheckIn

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def london(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_checkin_page_offers_every_part(member_client):
    response = member_client.get(reverse("wellbeing:checkin"))
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Mood", "Stress", "Hours slept", "Self-care today", "Felt connected", "A note"):
        assert label in body
    assert body.count('name="mood"') == 11


def test_saving_a_checkin_stores_it_for_today_and_goes_home(member_client, member):
    with time_machine.travel(london("2026-07-01T09:00"), tick=False):
        response = member_client.post(
            reverse("wellbeing:checkin"),
            {
                "mood": "7",
                "stress": "3",
                "sleep_hours": "7.5",
                "self_care": ["movement", "rest"],
                "connected": "6",
                "note": "Walked by the river.",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("network:home")
    entry = CheckIn.objects.get(owner=member)
    assert entry.day == dt.date(2026, 7, 1)
    assert (entry.mood, entry.stress, entry.connected) == (7, 3, 6)
    assert float(entry.sleep_hours) == 7.5
    assert entry.self_care == ["movement", "rest"]
    assert entry.note == "Walked by the river."


def test_a_checkin_at_half_past_eleven_local_belongs_to_that_local_day(member_client, member):
    # 23:30 in London in summer is 22:30 UTC the same day; in winter 23:30 UTC.
    with time_machine.travel(london("2026-07-01T23:30"), tick=False):
        member_client.post(reverse("wellbeing:checkin"), {"mood": "5"})
    with time_machine.travel(london("2026-12-01T23:30"), tick=False):
        member_client.post(reverse("wellbeing:checkin"), {"mood": "4"})
    assert sorted(CheckIn.objects.filter(owner=member).values_list("day", "mood")) == [
        (dt.date(2026, 7, 1), 5),
        (dt.date(2026, 12, 1), 4),
    ]


def test_just_after_midnight_local_is_the_new_day_though_utc_is_still_yesterday(
    member_client, member
):
    with time_machine.travel(london("2026-07-02T00:30"), tick=False):  # 23:30 UTC on the 1st
        member_client.post(reverse("wellbeing:checkin"), {"mood": "5"})
    assert CheckIn.objects.get(owner=member).day == dt.date(2026, 7, 2)


def test_a_member_far_east_gets_their_own_day(client, make_user):
    auckland = make_user("kiri@example.org", time_zone="Pacific/Auckland", country="NZ")
    client.force_login(auckland)
    with time_machine.travel(dt.datetime(2026, 7, 1, 13, 0, tzinfo=dt.UTC), tick=False):
        client.post(reverse("wellbeing:checkin"), {"stress": "2"})  # 01:00 on the 2nd there
    assert CheckIn.objects.get(owner=auckland).day == dt.date(2026, 7, 2)


def test_a_second_checkin_the_same_day_edits_the_first(member_client, member):
    with time_machine.travel(london("2026-07-01T08:00"), tick=False):
        member_client.post(reverse("wellbeing:checkin"), {"mood": "4", "note": "Slow start."})
    with time_machine.travel(london("2026-07-01T21:00"), tick=False):
        page = member_client.get(reverse("wellbeing:checkin")).content.decode()
        assert "already" in page and "Slow start." in page
        member_client.post(reverse("wellbeing:checkin"), {"mood": "6", "stress": "2"})
    entry = CheckIn.objects.get(owner=member)
    assert (entry.mood, entry.stress, entry.note) == (6, 2, "")


def test_an_empty_checkin_is_refused_kindly_and_saves_nothing(member_client, member):
    response = member_client.post(reverse("wellbeing:checkin"), {"note": "   "})
    assert response.status_code == 200
    assert "even just your mood" in response.content.decode()
    assert not CheckIn.objects.filter(owner=member).exists()


def test_mood_zero_is_an_answer_not_an_empty_checkin(member_client, member):
    member_client.post(reverse("wellbeing:checkin"), {"mood": "0"})
    assert CheckIn.objects.get(owner=member).mood == 0


@pytest.mark.parametrize(
    "data",
    [
        {"mood": "11"},
        {"stress": "-1"},
        {"sleep_hours": "25"},
        {"self_care": ["nap"]},
        {"mood": "x"},
    ],
)
def test_out_of_range_values_are_refused_and_nothing_changes(member_client, member, data):
    response = member_client.post(reverse("wellbeing:checkin"), data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not CheckIn.objects.filter(owner=member).exists()


def test_a_past_day_can_be_filled_in_and_leads_back_to_its_month(member_client, member):
    with time_machine.travel(london("2026-07-10T12:00"), tick=False):
        url = reverse("wellbeing:checkin-day", args=["2026-06-28"])
        assert "Sunday 28 June" in member_client.get(url).content.decode()
        response = member_client.post(url, {"stress": "8"})
    assert response["Location"] == reverse("wellbeing:checkins") + "?month=2026-06"
    assert CheckIn.objects.get(owner=member).day == dt.date(2026, 6, 28)


def test_a_day_still_ahead_cannot_be_checked_in(member_client, member):
    with time_machine.travel(london("2026-07-10T12:00"), tick=False):
        url = reverse("wellbeing:checkin-day", args=["2026-07-11"])
        page = member_client.get(url).content.decode()
        assert "still ahead" in page
        member_client.post(url, {"mood": "5"})
    assert not CheckIn.objects.filter(owner=member).exists()


def test_a_malformed_day_is_not_found(member_client):
    assert member_client.get("/checkin/2026-13-01/").status_code == 404
    assert member_client.get("/checkin/yesterday/").status_code == 404


def test_the_calendar_shows_the_month_with_each_days_mood(member_client, member):
    CheckIn.objects.create(owner=member, day=dt.date(2026, 6, 3), mood=8, stress=2)
    CheckIn.objects.create(owner=member, day=dt.date(2026, 6, 20), stress=6)
    CheckIn.objects.create(owner=member, day=dt.date(2026, 5, 31), mood=1)
    with time_machine.travel(london("2026-07-10T12:00"), tick=False):
        page = member_client.get(reverse("wellbeing:checkins") + "?month=2026-06")
    body = page.content.decode()
    assert "Check-ins in June 2026" in body
    assert "Wednesday 3 June: mood 8" in body
    assert "Saturday 20 June: checked in" in body
    assert "Monday 1 June: no check-in" in body
    assert "31 May" not in body  # May's check-in belongs to May's page
    assert "?month=2026-07" in body and "?month=2026-05" in body


def test_the_calendar_never_offers_a_month_still_ahead(member_client):
    with time_machine.travel(london("2026-07-10T12:00"), tick=False):
        body = member_client.get(reverse("wellbeing:checkins")).content.decode()
    assert "July 2026" in body
    assert "?month=2026-08" not in body
    assert "no check-in" in body and "Saturday 11 July" not in body


def test_the_calendar_reads_a_bad_month_as_this_month(member_client):
    with time_machine.travel(london("2026-07-10T12:00"), tick=False):
        body = member_client.get(reverse("wellbeing:checkins") + "?month=soon").content.decode()
    assert "Check-ins in July 2026" in body


def test_the_calendar_page_costs_the_same_queries_for_a_full_month(
    member_client, member, django_assert_max_num_queries
):
    with time_machine.travel(london("2026-07-31T12:00"), tick=False):
        with django_assert_max_num_queries(8):
            member_client.get(reverse("wellbeing:checkins"))
        CheckIn.objects.bulk_create(
            CheckIn(owner=member, day=dt.date(2026, 7, d), mood=d % 11) for d in range(1, 32)
        )
        with django_assert_max_num_queries(8):
            member_client.get(reverse("wellbeing:checkins"))


def test_deleting_a_checkin_asks_first(member_client, member):
    CheckIn.objects.create(owner=member, day=dt.date(2026, 6, 3), mood=8, note="Private.")
    url = reverse("wellbeing:checkin-delete", args=["2026-06-03"])
    assert "can't be undone" in member_client.get(url).content.decode()
    assert CheckIn.objects.filter(owner=member).exists()
    response = member_client.post(url)
    assert response["Location"] == reverse("wellbeing:checkins") + "?month=2026-06"
    assert not CheckIn.objects.filter(owner=member).exists()


def test_home_invites_a_checkin_then_thanks_for_it(member_client, member):
    body = member_client.get(reverse("network:home")).content.decode()
    assert "How are you today?" in body and reverse("wellbeing:checkin") in body
    member_client.post(reverse("wellbeing:checkin"), {"mood": "6", "stress": "4"})
    body = member_client.get(reverse("network:home")).content.decode()
    assert "You checked in today: mood 6, stress 4" in body
