"""Pages of the daily check-in and the questionnaires.

Thin: the rules are in `checkins.py`, `scoring.py`, `schedules.py` and
`history.py`, the database work in `store.py`. Every object is fetched through
`owned_by`, so another member's result answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.lib.navigation import next_url
from closeknit.network.models import Person
from closeknit.network.vocab import Circle
from closeknit.recovery import safety_views
from closeknit.recovery.safety_plan import tel_target
from closeknit.wellbeing import charts, checkins, history, instruments, scoring, store
from closeknit.wellbeing.forms import AssessmentForm, CheckInForm, ScheduleForm
from closeknit.wellbeing.models import Assessment, CheckIn, QuestionnaireSchedule
from closeknit.wellbeing.schedules import frequency_label
from closeknit.wellbeing.vocab import SELF_HARM_THOUGHTS

PAGE_SIZE = 50


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _instrument(code: str) -> instruments.Instrument:
    try:
        return instruments.get(code)
    except KeyError:
        raise Http404("no such questionnaire") from None


def _day(text: str) -> dt.date:
    day = checkins.parse_day(text)
    if day is None:
        raise Http404("not a day")
    return day


def _month_url(day: dt.date) -> str:
    return reverse("wellbeing:checkins") + f"?month={day:%Y-%m}"


# The daily check-in


@login_required
def checkin_today(request: HttpRequest) -> HttpResponse:
    return _checkin_page(request, store.today(_owner(request)))


@login_required
def checkin_day(request: HttpRequest, day: str) -> HttpResponse:
    return _checkin_page(request, _day(day))


def _checkin_page(request: HttpRequest, day: dt.date) -> HttpResponse:
    owner = _owner(request)
    today = store.today(owner)
    problem = checkins.day_problem(day, today)
    entry = CheckIn.objects.owned_by(owner).filter(day=day).first()
    form = CheckInForm.for_entry(entry, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            store.save_checkin(owner, day, form.cleaned_data)
        except store.CheckInError as error:
            for field, message in error.errors.items():
                form.add_error(None if field in ("__all__", "date") else field, message)
        else:
            messages.success(
                request,
                "Thank you for checking in."
                if day == today
                else f"Saved your check-in for {day:%-d %B}.",
            )
            default = reverse("network:home") if day == today else _month_url(day)
            return redirect(next_url(request, default))
    return render(
        request,
        "wellbeing/checkin.html",
        {
            "form": form,
            "day": day,
            "today": today,
            "is_today": day == today,
            "entry": entry,
            "problem": problem,
            "yesterday": today - dt.timedelta(days=1),
            "next": next_url(request, ""),
        },
    )


@login_required
def checkin_delete(request: HttpRequest, day: str) -> HttpResponse:
    entry = get_object_or_404(CheckIn.objects.owned_by(request.user), day=_day(day))
    if request.method == "POST":
        entry.delete()
        messages.success(request, f"Deleted your check-in for {entry.day:%-d %B %Y}.")
        return redirect(_month_url(entry.day))
    return render(request, "wellbeing/checkin_confirm_delete.html", {"entry": entry})


@login_required
def checkin_calendar(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    today = store.today(owner)
    first = checkins.parse_month(request.GET.get("month"), today)
    start, end = checkins.month_bounds(first)
    entries = {entry.day: entry for entry in store.checkins_between(owner, start, end)}
    following = checkins.shift_month(first, 1)
    return render(
        request,
        "wellbeing/calendar.html",
        {
            "first": first,
            "weeks": checkins.month_weeks(first, today, entries),
            "entries": [entries[day] for day in sorted(entries)],
            "previous": checkins.shift_month(first, -1),
            "following": following if following <= today else None,
            "today": today,
        },
    )


# Questionnaires


@login_required
def questionnaires(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    saved = list(QuestionnaireSchedule.objects.owned_by(owner))
    schedules = {s.instrument: s.every_days for s in saved}
    newest = (
        Assessment.objects.filter(owner=owner, instrument=OuterRef("instrument"))
        .order_by("-taken_at", "-id")
        .values("id")[:1]
    )
    last = {
        one.instrument: one
        for one in Assessment.objects.owned_by(owner).filter(id=Subquery(newest)).defer("answers")
    }
    due = {one.due.instrument for one in store.due_questionnaires(owner, saved=saved)}
    rows = [
        {
            "instrument": instrument,
            "last": last.get(instrument.code),
            "schedule": frequency_label(schedules[instrument.code])
            if instrument.code in schedules
            else "",
            "due": instrument.code in due,
        }
        for instrument in instruments.all_instruments()
    ]
    return render(request, "wellbeing/questionnaires.html", {"rows": rows})


def _band_label(instrument: instruments.Instrument, slug: str) -> str:
    return next((band.label for band in instrument.bands if band.slug == slug), "")


@login_required
def questionnaire(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    form = AssessmentForm(instrument, request.POST or None)
    unanswered: list[int] = []
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        unanswered = [
            item.number for item in instrument.scored_items if answers[item.number - 1] is None
        ]
        if not unanswered or request.POST.get("allow_missing"):
            assessment, result = store.record_assessment(_owner(request), code, answers)
            if SELF_HARM_THOUGHTS in result.flags:
                return redirect("wellbeing:assessment-support", pk=assessment.pk)
            return redirect("wellbeing:assessment", pk=assessment.pk)
    return render(
        request,
        "wellbeing/questionnaire.html",
        {"instrument": instrument, "form": form, "unanswered": unanswered},
    )


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.owned_by(request.user), pk=pk)


def _previous(assessment: Assessment) -> Assessment | None:
    """The complete result of the same questionnaire just before this one."""
    return (
        Assessment.objects.owned_by(assessment.owner)
        .filter(instrument=assessment.instrument, complete=True, taken_at__lt=assessment.taken_at)
        .defer("answers")
        .order_by("-taken_at", "-id")
        .first()
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    instrument = instruments.get(assessment.instrument)
    result = store.rescore(assessment)
    previous = _previous(assessment) if assessment.complete else None
    # This result's row, with its change since the previous complete one.
    row = history.rows(
        [charts.result_of(one) for one in (previous, assessment) if one is not None],
        instrument.meaningful_change,
        instrument.higher_is_better,
    )[-1]
    return render(
        request,
        "wellbeing/assessment.html",
        {
            "assessment": assessment,
            "instrument": instrument,
            "result": result,
            "total": scoring.number(result.total),
            "subscales": [
                {
                    "label": subscale.label,
                    "value": scoring.number(result.subscales[subscale.slug]),
                    "band": result.subscale_bands[subscale.slug],
                }
                for subscale in instrument.subscales
            ],
            "change": history.change_words(row, instrument.meaningful_change) if previous else "",
            "meaningful": row.meaningful,
            "flagged": SELF_HARM_THOUGHTS in assessment.flags,
            "missing": result.missing,
        },
    )


def _reachable_inner_circle(owner: User) -> list[dict[str, str]]:
    """Inner-circle people with a phone number or an e-mail address: who can be reached now."""
    people = Person.objects.owned_by(owner).filter(circle=Circle.INNER, archived_at__isnull=True)
    return [
        {
            "name": person.name,
            "short": person.nickname or person.name,
            "phone": person.phone,
            "tel": tel_target(person.phone) if person.phone else "",
            "email": person.email,
        }
        for person in people.only("id", "name", "nickname", "phone", "email").order_by("name")
        if person.phone or person.email
    ]


@login_required
def assessment_support(request: HttpRequest, pk: int) -> HttpResponse:
    """The calm page after thoughts of self-harm were answered: plan, lines, people. Sends nothing."""
    assessment = _assessment(request, pk)
    owner = _owner(request)
    version = safety_views.latest(owner)
    plan = safety_views.resolve_for(owner, safety_views.current_plan(version)) if version else None
    return render(
        request,
        "wellbeing/support.html",
        {
            "assessment": assessment,
            "plan": plan,
            "crisis": safety_views.crisis_context(owner.country),
            "people": _reachable_inner_circle(owner),
        },
    )


@login_required
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    instrument = instruments.get(assessment.instrument)
    if request.method == "POST":
        assessment.delete()
        messages.success(request, f"Deleted your {instrument.name} result.")
        return redirect("wellbeing:questionnaire-history", code=instrument.code)
    return render(
        request,
        "wellbeing/assessment_confirm_delete.html",
        {"assessment": assessment, "instrument": instrument},
    )


@login_required
def questionnaire_history(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code)
    results = [
        charts.result_of(one)
        for one in Assessment.objects.owned_by(request.user)
        .filter(instrument=code)
        .defer("answers")
        .order_by("taken_at", "id")
    ]
    rows = history.rows(results, instrument.meaningful_change, instrument.higher_is_better)
    newest_first = [
        {
            "row": row,
            "band": _band_label(instrument, row.result.band),
            "change": history.change_words(row, instrument.meaningful_change),
        }
        for row in reversed(rows)
    ]
    page = Paginator(newest_first, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wellbeing/history.html",
        {
            "instrument": instrument,
            "page": page,
            "chart": charts.score_chart(instrument, results) if results else None,
        },
    )


@login_required
def schedules(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    saved = {s.instrument: s for s in QuestionnaireSchedule.objects.owned_by(owner)}
    everything = instruments.all_instruments()
    form = ScheduleForm(
        everything, {code: s.every_days for code, s in saved.items()}, request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for code, every in form.wanted().items():
                if every and (code not in saved or saved[code].every_days != every):
                    store.set_schedule(owner, code, every)
                elif not every and code in saved:
                    store.stop_schedule(owner, code)
        messages.success(request, "Saved. Questionnaires that are due will show on your home page.")
        return redirect("wellbeing:questionnaires")
    return render(request, "wellbeing/schedules.html", {"form": form})


def home_context(owner: User) -> dict[str, Any]:
    """What the home page shows of wellbeing: today's check-in and the questionnaires due."""
    return {
        "checkin_today": CheckIn.objects.owned_by(owner).filter(day=store.today(owner)).first(),
        "questionnaires_due": store.due_questionnaires(owner),
    }
