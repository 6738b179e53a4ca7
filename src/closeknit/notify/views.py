"""Pages of notifications: the member's channels and preferences, and the outbox.

Thin: adding, testing and verifying a channel happen in `channels.py` (the API
uses the same functions), the code rules in `verification.py`. Every channel and
message is fetched through `owned_by`, so another member's id answers 404.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from closeknit.accounts.models import User
from closeknit.notify import channels, vapid, verification
from closeknit.notify.forms import (
    FORM_KINDS,
    FORMS,
    PreferencesForm,
    VerifyForm,
)
from closeknit.notify.models import Attempt, Channel, Message, Preferences
from closeknit.notify.outbox import listed
from closeknit.notify.vocab import ChannelKind, MessageKind, MessageStatus

PAGE_SIZE = 50
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "closeknit" / "sw.js"
ADD_TITLES: dict[str, str] = {
    ChannelKind.EMAIL: "Add an e-mail address",
    ChannelKind.NTFY: "Add ntfy notifications",
    ChannelKind.WEBHOOK: "Add a webhook",
}
# The largest push subscription we accept: an endpoint URL and two short keys.
MAX_SUBSCRIPTION_BYTES = 4096


def _owner(request: HttpRequest) -> User:
    return cast(User, request.user)


def _channel(request: HttpRequest, pk: int) -> Channel:
    return get_object_or_404(Channel.objects.owned_by(request.user), pk=pk)


def _preferences(owner: User) -> Preferences:
    # Not saved until the member saves the form: reading the page writes nothing.
    return Preferences.objects.owned_by(owner).first() or Preferences(owner=owner)


def _sent_words(channel: Channel, result: channels.TestResult) -> tuple[int, str]:
    where = channels.destination(channel.kind, channel.config)
    if result.sent:
        return messages.SUCCESS, (
            f"We sent a test message to {where}. Type the code from it below to finish."
        )
    return messages.ERROR, f"We couldn't send the test message to {where}: {result.error}"


# The notifications page


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    return _channels_page(request, PreferencesForm(instance=_preferences(_owner(request))))


def _application_server_key() -> str:
    """The key browsers subscribe with; empty (no browser button) when it is misconfigured,
    which the startup checks report, so that the rest of the page still works."""
    try:
        return vapid.application_server_key()
    except ImproperlyConfigured:
        return ""


def _channels_page(request: HttpRequest, preferences_form: PreferencesForm) -> HttpResponse:
    rows = list(Channel.objects.owned_by(request.user))
    return render(
        request,
        "notify/channels.html",
        {
            "channels": [
                {"channel": one, "destination": channels.destination(one.kind, one.config)}
                for one in rows
            ],
            "preferences_form": preferences_form,
            "has_verified_email": any(
                one.kind == ChannelKind.EMAIL and one.is_verified for one in rows
            ),
            "application_server_key": _application_server_key(),
        },
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect(reverse("notify:channels") + "#preferences")
    form = PreferencesForm(request.POST, instance=_preferences(_owner(request)))
    if form.is_valid():
        form.save()
        messages.success(request, "Saved your reminder preferences.")
        return redirect(reverse("notify:channels") + "#preferences")
    return _channels_page(request, form)


# One channel


@login_required
def channel_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORM_KINDS:
        raise Http404("no such kind of channel")
    form = FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        channel, result = channels.create_channel(
            _owner(request),
            kind,
            form.channel_config or {},
            label=data["label"],
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
        )
        messages.add_message(request, *_sent_words(channel, result))
        return redirect("notify:channel", pk=channel.pk)
    return render(
        request,
        "notify/channel_form.html",
        {"form": form, "channel": None, "kind": kind, "add_title": ADD_TITLES[kind]},
    )


def _detail_page(
    request: HttpRequest, channel: Channel, verify_form: VerifyForm | None = None
) -> HttpResponse:
    return render(
        request,
        "notify/channel_detail.html",
        {
            "channel": channel,
            "destination": channels.destination(channel.kind, channel.config),
            "settings": channels.public_config(channel.kind, channel.config, with_secret=True),
            "verify_form": verify_form or VerifyForm(),
            "code_waiting": bool(channel.verification_digest),
            "valid_for_minutes": int(verification.VALID_FOR.total_seconds() // 60),
        },
    )


@login_required
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _channel(request, pk))


@login_required
@require_POST
def channel_verify(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    form = VerifyForm(request.POST)
    if form.is_valid():
        outcome, tries = channels.verify(channel, form.cleaned_data["code"])
        if outcome is verification.Outcome.VERIFIED:
            messages.success(request, verification.explain(outcome))
            return redirect("notify:channel", pk=channel.pk)
        form.add_error("code", verification.explain(outcome, tries))
    return _detail_page(request, channel, form)


@login_required
@require_POST
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    messages.add_message(request, *_sent_words(channel, channels.send_test(channel)))
    return redirect("notify:channel", pk=channel.pk)


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    form = FORMS[channel.kind](request.POST or None, channel=channel)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = channels.update_channel(
            channel,
            label=data["label"],
            quiet_from=data["quiet_from"],
            quiet_until=data["quiet_until"],
            config=form.channel_config if form.config_fields else None,
        )
        if result is None:
            messages.success(request, "Saved.")
        else:
            messages.add_message(request, *_sent_words(channel, result))
        return redirect("notify:channel", pk=channel.pk)
    return render(
        request,
        "notify/channel_form.html",
        {
            "form": form,
            "channel": channel,
            "kind": channel.kind,
        },
    )


@login_required
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel(request, pk)
    if request.method == "POST":
        name = str(channel)
        channel.delete()
        messages.success(request, f"Deleted “{name}”. Nothing more will be sent there.")
        return redirect("notify:channels")
    return render(
        request,
        "notify/channel_confirm_delete.html",
        {
            "channel": channel,
            "destination": channels.destination(channel.kind, channel.config),
            "waiting": channel.messages.filter(status=MessageStatus.PENDING).count(),
        },
    )


# This browser (Web Push)


def _subscription(body: bytes) -> dict[str, Any] | None:
    """The push subscription a browser sent (PushSubscription.toJSON()), or None if malformed."""
    if len(body) > MAX_SUBSCRIPTION_BYTES:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str):
        return None
    keys = data.get("keys")
    if not isinstance(keys, dict) or not all(
        isinstance(keys.get(name), str) for name in ("p256dh", "auth")
    ):
        return None
    return {"endpoint": data["endpoint"], "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Called by push.js with the browser's subscription; answers JSON for the script to show."""
    owner = _owner(request)
    config = _subscription(request.body)
    if config is None:
        return JsonResponse(
            {"error": "Your browser sent something we couldn't read. Please try again."},
            status=400,
        )
    config, errors = channels.clean_config(ChannelKind.WEBPUSH, config)
    if errors:
        return JsonResponse({"error": " ".join(errors.values())}, status=422)
    # Settings are encrypted, so the endpoint is compared here rather than in SQL (a member
    # has a browser or two, not thousands).
    known = next(
        (
            one
            for one in Channel.objects.owned_by(owner).filter(kind=ChannelKind.WEBPUSH)
            if one.config.get("endpoint") == config["endpoint"]
        ),
        None,
    )
    if known is not None:
        # The same browser again: keep its channel (and its verification), with fresh keys.
        known.config = config
        known.save(update_fields=["config"])
        return JsonResponse({"redirect": reverse("notify:channel", args=[known.pk])})
    label = channels.browser_label(request.headers.get("User-Agent", ""))
    channel, result = channels.create_channel(owner, ChannelKind.WEBPUSH, config, label=label)
    messages.add_message(request, *_sent_words(channel, result))
    return JsonResponse({"redirect": reverse("notify:channel", args=[channel.pk])}, status=201)


