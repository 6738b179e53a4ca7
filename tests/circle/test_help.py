"""'I need support': one request per tap, only to supporters who share requests, a message
on each of their channels, and a signed link that records their answer once."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import signing
from django.db import connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle import help as store
from closeknit.circle.models import HelpAnswer, HelpRequest, Link
from closeknit.circle.vocab import Scope
from closeknit.notify.delivery import deliver_due
from closeknit.notify.models import Channel, Message
from tests.notify.codes import mailed_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 14, 2, tzinfo=dt.UTC)  # 14:02 in London (GMT)
WORDS = "Rough night. Could you call me?"
ANSWER_LINK = re.compile(r"(https?://\S+/circle/answer/[^/\s]+/)\?choice=(\w+)")
on_postgresql = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the in-memory SQLite test database can't take two writers at once",
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def channel(owner: User, address: str, *, verified: bool = True) -> Channel:
    return Channel.objects.create(
        owner=owner,
        kind="email",
        config={"address": address},
        verified_at=timezone.now() if verified else None,
    )


@pytest.fixture
def alex_link(make_link: Callable[..., Link], member: User, alex: User) -> Link:
    return make_link(member, alex, [Scope.HELP_REQUESTS, Scope.GOALS])


def ask(member: User, links: list[Link], key: str = "tap-1", words: str = WORDS) -> Any:
    return store.ask(member, words, [link.pk for link in links], key)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> dict[str, str]:
    """The answer links of a message, by choice, as paths for the test client."""
    return {choice: path_of(f"{url}?choice={choice}") for url, choice in ANSWER_LINK.findall(text)}


def token_of(answer: HelpAnswer) -> str:
    body = Message.objects.filter(dedup_key__startswith=f"help:{answer.pk}:").first().body
    return ANSWER_LINK.search(body).group(1).rstrip("/").rsplit("/", 1)[1]


def state() -> list[Any]:
    return [
        list(HelpRequest.objects.values_list("pk", "message", "client_key").order_by("pk")),
        list(HelpAnswer.objects.values_list("pk", "answer", "answered_at").order_by("pk")),
        list(Message.objects.values_list("dedup_key", "status").order_by("pk")),
    ]


# Asking --------------------------------------------------------------------------------------


def test_a_request_reaches_each_chosen_supporter_once(member, supporter, alex, sam_link, alex_link):
    request, created = ask(member, [sam_link, alex_link])
    assert created
    assert (request.owner, request.message, request.client_key) == (member, WORDS, "tap-1")
    answers = list(request.answers.order_by("id"))
    assert [(a.link, a.supporter, a.supporter_name, a.answer) for a in answers] == [
        (sam_link, supporter, "Sam Rivera", ""),  # the name Robin knows Sam by
        (alex_link, alex, "Alex", ""),
    ]
    assert all(a.owner == member and a.answered_at is None for a in answers)
    assert store.sent_words(request) == (
        "Sent to Sam Rivera and Alex. Their answers show here as they come in."
    )


def test_each_verified_channel_gets_a_message_owned_by_the_supporter(
    member, supporter, sam_link, frozen
):
    phone = channel(supporter, "sam.phone@example.org")
    inbox = channel(supporter, "sam.inbox@example.org")
    channel(supporter, "sam.old@example.org", verified=False)
    request, _ = ask(member, [sam_link])
    answer = request.answers.get()
    rows = list(Message.objects.order_by("id"))
    assert [(m.dedup_key, m.channel, m.to_address) for m in rows] == [
        (f"help:{answer.pk}:{phone.pk}", phone, ""),
        (f"help:{answer.pk}:{inbox.pk}", inbox, ""),
    ]
    for message in rows:
        assert (message.owner, message.kind, message.url) == (
            supporter,
            "help_request",
            "/supporting/",
        )
        assert message.title == "Robin asked for support"
        assert message.due_at == NOW
    assert rows[0].body == rows[1].body


def test_without_channels_it_goes_to_the_account_email(member, supporter, sam_link):
    channel(member, "robin@example.org")  # the member's own channels play no part
    request, _ = ask(member, [sam_link])
    message = Message.objects.get()
    assert message.dedup_key == f"help:{request.answers.get().pk}:email"
    assert (message.owner, message.channel, message.to_address) == (
        supporter,
        None,
        "sam@example.org",
    )


def test_the_message_quotes_the_words_and_holds_both_answers(member, sam_link):
    ask(member, [sam_link])
    body = Message.objects.get().body
    assert body.startswith(f"“{WORDS}”\n\n")
    lines = body.splitlines()
    assert lines[2].startswith(f"I'm reaching out now: {django_settings.BASE_URL}/circle/answer/")
    assert lines[2].endswith("/?choice=reaching_out")
    assert lines[3].startswith(f"I can't right now: {django_settings.BASE_URL}/circle/answer/")
    assert lines[3].endswith("/?choice=cant_now")
    assert lines[-1] == "Answering needs no sign-in, and lets Robin know."
    # The secret link is in the encrypted body only, never in the plain `url` column.
    assert "answer" not in Message.objects.get().url


def test_the_same_tap_twice_sends_once(member, sam_link, frozen):
    first, created = ask(member, [sam_link], key="tap-1")
    before = state()
    frozen.shift(dt.timedelta(hours=5))  # long after the window: the key alone decides
    again, created_again = ask(member, [sam_link], key="tap-1", words="Something else")
    assert (created, created_again) == (True, False)
    assert again == first
    assert state() == before


def test_another_request_within_the_window_is_not_sent(member, sam_link, frozen, settings):
    settings.CIRCLE_HELP_REQUEST_MINUTES = 2
    first, _ = ask(member, [sam_link], key="tap-1")
    before = state()
    frozen.shift(dt.timedelta(minutes=2) - dt.timedelta(seconds=1))
    again, created = ask(member, [sam_link], key="tap-2")
    assert (again, created) == (first, False)
    assert state() == before
    assert store.already_sent_words(again, member.zone) == (
        "Your request went out at 14:02; we didn't send it twice."
    )
    frozen.shift(dt.timedelta(seconds=1))  # exactly two minutes on: a new request goes
    later, created = ask(member, [sam_link], key="tap-3")
    assert created and later != first
    assert Message.objects.count() == 2


def test_the_window_is_per_member(member, stranger, sam_link, make_link, supporter):
    theirs = make_link(stranger, supporter, [Scope.HELP_REQUESTS])
    ask(member, [sam_link], key="tap-1")
    _, created = store.ask(stranger, WORDS, [theirs.pk], "tap-1")
    assert created


def test_the_sent_time_is_in_the_members_zone(member, sam_link):
    with time_machine.travel(dt.datetime(2026, 7, 1, 13, 2, tzinfo=dt.UTC), tick=False):
        request, _ = ask(member, [sam_link])
    assert store.already_sent_words(request, member.zone).startswith(
        "Your request went out at 14:02"  # BST
    )


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("keys", [("tap", "tap"), ("tap-1", "tap-2")])
def test_two_taps_at_once_send_once(member, sam_link, keys):
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(keys))
    lock = threading.Lock()

    def tap(key: str) -> None:
        try:
            start.wait()
            request, created = store.ask(member, WORDS, [sam_link.pk], key)
            with lock:
                results.append((request.pk, created))
        except BaseException as error:  # reported in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(created for _pk, created in results) == [False, True]
    assert len({pk for pk, _created in results}) == 1
    assert HelpRequest.objects.count() == HelpAnswer.objects.count() == Message.objects.count() == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("   ", store.NO_WORDS),
        ("", store.NO_WORDS),
        ("x" * 501, "Please keep it to 500 characters; this one has 501."),
    ],
)
def test_a_message_needs_words_within_500(member, sam_link, words, expected):
    with pytest.raises(store.HelpError) as refused:
        ask(member, [sam_link], words=words)
    assert refused.value.errors == {"message": expected}
    assert state() == [[], [], []]


def test_a_message_of_500_is_sent_stripped(member, sam_link):
    request, _ = ask(member, [sam_link], words="  " + "x" * 500 + "\n")
    assert request.message == "x" * 500


def test_line_breaks_count_once_as_the_browser_counts_them(member, sam_link):
    words = "\r\n".join(["x" * 99] * 5)  # 495 characters and 4 breaks, as a form sends them
    request, _ = ask(member, [sam_link], words=words)
    assert request.message == "\n".join(["x" * 99] * 5)


def test_someone_must_be_chosen(member, sam_link):
    with pytest.raises(store.HelpError) as refused:
        store.ask(member, WORDS, [], "tap")
    assert refused.value.errors == {"supporters": store.NO_ONE_CHOSEN}
    assert state() == [[], [], []]


def test_a_link_without_the_scope_is_refused_by_name(member, sam_link, make_link, alex):
    quiet = make_link(member, alex, [Scope.GOALS])
    with pytest.raises(store.HelpError) as refused:
        ask(member, [sam_link, quiet])
    assert refused.value.errors == {
        "supporters": "Alex doesn't get your “I need support” requests any more, "
        "so nothing was sent. Please choose again."
    }
    assert state() == [[], [], []]


def test_a_revoked_scope_is_refused(member, sam_link):
    grants.set_scopes(sam_link, [Scope.GOALS])
    with pytest.raises(store.HelpError) as refused:
        ask(member, [sam_link])
    assert "Sam Rivera doesn't get" in refused.value.errors["supporters"]
    assert state() == [[], [], []]


def test_an_ended_link_is_refused(member, sam_link):
    grants.end(sam_link, "supporter")
    with pytest.raises(store.HelpError):
        ask(member, [sam_link])
    assert state() == [[], [], []]


@pytest.mark.parametrize("bad", ["their", [None], ["x"]])
def test_someone_elses_link_or_nonsense_is_refused_without_naming(
    member, stranger, sam_link, make_link, alex, bad
):
    theirs = make_link(stranger, alex, [Scope.HELP_REQUESTS], name="Alex Secret")
    ids = [sam_link.pk, theirs.pk] if bad == "their" else bad
    with pytest.raises(store.HelpError) as refused:
        store.ask(member, WORDS, ids, "tap")
    assert refused.value.errors == {"supporters": store.NOT_IN_CIRCLE}
    assert state() == [[], [], []]


def test_a_client_key_is_made_when_none_is_given_and_long_ones_are_refused(member, sam_link):
    request, _ = store.ask(member, WORDS, [sam_link.pk])
    assert len(request.client_key) >= 16
    with pytest.raises(store.HelpError) as refused:
        store.ask(member, WORDS, [sam_link.pk], "k" * 65)
    assert list(refused.value.errors) == ["client_key"]


# Delivering, later ---------------------------------------------------------------------------


@pytest.fixture
def held(member, supporter, sam_link, frozen) -> Message:
    """Sam's phone is quiet from 22:00 to 08:00 London time: Robin asks at 23:30."""
    Channel.objects.create(
        owner=supporter,
        kind="email",
        config={"address": "sam.phone@example.org"},
        verified_at=timezone.now(),
        quiet_from=dt.time(22, 0),
        quiet_until=dt.time(8, 0),
    )
    frozen.move_to(dt.datetime(2026, 3, 18, 23, 30, tzinfo=dt.UTC))
    ask(member, [sam_link])
    assert deliver_due() == 1  # held back until the morning
    (message,) = Message.objects.filter(kind="help_request")
    assert message.status == "pending"
    return message


