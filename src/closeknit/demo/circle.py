"""The demo member's circle of supporters.

This part comes last in `generate.PARTS`. Two people of the cast support the member:

- Jamie, their partner, in the circle for ten weeks, who sees everything that can be
  shared (mood trend, safety plan, goals, requests for support, check-in nudges);
- Priya, their best friend, for seven weeks, who sees the mood trend, hears requests
  for support and gets check-in nudges.

A supporter needs an account of their own, so each gets one here: a demo account
(`is_demo`) with no usable password and an address on the reserved `.invalid` domain,
which can never receive mail. Nobody signs in as them, and the outbox refuses such an
address, so pressing "I need support" in a demo reaches no one. They go when their
member goes (`remove_made_up_supporters`), and pruning counts members only.

The member has switched on two early-warning rules (stress, and a spell without
contact), which haven't fired: the demo's recent check-ins are mostly good days. One
evening 25 days ago they pressed "I need support": Priya was reaching out within
minutes, and Jamie, at work, couldn't. (The note of thanks to Priya that evening, in
`rhythms.py`, is about that call.) Three notes of encouragement have come since, one
kept as a favourite, and the access log shows the supporters joining and, now and
then, looking at what is shared.

Nothing here draws on the seeded generator, so the earlier parts stay exactly as they were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from closeknit.accounts.models import User
from closeknit.circle import early_warning, grants, rules
from closeknit.circle.models import (
    OVERVIEW,
    AccessEntry,
    Encouragement,
    HelpAnswer,
    HelpRequest,
    Link,
)
from closeknit.circle.vocab import AccessAction, Answer, Scope

if TYPE_CHECKING:
    from closeknit.demo.generate import DemoContext, Part

DAY = dt.timedelta(days=1)
# Made-up supporters' addresses start so, on the demo's own reserved domain.
SUPPORTER_PREFIX = "supporter-"
# The evening the member asked for support, and Priya called (see rhythms.NOTES).
ASKED_DAYS_AGO = 25


@dataclass(frozen=True)
class SupporterSpec:
    cast: str  # the person in the member's network
    first_name: str
    since_days: int
    scopes: tuple[str, ...]
    # (days ago, hour, minute, part) of each look at shared data
    looks: tuple[tuple[int, int, int, str], ...]


SUPPORTERS: tuple[SupporterSpec, ...] = (
    SupporterSpec(
        "partner",
        "Jamie",
        70,
        tuple(Scope.values),
        ((20, 19, 30, Scope.MOOD_TREND), (6, 21, 5, Scope.GOALS), (2, 8, 40, OVERVIEW)),
    ),
    SupporterSpec(
        "best_friend",
        "Priya",
        49,
        (Scope.MOOD_TREND, Scope.HELP_REQUESTS, Scope.CHECKIN_NUDGES),
        ((24, 12, 15, Scope.MOOD_TREND), (9, 18, 0, OVERVIEW)),
    ),
)

REQUEST = (
    "I'm having a really hard evening and don't want to be on my own with it. "
    "Could one of you call me?"
)
# (cast, answer, minutes after the request)
ANSWERS = (("best_friend", Answer.REACHING_OUT, 4), ("partner", Answer.CANT_NOW, 31))


@dataclass(frozen=True)
class NoteSpec:
    cast: str
    days_ago: int
    time: tuple[int, int]
    text: str
    favourite: bool = False


ENCOURAGEMENT: tuple[NoteSpec, ...] = (
    NoteSpec(
        "best_friend",
        24,
        (9, 10),
        "Thank you for calling last night, really. Asking is brave. Coffee on Saturday?",
        favourite=True,
    ),
    NoteSpec("partner", 11, (7, 45), "Proud of you for going back to the group. Tea's on me."),
    NoteSpec("partner", 2, (12, 30), "Thinking of you today. No need to reply."),
)


def supporter_email() -> str:
    # Imported here: generate.py builds on this module.
    from closeknit.demo.generate import DEMO_DOMAIN

    return f"{SUPPORTER_PREFIX}{secrets.token_hex(5)}@{DEMO_DOMAIN}"


def remove_made_up_supporters(member: User) -> int:
    """Delete the demo accounts made to support `member`; called as the member goes."""
    deleted, _ = User.objects.filter(
        is_demo=True, email__startswith=SUPPORTER_PREFIX, supporting_links__owner=member
    ).delete()
    return deleted


def add_supporters(ctx: DemoContext) -> None:
    links: dict[str, Link] = {}
    entries: list[AccessEntry] = []
    for spec in SUPPORTERS:
        account = User.objects.create_user(
            supporter_email(),
            None,
            display_name=spec.first_name,
            time_zone=ctx.member.time_zone,
            country=ctx.member.country,
            is_demo=True,
        )
        since = ctx.days_ago(spec.since_days)
        link = Link.objects.create(
            owner=ctx.member,
            supporter=account,
            person=ctx.people[spec.cast],
            scopes=grants.in_order(spec.scopes),
            created_at=since,
        )
        links[spec.cast] = link
        logged = [(AccessAction.LINKED, "", since)]
        logged += [(AccessAction.GRANTED, scope, since) for scope in grants.in_order(spec.scopes)]
        logged += [
            (AccessAction.VIEWED, part, ctx.at(ctx.today - days * DAY, hour, minute))
            for days, hour, minute, part in spec.looks
        ]
        entries += [
            AccessEntry(
                owner=ctx.member,
                link=link,
                supporter=account,
                supporter_name=grants.supporter_name(link),
                action=action,
                part=part,
                at=at,
            )
            for action, part, at in logged
        ]
    AccessEntry.objects.bulk_create(entries)
    ctx.circle = links
    ctx.report(1, 3)
    _add_rules(ctx)
    _add_request(ctx)
    ctx.report(2, 3)
    _add_encouragement(ctx)


def _add_rules(ctx: DemoContext) -> None:
    stress = dataclasses.replace(rules.DEFAULTS[rules.STRESS_HIGH], enabled=True)
    quiet = dataclasses.replace(rules.DEFAULTS[rules.NO_CONTACT], enabled=True)
    for rule, nudge in ((stress, True), (quiet, False)):
        early_warning.save_rule(ctx.member, rule, nudge, now=ctx.days_ago(60))


def _add_request(ctx: DemoContext) -> None:
    asked_at = ctx.at(ctx.today - ASKED_DAYS_AGO * DAY, 21, 48)
    request = HelpRequest.objects.create(
        owner=ctx.member, message=REQUEST, client_key=secrets.token_urlsafe(16), created_at=asked_at
    )
    for cast, answer, minutes in ANSWERS:
        link = ctx.circle[cast]
        HelpAnswer.objects.create(
            owner=ctx.member,
            request=request,
            link=link,
            supporter=link.supporter,
            supporter_name=grants.supporter_name(link),
            answer=answer,
            answered_at=asked_at + dt.timedelta(minutes=minutes),
        )


def _add_encouragement(ctx: DemoContext) -> None:
    Encouragement.objects.bulk_create(
        Encouragement(
            owner=ctx.member,
            link=ctx.circle[spec.cast],
            supporter=ctx.circle[spec.cast].supporter,
            author_name=grants.supporter_name(ctx.circle[spec.cast]),
            text=spec.text,
            favourite=spec.favourite,
            sent_at=ctx.at(ctx.today - spec.days_ago * DAY, *spec.time),
        )
        for spec in ENCOURAGEMENT
    )


CIRCLE_PARTS: list[Part] = [add_supporters]
