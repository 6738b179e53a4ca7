"""Lists cost the same few queries whatever the page holds (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.models import Group, Interaction, Person


def _grow(member, network, size: int) -> None:
    people = Person.objects.bulk_create(
        Person(owner=member, name=f"Person {n}", roles=["friend"]) for n in range(size)
    )
    for n in range(size):
        group = Group.objects.create(owner=member, name=f"Group {n}")
        group.members.add(*people[n : n + 3])
        interaction = Interaction.objects.create(owner=member, group=group)
        interaction.people.add(*people[n : n + 2])


def _queries(api, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


# Token, count, page, and one prefetch of linked ids for the whole page.
@pytest.mark.parametrize(
    ("path", "most"),
    [("/api/v1/people", 3), ("/api/v1/groups", 4), ("/api/v1/interactions", 4)],
)
def test_list_queries_do_not_grow_with_the_page(api, member, network, path, most, settings):
    api.get(path)  # the first use of a token is recorded once; leave that out
    small = _queries(api, f"{path}?limit=500")
    _grow(member, network, 60)
    large = _queries(api, f"{path}?limit=500")
    assert len(api.get(f"{path}?limit=500").json()["items"]) > 60
    assert small == large <= most


@pytest.mark.parametrize(
    "path", ["/api/v1/people/{sam}", "/api/v1/groups/{group}", "/api/v1/interactions/{call}"]
)
def test_one_object_takes_at_most_three_queries(api, network, path, django_assert_max_num_queries):
    target = path.format(sam=network["sam"].pk, group=network["group"].pk, call=network["call"].pk)
    api.get(target)
    with django_assert_max_num_queries(3):
        assert api.get(target).status_code == 200
