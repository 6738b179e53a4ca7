"""The private calendar feed: the page that makes, shows and revokes its address, and the feed.

The feed needs no sign-in: its address holds a long random secret, which is
the key. Only the secret's SHA-256 is looked up, an unknown or revoked one
answers 404, and the feed carries titles, days, times and places but never a
note. `calendar.py` writes the iCalendar; this module gathers the member's
days in a fixed number of queries, whatever the size of their network.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from closeknit.accounts.models import User
from closeknit.lib.days import local_day
from closeknit.network.models import Person
from closeknit.network.queries import with_last_contact
from closeknit.network.wording import short_name
from closeknit.recovery import appointments as booked
from closeknit.recovery.models import Appointment, AppointmentSeries
from closeknit.recovery.vocab import AppointmentStatus
from closeknit.recovery.wording import appointment_label
from closeknit.rhythms import calendar, occasions_store
from closeknit.rhythms.models import CalendarFeed, ReachOutPause
from closeknit.wellbeing import instruments
from closeknit.wellbeing.models import QuestionnaireSchedule
from closeknit.wellbeing.schedules import next_due
from closeknit.wellbeing.store import last_taken, plan_of
from closeknit.wellbeing.store import today as local_today

PAGE = "rhythms:calendar"
# Recording each fetch would turn every read into a write; once an hour tells the member enough.
TOUCH_EVERY = dt.timedelta(hours=1)


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


# The feed's events --------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.BASE_URL).hostname or "closeknit"


def _link(name: str, *args: Any) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def _appointment_events(owner: User, now: dt.datetime, host: str) -> list[calendar.Timed]:
    """Appointments from 30 days ago to a year ahead that aren't cancelled: two queries.

    Repeating ones are written out only four months ahead (recovery/appointments.py);
    the rest of the year is worked out from each series' rule, with the same UIDs the
    rows will have once written.
    """
    zone = owner.zone
    since, until = calendar.appointments_window(now)
    link = _link("recovery:appointments")
    rows = (
        Appointment.objects.owned_by(owner)
        .filter(starts_at__gte=since, starts_at__lte=until)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("person", "group")
        .only(
            "id",
            "kind",
            "title",
            "series_id",
            "starts_at",
            "duration_minutes",
            "location",
            "person__id",
            "person__name",
            "person__nickname",
            "group__id",
            "group__name",
        )
    )
    events = []
    for row in rows:
        key = (
            calendar.series_key(row.series_id, row.starts_at)
            if row.series_id is not None
            else calendar.appointment_key(row.pk)
        )
        events.append(_timed(key, row, row.starts_at, host, link))
    series = (
        AppointmentSeries.objects.owned_by(owner)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .annotate(latest=Max("appointments__starts_at"))
        .select_related("person", "group")
        .defer("person__notes", "group__notes")
    )
    for one in series:
        latest: dt.datetime | None = one.latest
        ahead = booked.occurrences(
            one.starts_at,
            one.schedule,
            zone,
            until=until,
            after=latest,
            since=since,
            ended_at=one.ended_at,
        )
        events.extend(
            _timed(calendar.series_key(one.pk, when), one, when, host, link) for when in ahead
        )
    return events


def _timed(
    key: str, row: Appointment | AppointmentSeries, start: dt.datetime, host: str, link: str
) -> calendar.Timed:
    return calendar.Timed(
        uid=calendar.uid(key, host),
        start=start,
        end=start + dt.timedelta(minutes=row.duration_minutes),
        summary=appointment_label(row),
        location=row.location,
        url=link,
    )


def _check_in_events(
    owner: User, today: dt.date, last_day: dt.date, host: str
) -> list[calendar.AllDay]:
    """One "Be in touch with Sam" on the day each person's rhythm comes round: three queries."""
    zone = owner.zone
    people = with_last_contact(
        Person.objects.owned_by(owner)
        .filter(rhythm_days__isnull=False, archived_at__isnull=True)
        .only("id", "name", "nickname", "rhythm_days")
    )
    paused = dict(
        ReachOutPause.objects.owned_by(owner).values_list("person_id", "until").order_by()
    )
    events = []
    for person in people:
        last: dt.datetime | None = person.last_contact  # type: ignore[attr-defined]
        rhythm = person.rhythm_days or 1
        day = calendar.check_in_day(local_day(last, zone) if last else None, rhythm, today)
        if person.pk in paused:
            # Asked to leave them be until then: the calendar doesn't nag either.
            day = max(day, paused[person.pk])
        if day > last_day:
            continue
        name = short_name(person.name, person.nickname)
        summary, description = calendar.check_in_words(name, rhythm)
        events.append(
            calendar.AllDay(
                # One event per person, moving as contact is logged: apps update it in place.
                uid=calendar.uid(f"keep-in-touch-{person.pk}", host),
                day=day,
                summary=summary,
                description=description,
                url=_link("network:person", person.pk),
            )
        )
    return events


