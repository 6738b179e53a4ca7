"""Account pages: sign up, sign in and out, password reset and change, settings, tokens, delete.

Thin views: the rules live in `forms.py` (validation) and `throttle.py`
(failed sign-ins). Every object reached from a URL goes through
`owned_by(request.user)`, so another member's token is a 404.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from closeknit.accounts import throttle
from closeknit.accounts.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
    TokenForm,
)
from closeknit.accounts.models import ApiToken, User
from closeknit.demo.circle import remove_made_up_supporters
from closeknit.lib.navigation import next_url

FAREWELL = (
    "Your account and everything in it have been deleted. "
    "Thank you for letting Closeknit be part of your journey. Take good care of yourself."
)
SIGNED_OUT = "You've signed out. Take care, and come back whenever you like."


def _member(request: HttpRequest) -> User:
    """The signed-in member (the views using this are behind login_required)."""
    user = request.user
    assert isinstance(user, User)
    return user


def signup(request: HttpRequest) -> HttpResponse:
    # `next`: a page of this site to come back to, like an invitation to someone's circle.
    after = next_url(request, "")
    if request.user.is_authenticated:
        return redirect(after or "network:home")
    form = SignUpForm(request.POST) if request.method == "POST" else SignUpForm()
    if form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Closeknit, {user.name}. We're glad you're here.")
            return redirect(after or "network:home")
    return render(request, "accounts/signup.html", {"form": form, "next": after})


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (from the header's button); a GET is refused by Django."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, SIGNED_OUT)
        return response


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever reset the password has proved they own the address: let them sign in now.
        throttle.clear(form.user.email)
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:settings")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not user.has_usable_password():
            messages.info(request, "This account has no password to change.")
            return redirect("accounts:settings")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed.")
        return response


def _settings_response(
    request: HttpRequest, profile_form: ProfileForm, token_form: TokenForm
) -> HttpResponse:
    member = _member(request)
    context = {
        "profile_form": profile_form,
        "token_form": token_form,
        "tokens": ApiToken.objects.owned_by(member),
        "has_password": member.has_usable_password(),
    }
    return render(request, "accounts/settings.html", context)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    if request.method == "POST":
        # A fresh copy, so a rejected form never changes the request's user in memory.
        form = ProfileForm(request.POST, instance=User.objects.get(pk=member.pk))
        if form.is_valid():
            form.save()
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
        return _settings_response(request, form, TokenForm())
    return _settings_response(request, ProfileForm(instance=member), TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _settings_response(request, ProfileForm(instance=member), form)
    token, secret = ApiToken.issue(member, form.cleaned_data["name"])
    # Rendered straight from the POST and never stored: the secret is shown exactly once.
    response = render(request, "accounts/token_created.html", {"token": token, "secret": secret})
    add_never_cache_headers(response)
    return response


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.owned_by(_member(request)), pk=pk)
    if request.method == "POST":
        token.delete()
        messages.success(
            request, f"“{token.name}” is revoked. Nothing can use it to reach your data any more."
        )
        return redirect("accounts:settings")
    return render(request, "accounts/token_revoke.html", {"token": token})


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    if request.method == "POST":
        form = DeleteAccountForm(member, request.POST, request=request)
        if form.is_valid():
            _delete_member(member)
            logout(request)
            messages.success(request, FAREWELL)
            return redirect("accounts:login")
    else:
        form = DeleteAccountForm(member, request=request)
    return render(request, "accounts/delete.html", {"form": form})


def _delete_member(member: User) -> None:
    """Everything owned by the member goes with them (foreign keys cascade), and a demo
    member's made-up supporters too."""
    email, pk = member.email, member.pk
    with transaction.atomic():
        if member.is_demo:
            remove_made_up_supporters(member)
        member.delete()
        # Failed sign-ins are keyed by a digest of the address, not a foreign key.
        throttle.clear(email)
        _forget_sessions(pk)


def _forget_sessions(user_pk: int) -> None:
    """Delete the member's sessions on other devices, where the session store is a table.

    They could no longer sign anyone in, but they still name the member's id.
    Sessions are not indexed by user, so this reads them all; it runs only
    when an account is deleted.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return
    model = store_class.get_model_class()
    store = store_class()
    stale = [
        session.session_key
        for session in model.objects.iterator()
        if str(store.decode(session.session_data).get(SESSION_KEY)) == str(user_pk)
    ]
    model.objects.filter(session_key__in=stale).delete()