MORNING = dt.datetime(2026, 3, 19, 8, 0, tzinfo=dt.UTC)


def test_a_request_held_by_quiet_hours_goes_when_they_end(held, smtp_inbox):
    deliver_due(now=MORNING)
    assert [mail["To"] for mail in smtp_inbox.messages] == ["sam.phone@example.org"]
    held.refresh_from_db()
    assert held.status == "sent"


@pytest.mark.parametrize(
    "take_back",
    [
        lambda link: grants.set_scopes(link, [Scope.GOALS]),
        lambda link: grants.end(link, "member"),
        lambda link: grants.end(link, "supporter"),
        lambda link: User.objects.filter(pk=link.owner_id).update(is_active=False),
    ],
    ids=["scope revoked", "member ended the link", "supporter left", "member closed the account"],
)
def test_a_request_no_longer_shared_when_it_would_go_does_not_go(
    held, sam_link, smtp_inbox, take_back
):
    take_back(sam_link)
    deliver_due(now=MORNING)
    assert smtp_inbox.messages == []
    # Deleted unsent: nothing in Sam's outbox says Robin asked.
    assert not Message.objects.filter(pk=held.pk).exists()


def test_a_request_answered_meanwhile_does_not_go(held, supporter, smtp_inbox):
    store.answer_as(supporter, HelpAnswer.objects.get().pk, "reaching_out")
    deliver_due(now=MORNING)
    assert smtp_inbox.messages == []
    held.refresh_from_db()
    assert (held.status, held.last_error) == ("failed", store.ANSWERED_BEFORE)


