"""Appointments: recurring series made into rows, and the lists the pages and the API show.

A recurring appointment is an `AppointmentSeries` (a first one plus an iCalendar
RRULE); each occurrence is an `Appointment` row, so it can carry its own status
and notes. `materialise` writes the rows up to a horizon (HORIZON ahead); the
lists call `materialise_due`, which tops up every series of the member in one
query, so a series never runs dry however long the member is away.

Which occurrences exist is decided from the rows themselves: a series is
topped up only *after* its latest row (its "watermark"). That is what lets the
member delete or move one occurrence without the next top-up bringing it back;
`_keep_watermark` makes sure removing the latest row doesn't lower the mark.

Times repeat in the member's wall-clock time: "every Tuesday at 09:00" stays at
09:00 in London in winter (UTC+0) and summer (UTC+1), as the network's meeting
schedules do (closeknit.network.schedule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max, Q, QuerySet

from closeknit.network import schedule
from closeknit.recovery import attendance as rules
from closeknit.recovery.models import Appointment, AppointmentSeries
from closeknit.recovery.vocab import AppointmentStatus

# How far ahead a series is written out, and when it is topped up again: with a
# fortnight of slack, a member viewing the list daily causes a write every two weeks.
HORIZON = dt.timedelta(days=120)
TOP_UP_WITHIN = HORIZON - dt.timedelta(days=14)
# A new series may begin this far back (that is as far as attendance looks); its
# past occurrences are written too, so the member can note whether they went.
PAST_LIMIT = dt.timedelta(days=rules.WINDOW_DAYS)
# However the rule reads, never step through or write more occurrences than this at once.
MAX_STEPS = 20_000
MAX_NEW = 2_000

UPCOMING_DAYS = 30
UPCOMING_LIMIT = 200
PAGE_SIZE = 50
DUE_LIMIT = 50
DUE_ON_HOME = 5
UPCOMING_ON_HOME = 3

SCHEDULED = AppointmentStatus.SCHEDULED.value
CANCELLED = AppointmentStatus.CANCELLED.value
# What a change to a series may replace in the future: never a noted attendance.
REPLACEABLE = (SCHEDULED, CANCELLED)

# Fields an occurrence takes from its series.
COPIED = ("kind", "title", "person_id", "group_id", "duration_minutes", "location")

# Delete scopes for one occurrence of a series.
THIS = "this"
FUTURE = "future"
ALL = "all"
SCOPES = (THIS, FUTURE, ALL)


class RepeatError(ValueError):
    """A repeating appointment that can't be saved; the message is for the member."""


# Pure: the instants of a rule ----------------------------------------------------


def _naive_local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _instants(first: dt.datetime, rule_text: str, zone: ZoneInfo) -> Iterator[dt.datetime]:
    """The first appointment, then each match of the rule after it, as aware datetimes.

    The first one counts even when the rule would not match it (dateutil skips
    such a start; people mean "starting with this one"). A rule that can't be
    read gives only the first: a stored series never breaks a page.
    """
    start = _naive_local(first, zone)
    yield start.replace(tzinfo=zone)
    try:
        rule = schedule.parse(rule_text, start)
    except schedule.ScheduleError:
        return
    for step, local in enumerate(rule):
        if step >= MAX_STEPS:
            return
        if local > start:
            # A wall-clock time on the zone's calendar: the offset follows the season.
            yield local.replace(tzinfo=zone)


def occurrences(
    first: dt.datetime,
    rule_text: str,
    zone: ZoneInfo,
    *,
    until: dt.datetime,
    after: dt.datetime | None = None,
    since: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
) -> list[dt.datetime]:
    """The occurrences of a series in a window, oldest first.

    Those strictly after `after`, at or after `since`, at or before `until`, and
    strictly before `ended_at` (when the series was stopped). Pure: no database.
    """
    found: list[dt.datetime] = []
    for when in _instants(first, rule_text, zone):
        if when > until or (ended_at is not None and when >= ended_at) or len(found) >= MAX_NEW:
            break
        if (after is None or when > after) and (since is None or when >= since):
            found.append(when)
    return found


def next_after(
    series: AppointmentSeries, moment: dt.datetime, zone: ZoneInfo
) -> dt.datetime | None:
    """The series' first occurrence after `moment`, if it has one before it ends."""
    for when in _instants(series.starts_at, series.schedule, zone):
        if series.ended_at is not None and when >= series.ended_at:
            return None
        if when > moment:
            return when
    return None


