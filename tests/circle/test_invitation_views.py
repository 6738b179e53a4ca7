"""The member's circle page, inviting, one supporter's scopes, the public join page, and
leaving from either side; every member page a 404 for anyone else."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.http import Http404
from django.test import Client
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle import invitations as store
from closeknit.circle.invitation_forms import MEMBER_SCOPE_DETAILS
from closeknit.circle.models import AccessEntry, Invitation, Link
from closeknit.circle.vocab import SCOPE_DETAILS, AccessAction, EndedBy, Scope
from closeknit.network.models import Person
from closeknit.notify.models import Message
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.browser import assert_accessible
from tests.circle.rows import people_to_invite
from tests.conftest import PASSWORD
from tests.e2e.members import fits_the_screen, sign_in

NOW = dt.datetime(2026, 3, 18, 10, 30, tzinfo=dt.UTC)
CIRCLE = "/circle/"
INVITE = "/circle/invite/"
NEVER = "not their notes, not their answers to questionnaires, not single days"


@pytest.fixture(autouse=True)
def frozen(request: Any):
    if "browser" in request.keywords:
        yield  # the live server and Chromium keep real time
        return
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def sam(member: User) -> Person:
    return Person.objects.create(owner=member, name="Sam Rivera", email="sam@example.org")


def html(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def state() -> list[Any]:
    return [
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "person_id", "email", "scopes", "accepted_at", "withdrawn_at", "link_id"
            )
        ),
        list(
            Link.objects.order_by("pk").values_list(
                "pk", "supporter_id", "person_id", "scopes", "ended_at", "ended_by"
            )
        ),
        list(AccessEntry.objects.order_by("pk").values_list("pk", "action", "part")),
        list(Message.objects.order_by("pk").values_list("pk", "dedup_key", "to_address")),
    ]


def join_url(token: str) -> str:
    return reverse("circle:join", args=[token])


# The circle page -----------------------------------------------------------------------------


def test_the_route_names_and_addresses():
    assert reverse("circle:supporters") == CIRCLE
    assert reverse("circle:invite") == INVITE
    assert reverse("circle:invitation-withdraw", args=[3]) == "/circle/invitations/3/withdraw/"
    assert reverse("circle:supporter", args=[3]) == "/circle/supporters/3/"
    assert reverse("circle:supporter-end", args=[3]) == "/circle/supporters/3/end/"
    assert join_url("abc") == "/circle/join/abc/"
    assert reverse("circle:supporting-leave", args=[3]) == "/supporting/3/leave/"


def test_an_empty_circle_explains_itself_and_offers_an_invitation(member_client):
    response = member_client.get(CIRCLE)
    assert response.status_code == 200
    page = Page(response.content)
    assert_one_h1(page)
    text = html(response)
    assert "A circle of supporters is a few people you trust" in text
    assert "Nothing is shared until you tick it" in text
    assert [a for a in page.find_all("a", href=INVITE) if a.text == "Invite someone"]
    for name in ("help-requests", "rules", "access-log", "encouragements"):
        assert page.find_all("a", href=reverse(f"circle:{name}")), name
    assert not page.find_all("a", href=reverse("circle:supporting"))


def test_the_circle_page_links_to_people_you_support_when_you_support_someone(
    member_client, member, make_link, stranger
):
    make_link(stranger, member)  # the member is in the stranger's circle
    page = Page(member_client.get(CIRCLE).content)
    assert page.find("a", href=reverse("circle:supporting")).text == "People you support"


def test_the_circle_page_lists_supporters_with_what_each_sees_and_open_invitations(
    member_client, member, supporter, make_link, sam, make_user
):
    link = make_link(member, supporter, [Scope.SAFETY_PLAN, Scope.MOOD_TREND], name="Sam R.")
    ada = Person.objects.create(owner=member, name="Ada Okafor")
    invitation, _token = store.invite(member, ada, [Scope.GOALS], "ada@example.org")
    used, token = store.invite(member, sam, [])
    store.accept(token, make_user("lee@example.org"))
    ended = make_link(member, make_user("gone@example.org"), name="Gone Person")
    grants.end(ended, EndedBy.SUPPORTER)

    response = member_client.get(CIRCLE)
    page = Page(response.content)
    text = html(response)
    assert page.find("a", href=link.person.get_absolute_url()).text == "Sam R."
    assert page.find("a", href=reverse("circle:supporter", args=[link.pk])).text.startswith(
        "Change what you share"
    )
    # In the vocabulary's order, whatever order they were granted in.
    assert text.index("Mood and stress, as weekly averages") < text.index("My safety plan")
    assert "Gone Person" not in text  # ended links are history, not the circle
    assert "You share nothing with them yet" in text  # the one who joined by invitation
    withdraw = reverse("circle:invitation-withdraw", args=[invitation.pk])
    assert "Withdraw" in page.find("a", href=withdraw).text
    assert "Sent by e-mail to ada@example.org" in text
    assert "until 25 March 2026, 10:30." in page.find("main").text  # GMT in London
    assert "Offers: My goals and their steps." in text
    assert not page.find_all("a", href=reverse("circle:invitation-withdraw", args=[used.pk]))


def test_the_circle_page_takes_the_same_queries_for_3_or_60_supporters(
    member_client, member, make_link, make_user, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            make_link(member, make_user(f"s{i}@example.org"), [Scope.GOALS], name=f"P{i:03}")
            store.invite(member, Person.objects.create(owner=member, name=f"I{i:03}"), [])

    add(3, 0)
    with django_assert_max_num_queries(12):
        small = member_client.get(CIRCLE)
    add(57, 3)
    with django_assert_max_num_queries(12):
        large = member_client.get(CIRCLE)
    assert len(small.context["rows"]) == 3
    assert len(large.context["rows"]) == 50
    assert large.context["page"].paginator.num_pages == 2
    assert len(large.context["invitation_rows"]) == 50
    second = member_client.get(CIRCLE + "?page=2&invitations=2")
    assert len(second.context["rows"]) == 10
    assert len(second.context["invitation_rows"]) == 10
    assert 'aria-label="Pages of invitations"' in html(large)


def test_a_visitor_is_sent_to_sign_in(client, db):
    for url in (CIRCLE, INVITE, "/circle/supporters/1/", "/supporting/1/leave/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# Inviting ------------------------------------------------------------------------------------


def test_the_invite_form_preselects_the_person_and_ticks_nothing(member_client, sam):
    response = member_client.get(f"{INVITE}?person={sam.pk}")
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    [chosen] = [o for o in page.options("person") if "selected" in o.attrs]
    assert chosen.get("value") == str(sam.pk)
    assert page.control("email").get("value") == "sam@example.org"
    boxes = page.find_all("input", name="scopes")
    assert [box.get("value") for box in boxes] == list(Scope.values)
    assert not [box for box in boxes if "checked" in box.attrs]
    # Each scope says what it means, tied to its checkbox.
    for box in boxes:
        [detail] = page.described_by(box)
        assert detail.text == MEMBER_SCOPE_DETAILS[Scope(box.get("value"))]
    assert "Nothing else is ever shared" in html(response)


def test_every_scope_is_explained_to_the_member_and_to_the_supporter():
    assert set(MEMBER_SCOPE_DETAILS) == set(SCOPE_DETAILS) == set(Scope)


def test_the_invite_form_offers_only_the_members_current_people(member_client, member, stranger):
    Person.objects.create(owner=member, name="Old Friend", archived_at=NOW)
    Person.objects.create(owner=stranger, name="Theirs")
    current = Person.objects.create(owner=member, name="Ada")
    page = Page(member_client.get(INVITE).content)
    assert [o.get("value") for o in page.options("person") if o.get("value")] == [str(current.pk)]


def test_with_no_people_yet_the_invite_page_says_to_add_someone(member_client, member, stranger):
    Person.objects.create(owner=stranger, name="Theirs")
    response = member_client.get(INVITE)
    page = Page(response.content)
    assert not page.find_all("form", method="post")[1:]  # only the header's sign-out
    assert page.find("a", href=reverse("network:person-new")).text == (
        "Add someone to your network"
    )
    assert "there's no one there yet" in html(response)


def test_inviting_by_email_sends_it_and_says_so(member_client, member, sam):
    response = member_client.post(
        INVITE, {"person": sam.pk, "how": "email", "email": "", "scopes": [Scope.GOALS]}
    )
    assert response["Location"] == CIRCLE
    invitation = Invitation.objects.owned_by(member).get()
    assert (invitation.person, invitation.email, invitation.scopes) == (
        sam,
        "sam@example.org",  # left empty: the address saved for Sam
        [Scope.GOALS],
    )
    message = Message.objects.get()
    assert (message.owner, message.kind, message.to_address) == (
        member,
        "invitation",
        "sam@example.org",
    )
    assert messages_of(response) == [
        "We sent your invitation to sam@example.org. It works once, until "
        "Wednesday 25 March 2026, 10:30. You'll see them here once they join."
    ]


def test_inviting_by_email_to_another_address(member_client, sam):
    member_client.post(INVITE, {"person": sam.pk, "how": "email", "email": "sam@work.example"})
    assert Message.objects.get().to_address == "sam@work.example"
    assert Invitation.objects.get().scopes == []


def test_inviting_by_link_shows_the_link_once(member_client, member, sam):
    response = member_client.post(
        INVITE, {"person": sam.pk, "how": "link", "email": "ignored@x.org", "scopes": ["goals"]}
    )
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"  # signed in: its forms must post
    assert "no-store" in response["Cache-Control"]
    page = Page(response.content)
    assert_one_h1(page)
    url = page.by_id("invitation-link").get("value")
    token = re.fullmatch(r"http://127\.0\.0\.1:8000/circle/join/([\w-]+)/", url)
    assert token is not None
    invitation = store.find_open(token.group(1))
    assert invitation is not None and invitation.owner == member
    assert invitation.email == ""
    assert not Message.objects.exists()
    assert "It works once, until Wednesday 25 March 2026, 10:30." in html(response)
    # The circle page never shows it again.
    assert token.group(1) not in html(member_client.get(CIRCLE))


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"how": "email"}, "person", "Please choose who you'd like to invite."),
        ({"person": "999999", "how": "link"}, "person", "We couldn't find that person"),
        ({"person": "SAM", "how": "email", "email": "x"}, "email", "a whole e-mail address"),
        ({"person": "LEE", "how": "email"}, "email", "We don't have an e-mail address for Lee"),
        ({"person": "SAM", "how": "link", "scopes": ["notes"]}, "scopes", "isn't something"),
        ({"person": "SAM", "how": "fax"}, "how", "Select a valid choice"),
        ({"person": "THEIRS", "how": "link"}, "person", "We couldn't find that person"),
        ({"person": "OLD", "how": "link"}, "person", "We couldn't find that person"),
        ({"person": "LINKED", "how": "link"}, "person", "Ada is in your circle already"),
    ],
)
def test_bad_input_changes_nothing(
    member_client, member, stranger, supporter, sam, fields, field, words
):
    people = people_to_invite(member, stranger, supporter, sam, archived_at=NOW)
    if fields.get("person") in people:
        fields = {**fields, "person": people[fields["person"]].pk}
    before = state()
    response = member_client.post(INVITE, fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors[field])
    assert 'role="alert"' in html(response)
    assert state() == before


def test_the_withdraw_page_asks_first_then_withdraws(member_client, member, sam):
    invitation, token = store.invite(member, sam, [], "sam@example.org")
    url = reverse("circle:invitation-withdraw", args=[invitation.pk])
    response = member_client.get(url)
    assert "Withdraw your invitation to Sam Rivera?" in html(response)
    assert store.find_open(token) is not None
    response = member_client.post(url)
    assert response["Location"] == CIRCLE
    assert store.find_open(token) is None
    assert not Message.objects.exists()  # the e-mail had not gone yet
    assert messages_of(response) == [
        "Your invitation to Sam Rivera is withdrawn. Its link won't work."
    ]
    again = member_client.post(url)
    assert messages_of(again)[-1].startswith("That invitation isn't open any more")


# One supporter -------------------------------------------------------------------------------


def test_the_supporter_page_shows_what_is_shared_ticked(
    member_client, member, supporter, make_link
):
    link = make_link(member, supporter, [Scope.GOALS])
    response = member_client.get(reverse("circle:supporter", args=[link.pk]))
    page = Page(response.content)
    assert_one_h1(page)
    assert_every_control_is_labelled(page)
    ticked = [b.get("value") for b in page.find_all("input", name="scopes") if "checked" in b.attrs]
    assert ticked == [Scope.GOALS]
    assert page.find("a", href=reverse("circle:supporter-end", args=[link.pk])).text.startswith(
        "Remove from my circle"
    )
    for scope in Scope:
        assert MEMBER_SCOPE_DETAILS[scope] in html(response)


def test_saving_scopes_changes_them_at_once_and_says_which(
    member_client, member, supporter, make_link
):
    link = make_link(member, supporter, [Scope.GOALS, Scope.SAFETY_PLAN], name="Sam")
    url = reverse("circle:supporter", args=[link.pk])
    response = member_client.post(url, {"scopes": [Scope.SAFETY_PLAN, Scope.MOOD_TREND]})
    assert response["Location"] == url
    assert set(Link.objects.get(pk=link.pk).scopes) == {Scope.SAFETY_PLAN, Scope.MOOD_TREND}
    assert messages_of(response) == [
        "Now sharing with Sam: Mood and stress, as weekly averages. "
        "No longer sharing with Sam: My goals and their steps."
    ]
    assert list(AccessEntry.objects.values_list("action", "part").order_by("pk")) == [
        (AccessAction.GRANTED, Scope.MOOD_TREND),
        (AccessAction.REVOKED, Scope.GOALS),
    ]
    with pytest.raises(Http404):
        grants.grant(supporter, link.pk, Scope.GOALS)
    response = member_client.post(url, {})
    assert Link.objects.get(pk=link.pk).scopes == []
    assert messages_of(response)[-1].startswith("No longer sharing with Sam: Mood and stress")
    response = member_client.post(url, {})
    assert messages_of(response)[-1] == "Nothing changed: you share the same with Sam as before."


def test_an_unknown_scope_changes_nothing(member_client, member, supporter, make_link):
    link = make_link(member, supporter, [Scope.GOALS])
    before = state()
    response = member_client.post(
        reverse("circle:supporter", args=[link.pk]), {"scopes": ["notes", Scope.SAFETY_PLAN]}
    )
    assert response.status_code == 200
    assert "That isn't something you can share here." in html(response)
    assert state() == before


def test_removing_a_supporter_asks_first(member_client, member, supporter, make_link):
    link = make_link(member, supporter, [Scope.GOALS], name="Sam")
    url = reverse("circle:supporter-end", args=[link.pk])
    assert "Remove Sam from your circle?" in html(member_client.get(url))
    assert Link.objects.get(pk=link.pk).is_active
    response = member_client.post(url)
    assert response["Location"] == CIRCLE
    link.refresh_from_db()
    assert (link.is_active, link.ended_by) == (False, EndedBy.MEMBER)
    assert messages_of(response) == [
        "Sam is no longer in your circle. Nothing is shared with them from now on."
    ]
    assert member_client.get(reverse("circle:supporter", args=[link.pk])).status_code == 404
    leave = Client()
    leave.force_login(supporter)
    assert leave.get(reverse("circle:supporting-leave", args=[link.pk])).status_code == 404


# Nobody else reaches the member's pages ------------------------------------------------------


@pytest.mark.parametrize("who", ["stranger", "supporter"])
def test_anyone_else_gets_404_on_every_member_page(
    who, stranger, supporter, member, make_link, sam, request
):
    link = make_link(member, supporter, [Scope.GOALS])
    invitation, _token = store.invite(member, sam, [Scope.GOALS], "sam@example.org")
    client = Client()
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("circle:supporter", args=[link.pk]),
        reverse("circle:supporter-end", args=[link.pk]),
        reverse("circle:invitation-withdraw", args=[invitation.pk]),
    ]
    before = state()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"scopes": list(Scope.values)}).status_code == 404, url
    assert state() == before
    own = html(client.get(CIRCLE))
    assert "Sam Rivera" not in own and "sam@example.org" not in own
    # Nor can they invite someone of the member's.
    response = client.post(INVITE, {"person": sam.pk, "how": "link"})
    assert response.status_code == 200
    assert state() == before


def test_the_member_cant_use_the_supporters_leave_page(member_client, member, supporter, link):
    assert member_client.get(reverse("circle:supporting-leave", args=[link.pk])).status_code == 404


# The join page -------------------------------------------------------------------------------


@pytest.fixture
def invited(member: User, sam: Person) -> tuple[Invitation, str]:
    return store.invite(member, sam, [Scope.HELP_REQUESTS, Scope.MOOD_TREND])


def test_the_join_page_shows_exactly_what_would_be_shared(client, invited):
    _invitation, token = invited
    response = client.get(join_url(token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"  # a visitor: no form to post
    assert "no-store" in response["Cache-Control"]
    page = Page(response.content)
    assert_one_h1(page)
    assert page.find("h1").text == "Robin would like you in their circle of supporters"
    shared = [li.text for li in page.find_all("li") if li.text.startswith(("Mood", "My"))]
    assert shared == [
        f"{Scope.MOOD_TREND.label} {SCOPE_DETAILS[Scope.MOOD_TREND]}",
        f"{Scope.HELP_REQUESTS.label} {SCOPE_DETAILS[Scope.HELP_REQUESTS]}",
    ]
    text = html(response)
    for scope in (Scope.SAFETY_PLAN, Scope.GOALS, Scope.CHECKIN_NUDGES):
        assert str(scope.label) not in text
    assert NEVER in text
    assert "can change what they share, or end the link, at any time" in text
    # Signed out: make an account or sign in, and come back here.
    back = quote(join_url(token), safe="")
    assert page.find("a", href=f"/accounts/signup/?next={back}").text == "Create an account"
    assert page.find("a", href=f"/accounts/login/?next={back}").text == "Sign in"
    assert not [b for b in page.find_all("button") if b.text.startswith("Join")]


def test_the_join_page_with_nothing_offered_says_so(client, member, sam):
    _invitation, token = store.invite(member, sam, [])
    assert "Nothing, to start with." in html(client.get(join_url(token)))


def test_signing_up_from_the_join_page_comes_back_to_it_and_joins(client, invited, sam):
    _invitation, token = invited
    here = join_url(token)
    signup = client.get(f"/accounts/signup/?next={quote(here, safe='')}")
    page = Page(signup.content)
    assert page.control("next").get("value") == here
    assert page.find("a", href=f"/accounts/login/?next={quote(here, safe='')}").text == "Sign in"
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "display_name": "New",
            "password1": "sea-glass-and-driftwood",
            "password2": "sea-glass-and-driftwood",
            "time_zone": "Europe/London",
            "country": "GB",
            "next": here,
        },
    )
    assert response["Location"] == here
    page = Page(client.get(here).content)
    assert [b for b in page.find_all("button") if b.text == "Join Robin's circle"]
    joined = client.post(here)
    link = Link.objects.get()
    assert link.supporter.email == "new@example.org"
    assert link.person == sam
    assert joined["Location"] == reverse("circle:supporting-member", args=[link.pk])
    assert messages_of(joined) == [
        "You're in Robin's circle now. Thank you for being there for them."
    ]


def test_signup_ignores_a_next_page_elsewhere(client, db):
    response = client.post(
        "/accounts/signup/?next=https://evil.example/",
        {
            "email": "new@example.org",
            "display_name": "New",
            "password1": "sea-glass-and-driftwood",
            "password2": "sea-glass-and-driftwood",
            "time_zone": "Europe/London",
            "country": "GB",
        },
    )
    assert response["Location"] == reverse("network:home")


def test_the_sign_in_page_keeps_next_for_its_form_and_its_signup_link(client, member, invited):
    _invitation, token = invited
    here = join_url(token)
    page = Page(client.get(f"/accounts/login/?next={quote(here, safe='')}").content)
    assert page.control("next").get("value") == here
    assert page.find("a", href=f"/accounts/signup/?next={quote(here, safe='')}")
    response = client.post(
        "/accounts/login/", {"username": "sam@example.org", "password": "x", "next": here}
    )
    assert response.status_code == 200  # wrong password: the form again, still with next
    assert Page(response.content).control("next").get("value") == here


def test_a_signed_in_supporter_joins_with_one_button(supporter_client, supporter, invited):
    _invitation, token = invited
    response = supporter_client.get(join_url(token))
    # No other site ever gets the address; our own form still posts with its Origin.
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    page = Page(response.content)
    assert [b for b in page.find_all("button") if b.text == "Join Robin's circle"]
    assert [a for a in page.find_all("a", href=reverse("network:home")) if a.text == "No thanks"]
    joined = supporter_client.post(join_url(token))
    link = Link.objects.get(supporter=supporter)
    assert joined["Location"] == reverse("circle:supporting-member", args=[link.pk])
    assert set(link.scopes) == {Scope.HELP_REQUESTS, Scope.MOOD_TREND}
    # The link again: straight to what they share, not an error.
    again = supporter_client.get(join_url(token))
    assert again["Location"] == reverse("circle:supporting-member", args=[link.pk])


def test_posting_signed_out_asks_to_sign_in_and_changes_nothing(client, invited):
    _invitation, token = invited
    before = state()
    response = client.post(join_url(token))
    assert response["Location"] == f"/accounts/login/?next={quote(join_url(token), safe='')}"
    assert state() == before


def test_the_member_sees_their_own_invitation_but_cant_join_it(member_client, invited):
    _invitation, token = invited
    before = state()
    response = member_client.get(join_url(token))
    assert response.status_code == 200
    assert "This is your own invitation." in html(response)
    assert not [b for b in Page(response.content).find_all("button") if b.text.startswith("Join")]
    response = member_client.post(join_url(token))
    assert "This is your own invitation." in html(response)
    assert state() == before


def test_someone_in_the_circle_already_is_told_kindly(
    supporter_client, member, supporter, make_link, invited
):
    make_link(member, supporter)
    _invitation, token = invited
    before = state()
    response = supporter_client.post(join_url(token))
    assert response.status_code == 200
    assert "You're in Robin's circle already." in html(response)
    assert state() == before


@pytest.mark.parametrize("reason", ["unknown", "used", "expired", "withdrawn"])
def test_a_link_that_no_longer_works_gets_one_kind_404_and_is_never_logged(
    reason, supporter_client, make_user, invited, caplog
):
    invitation, token = invited
    if reason == "unknown":
        token = "A" * 43
    elif reason == "used":
        store.accept(token, make_user("first@example.org"))
    elif reason == "withdrawn":
        store.withdraw(invitation)
    before = state()
    moment = invitation.expires_at if reason == "expired" else NOW
    with caplog.at_level(logging.DEBUG), time_machine.travel(moment, tick=False):
        get = supporter_client.get(join_url(token))
        post = supporter_client.post(join_url(token))
        visitor = Client().get(join_url(token))
    for response in (get, post, visitor):
        assert response.status_code == 404
        assert response.templates[0].name == "circle/join_invalid.html"
        text = html(response)
        assert "This invitation link no longer works" in text
        assert "please ask the person who invited you for a new one" in text
        assert "Robin" not in text and "Sam" not in text
        assert "no-store" in response["Cache-Control"]
    assert get["Referrer-Policy"] == post["Referrer-Policy"] == "same-origin"
    assert visitor["Referrer-Policy"] == "no-referrer"
    assert token not in caplog.text
    assert state() == before


# Leaving, the supporter's side ---------------------------------------------------------------


def test_a_supporter_can_leave_after_confirming(supporter_client, member, supporter, make_link):
    link = make_link(member, supporter, [Scope.GOALS])
    url = reverse("circle:supporting-leave", args=[link.pk])
    response = supporter_client.get(url)
    page = Page(response.content)
    assert_one_h1(page)
    assert page.find("h1").text == "Leave Robin's circle?"
    assert Link.objects.get(pk=link.pk).is_active
    response = supporter_client.post(url)
    assert response["Location"] == reverse("circle:supporting")
    link.refresh_from_db()
    assert (link.is_active, link.ended_by) == (False, EndedBy.SUPPORTER)
    assert AccessEntry.objects.filter(link=link, action=AccessAction.ENDED).count() == 1
    assert messages_of(response) == [
        "You've left Robin's circle. Nothing of theirs is shared with you any more."
    ]
    assert supporter_client.post(url).status_code == 404
    assert store.supporters_of(member).count() == 0


def test_a_stranger_cant_leave_for_someone_else(stranger_client, link):
    url = reverse("circle:supporting-leave", args=[link.pk])
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url).status_code == 404
    assert Link.objects.get(pk=link.pk).is_active


# In a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_inviting_by_link_and_joining_as_a_new_account(page, browser, live_server):
    member = User.objects.create_user(
        "robin@example.org", PASSWORD, display_name="Robin", time_zone="Europe/London"
    )
    Person.objects.create(owner=member, name="Sam Rivera")
    base = live_server.url
    sign_in(page, live_server)

    page.goto(f"{base}/circle/")
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").first.click()
    page.wait_for_url(f"{base}/circle/invite/")
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Who you'd like to invite").select_option(label="Sam Rivera")
    page.get_by_label("Give me a link to pass on myself").check()
    page.get_by_label("Mood and stress, as weekly averages").check()
    page.get_by_role("button", name="Invite").click()
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith("http://127.0.0.1:8000/circle/join/")
    assert_accessible(page)

    # Someone else, in another browser, opens the link: the same path on this server.
    path = link.removeprefix("http://127.0.0.1:8000")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    other = context.new_page()
    try:
        other.goto(f"{base}{path}")
        assert other.get_by_role("heading", level=1).inner_text() == (
            "Robin would like you in their circle of supporters"
        )
        assert_accessible(other)
        other.get_by_role("link", name="Create an account").click()
        other.get_by_label("E-mail address").fill("sam@example.org")
        other.get_by_label("Password", exact=True).fill("sea-glass-and-driftwood")
        other.get_by_label("Password again").fill("sea-glass-and-driftwood")
        other.get_by_role("button", name="Create my account").click()
        other.wait_for_url(f"{base}{path}")
        other.get_by_role("button", name="Join Robin's circle").click()
        other.wait_for_url(re.compile(r".*/supporting/\d+/$"))
    finally:
        context.close()
    joined = Link.objects.get()
    assert joined.supporter.email == "sam@example.org"
    assert joined.scopes == [Scope.MOOD_TREND]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_someone_else_clears_the_address_filled_in_for_the_first(page, live_server):
    member = User.objects.create_user(
        "robin@example.org", PASSWORD, display_name="Robin", time_zone="Europe/London"
    )
    sam = Person.objects.create(owner=member, name="Sam Rivera", email="sam@example.org")
    Person.objects.create(owner=member, name="Ada Okafor", email="ada@example.org")
    base = live_server.url
    sign_in(page, live_server)

    page.goto(f"{base}/circle/invite/?person={sam.pk}")
    email = page.get_by_label("Their e-mail address")
    assert email.input_value() == "sam@example.org"
    page.get_by_label("Who you'd like to invite").select_option(label="Ada Okafor")
    assert email.input_value() == ""
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url(f"{base}/circle/")
    assert Message.objects.get().to_address == "ada@example.org"
