"""Encouragement: a supporter's short notes, and the member keeping, reading and deleting them."""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from closeknit.circle import encouragement, grants
from closeknit.circle.models import Encouragement
from closeknit.circle.vocab import EndedBy
from closeknit.lib import crypto
from tests.browser import assert_accessible
from tests.e2e.members import fits_the_screen, sign_in

pytestmark = pytest.mark.django_db


def body(response: Any) -> str:
    return html.unescape(response.content.decode())


def notes(member: Any, count: int, start: dt.datetime | None = None) -> list[Encouragement]:
    """`count` notes to the member from Sam, one a minute, oldest first."""
    start = start or dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    return [
        Encouragement.objects.create(
            owner=member,
            author_name="Sam",
            text=f"Note number {n}",
            sent_at=start + dt.timedelta(minutes=n),
        )
        for n in range(count)
    ]


# Sending -------------------------------------------------------------------------------------


def test_any_active_link_may_send_even_sharing_nothing(link):
    note = encouragement.send(link, "  Thinking of you today.  ")
    assert note.text == "Thinking of you today."
    assert (note.owner, note.link, note.supporter, note.author_name) == (
        link.owner,
        link,
        link.supporter,
        "Sam",
    )
    assert not note.favourite


def test_the_note_is_encrypted_at_rest(link):
    note = encouragement.send(link, "Proud of you")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM circle_encouragement WHERE id = %s", [note.pk])
        [stored] = cursor.fetchone()
    assert "Proud of you" not in stored
    assert crypto.decrypt(stored) == "Proud of you"


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", encouragement.EMPTY),
        (" \n\t ", encouragement.EMPTY),
        ("x" * 501, encouragement.TOO_LONG),
    ],
)
def test_empty_or_too_long_is_refused_and_saves_nothing(link, typed, error):
    with pytest.raises(encouragement.EncouragementError) as refused:
        encouragement.send(link, typed)
    assert str(refused.value) == error
    assert not Encouragement.objects.exists()


def test_one_and_five_hundred_characters_are_fine(link):
    encouragement.send(link, "x")
    encouragement.send(link, "y" * 500)
    assert Encouragement.objects.count() == 2


def test_an_ended_link_can_no_longer_send(link):
    grants.end(link, EndedBy.MEMBER)
    with pytest.raises(encouragement.EncouragementError, match="no longer in their circle"):
        encouragement.send(link, "Still here")
    assert not Encouragement.objects.exists()


def test_ten_a_day_then_a_kind_message_until_the_supporters_next_day(link):
    # Sam lives in London: 23:30 on 1 June is still their day, 00:30 (BST) is the next.
    evening = dt.datetime(2025, 6, 1, 22, 30, tzinfo=dt.UTC)
    for n in range(encouragement.DAILY_LIMIT):
        encouragement.send(link, f"Note {n}", now=evening - dt.timedelta(hours=n))
    assert encouragement.sent_today(link, evening) == encouragement.DAILY_LIMIT
    with pytest.raises(encouragement.EncouragementError) as refused:
        encouragement.send(link, "One more", now=evening)
    assert "You have sent Robin 10 notes today, which is plenty for one day." in str(refused.value)
    assert Encouragement.objects.count() == encouragement.DAILY_LIMIT
    after_midnight = evening + dt.timedelta(minutes=60)  # 00:30 on 2 June in London
    encouragement.send(link, "Good morning", now=after_midnight)
    assert encouragement.sent_today(link, after_midnight) == 1


def test_the_limit_is_per_member(make_link, make_user, member, supporter, link):
    kit = make_user("kit@example.org", display_name="Kit")
    to_kit = make_link(kit, supporter)
    now = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    for n in range(encouragement.DAILY_LIMIT):
        encouragement.send(link, f"For Robin {n}", now=now)
    encouragement.send(to_kit, "For Kit", now=now)
    assert Encouragement.objects.filter(owner=kit).count() == 1


# The member's side: the store ----------------------------------------------------------------