def _questionnaire_events(
    owner: User, today: dt.date, last_day: dt.date, host: str
) -> list[calendar.AllDay]:
    """Each scheduled questionnaire on its next due day: two queries."""
    zone = owner.zone
    schedules = list(QuestionnaireSchedule.objects.owned_by(owner))
    if not schedules:
        return []
    taken = last_taken(owner, zone)
    events = []
    for schedule in schedules:
        day = max(today, next_due(plan_of(schedule, zone), taken.get(schedule.instrument)))
        if day > last_day:
            continue
        try:
            instrument = instruments.get(schedule.instrument)
        except KeyError:
            continue
        events.append(
            calendar.AllDay(
                uid=calendar.uid(f"questionnaire-{schedule.pk}", host),
                day=day,
                summary=f"Time for your {instrument.name}",
                description="A few minutes to check in with yourself. It's there when you're ready.",
                url=_link("wellbeing:questionnaire", instrument.code),
            )
        )
    return events


def feed_events(owner: User, now: dt.datetime) -> list[calendar.Event]:
    """Everything the feed shows, for the member's local today."""
    host = _host()
    today = local_today(owner, now)
    last_day = calendar.year_ahead(today)
    found = occasions_store.upcoming(owner, today, last_day)
    events: list[calendar.Event] = [
        *calendar.occasion_events(found, host, _link("rhythms:occasions")),
        *_appointment_events(owner, now, host),
        *_check_in_events(owner, today, last_day, host),
        *_questionnaire_events(owner, today, last_day, host),
    ]
    return events


def _touch(feed: CalendarFeed, now: dt.datetime) -> None:
    if feed.last_used_at is not None and now - feed.last_used_at < TOUCH_EVERY:
        return
    # Conditional, so that apps fetching at once write at most once.
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
    ).update(last_used_at=now)


@require_safe
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    found = CalendarFeed.find(secret)
    if found is None or not found.owner.is_active:
        raise Http404("no such calendar")
    owner, now = found.owner, timezone.now()
    body = calendar.build(feed_events(owner, now), zone=owner.zone, now=now)
    _touch(found, now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private"
    response["Content-Disposition"] = 'inline; filename="closeknit.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# The page ------------------------------------------------------------------------------------


def current_feed(owner: User) -> CalendarFeed | None:
    return CalendarFeed.objects.owned_by(owner).order_by("-created_at", "-id").first()


def _addresses(request: HttpRequest, found: CalendarFeed) -> dict[str, str]:
    address = request.build_absolute_uri(found.get_absolute_url())
    return {"address": address, "webcal": "webcal://" + address.split("://", 1)[1]}


def _replace(owner: User) -> CalendarFeed:
    with transaction.atomic():
        CalendarFeed.objects.owned_by(owner).delete()
        return CalendarFeed.issue(owner)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    found = current_feed(owner)
    if request.method == "POST":
        if found is None:
            _replace(owner)
            messages.success(
                request, "Your calendar address is ready. Copy it into your calendar app below."
            )
        return redirect(PAGE)
    return render(
        request,
        "rhythms/calendar.html",
        {"feed": found, **(_addresses(request, found) if found else {})},
    )


@login_required
def calendar_replace(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    found = current_feed(owner)
    if found is None:
        return redirect(PAGE)
    if request.method == "POST":
        _replace(owner)
        messages.success(
            request,
            "Here is your new address. The old one has stopped working, so put this one "
            "into your calendar app instead.",
        )
        return redirect(PAGE)
    return render(request, "rhythms/calendar_confirm.html", {"feed": found, "action": "replace"})


@login_required
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    found = current_feed(owner)
    if found is None:
        return redirect(PAGE)
    if request.method == "POST":
        CalendarFeed.objects.owned_by(owner).delete()
        messages.success(
            request,
            "Done. That address no longer works, and your calendar app will stop showing "
            "your Closeknit days the next time it checks.",
        )
        return redirect(PAGE)
    return render(request, "rhythms/calendar_confirm.html", {"feed": found, "action": "revoke"})
