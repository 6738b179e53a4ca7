"""Pages of the gratitude log: notes of thanks, kept, and sent later only if the member asks.

Thin: `appreciations_store` saves a note and its message together, and
`appreciations.py` words the state of sending. Every note is fetched through
`owned_by`, so another member's id answers 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from closeknit.accounts.models import User
from closeknit.rhythms import appreciations as rules
from closeknit.rhythms import appreciations_store as store
from closeknit.rhythms.appreciations_forms import AppreciationForm
from closeknit.rhythms.models import Appreciation

LIST = "rhythms:appreciations"


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def appreciations(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    page = Paginator(store.notes_of(owner), store.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"note": note, "delivery": rules.delivery_words(store.delivery_of(note), owner.zone)}
        for note in page.object_list
    ]
    return render(request, "rhythms/appreciations.html", {"page": page, "rows": rows})


def _save(request: HttpRequest, form: AppreciationForm) -> bool:
    """Save through the store; its refusals become the form's errors. Whether it was saved."""
    note = cast(Appreciation, form.save(commit=False))
    try:
        store.save_note(_owner(request), note, **form.sending())
    except store.AppreciationError as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return False
    return True


def _saved_message(note: Appreciation) -> str:
    if note.send_at is not None:
        return (
            "Saved. It will be sent by e-mail at the time you chose; "
            "you can change or stop that until then."
        )
    return "Saved to your notes of thanks."


@login_required
def appreciation_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    person = request.GET.get("person", "")
    if person.isdigit():
        initial["person"] = int(person)
    form = AppreciationForm(request.POST or None, owner=request.user, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _saved_message(form.instance))
        return redirect(LIST)
    return render(
        request, "rhythms/appreciation_form.html", {"form": form, "note": None, "delivery": ""}
    )


def _note(request: HttpRequest, pk: int) -> Appreciation:
    rows = store.with_delivery(Appreciation.objects.owned_by(request.user).select_related("person"))
    return get_object_or_404(rows, pk=pk)


@login_required
def appreciation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note(request, pk)
    delivery = store.delivery_of(note)
    initial = {
        "send": note.send_at is not None,
        "send_to": note.send_to,
        "send_at": note.send_at,
    }
    form = AppreciationForm(
        request.POST or None,
        instance=note,
        owner=request.user,
        initial=initial,
        can_send=rules.can_change_sending(delivery),
    )
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _saved_message(form.instance))
        return redirect(LIST)
    return render(
        request,
        "rhythms/appreciation_form.html",
        {
            "form": form,
            "note": note,
            "delivery": rules.delivery_words(delivery, _owner(request).zone),
        },
    )


@login_required
def appreciation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _note(request, pk)
    delivery = store.delivery_of(note)
    if request.method == "POST":
        store.delete_note(_owner(request), note)
        messages.success(request, "Deleted that note of thanks.")
        return redirect(LIST)
    return render(
        request,
        "rhythms/appreciation_confirm_delete.html",
        {
            "note": note,
            "waiting": delivery is not None and delivery.status != rules.SENT,
            "delivery": rules.delivery_words(delivery, _owner(request).zone),
        },
    )
