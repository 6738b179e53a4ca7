"""The channel, code and preference forms: what they accept, and what they say when they don't."""

from __future__ import annotations

import datetime as dt

import pytest

from closeknit.notify.forms import (
    EmailChannelForm,
    NtfyChannelForm,
    PreferencesForm,
    VerifyForm,
    WebhookChannelForm,
    WebPushChannelForm,
)
from closeknit.notify.models import Channel, Preferences


def test_an_email_channel_needs_a_whole_address():
    form = EmailChannelForm({"address": "robin@"})
    assert not form.is_valid()
    assert "address" in form.errors
    form = EmailChannelForm({"address": " robin@example.org ", "label": "Inbox"})
    assert form.is_valid(), form.errors
    assert form.channel_config == {"address": "robin@example.org"}


def test_quiet_hours_need_both_times():
    form = EmailChannelForm({"address": "robin@example.org", "quiet_from": "22:00"})
    assert not form.is_valid()
    assert form.errors["quiet_until"] == [
        "Please give both times for quiet hours, or leave both empty."
    ]
    form = EmailChannelForm(
        {"address": "robin@example.org", "quiet_from": "22:00", "quiet_until": "22:00"}
    )
    assert not form.is_valid()
    form = EmailChannelForm(
        {"address": "robin@example.org", "quiet_from": "22:00", "quiet_until": "07:00"}
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["quiet_from"], form.cleaned_data["quiet_until"]) == (
        dt.time(22),
        dt.time(7),
    )


def test_ntfy_starts_at_ntfy_sh_and_checks_the_topic():
    assert NtfyChannelForm().fields["server"].initial == "https://ntfy.sh"
    form = NtfyChannelForm({"server": "https://ntfy.sh", "topic": "has spaces"})
    assert not form.is_valid()
    assert "topic" in form.errors
    form = NtfyChannelForm({"server": "https://ntfy.sh", "topic": "robin-7q2x"})
    assert form.is_valid(), form.errors
    assert form.channel_config == {"server": "https://ntfy.sh", "topic": "robin-7q2x", "token": ""}


def test_a_pasted_ntfy_topic_address_is_understood():
    form = NtfyChannelForm({"server": "https://ntfy.sh/robin-7q2x"})
    assert form.is_valid(), form.errors
    assert form.channel_config is not None
    assert form.channel_config["topic"] == "robin-7q2x"


def test_a_webhook_to_the_servers_own_network_is_refused(settings):
    settings.HTTP_ALLOW_PRIVATE = False
    form = WebhookChannelForm({"url": "http://127.0.0.1:8080/hook"})
    assert not form.is_valid()
    assert "url" in form.errors


def test_a_webhook_gets_a_signing_secret_made_for_it():
    form = WebhookChannelForm({"url": "https://hooks.example.org/closeknit"})
    assert form.is_valid(), form.errors
    assert form.channel_config is not None
    assert len(form.channel_config["secret"]) >= 32
    assert "secret" not in form.fields


@pytest.mark.django_db
def test_editing_keeps_what_the_form_does_not_show(member):
    channel = Channel.objects.create(
        owner=member,
        kind="ntfy",
        config={"server": "https://ntfy.sh", "topic": "old", "token": "tk_secret"},
    )
    form = NtfyChannelForm(channel=channel)
    assert form.initial["topic"] == "old"
    assert "tk_secret" not in str(form)
    form = NtfyChannelForm(
        {"server": "https://ntfy.sh", "topic": "new", "token": ""}, channel=channel
    )
    assert form.is_valid(), form.errors
    assert form.channel_config == {
        "server": "https://ntfy.sh",
        "topic": "new",
        "token": "tk_secret",
    }

    hook = Channel.objects.create(
        owner=member, kind="webhook", config={"url": "https://a.example/h", "secret": "s" * 40}
    )
    form = WebhookChannelForm({"url": "https://b.example/h"}, channel=hook)
    assert form.is_valid(), form.errors
    assert form.channel_config == {"url": "https://b.example/h", "secret": "s" * 40}


def test_a_browser_channel_changes_only_its_name_and_quiet_hours():
    form = WebPushChannelForm({"label": "Phone", "quiet_from": "21:00", "quiet_until": "08:00"})
    assert form.is_valid(), form.errors
    assert set(form.fields) == {"label", "quiet_from", "quiet_until"}


@pytest.mark.parametrize(("typed", "ok"), [("042917", True), ("042 917", True), ("4291", False)])
def test_the_code_is_six_digits(typed, ok):
    form = VerifyForm({"code": typed})
    assert form.is_valid() is ok
    if ok:
        assert form.cleaned_data["code"] == "042917"
    else:
        assert form.errors["code"] == ["The code is six digits, like 042917."]


@pytest.mark.django_db
def test_preferences_form_saves_what_and_when(member):
    form = PreferencesForm(
        {
            "remind_at": "08:30",
            "kinds": ["reach_out", "appointment"],
            "appointment_hours_before": "24",
            "digest": "weekly",
            "digest_weekday": "6",
        },
        instance=Preferences(owner=member),
    )
    assert form.is_valid(), form.errors
    form.save()
    saved = Preferences.objects.get(owner=member)
    assert (saved.remind_at, saved.kinds, saved.appointment_hours_before) == (
        dt.time(8, 30),
        ["appointment", "reach_out"],
        24,
    )
    assert (saved.digest, saved.digest_weekday) == ("weekly", 6)


@pytest.mark.django_db
def test_preferences_refuse_hours_out_of_range(member):
    form = PreferencesForm(
        {"remind_at": "08:30", "appointment_hours_before": "100", "digest": "off"},
        instance=Preferences(owner=member),
    )
    assert not form.is_valid()
    assert "appointment_hours_before" in form.errors


def test_the_reminder_kinds_are_the_four_without_an_empty_choice():
    choices = [value for value, _label in PreferencesForm().fields["kinds"].choices]
    assert choices == ["reach_out", "occasion", "appointment", "questionnaire"]
