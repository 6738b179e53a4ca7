"""Pages of occasions: what is coming up, and the days the member keeps.

Thin: `occasions.py` decides which days come round, `occasions_store.py` reads
them. Every stored occasion is fetched through `owned_by`, so another member's
id answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from closeknit.accounts.models import User
from closeknit.rhythms import occasions_store
from closeknit.rhythms.models import STORED_OCCASION_KINDS, Occasion
from closeknit.rhythms.occasions import (
    RECOVERY,
    RECOVERY_DEFAULT_TITLE,
    UpcomingOccasion,
    when_words,
)
from closeknit.rhythms.occasions_forms import OccasionForm
from closeknit.rhythms.vocab import OccasionKind
from closeknit.wellbeing.store import today as local_today

# The occasions page looks this far ahead (today included), the home page a week.
UPCOMING_DAYS = 60
HOME_DAYS = 7
PAGE_SIZE = 50
LIST = "rhythms:occasions"
STORED_KINDS = {value for value, _label in STORED_OCCASION_KINDS}


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _listed(found: list[UpcomingOccasion], today: dt.date) -> list[dict[str, Any]]:
    return [{"occasion": one, "when": when_words(one.day, today)} for one in found]


def ahead(
    owner: User, days: int, now: dt.datetime | None = None
) -> tuple[dt.date, list[UpcomingOccasion]]:
    """The member's local today and the occasions from it, `days` days in all."""
    today = local_today(owner, now)
    return today, occasions_store.upcoming(owner, today, today + dt.timedelta(days=days - 1))


@login_required
def occasions(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    today, found = ahead(owner, UPCOMING_DAYS)
    page = Paginator(occasions_store.stored_rows(owner), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    has_recovery = any(row.kind == RECOVERY for row in page.object_list)
    return render(
        request,
        "rhythms/occasions.html",
        {
            "upcoming": _listed(found, today),
            "upcoming_days": UPCOMING_DAYS,
            "page": page,
            "has_recovery": has_recovery,
            "today": today,
        },
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    """?kind=recovery and ?person=12 from a link; the form only accepts the member's people."""
    initial: dict[str, Any] = {"kind": OccasionKind.ANNIVERSARY}
    kind = request.GET.get("kind", "")
    if kind in STORED_KINDS:
        initial["kind"] = kind
    person = request.GET.get("person", "")
    if person.isdigit():
        initial["person"] = int(person)
    if initial["kind"] == RECOVERY:
        initial["title"] = RECOVERY_DEFAULT_TITLE
        initial["day"] = local_today(_owner(request))
    return initial


@login_required
def occasion_new(request: HttpRequest) -> HttpResponse:
    initial = _initial(request)
    form = OccasionForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        occasion = form.save()
        messages.success(request, _saved(occasion))
        return redirect(LIST)
    return render(
        request,
        "rhythms/occasion_form.html",
        {"form": form, "occasion": None, "recovery": initial["kind"] == RECOVERY},
    )


def _saved(occasion: Occasion) -> str:
    if occasion.kind == RECOVERY:
        return (
            "Saved. Every day counts: we'll help you mark 1 week, 30, 60 and 90 days, "
            "6 months and every year."
        )
    return "Saved."


def _occasion(request: HttpRequest, pk: int) -> Occasion:
    return get_object_or_404(Occasion.objects.owned_by(request.user), pk=pk)


@login_required
def occasion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    occasion = _occasion(request, pk)
    form = OccasionForm(request.POST or None, instance=occasion, owner=request.user)
    if request.method == "POST" and form.is_valid():
        messages.success(request, _saved(form.save()))
        return redirect(LIST)
    return render(
        request,
        "rhythms/occasion_form.html",
        {"form": form, "occasion": occasion, "recovery": occasion.kind == RECOVERY},
    )


@login_required
def occasion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    occasion = _occasion(request, pk)
    if request.method == "POST":
        occasion.delete()
        messages.success(request, f"Removed “{occasion.title}”.")
        return redirect(LIST)
    return render(request, "rhythms/occasion_confirm_delete.html", {"occasion": occasion})


def home_context(
    owner: User, known: tuple[dt.date, list[UpcomingOccasion]] | None = None
) -> dict[str, Any]:
    """What the home page shows of this part: today's and the coming week's occasions.

    `known` is today and the occasions of a window starting today that the caller already
    read (the reach-out list reads two weeks of them); only the week's are shown.
    """
    if known is None:
        today, found = ahead(owner, HOME_DAYS + 1)
    else:
        today, window = known
        last = today + dt.timedelta(days=HOME_DAYS)
        found = [one for one in window if one.day <= last]
    return {"occasions_soon": _listed(found, today)}
