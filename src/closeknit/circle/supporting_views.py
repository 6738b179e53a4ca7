"""Pages of the supporter's side (/supporting/), and the member's encouragement and access log.

The rules these pages keep:

- A supporter reaches a member only through `grants.grant(user, pk, scope)`: without an
  active link that shares the scope, every page answers 404, the same for a stranger, a
  former supporter and a missing id. Scopes are read on every request, so a revoke
  takes effect on the very next one.
- Each page that shows a member's shared data writes one line to the member's access log
  (`grants.record_view`): the member page logs the overview, each part logs its scope.
  The supporter home lists names and scopes only, and logs nothing.
- The member's pages (encouragement, the access log) read only the member's own rows,
  through `owned_by`; someone else's id is a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from closeknit.accounts.models import User
from closeknit.circle import encouragement, grants, sharing, trend
from closeknit.circle import help as help_store
from closeknit.circle.models import OVERVIEW, AccessEntry
from closeknit.circle.supporting_forms import AccessLogFilterForm, EncouragementForm
from closeknit.circle.vocab import Answer, Scope
from closeknit.lib.navigation import next_url

PAGE_SIZE = 50
ON_HOME = 5  # people you support, listed by name on the home page
# What a supporter looked at, as the member reads it in their access log.
LOGGED_PARTS = {OVERVIEW: "The overview of what you share with them", **dict(Scope.choices)}
SENT = "Sent. {name} will see your note on their home page."
ANSWERED = {
    Answer.REACHING_OUT: "Thank you. {name} will hear that you're reaching out now.",
    Answer.CANT_NOW: "Thank you for letting {name} know. It's all right not to be free.",
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, f"circle/{template}", context)


# The supporter's side -----------------------------------------------------------------------


def _answer_rows(answers: Any) -> list[dict[str, Any]]:
    return [{"answer": answer, "member": sharing.member_name(answer.link)} for answer in answers]


@login_required
def supporting(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(sharing.overview(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"link": link, "name": sharing.member_name(link), "scopes": sharing.scope_info(link.scopes)}
        for link in page.object_list
    ]
    return _render(
        request,
        "supporting.html",
        {
            "page": page,
            "rows": rows,
            "requests": _answer_rows(sharing.open_help_requests(user)),
            "choices": Answer.choices,
        },
    )


@login_required
def supporting_member(request: HttpRequest, pk: int) -> HttpResponse:
    link = grants.grant(request.user, pk)
    grants.record_view(link, OVERVIEW)
    requests = []
    if Scope.HELP_REQUESTS in link.scopes:
        requests = _answer_rows(sharing.open_help_requests(request.user, link))
    return _render(
        request,
        "supporting_member.html",
        {
            "link": link,
            "name": sharing.member_name(link),
            "scopes": sharing.scope_info(link.scopes),
            "shares": set(link.scopes),
            "requests": requests,
            "choices": Answer.choices,
            "form": EncouragementForm(),
        },
    )


@login_required
def supporting_mood(request: HttpRequest, pk: int) -> HttpResponse:
    link = grants.grant(request.user, pk, Scope.MOOD_TREND)
    grants.record_view(link, Scope.MOOD_TREND)
    weeks = sharing.mood_trend(link, sharing.member_today(link))
    rows = [
        {"week": week, "mood": trend.shown(week.mood), "stress": trend.shown(week.stress)}
        for week in reversed(weeks)
    ]
    has_any = any(not week.is_empty for week in weeks)
    return _render(
        request,
        "supporting_mood.html",
        {
            "link": link,
            "name": sharing.member_name(link),
            "rows": rows,
            "chart": trend.chart(weeks) if has_any else None,
            "checked_in": any(week.mood_days or week.stress_days for week in weeks),
            "weeks": len(weeks),
        },
    )


@login_required
def supporting_safety_plan(request: HttpRequest, pk: int) -> HttpResponse:
    link = grants.grant(request.user, pk, Scope.SAFETY_PLAN)
    grants.record_view(link, Scope.SAFETY_PLAN)
    return _render(
        request,
        "supporting_safety_plan.html",
        {
            "link": link,
            "name": sharing.member_name(link),
            "shared": sharing.safety_plan(link),
            "removed_person": sharing.REMOVED_PERSON,
            "removed_group": sharing.REMOVED_GROUP,
        },
    )


@login_required
def supporting_goals(request: HttpRequest, pk: int) -> HttpResponse:
    link = grants.grant(request.user, pk, Scope.GOALS)
    grants.record_view(link, Scope.GOALS)
    return _render(
        request,
        "supporting_goals.html",
        {"link": link, "name": sharing.member_name(link), "goals": sharing.goals(link)},
    )


@login_required
def supporting_encourage(request: HttpRequest, pk: int) -> HttpResponse:
    # Any active link may send a kind word; it shows nothing of the member's, so no log.
    link = grants.grant(request.user, pk)
    name = sharing.member_name(link)
    form = EncouragementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            encouragement.send(link, form.cleaned_data["text"])
        except encouragement.EncouragementError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, SENT.format(name=name))
            return redirect("circle:supporting-member", pk=link.pk)
    return _render(
        request,
        "supporting_encourage.html",
        {
            "link": link,
            "name": name,
            "form": form,
            "sent_today": encouragement.sent_today(link),
            "daily_limit": encouragement.DAILY_LIMIT,
        },
    )


@login_required
def supporting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer an "I need support" request from the supporter's own pages, signed in.

    GET shows the request (only while it waits for this supporter's answer); POST records
    through `help.answer_as`, which answers 404 unless the request is addressed to them
    through a link that still shares help requests.
    """
    if request.method == "POST":
        try:
            answered = help_store.answer_as(request.user, pk, request.POST.get("choice", ""))
        except help_store.AlreadyAnswered as already:
            name = already.answer.owner.name
            messages.info(request, f"You had already answered {name}; nothing changed.")
        except help_store.AnswerRefused as error:
            messages.error(request, str(error))
        else:
            name = answered.owner.name
            messages.success(request, ANSWERED[Answer(answered.answer)].format(name=name))
        return redirect(next_url(request, reverse("circle:supporting")))
    found = get_object_or_404(sharing.open_help_requests(request.user), pk=pk)
    return _render(
        request,
        "supporting_answer.html",
        {"row": _answer_rows([found])[0], "choices": Answer.choices},
    )


