"""Pages of the early-warning rules: the four rules, editing one, and every firing.

Thin: `early_warning` stores the settings, lists the firings and keeps a firing's
supporter nudges back; `rules` says what each rule means. Every firing is fetched
through `owned_by`, so another member's id answers 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.circle import early_warning, rules
from closeknit.circle.models import RULE_KINDS
from closeknit.circle.rules_forms import RuleForm, who_gets_nudges
from closeknit.notify.models import Channel, Preferences
from closeknit.notify.planning import Prefs

FIRINGS = "circle:firings"
GONE_OUT = "These nudges had already gone out, so there was nothing left to stop."
NOTHING_TO_KEEP = {
    early_warning.KEPT: "You had already kept this one to yourself.",
    early_warning.NONE: "This one only ever went to you.",
}


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _rows(firings: Any) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        {"firing": firing, "supporters": early_warning.supporters_of(firing, now)}
        for firing in firings
    ]


def _remind_at(owner: User) -> Any:
    row = Preferences.objects.owned_by(owner).only("remind_at").first()
    return row.remind_at if row is not None else Prefs().remind_at


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    supporters = early_warning.nudged_supporters(owner)
    recent = list(early_warning.firings_of(owner)[: early_warning.RECENT_FIRINGS + 1])
    return render(
        request,
        "circle/rules.html",
        {
            "rules": early_warning.rules_of(owner),
            "supporters": supporters,
            "who_gets_nudges": who_gets_nudges(supporters),
            "delay": early_warning.delay_words(),
            "remind_at": _remind_at(owner),
            "recent": _rows(recent[: early_warning.RECENT_FIRINGS]),
            "more": len(recent) > early_warning.RECENT_FIRINGS,
        },
    )


@login_required
def rule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in rules.KINDS:
        raise Http404("There is no such rule.")
    owner = _owner(request)
    rule = early_warning.rule_of(owner, kind)
    supporters = early_warning.nudged_supporters(owner)
    form = RuleForm(
        request.POST or None, kind=kind, supporters=supporters, initial=RuleForm.initial_of(rule)
    )
    if request.method == "POST" and form.is_valid():
        try:
            early_warning.save_rule(owner, form.settings(), form.cleaned_data["nudge_supporters"])
        except early_warning.RuleError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _saved_message(form.settings()))
            return redirect("circle:rules")
    return render(
        request,
        "circle/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "title": _title(kind),
            "supporters": supporters,
            "has_channel": Channel.objects.filter(owner=owner, verified_at__isnull=False).exists(),
        },
    )


def _title(kind: str) -> str:
    return dict(RULE_KINDS)[kind]


def _saved_message(settings: rules.RuleSettings) -> str:
    if settings.enabled:
        return f"Saved. {early_warning.describe(settings)}, you'll get a gentle nudge."
    return "Saved. This rule is off, so it won't nudge you."


@login_required
def firings(request: HttpRequest) -> HttpResponse:
    rows = early_warning.firings_of(_owner(request))
    page = Paginator(rows, early_warning.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "circle/firings.html",
        {"page": page, "rows": _rows(page.object_list)},
    )


@login_required
def firing_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    firing = get_object_or_404(early_warning.firings_of(_owner(request)), pk=pk)
    supporters = early_warning.supporters_of(firing)
    if request.method == "POST":
        if early_warning.cancel_supporter_nudges(firing):
            messages.success(request, "Kept to yourself. Your supporters won't get this nudge.")
        else:
            messages.info(request, NOTHING_TO_KEEP.get(supporters.state, GONE_OUT))
        return redirect(FIRINGS)
    return render(
        request,
        "circle/firing_cancel.html",
        {"firing": firing, "supporters": supporters},
    )
