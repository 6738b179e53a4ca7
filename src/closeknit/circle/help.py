"""'I need support': the member's request to chosen supporters, and their answers.

The rules:

- `ask` sends one request, in one transaction. The member's row is locked first, so two
  taps at once take turns: the second finds the first. A request with the same
  `client_key` (the same form, tapped twice), or any request sent in the last
  `CIRCLE_HELP_REQUEST_MINUTES`, is returned instead of sending again (`created` False).
- It goes only to the member's active links that share `help_requests` (the consent gate,
  `grants.with_scope`); any other id refuses the whole request and nothing is sent.
- Each supporter gets one message per verified channel of theirs, or one e-mail to their
  account's address when they have none. The message holds a signed link per answer.
- A supporter answers once, by that link without signing in (`answer`), or signed in on
  their own page (`answer_as`). The link works for `CIRCLE_ANSWER_HOURS`, and only while
  the link still shares `help_requests`. Recording is a conditional UPDATE on an empty
  `answered_at`, so a second answer changes nothing.
- The member hears of each answer on their verified channels, and always on the page.
- A message still in the outbox (held by the supporter's quiet hours, or waiting for a
  retry) is checked again as it goes (`undeliverable`, asked by notify/delivery.py): it
  goes only while the link still shares `help_requests`, the supporter hasn't answered
  yet, and its answer links still work.

Every request stays, with its answers: they are the member's log of asking.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle.models import HelpAnswer, HelpRequest, Link
from closeknit.circle.vocab import Answer, Scope
from closeknit.network.wording import join_names
from closeknit.notify.models import Channel, Message
from closeknit.notify.outbox import enqueue
from closeknit.notify.reminders import Target, targets_of
from closeknit.notify.vocab import MessageKind

MAX_MESSAGE = 500
MAX_CLIENT_KEY = 64
SALT = "closeknit.circle.answer"
# How long the member's request page keeps looking for new answers.
POLL_FOR = dt.timedelta(hours=24)
PAGE_SIZE = 50

DEFAULT_MESSAGE = (
    "I'm having a hard time and could use some support. Could you reach out when you can?"
)
NO_WORDS = "Please write a few words, or keep the message as it was."
NO_ONE_CHOSEN = "Please choose at least one person to ask."
NOT_IN_CIRCLE = (
    "Someone you chose isn't in your circle any more, so nothing was sent. Please choose again."
)
# Why a request in the outbox no longer goes. The supporter reads the last two in their
# outbox; one no longer shared is deleted unsent (notify/delivery.py), so it says nothing.
STOPPED_SHARING = (
    "The member stopped sharing their requests for support with you before it could go."
)
ANSWERED_BEFORE = "You had answered before it could go."
LINKS_EXPIRED = "Its answer links had expired before it could go."
THANKS_TITLES = {
    Answer.REACHING_OUT: "{name} is reaching out now",
    Answer.CANT_NOW: "{name} can't right now",
}


class HelpError(ValueError):
    """A request that can't be sent; `errors` maps `message` or `supporters` to kind words."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class AnswerRefused(Exception):
    """An answer that can't be recorded: the link is bad, expired, or no longer shared."""


class AlreadyAnswered(AnswerRefused):
    """The answer was given before; `answer` holds what and when. Nothing changed."""

    def __init__(self, answer: HelpAnswer) -> None:
        self.answer = answer
        super().__init__(f"Answer {answer.pk} was already given.")


# Asking --------------------------------------------------------------------------------------


def choosable(member: Any) -> QuerySet[Link]:
    """Whom the member can ask: their active links that share help requests."""
    return (
        grants.with_scope(member, Scope.HELP_REQUESTS)
        .select_related("person", "supporter")
        .order_by("created_at", "id")
    )


def new_client_key() -> str:
    return secrets.token_urlsafe(16)


def window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CIRCLE_HELP_REQUEST_MINUTES)


def clean_message(message: str) -> str:
    # Browsers send a textarea's line breaks as CRLF but count each as one character.
    text = (message or "").replace("\r\n", "\n").strip()
    if not text:
        raise HelpError({"message": NO_WORDS})
    if len(text) > MAX_MESSAGE:
        raise HelpError(
            {"message": f"Please keep it to {MAX_MESSAGE} characters; this one has {len(text)}."}
        )
    return text


