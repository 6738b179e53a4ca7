"""/api/v1/channels: where reminders go; and /api/v1/notification-preferences: what and when.

A channel is made, tested and verified exactly as on the notifications page
(notify/channels.py): adding one sends a test message with a six-digit code at
once, and reminders go there only once the code is sent back to `/verify`.
Tokens and push keys are never shown again; a webhook's signing secret is shown
when the channel is added and when it is read on its own, never in the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Input, UtcDateTime
from closeknit.api.writes import InvalidInput
from closeknit.notify import channels, verification
from closeknit.notify.models import Channel, Preferences
from closeknit.notify.vocab import ChannelKind, Digest

router = Router(tags=["notifications"])
preferences_router = Router(tags=["notifications"])

Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
# The settings each kind takes; any other key is refused by name.
CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    ChannelKind.EMAIL: ("address",),
    ChannelKind.NTFY: ("server", "topic", "token"),
    ChannelKind.WEBHOOK: ("url", "secret"),
    ChannelKind.WEBPUSH: ("endpoint", "keys"),
}
KIND_WORDS: dict[str, str] = {
    ChannelKind.EMAIL: "An e-mail channel",
    ChannelKind.NTFY: "An ntfy channel",
    ChannelKind.WEBHOOK: "A webhook channel",
    ChannelKind.WEBPUSH: "A browser channel",
}
CONFIG_LOCATION = ("body", "payload", "config")
CONFIG_HELP = (
    'e-mail: {"address"}; ntfy: {"server" (https://ntfy.sh if left out), "topic", "token" '
    '(optional)}; webhook: {"url", "secret" (made for you if left out)}; webpush: the '
    'browser\'s subscription, {"endpoint", "keys": {"p256dh", "auth"}}.'
)


class ChannelIn(Input):
    kind: ChannelKind
    label: Label = Field("", description="A name for you, like “Work e-mail”.")
    config: dict[str, Any] = Field(description=f"Where it goes. {CONFIG_HELP}")
    quiet_from: dt.time | None = Field(None, description="Quiet hours start, your local time.")
    quiet_until: dt.time | None = Field(None, description="Quiet hours end, your local time.")


class ChannelPatch(Input):
    label: Label | None = None
    config: dict[str, Any] | None = Field(
        None,
        description="Only the settings that change. A new address, topic or URL needs "
        "verifying again: a new test message goes out at once.",
    )
    quiet_from: dt.time | None = Field(None, description="null (with quiet_until) for none.")
    quiet_until: dt.time | None = None


class VerifyIn(Input):
    code: Code = Field(description="The six digits from the test message.")


class TestMessageOut(Schema):
    sent: bool = Field(description="Whether the test message went out.")
    error: str = Field(description="What went wrong, in the transport's words, if it didn't.")


class ChannelOut(Schema):
    id: int
    kind: ChannelKind
    label: str
    destination: str = Field(description="Where it goes, in a few words.")
    config: dict[str, str] = Field(
        description="Its settings without tokens or push keys; a webhook's `secret` only when "
        "the channel is added or read on its own."
    )
    verified: bool
    verified_at: UtcDateTime | None
    code_sent_at: UtcDateTime | None = Field(
        description="When the code waiting to be verified was sent; null when none is waiting."
    )
    quiet_from: dt.time | None
    quiet_until: dt.time | None
    last_error: str
    last_error_at: UtcDateTime | None
    created_at: UtcDateTime


class ChannelSentOut(ChannelOut):
    test_message: TestMessageOut | None = Field(
        description="How the test message went; null when none was sent."
    )


def _out(
    channel: Channel, *, with_secret: bool = False, test: channels.TestResult | None = None
) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "kind": channel.kind,
        "label": channel.label,
        "destination": channels.destination(channel.kind, channel.config),
        "config": channels.public_config(channel.kind, channel.config, with_secret=with_secret),
        "verified": channel.is_verified,
        "verified_at": channel.verified_at,
        "code_sent_at": channel.verification_sent_at if channel.verification_digest else None,
        "quiet_from": channel.quiet_from,
        "quiet_until": channel.quiet_until,
        "last_error": channel.last_error,
        "last_error_at": channel.last_error_at,
        "created_at": channel.created_at,
        "test_message": None if test is None else {"sent": test.sent, "error": test.error},
    }


def _text(value: Any) -> bool:
    return isinstance(value, str)


def checked_config(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """The settings as stored (tidied, with defaults), or 422 naming each one that won't do."""
    allowed = CONFIG_KEYS[kind]
    errors = {
        key: f"{KIND_WORDS[kind]} has no setting “{key}”; it takes {', '.join(allowed)}."
        for key in config
        if key not in allowed
    }
    for key, value in config.items():
        if key == "keys" and key in allowed:
            if not (isinstance(value, dict) and all(map(_text, value.values()))):
                errors[key] = 'Please send {"p256dh": "…", "auth": "…"}, as the browser gives.'
        elif key in allowed and not _text(value):
            errors[key] = "Please send this as text."
    if errors:
        raise InvalidInput(errors, CONFIG_LOCATION)
    if kind == ChannelKind.WEBHOOK and not str(config.get("secret") or "").strip():
        config = {**config, "secret": channels.new_webhook_secret()}
    cleaned, errors = channels.clean_config(kind, config)
    if errors:
        raise InvalidInput(errors, CONFIG_LOCATION)
    return cleaned


def _check_quiet_hours(quiet_from: dt.time | None, quiet_until: dt.time | None) -> None:
    problem = channels.quiet_hours_problem(quiet_from, quiet_until)
    if problem:
        raise InvalidInput({"quiet_until": problem})


def owned_channels(owner: User) -> QuerySet[Channel]:
    return Channel.objects.owned_by(owner)


