"""The early-warning rules at work: settings, the worker's daily look, nudges and firings.

What each rule means is decided in circle/rules.py (pure, tested on its own). This
module gathers the facts, asks `rules.evaluate`, and records what it says:

- The worker calls `check` on every pass, so a pass with nothing to do costs two small
  queries: the time zones of members with an enabled rule, then the members among them
  whose local today was not checked yet (`RuleSetting.checked_on`, compared per group of
  zones that share a date, like reminders.py does with `Preferences.planned_on`). A
  member is looked at once their clock reaches their reminder time
  (`Preferences.remind_at`, 09:00 unless they chose another), once per local day.
- A member's facts take a fixed, small number of queries, whatever their history holds:
  check-ins of the last 30 local days, the latest contact, the latest few attended and
  missed appointments (however long ago: a miss months back still makes a pair with one
  yesterday), the last firing day of each rule.
- Each rule is marked checked with a conditional update inside the transaction that
  records its firing, so two workers (or two passes) on the same day fire it once.
- A firing nudges the member first, gently, on each of their verified channels. If the
  member chose so, each supporter whose link shares `checkin_nudges` gets one note a
  little later (settings.CIRCLE_NUDGE_DELAY_MINUTES after the member's own nudge can
  reach them, so after their quiet hours) saying only that the member might appreciate
  a check-in: never which rule, what was seen, or any number. Until then the member can
  keep it to themselves (`cancel_supporter_nudges`). A firing is recorded
  even when the member has no channel, so it is always there on their firings page.
- At delivery, a check-in nudge goes only while the link still shares `checkin_nudges`
  and the member did not keep it to themselves (`consent_gone`, asked by
  notify/delivery.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import grants, rules
from closeknit.circle.models import Link, RuleFiring, RuleSetting
from closeknit.circle.vocab import Scope
from closeknit.lib.days import local_day
from closeknit.lib.words import counted
from closeknit.network.models import Interaction
from closeknit.notify import planning, quiet
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.notify.outbox import enqueue
from closeknit.notify.planning import Prefs
from closeknit.notify.reminders import targets_of
from closeknit.notify.vocab import MessageKind, MessageStatus
from closeknit.recovery.models import Appointment
from closeknit.wellbeing.models import CheckIn

logger = logging.getLogger(__name__)

CHECKIN_NUDGES = Scope.CHECKIN_NUDGES.value
SELF_NUDGE = MessageKind.SELF_NUDGE.value
CHECKIN_NUDGE = MessageKind.CHECKIN_NUDGE.value
PENDING = MessageStatus.PENDING.value

# The check-in rules look back at most this far; a pair of misses counts only when recent.
CHECKIN_DAYS = rules.MAX_WINDOW_DAYS
# The latest appointments read for a pair of misses; more than two, for starts that tie.
APPOINTMENTS_READ = 6
SCORE_KINDS = frozenset({rules.STRESS_HIGH, rules.MOOD_LOW})
RECENT_FIRINGS = 5
PAGE_SIZE = 50

SELF_TITLE = "A gentle check-in from Closeknit"
SUGGESTION = (
    "This is one of the early signs you chose to watch for, never a judgment. If it feels "
    "right, you could reach out to someone you trust, or try one of your coping strategies. "
    "And “I need support” is there if you'd like it."
)
NOBODY_TO_NUDGE = (
    "You chose to let your supporters know too, but no one in your circle gets check-in "
    "nudges at the moment, so this one stayed with you."
)
SUPPORTER_BODY = (
    "No need to mention this note; a short hello, a call or a walk together can mean a lot."
)
CONSENT_GONE = "The member stopped sharing check-in nudges before it could go."
KEPT_TO_THEMSELVES = "The member chose to keep this one to themselves."


# Settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One rule as the member sees it: stored, or the defaults (off) when never set."""

    settings: rules.RuleSettings
    nudge_supporters: bool
    stored: RuleSetting | None

    @property
    def kind(self) -> str:
        return self.settings.kind

    @property
    def description(self) -> str:
        return describe(self.settings)

    def fields(self) -> dict[str, Any]:
        """What the member can set, by field name: the form's initial values, the API's."""
        settings = self.settings
        return {
            "enabled": settings.enabled,
            "threshold": settings.threshold,
            "days_needed": settings.days_needed,
            "window_days": settings.window_days,
            "cooldown_days": settings.cooldown_days,
            "nudge_supporters": self.nudge_supporters,
        }


