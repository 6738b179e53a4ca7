"""/api/v1/access-log: the member's access log, read through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.circle import grants
from closeknit.circle.models import OVERVIEW, AccessEntry
from closeknit.circle.vocab import Scope, Via
from tests.api.conftest import error_fields, queries_for
from tests.circle import conftest as circle

# The circle's fixtures, shared with this folder.
supporter, make_link, link = circle.supporter, circle.make_link, circle.link

LOG = "/api/v1/access-log"


def test_newest_first_with_who_what_and_how(api, member, link):
    grants.set_scopes(link, [Scope.GOALS])
    AccessEntry.objects.update(at=dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC))
    looked = grants.record_view(link, Scope.GOALS, Via.API)
    AccessEntry.objects.filter(pk=looked.pk).update(at=dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC))
    body = api.get(LOG).json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": looked.pk,
            "at": "2025-06-01T10:00:00+00:00",
            "supporter": link.pk,
            "supporter_name": "Sam",
            "action": "viewed",
            "part": "goals",
            "via": "api",
        },
        {
            "id": body["items"][1]["id"],
            "at": "2025-06-01T09:00:00+00:00",
            "supporter": link.pk,
            "supporter_name": "Sam",
            "action": "granted",
            "part": "goals",
            "via": "web",
        },
    ]


def test_one_supporters_lines(api, member, make_link, make_user, link):
    lee = make_link(member, make_user("lee@example.org", display_name="Lee"))
    grants.record_view(link, OVERVIEW)
    grants.record_view(lee, OVERVIEW)
    body = api.get(f"{LOG}?supporter={lee.pk}").json()
    assert [item["supporter_name"] for item in body["items"]] == ["Lee"]
    assert error_fields(api.get(f"{LOG}?supporter=lee")) == ["supporter"]


@pytest.mark.usefixtures("member")
def test_a_stranger_sees_only_their_own_empty_log(stranger_api, link):
    grants.record_view(link, OVERVIEW)
    assert stranger_api.get(LOG).json() == {"items": [], "count": 0}
    assert stranger_api.get(f"{LOG}?supporter={link.pk}").json() == {"items": [], "count": 0}


def test_without_a_token_401(anonymous_api):
    assert anonymous_api.get(LOG).status_code == 401


def test_costs_the_same_for_2_or_30_lines(api, link):
    api.get(LOG)  # the token's first use is recorded once; not counted below
    counts = []
    for size in (2, 30):
        AccessEntry.objects.all().delete()
        for _ in range(size):
            grants.record_view(link, OVERVIEW)
        counts.append(queries_for(api, LOG))
    assert counts[0] == counts[1], counts