def test_a_request_goes_while_its_links_work_and_not_after(held, settings, smtp_inbox):
    asked_at = HelpRequest.objects.get().created_at
    window = dt.timedelta(hours=settings.CIRCLE_ANSWER_HOURS)
    assert store.undeliverable(held, asked_at + window - dt.timedelta(seconds=1)) is None
    assert store.undeliverable(held, asked_at + window) == store.LINKS_EXPIRED
    deliver_due(now=asked_at + window)
    assert smtp_inbox.messages == []
    held.refresh_from_db()
    assert (held.status, held.last_error) == ("failed", store.LINKS_EXPIRED)


@pytest.mark.parametrize("key", ["help", "help:x:1", "help:1", "nudge:1:2"])
def test_a_key_this_module_did_not_make_never_goes(held, key):
    held.dedup_key = key
    assert store.undeliverable(held, MORNING) == store.STOPPED_SHARING


def test_a_request_addressed_to_someone_else_never_goes(held, alex):
    held.owner = alex
    assert store.undeliverable(held, MORNING) == store.STOPPED_SHARING


# Answering -----------------------------------------------------------------------------------


@pytest.fixture
def asked(member, supporter, sam_link) -> HelpAnswer:
    request, _ = ask(member, [sam_link])
    return request.answers.get()