def describe(rule: rules.RuleSettings) -> str:
    """The rule in words; a stored row that breaks the rules (only by hand) still shows."""
    if rules.validate(rule):
        return "This rule's settings need another look."
    return rules.describe(rule)


def settings_of(row: RuleSetting) -> rules.RuleSettings:
    return rules.RuleSettings(
        kind=row.kind,
        threshold=row.threshold,
        days_needed=row.days_needed,
        window_days=row.window_days,
        cooldown_days=row.cooldown_days,
        enabled=row.enabled,
    )


def rules_of(member: Any) -> list[Rule]:
    """The member's four rules in the order of rules.KINDS, in one query."""
    stored = {row.kind: row for row in RuleSetting.objects.owned_by(member)}
    found = []
    for kind in rules.KINDS:
        row = stored.get(kind)
        if row is None:
            found.append(Rule(rules.DEFAULTS[kind], False, None))
        else:
            found.append(Rule(settings_of(row), row.nudge_supporters, row))
    return found


def rule_of(member: Any, kind: str) -> Rule:
    """One of the member's rules; `kind` must be one of rules.KINDS."""
    if kind not in rules.KINDS:
        raise ValueError(f"Unknown rule {kind!r}")
    row = RuleSetting.objects.owned_by(member).filter(kind=kind).first()
    if row is None:
        return Rule(rules.DEFAULTS[kind], False, None)
    return Rule(settings_of(row), row.nudge_supporters, row)


class RuleError(ValueError):
    """Settings that break the rules; `errors` maps each field to a kind message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


def save_rule(
    member: User, rule: rules.RuleSettings, nudge_supporters: bool, now: dt.datetime | None = None
) -> RuleSetting:
    """Store the member's settings of one rule; RuleError (and nothing saved) when invalid."""
    problems = rules.validate(rule)
    if problems:
        raise RuleError(problems)
    values = {
        "enabled": rule.enabled,
        "threshold": rule.threshold,
        "days_needed": rule.days_needed,
        "window_days": rule.window_days,
        "cooldown_days": rule.cooldown_days,
        "nudge_supporters": nudge_supporters,
        "updated_at": now or timezone.now(),
    }
    try:
        with transaction.atomic():
            row, _created = RuleSetting.objects.update_or_create(
                owner=member, kind=rule.kind, defaults=values
            )
    except IntegrityError:
        # The same rule saved twice at once (two tabs): the first made the row.
        RuleSetting.objects.filter(owner=member, kind=rule.kind).update(**values)
        row = RuleSetting.objects.get(owner=member, kind=rule.kind)
    return row


def nudged_supporters(member: Any) -> int:
    """How many supporters would get a check-in nudge now."""
    return int(grants.with_scope(member, CHECKIN_NUDGES).count())


def delay_minutes() -> int:
    return int(settings.CIRCLE_NUDGE_DELAY_MINUTES)


