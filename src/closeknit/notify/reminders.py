"""Planning reminders: gathering each member's facts for planning.py and filling the outbox.

The worker calls `plan` on every pass, so its cost must not grow with the
number of passes:

- Daily reminders: one small query finds the members who have a verified
  channel and whose local day isn't planned yet (`Preferences.planned_on`,
  compared per group of time zones that share a local date). Only members whose
  clock has reached their reminder time are then looked at in full (their
  reach-out list, occasions, questionnaires), once a day each.
- Appointment reminders: one query across the reminded members for scheduled
  appointments in the next APPOINTMENT_HOURS_MAX hours (the (owner, starts_at)
  index serves it), and when there are any, a few more for their members'
  zones, preferences and channels, one for the keys already in the outbox,
  and inserts only for what is new.

Everything planned goes through `closeknit.notify.outbox.enqueue`, whose unique
key makes planning twice harmless, even by two workers at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.notify import planning
from closeknit.notify.models import Channel, Message, Preferences
from closeknit.notify.outbox import enqueue
from closeknit.notify.planning import Planned, Prefs, Target
from closeknit.recovery.appointments import materialise_due
from closeknit.recovery.models import Appointment
from closeknit.recovery.vocab import AppointmentStatus
from closeknit.recovery.wording import appointment_label
from closeknit.rhythms.occasions_store import upcoming
from closeknit.rhythms.reach_out import suggestions
from closeknit.wellbeing.store import due_questionnaires

logger = logging.getLogger(__name__)

# The most hours before an appointment a member can ask to be reminded (see Preferences).
APPOINTMENT_HOURS_MAX = 72
# How many appointments the digest lists at most.
DIGEST_APPOINTMENTS = 10


def plan(now: dt.datetime | None = None, should_stop: Callable[[], bool] | None = None) -> int:
    """Put every reminder due now in the outbox; how many new messages that made.

    `should_stop` lets a worker that was asked to stop leave the remaining
    members' days for the next start.
    """
    now = now or timezone.now()
    return plan_days(now, should_stop) + plan_appointments(now)


# Whom to remind ------------------------------------------------------------------------------


def reminded_members() -> QuerySet[Any]:
    """Ids of members with at least one verified channel: nobody else gets reminders."""
    return (
        Channel.objects.filter(verified_at__isnull=False, owner__is_active=True)
        .order_by()
        .values("owner_id")
    )


def prefs_of(row: Preferences | None) -> Prefs:
    """A member's preferences as planning reads them; the defaults for a member who set none."""
    if row is None:
        return Prefs()
    return Prefs(
        remind_at=row.remind_at,
        kinds=frozenset(row.kinds or ()),
        appointment_hours_before=row.appointment_hours_before,
        digest=row.digest,
        digest_weekday=row.digest_weekday,
    )


def _zone(name: str) -> ZoneInfo:
    return User(time_zone=name).zone  # the same fallback (UTC) as everywhere else


def _not_planned_yet(now: dt.datetime, zones: Iterable[str]) -> Q:
    """Members in these zones whose local today has no plan yet, as one condition."""
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for name in zones:
        by_day[now.astimezone(_zone(name)).date()].append(name)
    if not by_day:
        return Q(pk__in=[])
    return reduce(
        or_,
        (
            Q(time_zone__in=names) & (Q(planned_on__isnull=True) | Q(planned_on__lt=day))
            for day, names in by_day.items()
        ),
    )


def members_to_plan(now: dt.datetime) -> list[tuple[User, Preferences | None, dt.date]]:
    """Members whose daily reminders are due now: (member, their preferences row, local day)."""
    reminded = User.objects.filter(id__in=reminded_members())
    zones = list(reminded.order_by().values_list("time_zone", flat=True).distinct())
    planned_on = Preferences.objects.filter(owner=OuterRef("pk")).values("planned_on")[:1]
    candidates = list(
        reminded.annotate(planned_on=Subquery(planned_on))
        .filter(_not_planned_yet(now, zones))
        .order_by("id")
        .only("id", "email", "time_zone", "display_name")
    )
    if not candidates:
        return []
    rows = {row.owner_id: row for row in Preferences.objects.filter(owner__in=candidates)}
    due: list[tuple[User, Preferences | None, dt.date]] = []
    for member in candidates:
        row = rows.get(member.pk)
        prefs = prefs_of(row)
        day = planning.day_to_plan(
            now, member.zone, prefs.remind_at, row.planned_on if row else None
        )
        if day is not None:
            due.append((member, row, day))
    return due


def targets_of(owner_ids: Iterable[int]) -> dict[int, list[Target]]:
    """Each member's verified channels, in one query."""
    found: dict[int, list[Target]] = defaultdict(list)
    rows = (
        Channel.objects.filter(owner_id__in=list(owner_ids), verified_at__isnull=False)
        .order_by("created_at", "id")
        .values_list("owner_id", "id", "kind")
    )
    for owner_id, channel_id, kind in rows:
        found[owner_id].append(Target(channel_id, kind))
    return found


# Daily reminders -----------------------------------------------------------------------------


def plan_days(now: dt.datetime, should_stop: Callable[[], bool] | None = None) -> int:
    due = members_to_plan(now)
    if not due:
        return 0
    targets = targets_of(member.pk for member, _row, _day in due)
    created = 0
    for member, row, day in due:
        if should_stop is not None and should_stop():
            break
        try:
            created += plan_day(member, prefs_of(row), day, now, targets.get(member.pk, []))
        except Exception:
            # One member's trouble must not keep everyone else's reminders back; their
            # day stays unplanned, so the next pass tries again.
            logger.exception("Planning the reminders of member %s failed", member.pk)
    return created


