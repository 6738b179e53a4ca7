"""Pages for appointments. Thin: recovery/appointments.py does the work, attendance.py the counting."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from closeknit.accounts.models import User
from closeknit.lib.navigation import next_url
from closeknit.network.wording import short_name
from closeknit.recovery import appointments as booked
from closeknit.recovery import attendance as rules
from closeknit.recovery.appointments_forms import (
    AppointmentForm,
    DeleteForm,
    SeriesDeleteForm,
    SeriesForm,
    StatusForm,
)
from closeknit.recovery.models import Appointment, AppointmentSeries
from closeknit.recovery.vocab import AppointmentKind, AppointmentStatus

SAVED = "Saved."
LIST = "recovery:appointments"
# What the member hears after one tap; missing one is met with warmth, never blame.
NOTED = {
    AppointmentStatus.ATTENDED.value: "Noted: you went. Good on you for showing up.",
    AppointmentStatus.CANCELLED.value: "Noted as cancelled. It doesn't count either way.",
    AppointmentStatus.SCHEDULED.value: "It's back on your list.",
}
MISSED_WORDS = "That happens."
MISSED_QUESTION = "Would you like to let them know or book another time?"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _zone(request: HttpRequest) -> ZoneInfo:
    return _user(request).zone


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"recovery/appointments/{template}", context)


def again_url(appointment: Appointment) -> str:
    """A new appointment like this one: "book another time"."""
    return f"{reverse('recovery:appointment-new')}?again={appointment.pk}"


def missed_message(appointment: Appointment) -> SafeString:
    """The kind words after "I missed it", with the two things the member might want to do."""
    book = again_url(appointment)
    if appointment.person is not None:
        who = short_name(appointment.person.name, appointment.person.nickname)
        return format_html(
            '{} Would you like to <a href="{}">let {} know</a> or <a href="{}">book another time</a>?',
            MISSED_WORDS,
            appointment.person.get_absolute_url(),
            who,
            book,
        )
    if appointment.group is not None:
        return format_html(
            '{} Would you like to <a href="{}">let the group know</a> or <a href="{}">book another time</a>?',
            MISSED_WORDS,
            appointment.group.get_absolute_url(),
            book,
        )
    return format_html(
        '{} Would you like to let them know or <a href="{}">book another time</a>?',
        MISSED_WORDS,
        book,
    )


def _noted(appointment: Appointment) -> str | SafeString:
    if appointment.status == AppointmentStatus.MISSED:
        return missed_message(appointment)
    return NOTED[appointment.status]


# Lists


@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    user, now = _user(request), timezone.now()
    booked.materialise_due(user, now)
    counted = booked.attendance_of(user, now)
    ahead = booked.split_upcoming(booked.upcoming(user, now), now)
    return _render(
        request,
        "list.html",
        {
            "attendance": counted,
            "summary": rules.summary(counted),
            "percent": rules.percent(counted),
            "due": booked.due(user, now),
            "upcoming": ahead,
            "upcoming_days": booked.UPCOMING_DAYS,
            "now": now,
        },
    )


@login_required
def appointments_past(request: HttpRequest) -> HttpResponse:
    user, now = _user(request), timezone.now()
    status = request.GET.get("status", "")
    if status not in AppointmentStatus.values:
        status = ""
    booked.materialise_due(user, now)
    page = Paginator(booked.past(user, now, status), booked.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "past.html",
        {"page": page, "status": status, "statuses": AppointmentStatus.choices, "now": now},
    )


# One appointment


def _again(request: HttpRequest) -> dict[str, Any]:
    """Initial values: like one of the member's appointments (?again=), or with ?person/?group.

    The form only offers the member's own people and groups, so a forged id is ignored.
    """
    initial: dict[str, Any] = {}
    source = request.GET.get("again", "")
    if source.isdigit():
        like = Appointment.objects.owned_by(request.user).filter(pk=int(source)).first()
        if like is not None:
            initial = {
                "kind": like.kind,
                "title": like.title,
                "person": like.person_id,
                "group": like.group_id,
                "duration_minutes": like.duration_minutes,
                "location": like.location,
            }
    for key in ("person", "group"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[key] = int(value)
    kind = request.GET.get("kind", "")
    if kind in AppointmentKind.values:
        initial["kind"] = kind
    return initial


def _saved_message(appointment: Appointment) -> str:
    if appointment.series_id is None:
        return SAVED
    return "Saved. It repeats: you'll find the next ones in your list as they come up."


@login_required
def appointment_new(request: HttpRequest) -> HttpResponse:
    form = AppointmentForm(request.POST or None, owner=request.user, initial=_again(request))
    if request.method == "POST" and form.is_valid():
        appointment = booked.create(
            form.save(commit=False), form.schedule, now=timezone.now(), zone=_zone(request)
        )
        messages.success(request, _saved_message(appointment))
        return redirect(LIST)
    return _render(request, "form.html", {"form": form, "appointment": None})


@login_required
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.owned_by(request.user).select_related("series"), pk=pk
    )
    # Read before validation: the form writes the new values onto the instance.
    previous_start, previous_status = appointment.starts_at, appointment.status
    form = AppointmentForm(request.POST or None, instance=appointment, owner=request.user)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        changed = form.save(commit=False)
        if changed.status != previous_status:
            changed.status_changed_at = now
        booked.update(changed, previous_start, now=now, zone=_zone(request))
        messages.success(request, SAVED)
        return HttpResponseRedirect(next_url(request, reverse(LIST)))
    return _render(
        request,
        "form.html",
        {"form": form, "appointment": appointment, "next": next_url(request, "")},
    )


@login_required
def appointment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(
        Appointment.objects.owned_by(request.user).select_related("series"), pk=pk
    )
    form = DeleteForm(request.POST or None)
    if request.method == "POST":
        scope = booked.THIS
        if appointment.series_id is not None:
            if not form.is_valid():
                return _render(
                    request, "confirm_delete.html", {"appointment": appointment, "form": form}
                )
            scope = form.cleaned_data["scope"]
        removed = booked.delete(appointment, scope, now=timezone.now(), zone=_zone(request))
        messages.success(request, _removed(removed))
        return redirect(LIST)
    return _render(request, "confirm_delete.html", {"appointment": appointment, "form": form})


def _stopped(removed: int) -> str:
    kept = "The ones that have passed are still here."
    if removed == 0:
        return f"Stopped the series. {kept}"
    return f"Stopped the series and removed the {removed} still ahead. {kept}"


def _removed(count: int) -> str:
    if count == 1:
        return "Removed that appointment."
    return f"Removed {count} appointments."


@login_required
@require_POST
def appointment_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: I went / I missed it / it was cancelled (or back on)."""
    appointment = get_object_or_404(
        Appointment.objects.owned_by(request.user).select_related("person", "group"), pk=pk
    )
    form = StatusForm(request.POST)
    now = timezone.now()
    problem = (
        booked.set_status(appointment, form.cleaned_data["status"], now)
        if form.is_valid()
        else "Please choose how it went."
    )
    if request.htmx:  # type: ignore[attr-defined]
        # Swapped in place of the appointment, so the words appear where the tap was.
        return _render(
            request,
            "_marked.html",
            {
                "a": appointment,
                "problem": problem,
                "noted": None if problem else _noted(appointment),
            },
        )
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, _noted(appointment))
    return HttpResponseRedirect(next_url(request, reverse(LIST)))


