"""The member's circle page, inviting, what each supporter sees, and the join page.

Thin: `invitations.py` makes, accepts and withdraws invitations, `grants.py` changes
and ends links. Every member page fetches through `owned_by`, so another member's id
answers 404; the supporter's "leave" page goes through `grants.grant`, the consent gate.

The join page is public: the token in its address is the key. It is never logged
(a 404 is marked as logged already, so Django's request logger doesn't print the
path), never cached, and never sent on as a Referer to another site (see `_private`).
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from closeknit.accounts.models import User
from closeknit.circle import grants
from closeknit.circle import invitations as store
from closeknit.circle.invitation_forms import InviteForm, SupporterScopesForm
from closeknit.circle.models import Invitation, Link
from closeknit.circle.vocab import SCOPE_DETAILS, EndedBy, Scope
from closeknit.network.models import Person

LIST = "circle:supporters"


def _member(request: HttpRequest) -> User:
    return cast(User, request.user)


def _private(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A page whose address or content is a secret: never cached, and no Referer to others.

    A visitor's page has no form, so it sends no Referer at all. A signed-in page has
    forms (joining, signing out), and a browser posts a form from a "no-referrer" page
    with `Origin: null`, which Django's CSRF check refuses: there, "same-origin" keeps
    the address from every other site while our own forms still work.
    """
    add_never_cache_headers(response)
    signed_in = request.user.is_authenticated
    response["Referrer-Policy"] = "same-origin" if signed_in else "no-referrer"
    return response


def _scopes_shown(scopes: list[str]) -> list[dict[str, str]]:
    return [
        {"label": str(Scope(scope).label), "detail": SCOPE_DETAILS[Scope(scope)]}
        for scope in store.ordered_scopes(scopes)
    ]


# The member's circle -------------------------------------------------------------------------


@login_required
def supporters(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    people = Paginator(store.supporters_of(member), store.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "link": link,
            "name": grants.supporter_name(link),
            "scopes": store.scope_words(link.scopes),
        }
        for link in people.object_list
    ]
    invitations = Paginator(store.open_invitations(member), store.PAGE_SIZE).get_page(
        request.GET.get("invitations")
    )
    context = {
        "page": people,
        "rows": rows,
        "invitations": invitations,
        "invitation_rows": [
            {"invitation": invitation, "scopes": store.scope_words(invitation.scopes)}
            for invitation in invitations.object_list
        ],
        "supports_others": grants.supporting(member).exists(),
    }
    return render(request, "circle/supporters.html", context)


def _preselected(member: User, raw: str) -> Person | None:
    if not raw.isdigit():
        return None
    return (
        Person.objects.owned_by(member)
        .filter(pk=int(raw), archived_at__isnull=True)
        .only("id", "owner", "name", "email")
        .first()
    )


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    initial: dict[str, Any] = {"scopes": []}
    person = _preselected(member, request.GET.get("person", ""))
    if person is not None:
        initial.update(person=person.pk, email=person.email)
    data = request.POST if request.method == "POST" else None
    form = InviteForm(data, owner=member, initial=initial)
    if form.is_valid():
        try:
            invitation, token = store.invite(
                member,
                form.cleaned_data["person"],
                form.cleaned_data["scopes"],
                form.cleaned_data["email"],
            )
        except store.InvitationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _invited(request, member, invitation, token)
    has_people = Person.objects.owned_by(member).filter(archived_at__isnull=True).exists()
    return render(request, "circle/invite.html", {"form": form, "has_people": has_people})


def _invited(
    request: HttpRequest, member: User, invitation: Invitation, token: str
) -> HttpResponse:
    until = store.expiry_words(invitation, member.zone)
    if invitation.email:
        messages.success(
            request,
            f"We sent your invitation to {invitation.email}. It works once, until {until}. "
            "You'll see them here once they join.",
        )
        return redirect(LIST)
    # Rendered straight from the POST and never stored: the link is shown exactly once.
    context = {
        "invitation": invitation,
        "url": store.join_url(token),
        "until": until,
        "scopes": store.scope_words(invitation.scopes),
    }
    return _private(request, render(request, "circle/invite_link.html", context))


