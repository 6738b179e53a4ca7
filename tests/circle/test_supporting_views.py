"""The supporter's pages: their home, one member, each shared part, answering and encouraging.

Who may see what is THE matrix's job (test_consent_matrix.py); here is what each page
says and does once it may be seen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from closeknit.circle import encouragement
from closeknit.circle.models import Encouragement, HelpAnswer, HelpRequest
from closeknit.circle.vocab import Answer, Scope
from closeknit.network.models import Person
from closeknit.notify.models import Channel, Message
from closeknit.notify.vocab import MessageKind
from closeknit.recovery.goals_forms import add_steps, tick_step
from closeknit.recovery.models import Goal, SafetyPlanVersion
from closeknit.wellbeing.models import CheckIn
from tests.browser import assert_accessible
from tests.circle import test_consent_matrix as matrix
from tests.circle.test_consent_matrix import ALL, HELP_MARK, ask, text
from tests.e2e.members import fits_the_screen, sign_in

pytestmark = pytest.mark.django_db

# The matrix's world: Robin's data, and Sam's link with the scopes asked for.
member_data, share = matrix.member_data, matrix.share

GUIDANCE = (
    "Listen without judgment.",
    "Keep it between you.",
    "Check in now and then, unprompted.",
    "Look after yourself too.",
    "call the local emergency number",
)


def page_of(client: Any, name: str, pk: int | None = None) -> str:
    response = client.get(reverse(name, kwargs={"pk": pk} if pk is not None else None))
    assert response.status_code == 200
    return text(response)


# The supporter's home -----------------------------------------------------------------------


def test_someone_who_supports_nobody_learns_what_a_supporter_is(supporter_client):
    body = page_of(supporter_client, "circle:supporting")
    assert "You're not in anyone's circle of supporters yet." in body
    assert "Invitations come from the member." in body
    assert "The member decides what to share" in body
    for words in GUIDANCE:
        assert words in body


def test_open_requests_come_first_with_the_two_answers(share, supporter_client):
    world = share(ALL)
    body = page_of(supporter_client, "circle:supporting")
    assert body.index(HELP_MARK) < body.index("Everyone you support")
    action = reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk})
    assert f'action="{action}"' in body
    assert 'value="reaching_out"' in body and 'value="cant_now"' in body
    for words in GUIDANCE:
        assert words in body


def test_answering_from_the_home_records_once_and_tells_the_member(share, member, supporter_client):
    Channel.objects.create(
        owner=member, kind="email", config={"address": "r@example.org"}, verified_at=timezone.now()
    )
    world = share((Scope.HELP_REQUESTS,))
    answer_url = reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk})
    response = supporter_client.post(
        answer_url, {"choice": Answer.REACHING_OUT, "next": "/supporting/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/supporting/"
    body = text(response)
    assert "Thank you. Robin will hear that you're reaching out now." in body
    assert HELP_MARK not in body  # answered: no longer waiting
    world.answer.refresh_from_db()
    assert world.answer.answer == Answer.REACHING_OUT
    answered_at = world.answer.answered_at
    told = Message.objects.filter(owner=member, kind=MessageKind.HELP_ANSWER)
    assert [m.title for m in told] == ["Sam is reaching out now"]
    # A second tap changes nothing, and says so.
    again = supporter_client.post(answer_url, {"choice": Answer.CANT_NOW}, follow=True)
    assert "You had already answered Robin; nothing changed." in text(again)
    world.answer.refresh_from_db()
    assert (world.answer.answer, world.answer.answered_at) == (Answer.REACHING_OUT, answered_at)
    assert told.count() == 1


def test_an_answer_from_the_member_page_goes_back_there(share, supporter_client):
    world = share((Scope.HELP_REQUESTS,))
    member_page = reverse("circle:supporting-member", kwargs={"pk": world.link.pk})
    body = page_of(supporter_client, "circle:supporting-member", world.link.pk)
    assert f'name="next" value="{member_page}"' in body
    response = supporter_client.post(
        reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk}),
        {"choice": Answer.CANT_NOW, "next": member_page},
    )
    assert response["Location"] == member_page
    world.answer.refresh_from_db()
    assert world.answer.answer == Answer.CANT_NOW


def test_an_unknown_answer_changes_nothing(share, supporter_client):
    world = share((Scope.HELP_REQUESTS,))
    response = supporter_client.post(
        reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk}),
        {"choice": "maybe"},
        follow=True,
    )
    assert "Please choose one of the two answers." in text(response)
    world.answer.refresh_from_db()
    assert (world.answer.answer, world.answer.answered_at) == ("", None)


def test_the_answer_page_shows_the_request_until_it_is_answered(share, supporter_client):
    world = share((Scope.HELP_REQUESTS,))
    body = page_of(supporter_client, "circle:supporting-answer", world.answer.pk)
    assert "<h1>Answer Robin</h1>" in body and HELP_MARK in body
    HelpAnswer.objects.filter(pk=world.answer.pk).update(
        answer=Answer.CANT_NOW, answered_at=timezone.now()
    )
    url = reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk})
    assert supporter_client.get(url).status_code == 404


def test_requests_past_the_answer_window_are_no_longer_listed(share, settings, supporter_client):
    world = share((Scope.HELP_REQUESTS,))
    window = dt.timedelta(hours=settings.CIRCLE_ANSWER_HOURS)
    request = HelpRequest.objects.get(pk=world.answer.request_id)
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - window + dt.timedelta(minutes=1)
    )
    assert HELP_MARK in page_of(supporter_client, "circle:supporting")
    HelpRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - window - dt.timedelta(minutes=1)
    )
    assert HELP_MARK not in page_of(supporter_client, "circle:supporting")


def test_a_member_sharing_nothing_is_still_listed_kindly(share, supporter_client):
    share(())
    body = page_of(supporter_client, "circle:supporting")
    assert "Robin" in body
    assert "Not sharing anything with you at the moment." in body


@pytest.mark.parametrize("page", ["circle:supporting", "network:home"])
def test_the_supporters_pages_cost_the_same_queries_for_2_or_30_members(page, make_user, make_link):
    counts = []
    for run, members in enumerate((2, 30)):
        supporter = make_user(f"helper{run}@example.org", display_name="Helper")
        for n in range(members):
            member = make_user(f"m{run}-{n}@example.org", display_name=f"M{n}")
            ask(make_link(member, supporter, ALL))
        client = Client()
        client.force_login(supporter)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(page))
        assert response.status_code == 200
        assert text(response).count("asked for support</h3>") == members
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# On the home page ---------------------------------------------------------------------------


def test_the_home_page_names_the_people_you_support(share, supporter_client):
    world = share(())
    body = page_of(supporter_client, "network:home")
    member_page = reverse("circle:supporting-member", kwargs={"pk": world.link.pk})
    assert f'<li><a href="{member_page}">Robin</a></li>' in body
    assert f'<a href="{reverse("circle:supporting")}">What they share, and supporting well</a>' in (
        body
    )
    assert HELP_MARK not in body  # Robin doesn't share requests with Sam


def test_a_request_waiting_on_the_home_page_comes_first_and_answers_back_there(
    share, supporter_client
):
    world = share((Scope.HELP_REQUESTS,))
    body = page_of(supporter_client, "network:home")
    assert body.index("Asking for your support") < body.index(HELP_MARK)
    assert body.index(HELP_MARK) < body.index("People you support")
    assert 'name="next" value="/"' in body
    response = supporter_client.post(
        reverse("circle:supporting-answer", kwargs={"pk": world.answer.pk}),
        {"choice": Answer.REACHING_OUT, "next": "/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    body = text(response)
    assert "Thank you. Robin will hear that you're reaching out now." in body
    assert HELP_MARK not in body and "Asking for your support" not in body


def test_the_home_page_lists_five_and_then_everyone(
    make_user, make_link, supporter_client, supporter
):
    for n in range(6):
        make_link(make_user(f"m{n}@example.org", display_name=f"Member {n}"), supporter)
    body = page_of(supporter_client, "network:home")
    assert [f"Member {n}" in body for n in range(6)] == [True] * 5 + [False]
    assert "Everyone you support" in body


def test_a_member_who_supports_nobody_sees_no_such_card(member_client):
    body = page_of(member_client, "network:home")
    assert "People you support" not in body and "Asking for your support" not in body


# One member ---------------------------------------------------------------------------------


def test_the_member_page_offers_a_note_guidance_and_leaving(share, supporter_client):
    world = share((Scope.GOALS,))
    body = page_of(supporter_client, "circle:supporting-member", world.link.pk)
    assert "<h1>Robin</h1>" in body
    assert "The goals they are working on, with their steps" in body  # what it means
    assert "Robin can see each time you look at what they share." in body
    encourage = reverse("circle:supporting-encourage", kwargs={"pk": world.link.pk})
    assert f'action="{encourage}"' in body
    assert reverse("circle:supporting-leave", kwargs={"pk": world.link.pk}) in body
    for words in GUIDANCE:
        assert words in body


def test_the_member_page_costs_the_same_queries_with_2_or_30_requests(
    share, supporter_client, member
):
    world = share(ALL)
    url = reverse("circle:supporting-member", kwargs={"pk": world.link.pk})
    counts = []
    for extra in (1, 29):
        for n in range(extra):
            request = HelpRequest.objects.create(
                owner=member, message=f"Request {extra}-{n}", client_key=f"k{extra}-{n}"
            )
            HelpAnswer.objects.create(
                owner=member,
                request=request,
                link=world.link,
                supporter=world.link.supporter,
                supporter_name="Sam",
            )
        with CaptureQueriesContext(connection) as queries:
            assert supporter_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# Sending a note ------------------------------------------------------------------------------


def test_a_note_is_sent_under_the_name_the_member_knows(make_link, member, supporter, client):
    link = make_link(member, supporter, (), name="Sammy from choir")
    client.force_login(supporter)
    url = reverse("circle:supporting-encourage", kwargs={"pk": link.pk})
    assert "Send Robin a note of encouragement" in page_of(
        client, "circle:supporting-encourage", link.pk
    )
    response = client.post(url, {"text": "  Proud of you.  "}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "circle:supporting-member", kwargs={"pk": link.pk}
    )
    assert "Sent. Robin will see your note on their home page." in text(response)
    [note] = Encouragement.objects.filter(owner=member)
    assert (note.text, note.author_name, note.link, note.supporter) == (
        "Proud of you.",
        "Sammy from choir",
        link,
        supporter,
    )


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", encouragement.EMPTY),
        ("    ", encouragement.EMPTY),
        ("x" * (encouragement.MAX_LENGTH + 1), encouragement.TOO_LONG),
    ],
)
def test_a_note_that_cant_go_says_why_and_saves_nothing(typed, error, link, supporter_client):
    url = reverse("circle:supporting-encourage", kwargs={"pk": link.pk})
    response = supporter_client.post(url, {"text": typed})
    assert response.status_code == 200
    assert error in text(response)
    assert 'role="alert"' in text(response)
    assert not Encouragement.objects.exists()


def test_a_note_of_exactly_the_longest_length_goes(link, supporter_client):
    url = reverse("circle:supporting-encourage", kwargs={"pk": link.pk})
    supporter_client.post(url, {"text": "x" * encouragement.MAX_LENGTH})
    assert Encouragement.objects.count() == 1


def test_past_the_daily_limit_a_kind_word_and_nothing_saved(link, supporter_client):
    url = reverse("circle:supporting-encourage", kwargs={"pk": link.pk})
    for n in range(encouragement.DAILY_LIMIT):
        assert supporter_client.post(url, {"text": f"Note {n}"}).status_code == 302
    response = supporter_client.post(url, {"text": "One more"})
    assert response.status_code == 200
    assert "which is plenty for one day" in text(response)
    assert "One more" in text(response)  # the note stays in the box
    assert Encouragement.objects.count() == encouragement.DAILY_LIMIT
    assert f"You've sent Robin {encouragement.DAILY_LIMIT} notes today" in text(response)


# Each shared part ---------------------------------------------------------------------------


def test_mood_weeks_are_the_members_local_weeks(make_link, make_user, supporter, client):
    kiri = make_user("kiri@example.org", display_name="Kiri", time_zone="Pacific/Auckland")
    link = make_link(kiri, supporter, (Scope.MOOD_TREND,))
    # Sunday evening in London is already Monday morning in Auckland: a new week for Kiri,
    # so the week of 26 May is over for her, and shows.
    moment = dt.datetime(2025, 6, 1, 20, 0, tzinfo=dt.UTC)
    for day, mood in ((26, 3), (31, 5)):
        CheckIn.objects.create(owner=kiri, day=dt.date(2025, 5, day), mood=mood, stress=6)
    CheckIn.objects.create(owner=kiri, day=dt.date(2025, 6, 1), mood=4, stress=6)
    CheckIn.objects.create(owner=kiri, day=dt.date(2025, 6, 2), mood=8, stress=2)
    client.force_login(supporter)
    with time_machine.travel(moment, tick=False):
        body = page_of(client, "circle:supporting-mood", link.pk)
    rows = body[body.index("<tbody>") :]
    assert rows.count("<tr>") == 12
    assert 'datetime="2025-06-02"' not in body  # Kiri's week under way
    assert "mood 4.0 and stress 6.0" in body  # the latest full week, in the chart's words


def test_mood_without_check_ins_says_so_and_draws_no_chart(make_link, member, supporter, client):
    link = make_link(member, supporter, (Scope.MOOD_TREND,))
    client.force_login(supporter)
    body = page_of(client, "circle:supporting-mood", link.pk)
    assert "Robin hasn't checked in during the last 12 full weeks" in body
    assert 'role="img"' not in body
    assert body[body.index("<tbody>") :].count("<tr>") == 12


def week_row(body: str, monday: str) -> list[str]:
    row = body[body.index(f'datetime="{monday}"') :]
    row = row[: row.index("</tr>")]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


MUTED = '<span class="muted">–</span>'


def test_mood_shows_the_days_behind_each_full_week_and_no_mean_of_one(
    make_link, member, supporter, client
):
    link = make_link(member, supporter, (Scope.MOOD_TREND,))
    moment = dt.datetime(2025, 6, 4, 12, 0, tzinfo=dt.UTC)  # a Wednesday
    CheckIn.objects.create(owner=member, day=dt.date(2025, 5, 26), mood=5, stress=None)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 5, 27), mood=6, stress=7)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 6, 2), mood=9, stress=1)
    CheckIn.objects.create(owner=member, day=dt.date(2025, 6, 3), mood=9, stress=1)
    client.force_login(supporter)
    with time_machine.travel(moment, tick=False):
        body = page_of(client, "circle:supporting-mood", link.pk)
    # Two moods make a mean; the one stress stays that day's, so private.
    assert week_row(body, "2025-05-26") == ["5.5", "2", MUTED, "1"]
    assert 'datetime="2025-06-02"' not in body and "9.0" not in body


def test_weeks_of_single_check_ins_show_no_chart_and_say_why(make_link, member, supporter, client):
    link = make_link(member, supporter, (Scope.MOOD_TREND,))
    moment = dt.datetime(2025, 6, 4, 12, 0, tzinfo=dt.UTC)
    for day in (dt.date(2025, 5, 20), dt.date(2025, 5, 28)):
        CheckIn.objects.create(owner=member, day=day, mood=7, stress=3)
    client.force_login(supporter)
    with time_machine.travel(moment, tick=False):
        body = page_of(client, "circle:supporting-mood", link.pk)
    assert 'role="img"' not in body
    assert "No week of the last 12 has two check-ins yet" in body
    assert week_row(body, "2025-05-26") == [MUTED, "1", MUTED, "1"]


def test_a_plan_not_yet_written_and_someone_since_removed(make_link, member, supporter, client):
    link = make_link(member, supporter, (Scope.SAFETY_PLAN,))
    client.force_login(supporter)
    assert "Robin hasn't written a safety plan yet." in page_of(
        client, "circle:supporting-safety-plan", link.pk
    )
    gone = Person.objects.create(owner=member, name="Old friend")
    SafetyPlanVersion.objects.create(
        owner=member, sections={"ask_for_help": {"people": [gone.pk], "items": ["Text Jo"]}}
    )
    gone.delete()
    body = page_of(client, "circle:supporting-safety-plan", link.pk)
    assert "Someone no longer in their network" in body
    assert "your network" not in body
    assert "People I can ask for help" in body  # the member's own section titles
    assert "Samaritans" in body  # the crisis lines of the member's country (GB)


def test_goals_show_steps_done_of_total_and_the_hoped_for_date(
    make_link, member, supporter, client
):
    link = make_link(member, supporter, (Scope.GOALS,))
    client.force_login(supporter)
    assert "Robin isn't working on a goal at the moment." in page_of(
        client, "circle:supporting-goals", link.pk
    )
    goal = Goal.objects.create(owner=member, title="Swim again", target_date=dt.date(2030, 7, 1))
    first, _second = add_steps(goal, ["Find the pool", "Buy goggles"])
    tick_step(first, timezone.now(), member.zone)
    body = page_of(client, "circle:supporting-goals", link.pk)
    assert "1 of 2 steps" in body
    assert "1 July 2030" in body
    assert f'id="progress-{goal.pk}"' in body
    assert body.index("Find the pool") < body.index("Buy goggles")


# In a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_supporter_pages_fit_a_phone_and_pass_axe(page, live_server, share, supporter):
    world = share(ALL)
    sign_in(page, live_server, supporter.email)
    pk = world.link.pk
    for path in (
        "/",  # the request waits on their own home page too
        "/supporting/",
        f"/supporting/{pk}/",
        f"/supporting/{pk}/mood/",
        f"/supporting/{pk}/safety-plan/",
        f"/supporting/{pk}/goals/",
        f"/supporting/{pk}/encourage/",
        f"/supporting/answers/{world.answer.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert fits_the_screen(page), path
        assert_accessible(page)
    # Answer by keyboard, from the home.
    page.goto(f"{live_server.url}/supporting/")
    page.get_by_role("button", name="I'm reaching out now (Robin)").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Robin will hear that you're reaching out now").is_visible()
    world.answer.refresh_from_db()
    assert world.answer.answer == Answer.REACHING_OUT
