"""What a link shares, read for its supporter: each in a fixed number of queries.

Callers get the link from `grants.grant(user, pk, scope)`, which already checked that the
link is active and shares the scope; these functions only read, never decide consent
again, and never log (the page or operation records the view with `grants.record_view`).

What each scope shows, and what it never does:

- `mood_trend`: weekly means of mood and stress and the days behind them (circle/trend.py).
  Never a note, a single day, sleep, self-care, or a questionnaire.
- `safety_plan`: the member's latest version, as their own plan page shows it: the same
  section titles, their lines, people by their current name with the phone number the
  plan shows beside them, groups by name, and the crisis lines of the member's country.
- `goals`: goals not archived and not yet reached, with their steps, how many are done,
  and the date the member hopes to get there by. Never "why it matters" or reflections.
- `help_requests`: the member's recent "I need support" requests addressed to this
  supporter that they have not answered yet (their message, and when).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from closeknit.circle import grants, trend
from closeknit.circle.models import HelpAnswer, Link
from closeknit.circle.vocab import SCOPE_DETAILS, Scope
from closeknit.lib.days import local_day
from closeknit.recovery import goals as goal_rules
from closeknit.recovery import safety_views
from closeknit.recovery.models import Goal, GoalStep
from closeknit.recovery.safety_plan import ResolvedPlan
from closeknit.wellbeing.models import CheckIn

# Who is missing from a shared plan, said from the supporter's side.
REMOVED_PERSON = "someone no longer in their network"
REMOVED_GROUP = "a group no longer in their network"


@dataclass(frozen=True)
class ScopeInfo:
    slug: str
    label: str
    details: str


# The scopes as the supporter reads them: the vocabulary's labels are the member's words
# ("My safety plan"); on the supporter's pages the same things are "theirs".
SUPPORTER_LABELS = {
    Scope.MOOD_TREND: "Mood and stress, as weekly averages",
    Scope.SAFETY_PLAN: "Their safety plan",
    Scope.GOALS: "Their goals and their steps",
    Scope.HELP_REQUESTS: "Their “I need support” requests",
    Scope.CHECKIN_NUDGES: "A nudge when a check-in might help",
}


def scope_info(scopes: list[str]) -> list[ScopeInfo]:
    """Each scope a link shares, in the vocabulary's order, with its label and what it means."""
    return [
        ScopeInfo(scope.value, SUPPORTER_LABELS[scope], SCOPE_DETAILS[scope])
        for scope in Scope
        if scope.value in scopes
    ]


def member_today(link: Link, now: dt.datetime | None = None) -> dt.date:
    """Today in the member's life (their time zone, not the supporter's)."""
    return local_day(now or timezone.now(), link.owner.zone)


# Mood and stress ----------------------------------------------------------------------------


def mood_trend(link: Link, today: dt.date, weeks: int = trend.WEEKS) -> list[trend.Week]:
    """The member's weekly means as a supporter sees them (`trend.shared`), oldest first:
    one query, reading mood and stress only, of full weeks only."""
    last = trend.last_full_day(today)
    rows = (
        CheckIn.objects.owned_by(link.owner)
        .filter(day__gte=trend.first_day(last, weeks), day__lte=last)
        .values_list("day", "mood", "stress")
    )
    return trend.shared(rows, today, weeks)


# The safety plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedPlan:
    plan: ResolvedPlan
    changed_at: dt.datetime
    crisis: dict[str, Any]


def safety_plan(link: Link) -> SharedPlan | None:
    """The member's current plan as their plan page shows it; None when they have none yet.

    Three queries at most: the latest version, the people and the groups it names.
    """
    member = link.owner
    version = safety_views.latest(member)
    if version is None:
        return None
    return SharedPlan(
        plan=safety_views.resolve_for(member, safety_views.current_plan(version)),
        changed_at=version.created_at,
        crisis=safety_views.crisis_context(member.country),
    )


# Goals --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedStep:
    title: str
    done: bool


@dataclass(frozen=True)
class SharedGoal:
    id: int
    title: str
    target_date: dt.date | None
    progress: goal_rules.Progress
    steps: list[SharedStep]

    @property
    def pk(self) -> int:  # the goal templates' partials name a goal by its pk
        return self.id


def goals(link: Link) -> list[SharedGoal]:
    """The goals the member is working on, soonest aim first: two queries."""
    steps = GoalStep.objects.only("id", "goal_id", "title", "done_at", "position").order_by(
        "position", "id"
    )
    rows = (
        Goal.objects.owned_by(link.owner)
        .filter(archived_at__isnull=True, completed_at__isnull=True)
        .only("id", "owner_id", "title", "target_date")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by(F("target_date").asc(nulls_last=True), "created_at", "id")
    )
    shared = []
    for goal in rows:
        goal_steps = [SharedStep(step.title, step.done_at is not None) for step in goal.steps.all()]
        shared.append(
            SharedGoal(
                id=goal.pk,
                title=goal.title,
                target_date=goal.target_date,
                progress=goal_rules.progress(step.done for step in goal_steps),
                steps=goal_steps,
            )
        )
    return shared


# "I need support" ---------------------------------------------------------------------------


def open_help_requests(
    supporter: Any, link: Link | None = None, now: dt.datetime | None = None
) -> QuerySet[HelpAnswer]:
    """Requests addressed to `supporter` and not answered yet, newest first, from members who
    still share `help_requests` with them (only `link`'s member, if given).

    Recent ones only: while the answer link in the message works (CIRCLE_ANSWER_HOURS,
    72 by default). One query, with each request and its member.
    """
    sharing = grants.supporting(supporter).filter(scopes__has=Scope.HELP_REQUESTS)
    if link is not None:
        sharing = sharing.filter(pk=link.pk)
    since = (now or timezone.now()) - dt.timedelta(hours=settings.CIRCLE_ANSWER_HOURS)
    return (
        HelpAnswer.objects.filter(
            supporter=supporter,
            answer="",
            answered_at__isnull=True,
            request__created_at__gte=since,
            link__in=sharing,
        )
        .select_related("request", "link", "link__owner")
        .order_by("-request__created_at", "-id")
    )


# The supporter's links ----------------------------------------------------------------------


def overview(user: Any) -> QuerySet[Link]:
    """The links where `user` supports someone, oldest first, with each member: one query."""
    return grants.supporting(user).select_related("owner").order_by("created_at", "id")


def member_name(link: Link) -> str:
    """What the supporter sees the member called: the name the member gave themselves."""
    return link.owner.name