def test_keeping_and_letting_go_of_a_favourite(link, member, stranger):
    note = encouragement.send(link, "You matter")
    assert encouragement.toggle_favourite(member, note.pk).favourite
    assert not encouragement.toggle_favourite(member, note.pk).favourite
    assert encouragement.set_favourite(member, note.pk, True).favourite
    assert encouragement.set_favourite(member, note.pk, True).favourite  # idempotent
    for action in (
        lambda: encouragement.toggle_favourite(stranger, note.pk),
        lambda: encouragement.set_favourite(stranger, note.pk, False),
        lambda: encouragement.delete(stranger, note.pk),
        lambda: encouragement.toggle_favourite(link.supporter, note.pk),  # the sender too
    ):
        with pytest.raises(Http404):
            action()
    note.refresh_from_db()
    assert note.favourite


def test_for_home_is_the_newest_three_and_whether_any_is_kept_in_one_query(member):
    oldest, *_rest = notes(member, 5)
    with CaptureQueriesContext(connection) as queries:
        home = encouragement.for_home(member)
    assert len(queries) == 1
    assert [note.text for note in home.latest] == [
        "Note number 4",
        "Note number 3",
        "Note number 2",
    ]
    assert not home.has_favourites
    encouragement.set_favourite(member, oldest.pk, True)  # not among the three shown
    with CaptureQueriesContext(connection) as queries:
        assert encouragement.for_home(member).has_favourites
    assert len(queries) == 1


def test_for_home_without_notes(member):
    home = encouragement.for_home(member)
    assert (list(home.latest), home.has_favourites) == ([], False)


# The member's side: pages --------------------------------------------------------------------


def test_the_home_page_shows_the_newest_notes_only_when_there_are_some(member, member_client):
    page = body(member_client.get("/"))
    assert "Words from your circle" not in page
    first, *_rest = notes(member, 4)
    page = body(member_client.get("/"))
    assert "Words from your circle" in page
    assert "Note number 3" in page and "Note number 1" in page
    assert "Note number 0" not in page  # three at most
    assert reverse("circle:encouragements") in page
    assert "?favourites=1" not in page
    encouragement.set_favourite(member, first.pk, True)
    assert f"{reverse('circle:encouragements')}?favourites=1" in body(member_client.get("/"))


def test_a_stranger_never_sees_the_members_notes(member, stranger_client):
    notes(member, 2)
    assert "Note number" not in body(stranger_client.get("/"))
    assert "Note number" not in body(stranger_client.get(reverse("circle:encouragements")))


def test_the_list_is_newest_first_with_favourites_on_their_own(member, member_client):
    older, _newer = notes(member, 2)
    page = body(member_client.get(reverse("circle:encouragements")))
    assert page.index("Note number 1") < page.index("Note number 0")
    assert "From Sam" in page
    assert page.count("Keep as favourite") == 2
    favourites = body(member_client.get(reverse("circle:encouragements") + "?favourites=1"))
    assert "No favourites yet." in favourites
    encouragement.set_favourite(member, older.pk, True)
    favourites = body(member_client.get(reverse("circle:encouragements") + "?favourites=1"))
    assert "Note number 0" in favourites and "Note number 1" not in favourites
    assert "Remove from favourites" in favourites


def test_the_empty_list_says_where_notes_come_from(member_client):
    page = body(member_client.get(reverse("circle:encouragements")))
    assert "No notes yet." in page


def test_past_fifty_notes_there_are_pages(member, member_client):
    notes(member, encouragement.PAGE_SIZE + 1)
    first = body(member_client.get(reverse("circle:encouragements")))
    assert first.count('class="card stack encouragement') == encouragement.PAGE_SIZE
    assert "Page 1 of 2" in first
    second = body(member_client.get(reverse("circle:encouragements") + "?page=2"))
    assert second.count('class="card stack encouragement') == 1
    assert "Note number 0" in second