def test_the_email_arrives_and_its_link_records_the_answer(
    member, supporter, sam_link, smtp_inbox, frozen
):
    robin_phone = channel(member, "robin.phone@example.org")
    request, _ = ask(member, [sam_link])
    assert deliver_due() == 1
    [mail] = smtp_inbox.messages
    assert mail["To"] == "sam@example.org"
    assert mail["Subject"] == "Robin asked for support"
    text = mailed_text(smtp_inbox)
    assert WORDS in text
    assert "you are in someone's circle of supporters" in text
    links = links_in(text)
    assert set(links) == {"reaching_out", "cant_now"}

    visitor = Client(enforce_csrf_checks=True)  # Sam, not signed in
    page = visitor.get(links["reaching_out"])
    assert page.status_code == 200
    assert "Robin asked for support" in page.content.decode()
    assert WORDS in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    answer = request.answers.get()
    assert answer.answered_at is None  # opening the link records nothing
    csrf = visitor.cookies["csrftoken"].value
    done = visitor.post(
        links["reaching_out"], {"choice": "reaching_out", "csrfmiddlewaretoken": csrf}
    )
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    answer.refresh_from_db()
    assert (answer.answer, answer.answered_at) == ("reaching_out", NOW)

    # Robin hears of it on their verified channel, and it reaches them.
    told = Message.objects.get(kind="help_answer")
    assert told.dedup_key == f"help-answer:{answer.pk}:{robin_phone.pk}"
    assert (told.owner, told.channel) == (member, robin_phone)
    assert told.title == "Sam Rivera is reaching out now"
    assert told.url == f"/circle/help/{request.pk}/"
    assert told.body == (
        "You asked for support at 14:02 on 18 March. Sam Rivera answered: I'm reaching out now."
    )
    assert deliver_due() == 1
    assert smtp_inbox.messages[-1]["To"] == "robin.phone@example.org"
    assert smtp_inbox.messages[-1]["Subject"] == "Sam Rivera is reaching out now"


def test_an_answer_is_given_once(asked, member):
    channel(member, "robin@example.org")
    first = store.answer(token_of(asked), "cant_now")
    assert first.answer == "cant_now"
    with pytest.raises(store.AlreadyAnswered) as again:
        store.answer(token_of(asked), "reaching_out")
    assert (again.value.answer.answer, again.value.answer.answered_at) == (
        "cant_now",
        first.answered_at,
    )
    asked.refresh_from_db()
    assert asked.answer == "cant_now"
    assert Message.objects.filter(kind="help_answer").count() == 1


def test_the_member_without_channels_is_told_on_the_page_only(asked):
    store.answer(token_of(asked), "reaching_out")
    assert not Message.objects.filter(kind="help_answer").exists()


def test_cant_right_now_has_its_own_title(asked, member):
    channel(member, "robin@example.org")
    store.answer(token_of(asked), "cant_now")
    assert Message.objects.get(kind="help_answer").title == "Sam Rivera can't right now"


