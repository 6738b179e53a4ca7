"""The pages of "I need support": the button on every page, the form, each request with its
answers polled by htmx, the history, and the public page a supporter answers on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle import help as store
from closeknit.circle.models import HelpAnswer, HelpRequest, Link
from closeknit.circle.vocab import Scope
from closeknit.notify.models import Message
from tests.accounts.html import Page, assert_every_control_is_labelled, assert_one_h1
from tests.circle.test_help import links_in, token_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 14, 2, tzinfo=dt.UTC)
FORM = reverse("circle:help")
HISTORY = reverse("circle:help-requests")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alex_link(make_link: Callable[..., Link], member: User, alex: User) -> Link:
    return make_link(member, alex, [Scope.HELP_REQUESTS])


@pytest.fixture
def asked(member, sam_link, alex_link) -> HelpRequest:
    request, _ = store.ask(member, "Rough night.", [sam_link.pk, alex_link.pk], "tap")
    return request


def html(response: Any) -> str:
    """The page as its reader sees the words (entities like &#x27; unescaped)."""
    return unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_of(help_request: HelpRequest) -> str:
    return reverse("circle:help-request", args=[help_request.pk])


def answers_of(help_request: HelpRequest) -> str:
    return reverse("circle:help-answers", args=[help_request.pk])


def send(client: Client, links: list[Link], key: str = "key-1", **fields: Any) -> Any:
    fields.setdefault("message", "I'm having a hard day.")
    fields.setdefault("supporters", [link.pk for link in links])
    return client.post(FORM, {"client_key": key, **fields})


# The button ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "route", ["network:home", "rhythms:appreciations", "recovery:get-help", "circle:help"]
)
def test_the_button_is_on_every_page_for_a_signed_in_member(member_client, route):
    content = Page(member_client.get(reverse(route)).content)
    button = content.find("a", class_="need-support")
    assert button.get("href") == FORM
    assert button.text == "I need support"
    help_now = content.find("a", class_="help-now")
    # Right beside "Get help now".
    assert content.elements.index(button) == content.elements.index(help_now) + 1


def test_signed_out_pages_have_no_button(client, asked):
    for path in (
        reverse("accounts:login"),
        reverse("recovery:get-help"),
        links_in(Message.objects.first().body)["reaching_out"],
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "need-support" not in html(response)
        assert "Get help now" in html(response)


# The form ------------------------------------------------------------------------------------


def test_the_form_comes_prefilled_with_everyone_ticked(
    member_client, sam_link, alex_link, make_link, member, stranger
):
    make_link(member, stranger, [Scope.GOALS])  # shares no requests: not offered
    response = member_client.get(FORM)
    content = Page(response.content)
    assert_one_h1(content)
    assert_every_control_is_labelled(content)
    assert content.control("message").text == store.DEFAULT_MESSAGE
    boxes = [e for e in content.find_all("input") if e.get("name") == "supporters"]
    assert [(b.get("value"), "checked" in b.attrs) for b in boxes] == [
        (str(sam_link.pk), True),
        (str(alex_link.pk), True),
    ]
    assert [content.label_for(b).text for b in boxes] == ["Sam Rivera", "Alex"]
    assert "If you are in danger right now, call your local emergency number" in html(response)
    key = content.control("client_key")
    assert key.get("type") == "hidden" and len(key.get("value")) >= 16
    # A new key on every render: a new visit to the form is a new request.
    assert Page(member_client.get(FORM).content).control("client_key").get("value") != key.get(
        "value"
    )


def test_sending_goes_to_the_request_page(member_client, member, sam_link, alex_link):
    response = send(member_client, [sam_link])
    request = HelpRequest.objects.owned_by(member).get()
    assert response.status_code == 302
    assert response["Location"] == page_of(request)
    assert request.message == "I'm having a hard day."
    assert [a.link for a in request.answers.all()] == [sam_link]  # Alex was unticked
    assert messages_of(response) == ["Sent to Sam Rivera. Their answers show here as they come in."]


def test_a_double_tap_sends_once_and_says_so(member_client, member, sam_link, frozen):
    first = send(member_client, [sam_link], key="same")
    second = send(member_client, [sam_link], key="same")
    request = HelpRequest.objects.owned_by(member).get()
    assert first["Location"] == second["Location"] == page_of(request)
    assert messages_of(second)[-1] == "Your request went out at 14:02; we didn't send it twice."
    assert Message.objects.count() == 1


def test_a_second_form_within_minutes_is_not_sent_again(member_client, member, sam_link):
    send(member_client, [sam_link], key="one")
    response = send(member_client, [sam_link], key="two", message="Please, anyone.")
    assert "we didn't send it twice" in messages_of(response)[-1]
    assert HelpRequest.objects.owned_by(member).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"supporters": []}, "supporters", store.NO_ONE_CHOSEN),
        ({"message": "   "}, "message", store.NO_WORDS),
        ({"message": "x" * 501}, "message", "Please keep it to 500 characters; this one has 501."),
        ({"supporters": ["999999"]}, "supporters", store.NOT_IN_CIRCLE),
    ],
)
def test_bad_input_sends_nothing_and_says_why(member_client, sam_link, fields, field, words):
    response = send(member_client, [sam_link], **fields)
    assert response.status_code == 200
    assert words in response.context["form"].errors[field]
    assert "Nothing was sent yet" in html(response)
    assert not HelpRequest.objects.exists() and not Message.objects.exists()
    # The same key stays in the form, so sending it again after a fix is still one tap.
    assert Page(response.content).control("client_key").get("value") == "key-1"