def _links(member: User, link_ids: Iterable[Any]) -> list[Link]:
    """The chosen links, each still sharing help requests; else HelpError naming who isn't."""
    try:
        wanted = sorted({int(pk) for pk in link_ids})
    except (TypeError, ValueError):
        raise HelpError({"supporters": NOT_IN_CIRCLE}) from None
    if not wanted:
        raise HelpError({"supporters": NO_ONE_CHOSEN})
    found = list(choosable(member).filter(pk__in=wanted))
    missing = set(wanted) - {link.pk for link in found}
    if not missing:
        return found
    # Name those the member knows, whose link ended or no longer shares requests.
    known = (
        Link.objects.owned_by(member)
        .filter(pk__in=missing)
        .select_related("person", "supporter")
        .order_by("id")
    )
    names = [grants.supporter_name(link) for link in known]
    if len(names) == len(missing):
        who = join_names(names)
        verb = "doesn't" if len(names) == 1 else "don't"
        raise HelpError(
            {
                "supporters": f"{who} {verb} get your “I need support” requests any more, "
                "so nothing was sent. Please choose again."
            }
        )
    raise HelpError({"supporters": NOT_IN_CIRCLE})


def ask(
    member: User, message: str, link_ids: Iterable[Any], client_key: str = ""
) -> tuple[HelpRequest, bool]:
    """Send the member's request to the chosen links; (request, created). See the module doc.

    HelpError changes nothing. `created` False means an earlier request was returned and
    nothing new was sent (see `already_sent_words`).
    """
    key = (client_key or "").strip() or new_client_key()
    if len(key) > MAX_CLIENT_KEY:
        raise HelpError({"client_key": f"A client key has at most {MAX_CLIENT_KEY} characters."})
    with transaction.atomic():
        # Two taps at once wait here for each other, so the second sees the first.
        User.objects.select_for_update().only("pk").get(pk=member.pk)
        earlier = HelpRequest.objects.owned_by(member).filter(client_key=key).first()
        if earlier is not None:
            return earlier, False
        now = timezone.now()
        recent = (
            HelpRequest.objects.owned_by(member)
            .filter(created_at__gt=now - window())
            .order_by("-created_at", "-id")
            .first()
        )
        if recent is not None:
            return recent, False
        text = clean_message(message)
        links = _links(member, link_ids)
        request = HelpRequest.objects.create(
            owner=member, message=text, client_key=key, created_at=now
        )
        targets = targets_of(link.supporter_id for link in links)  # one query for all
        for link in links:
            _send_to(member, request, link, targets.get(link.supporter_id, []))
    return request, True


def _send_to(member: User, request: HelpRequest, link: Link, targets: list[Target]) -> HelpAnswer:
    supporter = link.supporter
    answer = HelpAnswer.objects.create(
        owner=member,
        request=request,
        link=link,
        supporter=supporter,
        supporter_name=grants.supporter_name(link),
    )
    title = f"{member.name} asked for support"
    body = request_body(member.name, request.message, token_for(answer))
    for target in targets:
        enqueue(
            supporter,
            key=f"help:{answer.pk}:{target.id}",
            kind=MessageKind.HELP_REQUEST,
            title=title,
            body=body,
            url="/supporting/",
            channel=Channel(pk=target.id, owner_id=supporter.pk),
        )
    if not targets:
        enqueue(
            supporter,
            key=f"help:{answer.pk}:email",
            kind=MessageKind.HELP_REQUEST,
            title=title,
            body=body,
            url="/supporting/",
            to_address=supporter.email,
        )
    return answer


def answer_url(token: str, choice: str) -> str:
    path = reverse("circle:answer", args=[token])
    return f"{settings.BASE_URL}{path}?choice={choice}"


def request_body(name: str, message: str, token: str) -> str:
    """What a supporter reads: the message, the two answers as links, and that no sign-in
    is needed. The links are secrets, so they live in the (encrypted) body, never `url`."""
    return (
        f"“{message}”\n\n"
        f"{Answer.REACHING_OUT.label}: {answer_url(token, Answer.REACHING_OUT)}\n"
        f"{Answer.CANT_NOW.label}: {answer_url(token, Answer.CANT_NOW)}\n\n"
        f"Answering needs no sign-in, and lets {name} know."
    )


def already_sent_words(request: HelpRequest, zone: Any) -> str:
    sent = timezone.localtime(request.created_at, zone)
    return f"Your request went out at {sent:%H:%M}; we didn't send it twice."


def sent_words(request: HelpRequest) -> str:
    who = join_names([answer.supporter_name for answer in request.answers.all()])
    return f"Sent to {who}. Their answers show here as they come in."


# Reading -------------------------------------------------------------------------------------


def requests_of(member: Any) -> QuerySet[HelpRequest]:
    """The member's requests, newest first, each with its answers (two queries in all)."""
    return (
        HelpRequest.objects.owned_by(member)
        .order_by("-created_at", "-id")
        .prefetch_related("answers")
    )


def still_polling(request: HelpRequest, answers: Iterable[HelpAnswer], now: Any = None) -> bool:
    """Whether the member's page keeps looking for answers: someone hasn't, and it's recent."""
    moment = now or timezone.now()
    waiting = any(answer.answered_at is None for answer in answers)
    return waiting and moment - request.created_at < POLL_FOR


# Delivering ----------------------------------------------------------------------------------


