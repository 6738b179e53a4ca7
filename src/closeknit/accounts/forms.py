"""Forms for signing up, signing in, the profile, API tokens and deleting an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from closeknit.accounts import throttle
from closeknit.accounts.models import User, time_zone_choices
from closeknit.lib.countries import country_choices, country_name
from closeknit.recovery import crisis

DUPLICATE_EMAIL = (
    "There is already an account with this e-mail address. "
    "You can sign in, or reset your password if you have forgotten it."
)
INVALID_LOGIN = (
    "That e-mail address and password don't match an account. Please check them and try again."
)
PASSWORD_MISMATCH = "The two passwords are different. Please type them again."
WRONG_PASSWORD = "That password doesn't match. Please try again."
DELETE_WORD = "DELETE"


def country_options() -> list[tuple[str, str]]:
    """Countries for the profile: the named ones plus any the crisis-lines file knows.

    The crisis-lines file may be replaced by the operator, so a country with
    lines must always be choosable even when we have no name for it.
    """
    options = country_choices()
    known = {code for code, _name in options}
    extra = [(code, country_name(code)) for code in crisis.countries() if code not in known]
    return [("", "Not set"), *sorted(options + extra, key=lambda item: item[1])]


def language_options() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        initial="UTC",
        help_text="Days and reminders follow your own clock.",
    )


def _country_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Country",
        choices=country_options,
        required=False,
        help_text="Optional. Used to show the crisis lines for where you live.",
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )


def _display_name_field() -> forms.CharField:
    return forms.CharField(
        label="What should we call you?",
        max_length=100,
        required=False,
        help_text="Optional. A first name or a nickname is plenty.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


def _email_widget(**extra: Any) -> forms.EmailInput:
    return forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", **extra})


def check_password_throttled(user: User, password: str, request: HttpRequest | None) -> None:
    """Check a signed-in member's password, under the same throttle as signing in.

    Without the throttle, a page that asks for the password (delete account,
    change password) would let someone at an unlocked screen guess it.
    """
    ip = throttle.request_ip(request) if request is not None else None
    if not throttle.check(user.email, ip).allowed:
        raise ValidationError(throttle.THROTTLED_MESSAGE, code="throttled")
    if not user.check_password(password):
        throttle.record_failure(user.email, ip)
        raise ValidationError(WRONG_PASSWORD, code="password_incorrect")


class PlainLabels:
    """Labels without Django's trailing colon ("What should we call you?:" reads oddly)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignUpForm(PlainLabels, SetPasswordMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=_email_widget(autofocus=True)
    )
    display_name = _display_name_field()
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1="Password", label2="Password again"
    )
    time_zone = _time_zone_field()
    country = _country_field()

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(DUPLICATE_EMAIL, code="duplicate")
        return email

    def clean(self) -> dict[str, Any]:
        self.validate_passwords()
        # Password rules compare against the address and name ("robin2024" for Robin).
        candidate = User(
            email=self.cleaned_data.get("email", ""),
            display_name=self.cleaned_data.get("display_name", ""),
        )
        self.validate_password_for_user(candidate)
        return self.cleaned_data

    def save(self) -> User | None:
        """Create the member, or None (with a form error) if the address was taken meanwhile."""
        data = self.cleaned_data
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    data["email"],
                    data["password1"],
                    display_name=data["display_name"],
                    time_zone=data["time_zone"],
                    country=data["country"],
                )
        except IntegrityError:
            # Two sign-ups for one address at the same moment: the database decides.
            self.add_error("email", ValidationError(DUPLICATE_EMAIL, code="duplicate"))
            return None


class SignInForm(PlainLabels, AuthenticationForm):
    """E-mail and password, with the failed-attempt throttle in front of the password check."""

    username = forms.EmailField(label="E-mail address", widget=_email_widget(autofocus=True))
    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": "This account is switched off. Please ask whoever runs this Closeknit.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        ip = throttle.request_ip(self.request) if self.request is not None else None
        if not throttle.check(email, ip).allowed:
            # The password is deliberately not checked: a throttled guess learns nothing.
            raise ValidationError(throttle.THROTTLED_MESSAGE, code="throttled")
        try:
            super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.record_failure(email, ip)
            raise
        throttle.clear(email)
        return self.cleaned_data

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class ResetRequestForm(PlainLabels, PasswordResetForm):
    email = forms.EmailField(label="E-mail address", max_length=254, widget=_email_widget())


class ResetPasswordForm(PlainLabels, SetPasswordForm):
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1="New password", label2="New password again"
    )
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}


class ChangePasswordForm(PlainLabels, PasswordChangeForm):
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1="New password", label2="New password again"
    )
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        check_password_throttled(self.user, password, self.request)
        return password


class ProfileForm(PlainLabels, forms.ModelForm):
    display_name = _display_name_field()
    time_zone = _time_zone_field()
    country = _country_field()
    language = forms.ChoiceField(
        label="Language",
        choices=language_options,
        help_text="More languages will come; the app speaks English for now.",
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "country", "language"]


class TokenForm(PlainLabels, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        required=False,
        help_text="Something to recognise it by, like “phone shortcut”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip() or "API token"


class DeleteAccountForm(PlainLabels, forms.Form):
    """Asks for the password; a demo member, who has none, types DELETE instead."""

    def __init__(self, user: User, *args: Any, request: HttpRequest | None = None, **kwargs: Any):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)
        if self.uses_password:
            self.fields["password"] = forms.CharField(
                label="Your password",
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
        else:
            self.fields["confirm"] = forms.CharField(
                label=f"Type {DELETE_WORD} to confirm",
                max_length=20,
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters"}
                ),
            )

    @property
    def uses_password(self) -> bool:
        return self.user.has_usable_password()

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        check_password_throttled(self.user, password, self.request)
        return password

    def clean_confirm(self) -> str:
        word = self.cleaned_data["confirm"].strip()
        if word.upper() != DELETE_WORD:
            raise ValidationError(
                f"Please type {DELETE_WORD} to confirm. Nothing has been deleted.", code="mismatch"
            )
        return word