# A series


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(AppointmentSeries.objects.owned_by(request.user), pk=pk)
    previous = booked.timing(series)
    form = SeriesForm(request.POST or None, instance=series, owner=request.user)
    if request.method == "POST" and form.is_valid():
        booked.update_series(
            form.save(commit=False), previous, now=timezone.now(), zone=_zone(request)
        )
        messages.success(
            request,
            "Saved. The ones still ahead have changed; the ones that passed stay as they were.",
        )
        return redirect(LIST)
    return _render(
        request,
        "series_form.html",
        {"form": form, "series": series, "next_ones": _next_ones(series, timezone.now())},
    )


def _next_ones(series: AppointmentSeries, now: dt.datetime) -> list[Appointment]:
    return list(
        series.appointments.filter(starts_at__gte=now)
        .order_by("starts_at")
        .only("id", "starts_at", "status", "series_id")[:3]
    )


@login_required
def series_delete(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(AppointmentSeries.objects.owned_by(request.user), pk=pk)
    form = SeriesDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["scope"] == booked.ALL:
            count = series.appointments.count()
            series.delete()
            messages.success(request, _removed(count))
        else:
            removed = booked.end_series(series, timezone.now())
            messages.success(request, _stopped(removed))
        return redirect(LIST)
    return _render(request, "series_confirm_delete.html", {"series": series, "form": form})