@login_required
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(store.invitations_of(request.user), pk=pk)
    if store.status_of(invitation) != store.OPEN:
        messages.info(
            request, "That invitation isn't open any more, so there's nothing to withdraw."
        )
        return redirect(LIST)
    if request.method == "POST":
        store.withdraw(invitation)
        messages.success(
            request,
            f"Your invitation to {invitation.person.name} is withdrawn. Its link won't work.",
        )
        return redirect(LIST)
    return render(request, "circle/invitation_withdraw.html", {"invitation": invitation})


def _link(request: HttpRequest, pk: int) -> Link:
    return get_object_or_404(store.supporters_of(request.user), pk=pk)


def _changes(name: str, granted: set[str], revoked: set[str]) -> str:
    if not granted and not revoked:
        return f"Nothing changed: you share the same with {name} as before."
    parts = []
    if granted:
        parts.append(f"Now sharing with {name}: {', '.join(_words(granted))}.")
    if revoked:
        parts.append(f"No longer sharing with {name}: {', '.join(_words(revoked))}.")
    return " ".join(parts)


def _words(scopes: set[str]) -> list[str]:
    return store.scope_words(scope for scope in grants.SCOPES if scope in scopes)


@login_required
def supporter(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    name = grants.supporter_name(link)
    if request.method == "POST":
        form = SupporterScopesForm(request.POST)
        if form.is_valid():
            granted, revoked = grants.set_scopes(link, form.cleaned_data["scopes"])
            messages.success(request, _changes(name, granted, revoked))
            return redirect("circle:supporter", link.pk)
    else:
        form = SupporterScopesForm(initial={"scopes": link.scopes})
    return render(request, "circle/supporter.html", {"link": link, "name": name, "form": form})


@login_required
def supporter_end(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    name = grants.supporter_name(link)
    if request.method == "POST":
        grants.end(link, EndedBy.MEMBER)
        messages.success(
            request, f"{name} is no longer in your circle. Nothing is shared with them from now on."
        )
        return redirect(LIST)
    return render(request, "circle/supporter_end.html", {"link": link, "name": name})


# Joining and leaving, the supporter's side ---------------------------------------------------


def _gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "circle/join_invalid.html", status=404)
    # Django's request logger would print the path, and with it the token.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return _private(request, response)


def _with_next(name: str, path: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': path})}"


def join(request: HttpRequest, token: str) -> HttpResponse:
    user = request.user
    done = store.accepted_by(token, user)
    if done is not None:
        # A second click on the link that made this supporter: their page, not an error.
        return redirect("circle:supporting-member", done.pk)
    invitation = store.find_open(token)
    if invitation is None:
        return _gone(request)
    problem = store.refusal(invitation, user) if user.is_authenticated else ""
    if request.method == "POST" and not problem:
        if not user.is_authenticated:
            return redirect(_with_next("accounts:login", request.path))
        try:
            link = store.accept(token, cast(User, user))
        except store.InvitationGone:
            return _gone(request)
        except store.InvitationError as error:
            problem = error.message
        else:
            messages.success(
                request,
                f"You're in {link.owner.name}'s circle now. Thank you for being there for them.",
            )
            return redirect("circle:supporting-member", link.pk)
    context = {
        "invitation": invitation,
        "member_name": invitation.owner.name,
        "scopes": _scopes_shown(invitation.scopes),
        "problem": problem,
        "signup_url": _with_next("accounts:signup", request.path),
        "login_url": _with_next("accounts:login", request.path),
    }
    return _private(request, render(request, "circle/join.html", context))


@login_required
def supporting_leave(request: HttpRequest, pk: int) -> HttpResponse:
    link = grants.grant(request.user, pk)
    name = link.owner.name
    if request.method == "POST":
        grants.end(link, EndedBy.SUPPORTER)
        messages.success(
            request,
            f"You've left {name}'s circle. Nothing of theirs is shared with you any more.",
        )
        return redirect("circle:supporting")
    return render(request, "circle/supporting_leave.html", {"link": link, "name": name})
