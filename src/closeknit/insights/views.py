"""The insights pages. Thin: store.py gathers, the pure modules compute, wording.py says
the figures in words, templates draw.

Long lists come in pages of PAGE_SIZE: the reciprocity table shows its first TOP_PEOPLE
rows, with the rest behind "everyone"; the weekly table of the wellbeing page keeps a
year on one page (ORPHANS lets the last few weeks stay with it). Suggestions link to the
page where their one small step happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.insights import connection, convoy, metrics, perceived, store, wording
from closeknit.insights.convoy import Convoy, Dot, Ring
from closeknit.insights.forms import chosen_range
from closeknit.insights.metrics import NetworkHealth, PersonBalance, WeekCount
from closeknit.insights.suggestions import Suggestion
from closeknit.wellbeing import store as wellbeing_store

PAGE_SIZE = 50
ORPHANS = 5  # a year is 53 or 54 weeks: one page, not a second page of three rows
TOP_PEOPLE = 10

# The windows the figures look at, in local days (weeks for "weeks"), for the words around them.
WINDOWS = {
    "convoy": convoy.RECENT_DAYS,
    "diversity": metrics.DIVERSITY_DAYS,
    "recent": metrics.RECENT_DAYS,
    "weeks": metrics.WEEKS,
    "run": metrics.RUN_DAYS,
    "lived": perceived.LIVED_DAYS,
}

# Where each suggestion's small step happens, and what its link says.
ACTIONS = {
    "add-person": ("network:person-new", "Add someone"),
    "people": ("network:people", "Go to your people"),
    "reach-out": ("rhythms:reach-out", "See whom you might reach out to"),
    "log-contact": ("network:interaction-new", "Log contact"),
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- The network page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CircleDots:
    """One ring of the convoy with its people, for the table beside the diagram."""

    ring: Ring
    dots: list[Dot]
    hidden: int  # people in this circle not drawn because the ring is full
    label_y: float  # the ring's label sits on its line, at the top, between the dots


@dataclass(frozen=True)
class SuggestionLink:
    suggestion: Suggestion
    url: str
    label: str


@dataclass(frozen=True)
class WeekBar:
    week: WeekCount
    percent: int  # the bar's length, against the busiest week


def circles_of(found: Convoy) -> list[CircleDots]:
    return [
        CircleDots(
            ring=ring,
            dots=[dot for dot in found.dots if dot.circle == ring.circle],
            hidden=found.hidden.get(ring.circle, 0),
            label_y=found.center - ring.radius,
        )
        for ring in found.rings
    ]


def suggestion_links(suggestions: list[Suggestion]) -> list[SuggestionLink]:
    links = []
    for suggestion in suggestions:
        name, label = ACTIONS.get(suggestion.action or "", ("", ""))
        links.append(SuggestionLink(suggestion, reverse(name) if name else "", label))
    return links


def week_bars(weeks: list[WeekCount]) -> list[WeekBar]:
    busiest = max((week.contacts for week in weeks), default=0)
    return [WeekBar(week, round(100 * week.contacts / busiest) if busiest else 0) for week in weeks]


def balance_pages(request: HttpRequest, rows: list[PersonBalance]) -> Page[PersonBalance]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("balance"))


@login_required
def network(request: HttpRequest) -> HttpResponse:
    owner = _user(request)
    found = store.network(owner, wellbeing_store.today(owner))
    health: NetworkHealth = found.health
    context = {
        "insights": found,
        "health": health,
        "convoy": found.convoy,
        "perceived": found.perceived,
        "circles": circles_of(found.convoy),
        "suggestions": suggestion_links(found.suggestions),
        "diversity_band": wording.DIVERSITY_BANDS.get(health.diversity.band, ""),
        "weeks": week_bars(health.weekly),
        "weekly_total": sum(week.contacts for week in health.weekly),
        "top_balances": health.reciprocity_by_person[:TOP_PEOPLE],
        "top_count": TOP_PEOPLE,
        "all_balances": balance_pages(request, health.reciprocity_by_person),
        "windows": WINDOWS,
    }
    return render(request, "insights/network.html", context)


# --- The wellbeing page -------------------------------------------------------------------------


@login_required
def wellbeing(request: HttpRequest) -> HttpResponse:
    owner = _user(request)
    chosen = chosen_range(request.GET, wellbeing_store.today(owner))
    found = store.wellbeing(owner, chosen.first, chosen.last)
    weeks = Paginator(found.timeline.weeks, PAGE_SIZE, orphans=ORPHANS)
    context = {
        "insights": found,
        "connection": found.connection,
        "timeline": found.timeline,
        "chosen": chosen,
        "form": chosen.form,
        "effects": wording.effect_cards(found.connection),
        "people": [
            wording.PersonLine(effect, wording.difference_words(effect.difference))
            for effect in found.connection.people
        ],
        "page": weeks.get_page(request.GET.get("page")),
        "min_days": connection.MIN_DAYS,
        "min_person_days": connection.MIN_PERSON_DAYS,
    }
    return render(request, "insights/wellbeing.html", context)