def test_a_supporter_who_stopped_sharing_meanwhile_is_named(member_client, sam_link, alex_link):
    grants.set_scopes(alex_link, [])
    response = send(member_client, [sam_link, alex_link])
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    # Alex is no longer offered, so the form says so in its own words.
    assert response.context["form"].errors["supporters"] == [store.NOT_IN_CIRCLE]


def test_without_anyone_to_ask_a_kind_way_forward(member_client, make_link, member, supporter):
    make_link(member, supporter, [Scope.GOALS])
    response = member_client.get(FORM)
    content = Page(response.content)
    assert_one_h1(content)
    assert "No one gets your requests yet" in html(response)
    # The menu links to the circle too; the way forward is the one that says so.
    links = content.find_all("a", href=reverse("circle:supporters"))
    assert "Go to your circle" in [link.text for link in links]
    assert content.find("a", href=reverse("recovery:get-help"), class_="button")
    assert content.find("a", href=reverse("recovery:safety-plan"), class_="button secondary")
    assert not content.find_all("form", method="post")[1:]  # only the sign-out form
    # A POST without anyone to ask sends nothing.
    assert member_client.post(FORM, {"message": "Hi", "client_key": "k"}).status_code == 200
    assert not HelpRequest.objects.exists()


def test_signed_out_visitors_sign_in_first(client):
    for path in (FORM, HISTORY, "/circle/help/1/", "/circle/help/1/answers/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# The request page and its polling ------------------------------------------------------------


def test_the_request_pages_only_read(member_client, asked):
    assert member_client.post(page_of(asked)).status_code == 405
    assert member_client.post(answers_of(asked)).status_code == 405
    assert member_client.post(HISTORY).status_code == 405


def test_the_request_page_shows_who_was_asked_and_polls(member_client, asked, frozen):
    response = member_client.get(page_of(asked))
    content = Page(response.content)
    assert_one_h1(content)
    assert "Rough night." in html(response)
    region = [e for e in content.elements if e.get("aria-live") == "polite"]
    assert len(region) == 1
    poller = content.by_id("help-answers")
    assert poller.get("hx-trigger") == "every 5s"
    assert poller.get("hx-get") == f"{answers_of(asked)}?answered=0"
    items = [e.text for e in content.find_all("li") if "help-answer" in e.get("class")]
    assert items == ["Sam Rivera: waiting for an answer", "Alex: waiting for an answer"]


def test_the_partial_says_nothing_until_something_changes(member_client, asked, supporter):
    unchanged = member_client.get(f"{answers_of(asked)}?answered=0", headers={"HX-Request": "true"})
    assert unchanged.status_code == 204
    store.answer_as(supporter, asked.answers.get(supporter=supporter).pk, "reaching_out")
    changed = member_client.get(f"{answers_of(asked)}?answered=0", headers={"HX-Request": "true"})
    assert changed.status_code == 200
    content = Page(changed.content)
    assert "<html" not in html(changed)  # just the list, for htmx to swap in
    assert content.by_id("help-answers").get("hx-get") == f"{answers_of(asked)}?answered=1"
    items = [e.text for e in content.find_all("li") if "help-answer" in e.get("class")]
    assert items[0].startswith("Sam Rivera: I'm reaching out now")
    assert items[1] == "Alex: waiting for an answer"
    # Without the count (a first look), it always answers in full.
    assert member_client.get(answers_of(asked)).status_code == 200


def test_polling_stops_once_everyone_answered(member_client, asked, supporter, alex):
    store.answer_as(supporter, asked.answers.get(supporter=supporter).pk, "reaching_out")
    store.answer_as(alex, asked.answers.get(supporter=alex).pk, "cant_now")
    for response in (
        member_client.get(page_of(asked)),
        member_client.get(f"{answers_of(asked)}?answered=1"),
        member_client.get(f"{answers_of(asked)}?answered=2"),  # the last swap, without a trigger
    ):
        assert response.status_code == 200
        poller = Page(response.content).by_id("help-answers")
        assert "hx-trigger" not in poller.attrs and "hx-get" not in poller.attrs
        assert "I can't right now" in html(response)


def test_polling_stops_after_a_day(member_client, member, sam_link, frozen):
    request, _ = store.ask(member, "Hi", [sam_link.pk], "tap")
    frozen.shift(dt.timedelta(hours=24) - dt.timedelta(seconds=1))
    assert (
        "hx-trigger"
        in Page(member_client.get(page_of(request)).content).by_id("help-answers").attrs
    )
    frozen.shift(dt.timedelta(seconds=1))
    assert (
        "hx-trigger"
        not in Page(member_client.get(page_of(request)).content).by_id("help-answers").attrs
    )
    final = member_client.get(f"{answers_of(request)}?answered=0")
    assert final.status_code == 200  # swapped in once more, to stop the polling
    assert "waiting for an answer" in html(final)


def test_a_stranger_gets_404(stranger_client, asked, supporter_client):
    for client in (stranger_client, supporter_client):
        assert client.get(page_of(asked)).status_code == 404
        assert client.post(page_of(asked)).status_code == 404  # not 405: nothing to learn
        assert client.get(answers_of(asked)).status_code == 404
        assert client.post(answers_of(asked)).status_code == 404
        assert client.get(f"{answers_of(asked)}?answered=0").status_code == 404
        assert "Rough night." not in html(client.get(HISTORY))
    assert stranger_client.get("/circle/help/999999/").status_code == 404


def test_the_request_page_takes_a_bounded_number_of_queries(
    member_client, member, make_user, make_link, django_assert_max_num_queries
):
    links = [
        make_link(member, make_user(f"s{n}@example.org"), [Scope.HELP_REQUESTS]) for n in range(12)
    ]
    request, _ = store.ask(member, "Hi", [link.pk for link in links], "tap")
    with django_assert_max_num_queries(5):
        assert member_client.get(page_of(request)).status_code == 200
    with django_assert_max_num_queries(4):
        assert member_client.get(answers_of(request)).status_code == 200


# The history ---------------------------------------------------------------------------------


def test_the_history_lists_every_request_newest_first(
    member_client, member, sam_link, supporter, frozen
):
    first, _ = store.ask(member, "First time.", [sam_link.pk], "a")
    frozen.shift(dt.timedelta(hours=1))
    second, _ = store.ask(member, "Second time.", [sam_link.pk], "b")
    store.answer_as(supporter, second.answers.get().pk, "reaching_out")
    response = member_client.get(HISTORY)
    content = Page(response.content)
    assert_one_h1(content)
    titles = [
        e for e in content.find_all("a") if e.get("href") in (page_of(first), page_of(second))
    ]
    assert [t.get("href") for t in titles] == [page_of(second), page_of(first)]
    tags = [e.text for e in content.find_all("li", class_="tag")]
    assert tags == ["Sam Rivera: I'm reaching out now", "Sam Rivera: no answer"]


def test_the_history_is_kind_when_empty(member_client):
    assert "No requests yet" in html(member_client.get(HISTORY))


def test_the_history_pages_past_50_in_few_queries(
    member_client, member, sam_link, django_assert_max_num_queries
):
    for n in range(51):
        request = HelpRequest.objects.create(
            owner=member, message=f"Request {n}", client_key=f"k{n}"
        )
        HelpAnswer.objects.create(
            owner=member,
            request=request,
            link=sam_link,
            supporter=sam_link.supporter,
            supporter_name="Sam",
        )
    with django_assert_max_num_queries(6):
        first = member_client.get(HISTORY)
    assert len(Page(first.content).find_all("li", class_="tag")) == 50
    assert "Page 1 of 2" in html(first)
    second = member_client.get(f"{HISTORY}?page=2")
    assert len(Page(second.content).find_all("li", class_="tag")) == 1


# The answer page -----------------------------------------------------------------------------


@pytest.fixture
def answer_path(asked, supporter) -> str:
    return reverse("circle:answer", args=[token_of(asked.answers.get(supporter=supporter))])


def test_the_answer_page_shows_the_request_and_records_nothing(client, asked, answer_path):
    response = client.get(f"{answer_path}?choice=cant_now")
    assert response.status_code == 200
    # Our own form must still post with its Origin; other sites get no Referer.
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    content = Page(response.content)
    assert_one_h1(content)
    assert content.find("h1").text == "Robin asked for support"
    assert "Rough night." in html(response)
    buttons = [(b.get("value"), b.get("class")) for b in content.find_all("button", name="choice")]
    # The answer the link was for comes first, and stands out.
    assert buttons == [("cant_now", ""), ("reaching_out", "secondary")]
    assert not HelpAnswer.objects.filter(answered_at__isnull=False).exists()


def test_reaching_out_comes_first_by_default(client, answer_path):
    for query in ("", "?choice=reaching_out", "?choice=nonsense"):
        buttons = Page(client.get(answer_path + query).content).find_all("button", name="choice")
        assert [b.get("value") for b in buttons] == ["reaching_out", "cant_now"]


def test_answering_works_signed_out_with_csrf(asked, answer_path, supporter, frozen):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(answer_path)
    assert visitor.post(answer_path, {"choice": "reaching_out"}).status_code == 403  # no token
    token = visitor.cookies["csrftoken"].value
    # What a browser sends from a "no-referrer" page: refused, hence "same-origin" above.
    null_origin = visitor.post(
        answer_path,
        {"choice": "reaching_out", "csrfmiddlewaretoken": token},
        headers={"Origin": "null"},
    )
    assert null_origin.status_code == 403
    response = visitor.post(answer_path, {"choice": "reaching_out", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert Page(response.content).find("h1").text == "Thank you"
    assert "You told Robin: “I'm reaching out now”. They can see it now." in html(response)
    assert "Listen without judgment" in html(response)
    answer = asked.answers.get(supporter=supporter)
    assert (answer.answer, answer.answered_at) == ("reaching_out", NOW)


def test_signed_in_the_pages_without_the_form_keep_our_own_referer(supporter_client, answer_path):
    # The sign-out button in the header is a form of ours, too.
    supporter_client.post(answer_path, {"choice": "cant_now"})
    assert supporter_client.get(answer_path)["Referrer-Policy"] == "same-origin"
    assert supporter_client.get("/circle/answer/nonsense/")["Referrer-Policy"] == "same-origin"


def test_a_used_link_shows_the_answer_and_changes_nothing(
    client, asked, answer_path, supporter, frozen
):
    client.post(answer_path, {"choice": "cant_now"})
    frozen.shift(dt.timedelta(minutes=5))
    for response in (client.get(answer_path), client.post(answer_path, {"choice": "reaching_out"})):
        assert response.status_code == 200
        assert Page(response.content).find("h1").text == "You already answered"
        assert Page(response.content).find("p", class_="lead").text == (
            "You answered Robin 5 minutes ago: “I can't right now”. "
            "An answer is given once, so nothing has changed."
        )
        assert not Page(response.content).find_all("button", name="choice")
    answer = asked.answers.get(supporter=supporter)
    assert (answer.answer, answer.answered_at) == ("cant_now", NOW)


def test_an_answer_without_a_choice_asks_again(client, answer_path):
    response = client.post(answer_path, {"choice": "maybe"})
    assert response.status_code == 200
    assert "Please choose one of the two answers." in html(response)
    assert not HelpAnswer.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize("token", ["nonsense", "MQ:1tXYZ:abc"])
def test_a_bad_link_gets_one_kind_404(client, token):
    response = client.get(reverse("circle:answer", args=[token]))
    assert response.status_code == 404
    assert response["Referrer-Policy"] == "no-referrer"
    assert Page(response.content).find("h1").text == "This link no longer works"


def test_an_expired_or_revoked_link_gets_the_same_404(
    client, asked, answer_path, sam_link, frozen, settings
):
    settings.CIRCLE_ANSWER_HOURS = 72
    frozen.shift(dt.timedelta(hours=72, seconds=1))
    expired = client.get(answer_path)
    assert expired.status_code == 404
    assert "Rough night." not in html(expired)
    frozen.shift(-dt.timedelta(hours=1))
    assert client.get(answer_path).status_code == 200
    grants.set_scopes(sam_link, [])
    for response in (client.get(answer_path), client.post(answer_path, {"choice": "cant_now"})):
        assert response.status_code == 404
        assert "Rough night." not in html(response)
    assert not HelpAnswer.objects.filter(answered_at__isnull=False).exists()
