"""Pages of the reach-out list. Thin: reach_out.py gathers, ranking.py decides."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from closeknit.accounts.models import User
from closeknit.lib.navigation import next_url
from closeknit.network.models import Person
from closeknit.network.wording import short_name
from closeknit.rhythms import reach_out
from closeknit.rhythms.reach_out_forms import SNOOZE_CHOICES, SNOOZE_DEFAULT, PauseForm
from closeknit.wellbeing import store

PAGE_SIZE = 50
LIST = "rhythms:reach-out"
# What the snooze menus offer, on this page and on the home page.
SNOOZE = {"snooze_choices": SNOOZE_CHOICES, "snooze_default": SNOOZE_DEFAULT}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def home_context(owner: User, found: reach_out.ReachOut | None = None) -> dict[str, Any]:
    """What the home page shows of this part: the first few to reach out to."""
    found = found or reach_out.reach_out(owner)
    return {
        "reach_out": found,
        "reach_out_top": found.suggestions[: reach_out.HOME_COUNT],
        "reach_out_more": len(found.suggestions) > reach_out.HOME_COUNT,
        **SNOOZE,
    }


@login_required
def reach_out_list(request: HttpRequest) -> HttpResponse:
    found = reach_out.reach_out(_user(request))
    page = Paginator(found.suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rhythms/reach_out.html",
        {"found": found, "page": page, **SNOOZE},
    )


@login_required
@require_POST
def pause_person(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Not now" or a snooze: off the list until tomorrow, or for the days chosen."""
    owner = _user(request)
    person = get_object_or_404(Person.objects.owned_by(owner), pk=pk)
    form = PauseForm(request.POST)
    problem, words = "", ""
    if form.is_valid():
        now = timezone.now()
        kind = form.cleaned_data["kind"]
        paused = reach_out.pause(owner, person, kind, form.cleaned_data["days"], now)
        words = reach_out.pause_words(person, kind, paused.until, store.today(owner, now))
    else:
        problem = form.problem()
    back = next_url(request, reverse(LIST))
    if request.htmx:  # type: ignore[attr-defined]
        # Swapped in place of the person, so the words appear where the tap was.
        return render(
            request,
            "rhythms/_reach_out_paused.html",
            {"person": person, "words": words, "problem": problem, "next": back},
        )
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, words)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def resume_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a pause: the person is back on the list whenever there is a reason."""
    owner = _user(request)
    person = get_object_or_404(Person.objects.owned_by(owner), pk=pk)
    who = short_name(person.name, person.nickname)
    if reach_out.lift_pause(owner, person):
        messages.success(request, f"{who} can come up on your reach-out list again.")
    else:
        messages.info(request, f"{who} wasn't paused, so nothing changed.")
    return HttpResponseRedirect(next_url(request, reverse(LIST)))
