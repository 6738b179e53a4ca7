"""Forms of the notifications page: one per kind of channel, the code, and the preferences.

A channel form checks what a form can (a whole e-mail address, an URL), then
asks the transport (`channels.clean_config`) about the rest, and puts each of
its messages next to the field it is about.
"""

from __future__ import annotations

import calendar
from typing import Any, ClassVar

from django import forms

from closeknit.notify import channels, verification
from closeknit.notify.models import REMINDER_KINDS, Channel, Preferences
from closeknit.notify.vocab import ChannelKind, Digest

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ChannelForm(forms.Form):
    """What every channel has: a name for the member and quiet hours."""

    kind: ClassVar[str]
    # The form fields that are keys of the channel's `config`.
    config_fields: ClassVar[tuple[str, ...]] = ()

    label = forms.CharField(
        label="A name for it",
        max_length=100,
        required=False,
        help_text="Optional, for you: for example “Work e-mail” or “My phone”.",
    )
    quiet_from = forms.TimeField(
        label="Quiet from", required=False, widget=TIME_INPUT, help_text="Your local time."
    )
    quiet_until = forms.TimeField(label="Quiet until", required=False, widget=TIME_INPUT)

    def __init__(self, *args: Any, channel: Channel | None = None, **kwargs: Any) -> None:
        self.channel = channel
        if channel is not None:
            initial = {
                "label": channel.label,
                "quiet_from": channel.quiet_from,
                "quiet_until": channel.quiet_until,
                **channels.public_config(channel.kind, channel.config),
            }
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    # The settings to store, as the transport tidied them; set once the form is valid.
    channel_config: dict[str, Any] | None = None

    def config(self) -> dict[str, Any]:
        """The channel's settings from what was typed, keeping what the form doesn't show."""
        kept = dict(self.channel.config) if self.channel is not None else {}
        for name in self.config_fields:
            value = self.cleaned_data.get(name)
            if value not in (None, "") or name not in kept:
                kept[name] = value if value is not None else ""
        return kept

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problem = channels.quiet_hours_problem(
            cleaned.get("quiet_from"), cleaned.get("quiet_until")
        )
        if problem:
            self.add_error("quiet_until", problem)
        if not self.errors and self.config_fields:
            config, errors = channels.clean_config(self.kind, self.config())
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
            self.channel_config = config
        return cleaned


class EmailChannelForm(ChannelForm):
    kind = ChannelKind.EMAIL
    config_fields = ("address",)
    address = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ("address", "label", "quiet_from", "quiet_until")


class NtfyChannelForm(ChannelForm):
    kind = ChannelKind.NTFY
    config_fields = ("server", "topic", "token")
    server = forms.URLField(
        label="Server",
        initial=channels.NTFY_DEFAULT_SERVER,
        max_length=200,
        assume_scheme="https",
        help_text="The public ntfy.sh, or your own ntfy server.",
    )
    topic = forms.CharField(
        label="Topic",
        max_length=64,
        required=False,  # the transport reads it from a pasted topic address too
        help_text="Anyone who knows a topic on ntfy.sh can read it, so make it hard to guess, "
        "like a password.",
    )
    token = forms.CharField(
        label="Access token",
        max_length=200,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Only if your topic is protected. We keep it encrypted and never show it again.",
    )
    field_order = ("server", "topic", "token", "label", "quiet_from", "quiet_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.channel is not None and self.channel.config.get("token"):
            self.fields["token"].help_text = "Leave it empty to keep the token you saved."


class WebhookChannelForm(ChannelForm):
    kind = ChannelKind.WEBHOOK
    config_fields = ("url",)
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="We send each reminder here as JSON in a POST, signed so you can check "
        "it came from us.",
    )
    field_order = ("url", "label", "quiet_from", "quiet_until")

    def config(self) -> dict[str, Any]:
        kept = super().config()
        # Made here, never typed: shown on the channel's page for checking signatures.
        kept.setdefault("secret", channels.new_webhook_secret())
        return kept


class WebPushChannelForm(ChannelForm):
    """A browser's subscription comes from the browser itself; only name and quiet hours change."""

    kind = ChannelKind.WEBPUSH


FORMS: dict[str, type[ChannelForm]] = {
    ChannelKind.EMAIL: EmailChannelForm,
    ChannelKind.NTFY: NtfyChannelForm,
    ChannelKind.WEBHOOK: WebhookChannelForm,
    ChannelKind.WEBPUSH: WebPushChannelForm,
}
# Kinds added with a form; a browser is added by the "Turn on notifications" button.
FORM_KINDS = (ChannelKind.EMAIL, ChannelKind.NTFY, ChannelKind.WEBHOOK)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="The code from the test message",
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
        help_text="Six digits. It works for an hour.",
    )

    def clean_code(self) -> str:
        code = verification.normalise(self.cleaned_data["code"])
        if not verification.looks_like_a_code(code):
            raise forms.ValidationError("The code is six digits, like 042917.")
        return code


WEEKDAYS = [(n, calendar.day_name[n]) for n in range(7)]


class PreferencesForm(forms.ModelForm):
    kinds = forms.TypedMultipleChoiceField(
        label="Remind me about",
        choices=REMINDER_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Test messages always go.",
    )
    digest = forms.ChoiceField(
        label="A digest by e-mail",
        choices=Digest.choices,
        widget=forms.RadioSelect,
        help_text="A short summary of what's coming up. It goes to your verified e-mail channels.",
    )
    digest_weekday = forms.TypedChoiceField(
        label="Weekly digest on", choices=WEEKDAYS, coerce=int, help_text="For a weekly digest."
    )

    class Meta:
        model = Preferences
        fields = ["remind_at", "kinds", "appointment_hours_before", "digest", "digest_weekday"]
        widgets = {"remind_at": TIME_INPUT}
        labels = {"appointment_hours_before": "Remind me of appointments this many hours before"}
        help_texts = {"appointment_hours_before": "From 1 to 72."}
