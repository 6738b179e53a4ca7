"""Every list and page costs the same number of queries with 5 rows or 120: no N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from closeknit.network.models import Group, Interaction, Person

SMALL, LARGE = 5, 120
# The same ceiling for both sizes: the session, the user and whether a safety plan
# exists for the header link (3), then the page's own.
MAX_QUERIES = {
    "home": 22,  # any people?, recent contact + their people, people and groups to log with,
    # appointments: series top-up, waiting to be noted, next three; today's check-in,
    # questionnaire schedules and (when any) the day each was last answered; the reach-out
    # list: people, last contact per person, pauses, recent stress, support since thanks,
    # and the two weeks' birthdays and occasions (which the week's occasions reuse); the
    # newest notes of encouragement; the people one supports (and, only then, their requests)
    "people": 6,  # count, page, last contact of the people on the page
    "person": 10,  # person, history count + page + people, groups, people and groups to log with
    "groups": 5,  # count, page with member count and last contact
    "group": 8,  # group, members, history count + page + people
    "contact log": 8,  # people and groups to filter by, count, page, their people
}


def build_network(owner: Any, size: int) -> dict[str, Any]:
    """`size` people, all in one group, each with one contact alone and one together."""
    people = Person.objects.bulk_create(
        Person(
            owner=owner,
            name=f"Person {n:03}",
            roles=["friend", "peer"],
            support_types=["emotional"],
            circle=["inner", "middle", "outer"][n % 3],
            notes=f"Notes {n}",
        )
        for n in range(size)
    )
    group = Group.objects.create(owner=owner, name="Circle of friends", schedule="FREQ=WEEKLY")
    group.members.add(*people)
    start = timezone.now() - dt.timedelta(days=size)
    contacts = Interaction.objects.bulk_create(
        Interaction(
            owner=owner,
            occurred_at=start + dt.timedelta(hours=n),
            support_types=["emotional"],
            feeling=(n % 5) + 1,
            note=f"Note {n}",
            group=group if n % 2 else None,
        )
        for n in range(size * 2)
    )
    links = Interaction.people.through
    links.objects.bulk_create(
        [links(interaction=contact, person=people[n // 2]) for n, contact in enumerate(contacts)]
        + [links(interaction=contacts[1], person=person) for person in people[1:]]
    )
    return {"person": people[0], "group": group}


PAGES = {
    "home": lambda built: "/",
    "people": lambda built: "/people/?q=person&role=friend",
    "person": lambda built: f"/people/{built['person'].pk}/",
    "groups": lambda built: "/groups/",
    "group": lambda built: f"/groups/{built['group'].pk}/",
    "contact log": lambda built: "/contact/",
}


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_stays_within_its_query_budget(
    page: str, size: int, member: Any, member_client: Any, django_assert_max_num_queries: Any
) -> None:
    built = build_network(member, size)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = member_client.get(PAGES[page](built))
    assert response.status_code == 200


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_does_not_grow_with_the_network(page: str, make_user: Any, client: Any) -> None:
    counts = []
    for size in (SMALL, LARGE):
        owner = make_user(f"size{size}@example.org")
        built = build_network(owner, size)
        client.force_login(owner)
        counts.append(count_queries(client, PAGES[page](built)))
    assert counts[0] == counts[1], counts