def undeliverable(message: Message, now: dt.datetime) -> str | None:
    """Why a help request in the outbox may no longer go at `now`, or None while it may.

    Read at delivery, so a scope revoked or a link ended while the message waited stops it.
    """
    parts = message.dedup_key.split(":")
    if len(parts) != 3 or parts[0] != "help" or not parts[1].isdigit():
        return STOPPED_SHARING  # not a key this module made: nothing says the member agreed
    answer = (
        HelpAnswer.objects.select_related("request")
        .filter(pk=int(parts[1]), supporter_id=message.owner_id)
        .first()
    )
    shared = Link.objects.active().filter(scopes__has=Scope.HELP_REQUESTS)
    if answer is None or not shared.filter(pk=answer.link_id).exists():
        return STOPPED_SHARING
    if answer.answered_at is not None:
        return ANSWERED_BEFORE
    if now - answer.request.created_at >= dt.timedelta(hours=settings.CIRCLE_ANSWER_HOURS):
        return LINKS_EXPIRED
    return None


# Answering -----------------------------------------------------------------------------------


def token_for(answer: HelpAnswer) -> str:
    return signing.dumps(answer.pk, salt=SALT)


def _answer_id(token: str) -> int:
    max_age = dt.timedelta(hours=settings.CIRCLE_ANSWER_HOURS)
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        raise AnswerRefused("This answer link is not valid, or has expired.") from None
    if not isinstance(value, int):
        raise AnswerRefused("This answer link is not valid.")
    return value


def _shared(answer: HelpAnswer) -> bool:
    """The link the request went through is active and still shares help requests."""
    if answer.link_id is None:
        return False
    member = answer.owner
    return grants.with_scope(member, Scope.HELP_REQUESTS).filter(pk=answer.link_id).exists()


def _fetch(answer_id: int) -> HelpAnswer | None:
    return (
        HelpAnswer.objects.select_related("request", "owner", "link").filter(pk=answer_id).first()
    )


def open_answer(token: str) -> HelpAnswer:
    """The answer a link is for, to show (never to record: mail scanners open links).

    AnswerRefused for a bad or expired link, or one no longer shared. An answered one is
    returned as it is: its `answered_at` says so.
    """
    answer = _fetch(_answer_id(token))
    if answer is None or not _shared(answer):
        raise AnswerRefused("This answer link no longer works.")
    return answer


def answer(token: str, choice: str) -> HelpAnswer:
    """Record a supporter's answer from the link in their message; once only.

    AnswerRefused for a bad, expired or no longer shared link, or an unknown choice;
    AlreadyAnswered (nothing changes) when it was answered before.
    """
    if choice not in Answer.values:
        raise AnswerRefused("Please choose one of the two answers.")
    found = open_answer(token)
    return _record(found, choice)


def answer_as(user: Any, answer_pk: Any, choice: str) -> HelpAnswer:
    """Record the answer of a signed-in supporter, from their own page; once only.

    Http404 unless the answer is addressed to `user` through a link that still shares help
    requests; AnswerRefused for an unknown choice; AlreadyAnswered when answered before.
    The link's age doesn't matter here: signed in, it is really them.
    """
    try:
        answer_id = int(answer_pk)
    except (TypeError, ValueError):
        raise Http404("Nothing here.") from None
    found = _fetch(answer_id)
    if (
        found is None
        or not getattr(user, "is_authenticated", False)
        or found.supporter_id != user.pk
        or not _shared(found)
    ):
        raise Http404("Nothing here.")
    if choice not in Answer.values:
        raise AnswerRefused("Please choose one of the two answers.")
    return _record(found, choice)


def _record(found: HelpAnswer, choice: str) -> HelpAnswer:
    now = timezone.now()
    with transaction.atomic():
        recorded = HelpAnswer.objects.filter(pk=found.pk, answered_at__isnull=True).update(
            answer=choice, answered_at=now
        )
        found.refresh_from_db(fields=["answer", "answered_at"])
        if not recorded:
            raise AlreadyAnswered(found)
        _tell_member(found)
    return found


def answered_title(answer: HelpAnswer) -> str:
    return THANKS_TITLES[Answer(answer.answer)].format(name=answer.supporter_name)


def _tell_member(answer: HelpAnswer) -> None:
    """The member hears of the answer on their verified channels (the page shows it anyway)."""
    member = answer.owner
    request = answer.request
    asked = timezone.localtime(request.created_at, member.zone)
    body = (
        f"You asked for support at {asked:%H:%M} on {asked.day} {asked:%B}. "
        f"{answer.supporter_name} answered: {Answer(answer.answer).label}."
    )
    url = reverse("circle:help-request", args=[request.pk])
    for channel in Channel.objects.filter(owner=member, verified_at__isnull=False):
        enqueue(
            member,
            key=f"help-answer:{answer.pk}:{channel.pk}",
            kind=MessageKind.HELP_ANSWER,
            title=answered_title(answer),
            body=body,
            url=url,
            channel=channel,
        )