@pytest.mark.parametrize("choice", ["", "maybe", "REACHING_OUT"])
def test_an_unknown_choice_is_refused(asked, choice):
    with pytest.raises(store.AnswerRefused):
        store.answer(token_of(asked), choice)
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_a_tampered_token_is_refused(asked):
    token = token_of(asked)
    forged = signing.dumps(asked.pk + 1, salt=store.SALT)[: -len(token.split(":")[-1])]
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        forged + token.split(":")[-1],  # another pk with this signature
        signing.dumps(asked.pk),  # signed, but not for answers
        signing.dumps("x", salt=store.SALT),
        "nonsense",
        "",
    ):
        with pytest.raises(store.AnswerRefused):
            store.answer(bad, "reaching_out")
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_the_link_works_for_the_hours_set_and_no_longer(member, sam_link, frozen, settings):
    settings.CIRCLE_ANSWER_HOURS = 72
    first, _ = ask(member, [sam_link], key="a")
    frozen.shift(dt.timedelta(hours=1))
    second, _ = ask(member, [sam_link], key="b")
    frozen.shift(dt.timedelta(hours=72) - dt.timedelta(seconds=1))
    # The second link is a second short of 72 hours old; the first, an hour past.
    store.answer(token_of(second.answers.get()), "reaching_out")
    with pytest.raises(store.AnswerRefused):
        store.open_answer(token_of(first.answers.get()))
    with pytest.raises(store.AnswerRefused):
        store.answer(token_of(first.answers.get()), "reaching_out")
    assert first.answers.get().answered_at is None


def test_a_revoked_scope_or_ended_link_closes_the_answer_link(asked, sam_link):
    token = token_of(asked)
    grants.set_scopes(sam_link, [Scope.GOALS])
    with pytest.raises(store.AnswerRefused):
        store.open_answer(token)
    with pytest.raises(store.AnswerRefused):
        store.answer(token, "reaching_out")
    grants.set_scopes(sam_link, [Scope.HELP_REQUESTS])
    assert store.open_answer(token) == asked  # shared again: it works again
    grants.end(sam_link, "member")
    with pytest.raises(store.AnswerRefused):
        store.answer(token, "reaching_out")
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_a_deactivated_member_closes_the_answer_link(asked, member):
    User.objects.filter(pk=member.pk).update(is_active=False)
    with pytest.raises(store.AnswerRefused):
        store.open_answer(token_of(asked))


# Answering signed in -------------------------------------------------------------------------


def test_a_signed_in_supporter_answers_their_own(asked, supporter, member):
    channel(member, "robin@example.org")
    answered = store.answer_as(supporter, asked.pk, "reaching_out")
    assert answered.answer == "reaching_out"
    assert Message.objects.filter(kind="help_answer").count() == 1
    with pytest.raises(store.AlreadyAnswered):
        store.answer_as(supporter, asked.pk, "cant_now")


def test_answering_someone_elses_request_is_404(asked, member, stranger, alex):
    for user in (stranger, alex, member):
        with pytest.raises(Http404):
            store.answer_as(user, asked.pk, "reaching_out")
    for bad in (None, "x", asked.pk + 100):
        with pytest.raises(Http404):
            store.answer_as(asked.supporter, bad, "reaching_out")
    asked.refresh_from_db()
    assert asked.answered_at is None


def test_answering_after_the_scope_is_revoked_is_404(asked, supporter, sam_link):
    grants.set_scopes(sam_link, [])
    with pytest.raises(Http404):
        store.answer_as(supporter, asked.pk, "reaching_out")


def test_a_signed_in_supporter_still_needs_a_known_choice(asked, supporter):
    with pytest.raises(store.AnswerRefused):
        store.answer_as(supporter, asked.pk, "later")


def test_every_request_stays_in_the_log_with_its_answers(member, sam_link, frozen, supporter):
    first, _ = ask(member, [sam_link], key="a")
    frozen.shift(dt.timedelta(minutes=10))
    second, _ = ask(member, [sam_link], key="b")
    store.answer_as(supporter, second.answers.get().pk, "reaching_out")
    rows = list(store.requests_of(member))
    assert rows == [second, first]
    assert [[a.answer for a in r.answers.all()] for r in rows] == [["reaching_out"], [""]]
