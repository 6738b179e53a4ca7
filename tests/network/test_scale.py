"""Pages ask the database the same number of questions for 40 people as for 1,000."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from closeknit.demo.generate import create_demo_member
from closeknit.network.models import Group, Person


def page_queries(member) -> dict[str, int]:
    client = Client()
    client.force_login(member)
    busiest = Person.objects.owned_by(member).annotate(n=Count("interactions")).order_by("-n")[0]
    group = Group.objects.owned_by(member).annotate(n=Count("members")).order_by("-n")[0]
    counts = {}
    for label, path in {
        "home": "/",
        "people list": "/people/",
        "people list, filtered": "/people/?circle=inner&role=friend",
        "person page": f"/people/{busiest.pk}/",
        "contact log": "/contact/",
        "group page": f"/groups/{group.pk}/",
        "reach-out list": "/reach-out/",
        "insights, network": "/insights/",
        "insights, wellbeing": "/insights/wellbeing/",
    }.items():
        with CaptureQueriesContext(connection) as context:
            assert client.get(path).status_code == 200, path
        counts[label] = len(context.captured_queries)
    return counts


@pytest.mark.slow
@pytest.mark.django_db
def test_page_queries_are_the_same_for_the_small_and_the_heavy_demo_member():
    small = page_queries(create_demo_member("small@example.org", scale="small"))
    heavy = page_queries(create_demo_member("heavy@example.org", scale="heavy"))
    assert heavy == small
