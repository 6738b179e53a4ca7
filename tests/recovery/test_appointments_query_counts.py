"""The appointment pages cost the same number of queries with 5 appointments or 120: no N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeknit.network.models import Group, Person
from closeknit.recovery import appointments as booked
from closeknit.recovery.models import Appointment

SMALL, LARGE = 5, 120
STATUSES = ["scheduled", "attended", "missed", "cancelled"]
# Each page's own queries, on top of what every signed-in page costs (the session, the
# user, anything the shared header asks), measured on the "Get help now" page.
OWN_QUERIES = {
    "upcoming": 4,  # top-up check, attendance rows, to note, upcoming with people and groups
    "past": 3,  # top-up check, count, page with people and groups
    "new": 2,  # people and groups to choose from
    "edit": 3,  # the appointment, people and groups to choose from
    "series": 4,  # the series, people, groups, its next ones
}


def build(owner: Any, size: int) -> dict[str, Any]:
    """`size` one-off appointments, half past and half ahead, with people and groups; one series."""
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(owner=owner, name=f"Person {n:03}", roles=["therapist" if n % 2 else "friend"])
        for n in range(size)
    )
    group = Group.objects.create(owner=owner, name="Tuesday group")
    rows = Appointment.objects.bulk_create(
        Appointment(
            owner=owner,
            kind="therapy",
            person=people[n],
            group=group if n % 3 == 0 else None,
            starts_at=now + dt.timedelta(hours=(n - size // 2) * 13),
            status=STATUSES[n % 4] if n < size // 2 else "scheduled",
            notes=f"Note {n}",
        )
        for n in range(size)
    )
    first = booked.create(
        Appointment(owner=owner, kind="support_group", group=group, starts_at=now),
        "FREQ=WEEKLY",
        now=now,
        zone=ZoneInfo("Europe/London"),
    )
    return {"appointment": rows[0], "series": first.series}


PAGES = {
    "upcoming": lambda built: reverse("recovery:appointments"),
    "past": lambda built: reverse("recovery:appointments-past"),
    "new": lambda built: reverse("recovery:appointment-new"),
    "edit": lambda built: reverse("recovery:appointment-edit", args=[built["appointment"].pk]),
    "series": lambda built: reverse("recovery:appointment-series-edit", args=[built["series"].pk]),
}


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def every_page(client: Any) -> int:
    """What any signed-in page costs before its own queries."""
    return count_queries(client, reverse("recovery:get-help"))


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_stays_within_its_query_budget(
    page: str, size: int, member: Any, member_client: Any, django_assert_max_num_queries: Any
) -> None:
    built = build(member, size)
    budget = every_page(member_client) + OWN_QUERIES[page]
    with django_assert_max_num_queries(budget):
        response = member_client.get(PAGES[page](built))
    assert response.status_code == 200


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_appointments(
    page: str, make_user: Any, client: Any
) -> None:
    counts = []
    for size in (SMALL, LARGE):
        owner = make_user(f"size{size}@example.org")
        built = build(owner, size)
        client.force_login(owner)
        counts.append(count_queries(client, PAGES[page](built)))
    assert counts[0] == counts[1], counts


def test_home_query_count_does_not_grow_with_appointments(make_user: Any, client: Any) -> None:
    counts = []
    for size in (SMALL, LARGE):
        owner = make_user(f"home{size}@example.org")
        build(owner, size)
        client.force_login(owner)
        counts.append(count_queries(client, reverse("network:home")))
    assert counts[0] == counts[1], counts


def test_a_top_up_on_the_way_adds_one_write(make_user: Any, client: Any) -> None:
    owner = make_user("topup@example.org")
    built = build(owner, SMALL)
    url = reverse("recovery:appointments")
    client.force_login(owner)
    settled = count_queries(client, url)
    built["series"].appointments.filter(
        starts_at__gt=timezone.now() + dt.timedelta(days=30)
    ).delete()
    assert count_queries(client, url) == settled + 1
    assert count_queries(client, url) == settled