# Writing occurrences --------------------------------------------------------------


def _occurrence(series: AppointmentSeries, when: dt.datetime) -> Appointment:
    row = Appointment(owner_id=series.owner_id, series=series, starts_at=when)
    for field in COPIED:
        setattr(row, field, getattr(series, field))
    return row


def _insert(rows: list[Appointment]) -> int:
    # ignore_conflicts: two requests topping up at once write each occurrence once
    # (the unique constraint on series + starts_at), and neither fails.
    if rows:
        Appointment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _watermark(series: AppointmentSeries) -> dt.datetime | None:
    latest: dt.datetime | None = series.appointments.aggregate(latest=Max("starts_at"))["latest"]
    return latest


def materialise(
    series: AppointmentSeries,
    until: dt.datetime,
    *,
    since: dt.datetime | None = None,
    now: dt.datetime,
    zone: ZoneInfo,
) -> int:
    """Write the series' occurrences up to `until`; how many were new. Idempotent.

    Without `since`, only occurrences after the series' latest row are written
    (a top-up), so one the member deleted stays deleted. With `since`, every
    missing occurrence from `since` on is written (after the series changed).
    """
    if since is None:
        after = _watermark(series)
        if after is None:
            since = max(series.starts_at, now - PAST_LIMIT)
        wanted = occurrences(
            series.starts_at,
            series.schedule,
            zone,
            until=until,
            after=after,
            since=since,
            ended_at=series.ended_at,
        )
        return _insert([_occurrence(series, when) for when in wanted])
    wanted = occurrences(
        series.starts_at, series.schedule, zone, until=until, since=since, ended_at=series.ended_at
    )
    if not wanted:
        return 0
    existing = set(
        series.appointments.filter(starts_at__gte=wanted[0], starts_at__lte=wanted[-1])
        .order_by()
        .values_list("starts_at", flat=True)
    )
    return _insert([_occurrence(series, when) for when in wanted if when not in existing])


def materialise_due(owner: Any, now: dt.datetime) -> int:
    """Top up every series of the member that is running low: one query, plus one write if any.

    Called as lists are viewed, so nothing scheduled is needed to keep series going.
    """
    zone: ZoneInfo = owner.zone
    low = (
        AppointmentSeries.objects.owned_by(owner)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .annotate(latest=Max("appointments__starts_at"))
        .filter(Q(latest__isnull=True) | Q(latest__lt=now + TOP_UP_WITHIN))
    )
    rows: list[Appointment] = []
    for series in low:
        since = None if series.latest else max(series.starts_at, now - PAST_LIMIT)
        wanted = occurrences(
            series.starts_at,
            series.schedule,
            zone,
            until=now + HORIZON,
            after=series.latest,
            since=since,
            ended_at=series.ended_at,
        )
        rows.extend(_occurrence(series, when) for when in wanted)
    return _insert(rows[:MAX_NEW])


def _keep_watermark(
    series: AppointmentSeries, removed: dt.datetime, zone: ZoneInfo, now: dt.datetime
) -> None:
    """Before the row at `removed` goes (deleted or moved): keep the series from rewriting it.

    Top-ups start after the latest row. If `removed` is the latest, write the
    next occurrence now; if there is no next one, the series ends there.
    """
    others = series.appointments.exclude(starts_at=removed).aggregate(latest=Max("starts_at"))
    if others["latest"] is not None and others["latest"] > removed:
        return
    following = next_after(series, removed, zone)
    if following is None:
        if series.ended_at is None or series.ended_at > removed:
            series.ended_at = removed
            series.save(update_fields=["ended_at"])
        return
    _insert([_occurrence(series, following)])


# Saving what the member entered ----------------------------------------------------


def check_repeat_start(starts_at: dt.datetime, now: dt.datetime) -> None:
    """A new series may begin at most PAST_LIMIT back: further is beyond what attendance shows."""
    if starts_at < now - PAST_LIMIT:
        raise RepeatError(
            f"A repeating appointment can begin at most {PAST_LIMIT.days} days back, "
            "as far as your attendance looks. Please choose a recent one as the first; "
            "you can add older ones on their own."
        )