def delay_words(minutes: int | None = None) -> str:
    """ "an hour", "2 hours", "30 minutes": how long supporters wait after the member."""
    minutes = delay_minutes() if minutes is None else minutes
    if minutes == 60:
        return "an hour"
    if minutes and minutes % 60 == 0:
        return counted(minutes // 60, "hour")
    return counted(minutes, "minute")


# Firings -------------------------------------------------------------------------------------


def _key_prefix(firing_pk: Any, kind: str) -> Any:
    """The start of the outbox keys of a firing's nudges ("nudge:12:"), as an expression."""
    start = "nudge:" if kind == SELF_NUDGE else "checkin-nudge:"
    return Concat(Value(start), Cast(firing_pk, output_field=models.CharField()), Value(":"))


def firings_of(member: Any) -> QuerySet[RuleFiring]:
    """The member's firings, newest first, each with how many self-nudges it put in the outbox."""
    nudges = (
        Message.objects.filter(
            owner=OuterRef("owner"),
            kind=SELF_NUDGE,
            dedup_key__startswith=_key_prefix(OuterRef("pk"), SELF_NUDGE),
        )
        .order_by()
        .values("owner")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        RuleFiring.objects.owned_by(member)
        .annotate(self_nudges=Coalesce(Subquery(nudges), 0))
        .order_by("-fired_at", "-id")
    )


# What became of a firing's supporter nudges: none asked for (or nobody to ask), waiting
# for their due time, kept back by the member, or gone out.
NONE, WAITING, KEPT, NUDGED = "none", "waiting", "kept", "nudged"


@dataclass(frozen=True)
class Supporters:
    """A firing's supporter nudges, for the pages and the API."""

    state: str  # NONE, WAITING, KEPT or NUDGED
    count: int
    due_at: dt.datetime | None

    @property
    def waiting(self) -> bool:
        return self.state == WAITING


def supporters_of(firing: RuleFiring, now: dt.datetime | None = None) -> Supporters:
    now = now or timezone.now()
    due = firing.supporters_due_at
    if due is None or not firing.supporters_nudged:
        return Supporters(NONE, 0, None)
    if firing.supporters_cancelled_at is not None:
        return Supporters(KEPT, firing.supporters_nudged, due)
    if due > now:
        return Supporters(WAITING, firing.supporters_nudged, due)
    return Supporters(NUDGED, firing.supporters_nudged, due)


def nudge_key_prefix(firing: RuleFiring) -> str:
    return f"checkin-nudge:{firing.pk}:"


def cancel_supporter_nudges(firing: RuleFiring, now: dt.datetime | None = None) -> bool:
    """Keep a firing to the member: delete its supporter nudges not sent yet.

    True when that kept them back; False when there was nothing left to keep (it only
    went to the member, it was kept already, or every nudge had gone out).
    """
    now = now or timezone.now()
    with transaction.atomic():
        fresh = RuleFiring.objects.select_for_update().get(pk=firing.pk)
        if fresh.supporters_due_at is None or fresh.supporters_cancelled_at is not None:
            return False
        deleted, _by_model = Message.objects.filter(
            kind=CHECKIN_NUDGE, status=PENDING, dedup_key__startswith=nudge_key_prefix(fresh)
        ).delete()
        # After the due time, only nudges held back (quiet hours, retries) are left to stop.
        if not deleted and fresh.supporters_due_at <= now:
            return False
        RuleFiring.objects.filter(pk=fresh.pk).update(supporters_cancelled_at=now)
    firing.supporters_cancelled_at = now
    return True


def consent_gone(message: Message) -> str | None:
    """Why a check-in nudge may no longer go, or None while the member still wants it to.

    Read at delivery, so a scope revoked or a link ended after the firing stops it.
    """
    parts = message.dedup_key.split(":")
    ours = len(parts) == 4 and parts[0] == "checkin-nudge" and parts[1].isdigit()
    if not ours or not parts[2].isdigit():
        return CONSENT_GONE  # not a key this module made: nothing says the member agreed
    firing_pk, link_pk = int(parts[1]), int(parts[2])
    shares = (
        Link.objects.active()
        .filter(pk=link_pk, supporter_id=message.owner_id, scopes__has=CHECKIN_NUDGES)
        .exists()
    )
    if not shares:
        return CONSENT_GONE
    if RuleFiring.objects.filter(pk=firing_pk, supporters_cancelled_at__isnull=False).exists():
        return KEPT_TO_THEMSELVES
    return None


# The worker's daily look ---------------------------------------------------------------------


def check(now: dt.datetime | None = None, should_stop: Callable[[], bool] | None = None) -> int:
    """Evaluate the rules of every member whose day is due; how many new messages that made.

    One member's trouble is logged and doesn't keep the others back; their rules stay
    unchecked, so the next pass tries again.
    """
    now = now or timezone.now()
    created = 0
    for member, day in members_to_check(now):
        if should_stop is not None and should_stop():
            break
        try:
            created += check_member(member, day, now)
        except Exception:
            logger.exception("Checking the early-warning rules of member %s failed", member.pk)
    return created


def _zone(name: str) -> ZoneInfo:
    return User(time_zone=name).zone  # the same fallback (UTC) as everywhere else


def _unchecked(day: dt.date) -> Q:
    return Q(checked_on__isnull=True) | Q(checked_on__lt=day)


def _unchecked_in(now: dt.datetime, zones: Iterable[str]) -> Q:
    """Enabled rules whose member's local today was not checked yet, as one condition."""
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for name in zones:
        by_day[now.astimezone(_zone(name)).date()].append(name)
    return reduce(
        or_,
        (Q(owner__time_zone__in=names) & _unchecked(day) for day, names in by_day.items()),
        Q(pk__in=[]),
    )


def members_to_check(now: dt.datetime) -> list[tuple[User, dt.date]]:
    """Members with a rule to check now, with their local today."""
    enabled = RuleSetting.objects.filter(enabled=True, owner__is_active=True).order_by()
    zones = list(enabled.values_list("owner__time_zone", flat=True).distinct())
    if not zones:
        return []
    remind_at = Preferences.objects.filter(owner=OuterRef("pk")).values("remind_at")[:1]
    candidates = (
        User.objects.filter(pk__in=enabled.filter(_unchecked_in(now, zones)).values("owner_id"))
        .annotate(remind_at=Subquery(remind_at))
        .only("id", "email", "display_name", "time_zone", "date_joined")
        .order_by("id")
    )
    due: list[tuple[User, dt.date]] = []
    for member in candidates:
        remind = getattr(member, "remind_at", None) or Prefs().remind_at
        day = planning.day_to_plan(now, member.zone, remind, None)
        if day is not None:
            due.append((member, day))
    return due


def facts_of(member: User, kinds: Iterable[str], today: dt.date, now: dt.datetime) -> rules.Facts:
    """What the rules of `kinds` need to know, in the member's local days (last_fired unset).

    One query for each kind of fact those rules read; none grows with the member's data.
    """
    zone, kinds = member.zone, set(kinds)
    checkins: dict[dt.date, tuple[int | None, int | None]] = {}
    if kinds & SCORE_KINDS:
        rows = CheckIn.objects.filter(
            owner=member, day__gt=today - dt.timedelta(days=CHECKIN_DAYS), day__lte=today
        ).values_list("day", "mood", "stress")
        checkins = {day: (mood, stress) for day, mood, stress in rows}
    last_contact = None
    if rules.NO_CONTACT in kinds:
        latest = Interaction.objects.filter(owner=member, occurred_at__lte=now).aggregate(
            latest=Max("occurred_at")
        )["latest"]
        last_contact = local_day(latest, zone) if latest is not None else None
    appointments: list[tuple[dt.datetime, str]] = []
    if rules.MISSED_APPOINTMENTS in kinds:
        rows = (
            Appointment.objects.filter(
                owner=member,
                status__in=rules.COUNTED_STATUSES,
                # The rest of the member's today, at most; rules.py leaves out later days.
                starts_at__lt=now + dt.timedelta(days=1),
            )
            .order_by("-starts_at", "-id")
            .values_list("starts_at", "status")[:APPOINTMENTS_READ]
        )
        appointments = [(start.astimezone(zone), status) for start, status in rows]
    return rules.Facts(
        today=today,
        checkins=checkins,
        last_contact=last_contact,
        appointments=appointments,
        last_fired=None,
        member_since=local_day(member.date_joined, zone),
    )


def last_fired(member: User) -> dict[str, dt.date]:
    rows = (
        RuleFiring.objects.filter(owner=member)
        .order_by()
        .values("kind")
        .annotate(last=Max("day"))
        .values_list("kind", "last")
    )
    return dict(rows)


def check_member(member: User, day: dt.date, now: dt.datetime) -> int:
    """Evaluate the member's enabled rules not checked on `day`; how many new messages."""
    due = list(RuleSetting.objects.filter(owner=member, enabled=True).filter(_unchecked(day)))
    if not due:
        return 0
    valid = []
    for row in due:
        problems = rules.validate(settings_of(row))
        if problems:
            # Only a change by hand gets here (the form and the API check first). Look
            # again tomorrow rather than on every pass.
            logger.warning("Early-warning rule %s of member %s: %s", row.kind, member.pk, problems)
            _mark_checked(row, day)
        else:
            valid.append(row)
    if not valid:
        return 0
    facts = facts_of(member, (row.kind for row in valid), day, now)
    fired = last_fired(member)
    created = 0
    for row in valid:
        verdict = rules.evaluate(
            settings_of(row), dataclasses.replace(facts, last_fired=fired.get(row.kind))
        )
        created += record(member, row, day, verdict, now)
    return created


def _mark_checked(row: RuleSetting, day: dt.date) -> bool:
    """The compare-and-set: True for the one worker that checks this rule on `day`."""
    mine = (
        RuleSetting.objects.filter(pk=row.pk, enabled=True)
        .filter(_unchecked(day))
        .update(checked_on=day)
    )
    return mine == 1


def record(
    member: User, row: RuleSetting, day: dt.date, verdict: rules.Verdict, now: dt.datetime
) -> int:
    """Mark the rule checked and, if it fires, record the firing and its nudges, at once."""
    if not verdict.fires:
        _mark_checked(row, day)
        return 0
    with transaction.atomic():
        if not _mark_checked(row, day):
            return 0  # another worker checked it first, and recorded the firing
        return fire(member, row, day, verdict.reason, now)


def fire(member: User, row: RuleSetting, day: dt.date, reason: str, now: dt.datetime) -> int:
    """Record a firing and put its nudges in the outbox; how many messages that made.

    Call it inside the transaction that marked the rule checked.
    """
    links: list[Link] = []
    if row.nudge_supporters:
        links = list(
            grants.with_scope(member, CHECKIN_NUDGES)
            .select_related("person", "supporter")
            .order_by("created_at", "id")
        )
        if not links:
            reason = f"{reason} {NOBODY_TO_NUDGE}"
    channels = list(
        Channel.objects.filter(owner=member, verified_at__isnull=False)
        .order_by("created_at", "id")
        .only("id", "kind", "quiet_from", "quiet_until")
    )
    due_at = None
    if links:
        first = own_nudge_at(channels, now, member.zone)
        due_at = first + dt.timedelta(minutes=delay_minutes())
    firing = RuleFiring.objects.create(
        owner=member,
        kind=row.kind,
        day=day,
        reason=reason,
        fired_at=now,
        supporters_due_at=due_at,
        supporters_nudged=len(links),
    )
    created = _nudge_member(member, firing, channels, links, now)
    if links and due_at is not None:
        created += _nudge_supporters(member, firing, links, due_at)
    return created


def own_nudge_at(channels: Sequence[Channel], now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """When the member's own nudge first reaches them: now, or as their quiet hours end.

    Their supporters hear only after that (and the delay), so the member always hears
    first and has the delay to keep it to themselves.
    """
    ends = []
    for channel in channels:
        end = quiet.quiet_ends(channel.quiet_from, channel.quiet_until, now, zone)
        if end is None:
            return now
        ends.append(end)
    return min(ends, default=now)


def _self_words(firing: RuleFiring, links: Sequence[Link]) -> str:
    parts = [firing.reason, SUGGESTION]
    if links:
        names = _names([grants.supporter_name(link) for link in links])
        parts.append(
            f"You chose to let your supporters know too: in {delay_words()}, {names} will get "
            f"a short note that you might appreciate a check-in, with nothing about why. If "
            "you'd rather keep this one to yourself, you can stop it until then, on the page "
            "linked below."
        )
    change = settings.BASE_URL + reverse("circle:rule", args=[firing.kind])
    parts.append(f"To change this rule or turn it off: {change}")
    return "\n\n".join(parts)


def _names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _nudge_member(
    member: User,
    firing: RuleFiring,
    channels: Sequence[Channel],
    links: Sequence[Link],
    now: dt.datetime,
) -> int:
    body = _self_words(firing, links)
    created = 0
    for channel in channels:
        _message, new = enqueue(
            member,
            key=f"nudge:{firing.pk}:{channel.pk}",
            kind=SELF_NUDGE,
            title=SELF_TITLE,
            body=body,
            url=reverse("circle:firings"),
            channel=channel,
            due_at=now,
        )
        created += new
    return created


def supporter_title(member: User) -> str:
    return f"{member.name} might appreciate a check-in"


def _nudge_supporters(
    member: User, firing: RuleFiring, links: Sequence[Link], due_at: dt.datetime
) -> int:
    """One note per supporter channel (or their account e-mail), owned by the supporter."""
    targets = targets_of(link.supporter_id for link in links)
    title = supporter_title(member)
    created = 0
    for link in links:
        prefix = f"{nudge_key_prefix(firing)}{link.pk}"
        supporter = link.supporter
        common: dict[str, Any] = {
            "kind": CHECKIN_NUDGE,
            "title": title,
            "body": SUPPORTER_BODY,
            "url": reverse("circle:supporting-member", args=[link.pk]),
            "due_at": due_at,
        }
        channels = targets.get(supporter.pk, [])
        for target in channels:
            _message, new = enqueue(
                supporter,
                key=f"{prefix}:{target.id}",
                channel=Channel(pk=target.id, owner_id=supporter.pk),
                **common,
            )
            created += new
        if not channels and supporter.email:
            _message, new = enqueue(
                supporter, key=f"{prefix}:email", to_address=supporter.email, **common
            )
            created += new
    return created