@cache
def _service_worker_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site root so that it may show notifications for every page."""
    response = HttpResponse(_service_worker_source(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on their own schedule; never let a cache hold an old one.
    response["Cache-Control"] = "no-cache"
    return response


# The outbox


def status_words(message: Message, now: dt.datetime) -> str:
    """A message's state in plain words, with the time of its next try in the member's zone."""
    if message.status == MessageStatus.SENT:
        return "Sent"
    if message.status == MessageStatus.FAILED:
        return (
            f"Couldn't be sent: {message.last_error}"
            if message.last_error
            else ("Couldn't be sent.")
        )
    if message.next_attempt_at > now:
        local = timezone.localtime(message.next_attempt_at)
        when = (
            f"{local:%H:%M}"
            if local.date() == timezone.localtime(now).date()
            else f"{local:%-d %b} at {local:%H:%M}"
        )
        return f"Waiting to be sent — next try at {when}"
    return "Waiting to be sent"


def _outbox_rows(owner: User, status: str) -> QuerySet[Message]:
    rows = (
        listed(owner)
        .select_related("channel")
        # Neither the body nor a channel's settings is shown here; skip decrypting them.
        .defer("body", "channel__config")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("started_at")))
    )
    if status in MessageStatus.values:
        rows = rows.filter(status=status)
    return rows


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(_outbox_rows(_owner(request), status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    return render(
        request,
        "notify/outbox.html",
        {
            "page": page,
            "rows": [
                {
                    "message": message,
                    "status": status_words(message, now),
                    "is_test": message.kind == MessageKind.VERIFICATION,
                }
                for message in page.object_list
            ],
            "status": status if status in MessageStatus.values else "",
            "statuses": MessageStatus.choices,
        },
    )