def test_the_list_costs_the_same_queries_for_2_or_30_notes(make_user):
    counts = []
    for count in (2, 30):
        member = make_user(f"list{count}@example.org")
        notes(member, count)
        client = Client()
        client.force_login(member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("circle:encouragements")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_keeping_a_favourite_by_form_and_by_htmx(member, member_client):
    [note] = notes(member, 1)
    url = reverse("circle:encouragement-favourite", kwargs={"pk": note.pk})
    listing = reverse("circle:encouragements") + "?favourites=1"
    response = member_client.post(url, {"next": listing}, follow=True)
    assert response.redirect_chain[-1][0] == listing
    assert "Kept as a favourite." in body(response)
    note.refresh_from_db()
    assert note.favourite
    swapped = member_client.post(url, headers={"HX-Request": "true"})
    assert swapped.status_code == 200
    part = body(swapped)
    assert f'id="note-{note.pk}"' in part and "Keep as favourite" in part
    assert "<html" not in part
    note.refresh_from_db()
    assert not note.favourite


def test_the_favourite_address_opened_directly_goes_back_to_the_list(member, member_client):
    [note] = notes(member, 1)
    response = member_client.get(reverse("circle:encouragement-favourite", kwargs={"pk": note.pk}))
    assert response["Location"] == reverse("circle:encouragements")
    note.refresh_from_db()
    assert not note.favourite  # a GET changes nothing


def test_delete_asks_first_then_deletes(member, member_client):
    [note] = notes(member, 1)
    url = reverse("circle:encouragement-delete", kwargs={"pk": note.pk})
    page = body(member_client.get(url))
    assert "Delete this note?" in page and "Note number 0" in page and "Keep it" in page
    assert Encouragement.objects.filter(pk=note.pk).exists()
    response = member_client.post(url, follow=True)
    assert "Deleted that note." in body(response)
    assert not Encouragement.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("name", ["circle:encouragement-favourite", "circle:encouragement-delete"])
def test_a_stranger_gets_404_and_changes_nothing(name, member, stranger_client, supporter_client):
    [note] = notes(member, 1)
    url = reverse(name, kwargs={"pk": note.pk})
    for client in (stranger_client, supporter_client):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    note.refresh_from_db()
    assert not note.favourite


@pytest.mark.parametrize(
    "name",
    ["circle:encouragements", "circle:encouragement-favourite", "circle:encouragement-delete"],
)
def test_signed_out_is_sent_to_sign_in(name, member, client):
    [note] = notes(member, 1)
    kwargs = None if name == "circle:encouragements" else {"pk": note.pk}
    response = client.post(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Encouragement.objects.filter(pk=note.pk, favourite=False).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keeping_a_favourite_in_the_browser_swaps_the_note_in_place(page, live_server, member):
    notes(member, 2)
    sign_in(page, live_server, member.email)
    assert page.get_by_role("heading", name="Words from your circle").is_visible()
    page.get_by_role("link", name="All your notes").click()
    page.wait_for_url(f"{live_server.url}/circle/encouragement/")
    assert fits_the_screen(page)
    assert_accessible(page)
    # The hidden part of the name is set apart as a block, so match around its spacing.
    page.get_by_role("button", name=re.compile("^Keep as favourite.*from Sam")).first.click()
    page.get_by_role("button", name=re.compile("^Remove from favourites.*from Sam")).wait_for()
    assert page.url == f"{live_server.url}/circle/encouragement/"  # swapped, not reloaded
    assert Encouragement.objects.filter(owner=member, favourite=True).count() == 1
    assert_accessible(page)


on_postgresql = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the in-memory SQLite test database can't take two writers at once",
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_sends_racing_at_the_limit_never_pass_it(link):
    now = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
    for n in range(encouragement.DAILY_LIMIT - 1):
        encouragement.send(link, f"Note {n}", now=now)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def send() -> None:
        try:
            start.wait()
            encouragement.send(link, "At the same moment", now=now)
            outcomes.append("sent")
        except encouragement.EncouragementError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "refused", "refused", "sent"]
    assert Encouragement.objects.filter(link=link).count() == encouragement.DAILY_LIMIT