def _channel(request: HttpRequest, channel_id: int) -> Channel:
    return get_object_or_404(owned_channels(request_owner(request)), pk=channel_id)


@router.get("", response={200: list[ChannelOut], **ERRORS}, summary="List your channels")
@paginated
def list_channels(request: HttpRequest) -> list[dict[str, Any]]:
    # A member has a handful of channels; each one's settings are decrypted to describe it.
    return [_out(channel) for channel in owned_channels(request_owner(request))]


@router.post(
    "",
    response={201: ChannelSentOut, **ERRORS},
    summary="Add a channel, and send it a test message with a code",
)
def create_channel(request: HttpRequest, payload: ChannelIn) -> Status[dict[str, Any]]:
    kind = payload.kind.value
    config = checked_config(kind, payload.config)
    _check_quiet_hours(payload.quiet_from, payload.quiet_until)
    channel, result = channels.create_channel(
        request_owner(request),
        kind,
        config,
        label=payload.label,
        quiet_from=payload.quiet_from,
        quiet_until=payload.quiet_until,
    )
    return Status(201, _out(channel, with_secret=True, test=result))


@router.get(
    "/{channel_id}",
    response={200: ChannelOut, **NOT_FOUND_ERRORS},
    summary="One channel, with a webhook's signing secret",
)
def get_channel(request: HttpRequest, channel_id: int) -> dict[str, Any]:
    return _out(_channel(request, channel_id), with_secret=True)


@router.patch(
    "/{channel_id}",
    response={200: ChannelSentOut, **NOT_FOUND_ERRORS},
    summary="Change a channel's name, quiet hours or settings",
)
def update_channel(request: HttpRequest, channel_id: int, payload: ChannelPatch) -> dict[str, Any]:
    channel = _channel(request, channel_id)
    sent = payload.model_dump(exclude_unset=True)
    if sent.get("label", "") is None:
        raise InvalidInput({"label": 'This can\'t be null; send "" for no name.'})
    config = None
    if sent.get("config") is not None:
        if channel.kind == ChannelKind.WEBPUSH:
            raise InvalidInput(
                {"config": "A browser's subscription comes from the browser; add it again."}
            )
        config = checked_config(channel.kind, {**channel.config, **sent["config"]})
    quiet_from = sent.get("quiet_from", channel.quiet_from)
    quiet_until = sent.get("quiet_until", channel.quiet_until)
    _check_quiet_hours(quiet_from, quiet_until)
    result = channels.update_channel(
        channel,
        label=sent.get("label", channel.label),
        quiet_from=quiet_from,
        quiet_until=quiet_until,
        config=config,
    )
    return _out(channel, test=result)


@router.delete(
    "/{channel_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Delete a channel (its messages go too)",
)
def delete_channel(request: HttpRequest, channel_id: int) -> Status[None]:
    _channel(request, channel_id).delete()
    return Status(204, None)


@router.post(
    "/{channel_id}/verify",
    response={200: ChannelOut, **NOT_FOUND_ERRORS},
    summary="Verify a channel with the code from its test message",
)
def verify_channel(request: HttpRequest, channel_id: int, payload: VerifyIn) -> dict[str, Any]:
    channel = _channel(request, channel_id)
    if channel.is_verified and not channel.verification_digest:
        return _out(channel)  # sent twice: it is verified, and that is what was asked
    outcome, tries = channels.verify(channel, payload.code)
    if outcome is not verification.Outcome.VERIFIED:
        raise InvalidInput({"code": verification.explain(outcome, tries)})
    return _out(channel)


@router.post(
    "/{channel_id}/test",
    response={200: ChannelSentOut, **NOT_FOUND_ERRORS},
    summary="Send a new test message with a new code",
)
def send_channel_test(request: HttpRequest, channel_id: int) -> dict[str, Any]:
    channel = _channel(request, channel_id)
    return _out(channel, test=channels.send_test(channel))


# Preferences

ReminderKind = Literal["reach_out", "occasion", "appointment", "questionnaire"]


def every_reminder() -> list[ReminderKind]:
    return ["reach_out", "occasion", "appointment", "questionnaire"]


class PreferencesIn(Input):
    remind_at: dt.time = Field(dt.time(9, 0), description="Your local time, every day.")
    kinds: list[ReminderKind] = Field(
        default_factory=every_reminder,
        description="What to be reminded about.",
    )
    appointment_hours_before: int = Field(3, ge=1, le=72)
    digest: Digest = Field(
        Digest.OFF, description="A digest by e-mail, to your verified e-mail channels."
    )
    digest_weekday: int = Field(0, ge=0, le=6, description="For a weekly digest: 0 is Monday.")


class PreferencesOut(Schema):
    remind_at: dt.time
    kinds: list[str]
    appointment_hours_before: int
    digest: Digest
    digest_weekday: int


def _preferences(owner: User) -> Preferences:
    # Reading writes nothing: the defaults are shown until the member saves their own.
    return Preferences.objects.owned_by(owner).first() or Preferences(owner=owner)


@preferences_router.get(
    "", response={200: PreferencesOut, **ERRORS}, summary="When and about what you're reminded"
)
def get_notification_preferences(request: HttpRequest) -> Preferences:
    return _preferences(request_owner(request))


@preferences_router.put(
    "", response={200: PreferencesOut, **ERRORS}, summary="Set when and about what"
)
def set_notification_preferences(request: HttpRequest, payload: PreferencesIn) -> Preferences:
    preferences = _preferences(request_owner(request))
    for field, value in payload.model_dump().items():
        setattr(preferences, field, value)
    preferences.kinds = sorted(set(payload.kinds))
    preferences.digest = payload.digest.value
    preferences.save()
    return preferences