@transaction.atomic
def create(
    appointment: Appointment, repeat: str, *, now: dt.datetime, zone: ZoneInfo
) -> Appointment:
    """Save a new appointment; with a rule, as the first of a new series. Returns that first one."""
    if appointment.status != SCHEDULED:
        appointment.status_changed_at = now
    if not repeat:
        appointment.save()
        return appointment
    check_repeat_start(appointment.starts_at, now)
    # Whole seconds, as the rule's own instants are: the first one must be one of them.
    appointment.starts_at = appointment.starts_at.replace(microsecond=0)
    series = AppointmentSeries(owner_id=appointment.owner_id, schedule=repeat)
    for field in (*COPIED, "starts_at"):
        setattr(series, field, getattr(appointment, field))
    series.save()
    # The first one is this appointment itself, with its notes and status.
    appointment.series = series
    appointment.save()
    # From the first one on: past ones too, for the member to note whether they went.
    until = max(now + HORIZON, series.starts_at)
    materialise(series, until, since=series.starts_at, now=now, zone=zone)
    return appointment


@transaction.atomic
def update(
    appointment: Appointment, previous_start: dt.datetime, *, now: dt.datetime, zone: ZoneInfo
) -> Appointment:
    """Save changes to one appointment. Moving one of a series makes it a one-off.

    A moved occurrence no longer matches the rule; keeping it in the series would
    let a top-up write it again at the old time, or skip ones before the new time.
    """
    series = appointment.series
    if series is not None and appointment.starts_at != previous_start:
        _keep_watermark(series, previous_start, zone, now)
        appointment.series = None
    appointment.save()
    return appointment


def set_status(appointment: Appointment, status: str, now: dt.datetime) -> str | None:
    """Note how an appointment went; the problem in words if it can't be noted (yet)."""
    problem = rules.status_problem(status, appointment.starts_at, now)
    if problem is not None:
        return problem
    if appointment.status != status:
        appointment.status = status
        appointment.status_changed_at = now
        appointment.save(update_fields=["status", "status_changed_at"])
    return None


def timing(series: AppointmentSeries) -> tuple[dt.datetime, str]:
    """What decides when a series meets; `update_series` compares it before and after."""
    return series.starts_at, schedule.normalise(series.schedule)


@transaction.atomic
def update_series(
    series: AppointmentSeries,
    previous: tuple[dt.datetime, str],
    *,
    now: dt.datetime,
    zone: ZoneInfo,
) -> int:
    """Save a changed series and carry the change to its future occurrences; how many changed.

    Only occurrences from `now` on that are still scheduled (or cancelled ahead)
    change: what the member noted about past ones is their history. If the
    time or the rule changed, future ones that no longer fit are removed and
    the new ones written; ones that still fit keep their notes.
    """
    series.starts_at = series.starts_at.replace(microsecond=0)
    future = series.appointments.filter(starts_at__gte=now, status__in=REPLACEABLE)
    if timing(series) != previous:
        # New timing, new start: a stopped series runs again if the rule still meets.
        series.ended_at = None
        following = next_after(series, now - dt.timedelta(microseconds=1), zone)
        if following is None:
            series.ended_at = now
        series.save()
        until = max(now + HORIZON, following or now)
        fits = set(
            occurrences(
                series.starts_at,
                series.schedule,
                zone,
                until=until,
                since=now,
                ended_at=series.ended_at,
            )
        )
        stale = [pk for pk, when in future.values_list("pk", "starts_at") if when not in fits]
        Appointment.objects.filter(pk__in=stale).delete()
        materialise(series, until, since=now, now=now, zone=zone)
    else:
        series.save()
    changes = {field: getattr(series, field) for field in COPIED}
    return future.filter(status=SCHEDULED).update(**changes)


@transaction.atomic
def end_series(series: AppointmentSeries, at: dt.datetime) -> int:
    """Stop a series at `at`: the occurrences from then on that nobody marked are removed.

    Attended and missed ones stay, even after `at`: they are the member's history.
    """
    series.ended_at = at
    series.save(update_fields=["ended_at"])
    deleted, _ = series.appointments.filter(starts_at__gte=at, status__in=REPLACEABLE).delete()
    return deleted