def supporting_home(user: User) -> dict[str, Any]:
    """For the home page of someone who supports others: whom, and requests to answer.

    One query for everyone (the first few links), and a second only for a supporter.
    Names and scopes only, like the supporter home, so nothing is logged.
    """
    links = list(sharing.overview(user)[: ON_HOME + 1])
    if not links:
        return {"supporting": None}
    return {
        "supporting": {
            "names": [(link, sharing.member_name(link)) for link in links[:ON_HOME]],
            "more": len(links) > ON_HOME,
            "requests": _answer_rows(sharing.open_help_requests(user)),
        },
        "choices": Answer.choices,
    }


# The member's side: encouragement -----------------------------------------------------------


def home_context(owner: Any) -> dict[str, Any]:
    """For the member's home page: the newest notes of encouragement (one query)."""
    return {"encouragement": encouragement.for_home(owner)}


@login_required
def encouragements(request: HttpRequest) -> HttpResponse:
    member = _user(request)
    favourites = request.GET.get("favourites") == "1"
    notes = encouragement.notes_of(member, favourites)
    page = Paginator(notes, encouragement.PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "encouragements.html",
        {"page": page, "favourites": favourites},
    )


@login_required
def encouragement_favourite(request: HttpRequest, pk: int) -> HttpResponse:
    note = encouragement.note_of(request.user, pk)
    if request.method != "POST":
        return redirect("circle:encouragements")
    note = encouragement.toggle_favourite(request.user, note.pk)
    if request.htmx:  # type: ignore[attr-defined]
        return _render(request, "_encouragement_item.html", {"note": note, "swapped": True})
    if note.favourite:
        messages.success(request, "Kept as a favourite.")
    else:
        messages.success(request, "Removed from your favourites.")
    return redirect(_back_to_list(request))


def _back_to_list(request: HttpRequest) -> str:
    return next_url(request, reverse("circle:encouragements"))


@login_required
def encouragement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = encouragement.note_of(request.user, pk)
    if request.method == "POST":
        encouragement.delete(request.user, note.pk)
        messages.success(request, "Deleted that note.")
        return redirect(_back_to_list(request))
    return _render(request, "encouragement_confirm_delete.html", {"note": note})


# The member's side: the access log ----------------------------------------------------------


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    member = _user(request)
    form = AccessLogFilterForm(request.GET or None, member=member)
    rows = AccessEntry.objects.owned_by(member).order_by("-at", "-id")
    link_id = form.link_id()
    if link_id is not None:
        rows = rows.filter(link_id=link_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [
        {"entry": entry, "what": _what(entry.get_action_display(), entry.part)}
        for entry in page.object_list
    ]
    return _render(
        request,
        "access_log.html",
        {"page": page, "lines": lines, "form": form, "filtered": link_id is not None},
    )


def _what(action: str, part: str) -> str:
    """ "Looked at: My safety plan", "You shared: My goals and their steps", "Joined your circle"."""
    if not part:
        return action
    return f"{action}: {LOGGED_PARTS.get(part, part)}"