def plan_day(
    member: User, prefs: Prefs, day: dt.date, now: dt.datetime, targets: Sequence[Target]
) -> int:
    """Plan one member's day, unless another worker just did; how many messages were new."""
    facts = day_facts(member, day, now, prefs)
    planned = planning.day_messages(facts, prefs, targets) if targets else []
    with transaction.atomic():
        row, _created = Preferences.objects.get_or_create(owner=member)
        mine = (
            Preferences.objects.filter(pk=row.pk)
            .filter(Q(planned_on__isnull=True) | Q(planned_on__lt=day))
            .update(planned_on=day)
        )
        if mine != 1:
            return 0
        return _enqueue(member, planned, now)


def _wanted(prefs: Prefs, kind: str, digest_day: bool) -> bool:
    return digest_day or kind in prefs.kinds


def day_facts(member: User, day: dt.date, now: dt.datetime, prefs: Prefs) -> planning.Day:
    """What the member's day holds; only what their reminders and digest will use is read."""
    digest_day = planning.is_digest_day(day, prefs)
    reach_out: list[planning.ReachOut] = []
    if _wanted(prefs, planning.REACH_OUT, digest_day):
        reach_out = [planning.ReachOut(one.name, one.reason) for one in suggestions(member, now)]
    occasions: list[planning.Occasion] = []
    if _wanted(prefs, planning.OCCASION, digest_day):
        last = day + dt.timedelta(days=planning.DIGEST_DAYS - 1 if digest_day else 0)
        occasions = [
            planning.Occasion(one.key, one.day, one.title, one.prompt)
            for one in upcoming(member, day, last)
        ]
    questionnaires: list[planning.Questionnaire] = []
    if _wanted(prefs, planning.QUESTIONNAIRE, digest_day):
        questionnaires = [
            planning.Questionnaire(one.due.instrument, one.instrument.name)
            for one in due_questionnaires(member, now)
        ]
    appointments: list[planning.AppointmentSoon] = []
    if _wanted(prefs, planning.APPOINTMENT, digest_day):
        # Once a day is often enough to keep repeating series written ahead, so that
        # their reminders come even if the member hasn't opened Closeknit for months.
        materialise_due(member, now)
    if digest_day:
        soon = _scheduled(now, now + dt.timedelta(days=planning.DIGEST_DAYS)).filter(owner=member)
        appointments = [_soon(one) for one in soon[:DIGEST_APPOINTMENTS]]
    return planning.Day(
        member_id=member.pk,
        day=day,
        zone=member.zone,
        reach_out=reach_out,
        occasions=occasions,
        questionnaires=questionnaires,
        appointments=appointments,
    )


# Appointment reminders -----------------------------------------------------------------------


def _scheduled(start: dt.datetime, end: dt.datetime) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED, starts_at__gt=start, starts_at__lte=end
        )
        .select_related("person", "group")
        .only(
            "id",
            "owner_id",
            "kind",
            "title",
            "starts_at",
            "location",
            "person__name",
            "person__nickname",
            "group__name",
        )
        .order_by("starts_at", "id")
    )


def _soon(appointment: Appointment) -> planning.AppointmentSoon:
    return planning.AppointmentSoon(
        appointment.pk,
        appointment.starts_at,
        appointment_label(appointment),
        appointment.location,
    )


def plan_appointments(now: dt.datetime) -> int:
    """Reminders of appointments whose window opened; cheap when there is nothing new."""
    window = _scheduled(now, now + dt.timedelta(hours=APPOINTMENT_HOURS_MAX))
    rows = list(window.filter(owner_id__in=reminded_members()))
    if not rows:
        return 0
    by_owner: dict[int, list[Appointment]] = defaultdict(list)
    for row in rows:
        by_owner[row.owner_id].append(row)
    members = User.objects.filter(id__in=by_owner).only("id", "time_zone")
    zones = {member.pk: member.zone for member in members}
    prefs = {
        row.owner_id: prefs_of(row) for row in Preferences.objects.filter(owner_id__in=by_owner)
    }
    targets = targets_of(by_owner)
    planned: list[tuple[int, Planned]] = []
    for owner_id, appointments in by_owner.items():
        found = planning.appointment_messages(
            now,
            zones[owner_id],
            prefs.get(owner_id, Prefs()),
            targets.get(owner_id, []),
            [_soon(one) for one in appointments],
        )
        planned += [(owner_id, one) for one in found]
    there = set(
        Message.objects.filter(dedup_key__in=[one.key for _owner, one in planned]).values_list(
            "dedup_key", flat=True
        )
    )
    created = 0
    for owner_id, one in planned:
        if one.key not in there:
            created += _enqueue(User(pk=owner_id), [one], now)
    return created


# The outbox ----------------------------------------------------------------------------------


def link(page: str) -> str:
    return settings.BASE_URL + reverse(page) if page else ""


def _enqueue(owner: User, planned: Iterable[Planned], now: dt.datetime) -> int:
    created = 0
    for one in planned:
        _message, new = enqueue(
            owner,
            key=one.key,
            kind=one.kind,
            title=one.title,
            body=one.body,
            url=link(one.page),
            channel=Channel(pk=one.channel_id, owner_id=owner.pk),
            due_at=now,
        )
        created += new
    return created
