"""Pages of "I need support": the form, each request with its answers as they come in, the
history, and the public page where a supporter answers from the link in their message.

Thin: `help.py` holds the rules. The member's pages fetch requests through `owned_by`, so
another member's id answers 404. The answer page needs no sign-in: its signed token is
the key. It records only on POST (mail scanners open links with GET), it is never cached,
and its address is never sent on to another site as a referrer.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from closeknit.accounts.models import User
from closeknit.circle import help as store
from closeknit.circle.help_forms import AnswerForm, HelpRequestForm
from closeknit.circle.models import HelpRequest
from closeknit.circle.vocab import Answer


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def help_form(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    links = list(store.choosable(member))
    form = HelpRequestForm(request.POST or None, links=links)
    if request.method == "POST" and links and form.is_valid():
        data = form.cleaned_data
        try:
            sent, created = store.ask(
                member, data["message"], data["supporters"], data["client_key"]
            )
        except store.HelpError as error:
            for field, message in error.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            if created:
                messages.success(request, store.sent_words(sent))
            else:
                messages.info(request, store.already_sent_words(sent, member.zone))
            return redirect("circle:help-request", pk=sent.pk)
    return render(request, "circle/help_form.html", {"form": form, "links": links})


def _answers_context(help_request: HelpRequest) -> dict[str, Any]:
    answers = list(help_request.answers.all())
    return {
        "help_request": help_request,
        "answers": answers,
        "answered": sum(1 for answer in answers if answer.answered_at is not None),
        "polling": store.still_polling(help_request, answers),
    }


def _own_request(request: HttpRequest, pk: int) -> HelpRequest:
    """The member's request; 404 for anyone else's, whatever the method, so that a
    stranger learns nothing (not even from a 405) about an id in use."""
    return get_object_or_404(store.requests_of(request.user), pk=pk)


@login_required
def help_request(request: HttpRequest, pk: int) -> HttpResponse:
    context = _answers_context(_own_request(request, pk))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render(request, "circle/help_request.html", context)


@login_required
def help_answers(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers, for htmx to swap in. Unchanged since the page's last look (`answered`
    is its count): 204, so nothing is swapped and screen readers hear nothing new."""
    context = _answers_context(_own_request(request, pk))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    seen = request.GET.get("answered", "")
    if context["polling"] and seen.isdigit() and int(seen) == context["answered"]:
        return HttpResponse(status=204)
    return render(request, "circle/_help_answers.html", context)


@login_required
@require_GET
def help_requests(request: HttpRequest) -> HttpResponse:
    page = Paginator(store.requests_of(request.user), store.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "circle/help_requests.html", {"page": page})


def _private(request: HttpRequest, response: HttpResponse, *, form: bool = False) -> HttpResponse:
    """The page's address is a key: never cached, and never sent on to another site.

    "no-referrer" sends no Referer at all; but a browser posts a form from such a page
    with `Origin: null`, which Django's CSRF check refuses. So a page with a form of
    ours (the answer buttons, or signing out) asks for "same-origin": our own site still
    gets the Referer and Origin, every other site nothing.
    """
    add_never_cache_headers(response)
    same_origin = form or request.user.is_authenticated
    response["Referrer-Policy"] = "same-origin" if same_origin else "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """PUBLIC: a supporter's answer to a request, from the signed link in their message."""
    try:
        found = store.open_answer(token)
    except store.AnswerRefused:
        return _private(request, render(request, "circle/answer_invalid.html", status=404))
    context: dict[str, Any] = {"answer": found, "help_request": found.request}
    if request.method == "POST" and found.answered_at is None:
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                found = store.answer(token, form.cleaned_data["choice"])
            except store.AlreadyAnswered as already:
                found = already.answer
            except store.AnswerRefused:
                return _private(request, render(request, "circle/answer_invalid.html", status=404))
            else:
                context["just_now"] = True
            context["answer"] = found
        else:
            context["problem"] = "Please choose one of the two answers."
    if found.answered_at is not None:
        context["answer_label"] = Answer(found.answer).label
        return _private(request, render(request, "circle/answer_done.html", context))
    chosen = request.GET.get("choice", "")
    order = [Answer.CANT_NOW, Answer.REACHING_OUT]
    if chosen != Answer.CANT_NOW:
        order.reverse()
    context["choices"] = [(choice, choice.label, choice == order[0]) for choice in order]
    return _private(request, render(request, "circle/answer.html", context), form=True)