@transaction.atomic
def delete(appointment: Appointment, scope: str, *, now: dt.datetime, zone: ZoneInfo) -> int:
    """Delete one appointment, or with `scope` this and later ones of its series, or all of it.

    Returns how many appointments went.
    """
    series = appointment.series
    if series is None or scope == THIS:
        if series is not None:
            _keep_watermark(series, appointment.starts_at, zone, now)
        appointment.delete()
        return 1
    if scope == FUTURE:
        removed = end_series(series, appointment.starts_at)
        if Appointment.objects.filter(pk=appointment.pk).exists():
            # Already marked, so end_series kept it; but this one is what the member chose.
            appointment.delete()
            removed += 1
        return removed
    count = series.appointments.count()
    series.delete()
    return count


# Lists -----------------------------------------------------------------------------


def _listed(queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Ready to list: who and which group in the same query; notes stay encrypted."""
    return queryset.select_related("person", "group").only(
        "id",
        "owner_id",
        "kind",
        "title",
        "series_id",
        "starts_at",
        "duration_minutes",
        "location",
        "status",
        "status_changed_at",
        "person__id",
        "person__name",
        "person__nickname",
        "person__phone",
        "person__email",
        "group__id",
        "group__name",
    )


def upcoming(owner: Any, now: dt.datetime, limit: int = UPCOMING_LIMIT) -> list[Appointment]:
    """Appointments still to start, soonest first (cancelled ones too, so they can be undone).

    One more than `limit`, so that `split_upcoming` can tell whether there are more.
    """
    mine = Appointment.objects.owned_by(owner).filter(starts_at__gt=now)
    return list(_listed(mine).order_by("starts_at", "id")[: limit + 1])


@dataclass(frozen=True)
class Upcoming:
    soon: list[Appointment]
    later: list[Appointment]
    more: bool  # the list was cut at UPCOMING_LIMIT


def split_upcoming(
    rows: list[Appointment], now: dt.datetime, limit: int = UPCOMING_LIMIT
) -> Upcoming:
    """The next UPCOMING_DAYS days, and the rest as "later", at most `limit` in all."""
    cut = now + dt.timedelta(days=UPCOMING_DAYS)
    shown = rows[:limit]
    return Upcoming(
        soon=[row for row in shown if row.starts_at < cut],
        later=[row for row in shown if row.starts_at >= cut],
        more=len(rows) > limit,
    )


def due(owner: Any, now: dt.datetime, limit: int = DUE_LIMIT) -> list[Appointment]:
    """Appointments that have started and wait for a word on how they went, newest first.

    Only those in the attendance window: older ones no longer change anything,
    and a long list of them would feel like homework.
    """
    mine = Appointment.objects.owned_by(owner).filter(
        status=SCHEDULED, starts_at__lte=now, starts_at__gte=now - PAST_LIMIT
    )
    return list(_listed(mine).order_by("-starts_at", "-id")[:limit])


def past(owner: Any, now: dt.datetime, status: str = "") -> QuerySet[Appointment]:
    """Appointments that have started, newest first, optionally with one status."""
    mine = Appointment.objects.owned_by(owner).filter(starts_at__lte=now)
    if status:
        mine = mine.filter(status=status)
    return _listed(mine).order_by("-starts_at", "-id")


def attendance_of(
    owner: Any, now: dt.datetime, window_days: int = rules.WINDOW_DAYS
) -> rules.Attendance:
    """The member's attendance, counted by the pure rule from one small query."""
    local_now = now.astimezone(owner.zone)
    # Read a day more than the window: the rule itself decides the exact edge.
    rows: Iterable[tuple[dt.datetime, str]] = (
        Appointment.objects.owned_by(owner)
        .filter(starts_at__gte=now - dt.timedelta(days=window_days + 1), starts_at__lte=now)
        .order_by()
        .values_list("starts_at", "status")
    )
    return rules.attendance(rows, local_now, window_days)


@dataclass(frozen=True)
class HomeAppointments:
    due: list[Appointment]
    more_due: bool
    upcoming: list[Appointment]
    now: dt.datetime  # what "has passed" was measured against


def for_home(owner: Any, now: dt.datetime) -> HomeAppointments:
    """What the home page shows: a few to note, and the next few ahead. Three queries."""
    materialise_due(owner, now)
    waiting = due(owner, now, limit=DUE_ON_HOME + 1)
    ahead = Appointment.objects.owned_by(owner).filter(starts_at__gt=now, status=SCHEDULED)
    return HomeAppointments(
        due=waiting[:DUE_ON_HOME],
        more_due=len(waiting) > DUE_ON_HOME,
        upcoming=list(_listed(ahead).order_by("starts_at", "id")[:UPCOMING_ON_HOME]),
        now=now,
    )
