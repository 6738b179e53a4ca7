"""The access log: every look a supporter took at shared data, and each change of consent,
for the member to read (newest first, in their own time)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.circle import grants
from closeknit.circle.models import OVERVIEW, AccessEntry
from closeknit.circle.vocab import EndedBy, Scope, Via

pytestmark = pytest.mark.django_db

LOG = "circle:access-log"


def body(response: Any) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def rows(page: str) -> list[str]:
    """The table's rows, as plain text with single spaces."""
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    out = []
    for row in table.split("<tr>")[1:]:
        words = []
        inside = False
        for char in row:
            if char == "<":
                inside, words = True, [*words, " "]
            elif char == ">":
                inside = False
            elif not inside:
                words.append(char)
        out.append(" ".join("".join(words).split()))
    return out


def seen(link: Any, part: str, at: dt.datetime, via: str = Via.WEB) -> AccessEntry:
    entry = grants.record_view(link, part, via)
    AccessEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


def test_each_look_and_change_newest_first_in_the_members_own_time(
    make_user, make_link, supporter, client
):
    # Robin lives in Los Angeles: 03:00 UTC on 1 June is 20:00 on 31 May for them.
    robin = make_user("la@example.org", display_name="Robin", time_zone="America/Los_Angeles")
    link = make_link(robin, supporter, name="Sam from work")
    grants.set_scopes(link, [Scope.MOOD_TREND])
    AccessEntry.objects.filter(owner=robin).update(at=dt.datetime(2025, 5, 30, 12, tzinfo=dt.UTC))
    seen(link, OVERVIEW, dt.datetime(2025, 6, 1, 2, 0, tzinfo=dt.UTC))
    seen(link, Scope.MOOD_TREND, dt.datetime(2025, 6, 1, 3, 0, tzinfo=dt.UTC), Via.API)
    client.force_login(robin)
    assert rows(body(client.get(reverse(LOG)))) == [
        "31 May 2025, 20:00 Sam from work Looked at: Mood and stress, as weekly averages The API",
        "31 May 2025, 19:00 Sam from work Looked at: The overview of what you share with them "
        "The website",
        "30 May 2025, 05:00 Sam from work You shared: Mood and stress, as weekly averages –",
    ]


def test_joining_leaving_and_stopping_sharing_are_in_the_log(link, member, member_client):
    grants.set_scopes(link, [Scope.GOALS])
    grants.set_scopes(link, [])
    grants.end(link, EndedBy.SUPPORTER)
    lines = [line.split(" ", 4)[-1] for line in rows(body(member_client.get(reverse(LOG))))]
    assert lines == [
        "Sam No longer in your circle –",
        "Sam You stopped sharing: My goals and their steps –",
        "Sam You shared: My goals and their steps –",
    ]


def test_a_filter_keeps_one_supporters_lines(make_link, make_user, member, member_client):
    sam = make_user("sam2@example.org", display_name="Sam")
    lee = make_user("lee@example.org", display_name="Lee")
    sams, lees = make_link(member, sam, name="Sam"), make_link(member, lee, name="Lee")
    grants.record_view(sams, OVERVIEW)
    grants.record_view(lees, OVERVIEW)
    everyone = body(member_client.get(reverse(LOG)))
    assert f'<option value="{sams.pk}">Sam</option>' in everyone
    assert f'<option value="{lees.pk}">Lee</option>' in everyone
    assert len(rows(everyone)) == 2
    only_lee = body(member_client.get(reverse(LOG), {"supporter": lees.pk}))
    assert [line.split()[4] for line in rows(only_lee)] == ["Lee"]
    # An id that isn't one of the member's supporters shows everyone, never someone else's.
    assert len(rows(body(member_client.get(reverse(LOG), {"supporter": 10**9})))) == 2
    assert len(rows(body(member_client.get(reverse(LOG), {"supporter": "lee"})))) == 2


def test_the_filter_offers_former_supporters_too(link, member, member_client):
    grants.record_view(link, OVERVIEW)
    grants.end(link, EndedBy.MEMBER)
    page = body(member_client.get(reverse(LOG), {"supporter": link.pk}))
    assert f'<option value="{link.pk}" selected>Sam</option>' in page
    assert len(rows(page)) == 2


def test_an_empty_log_says_what_will_appear(member_client):
    page = body(member_client.get(reverse(LOG)))
    assert "Nothing here yet." in page
    assert "Until you share something, supporters see nothing of yours." in page


def test_past_fifty_lines_there_are_pages(link, member, member_client):
    start = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    for n in range(51):
        seen(link, OVERVIEW, start + dt.timedelta(minutes=n))
    first = body(member_client.get(reverse(LOG)))
    assert len(rows(first)) == 50
    assert "Page 1 of 2" in first
    second = body(member_client.get(reverse(LOG), {"page": 2}))
    assert rows(second) == [
        "1 June 2025, 10:00 Sam Looked at: The overview of what you share with them The website"
    ]


def test_only_the_member_reads_their_log(link, stranger_client, supporter_client):
    grants.record_view(link, OVERVIEW)
    for client in (stranger_client, supporter_client):
        page = body(client.get(reverse(LOG), {"supporter": link.pk}))
        assert "Nothing here yet." in page
        assert f'value="{link.pk}"' not in page


def test_signed_out_is_sent_to_sign_in(client, db):
    response = client.get(reverse(LOG))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_log_costs_the_same_queries_for_2_or_30_lines(make_user, make_link, supporter):
    counts = []
    for size in (2, 30):
        member = make_user(f"log{size}@example.org")
        link = make_link(member, supporter)
        for _ in range(size):
            grants.record_view(link, OVERVIEW)
        client = Client()
        client.force_login(member)
        with CaptureQueriesContext(connection) as queries:
            page = body(client.get(reverse(LOG)))
        assert len(rows(page)) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
