"""Notification channels, the member's preferences, and the outbox with every attempt."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel
from closeknit.lib.fields import EncryptedJSONField, EncryptedTextField, MultiChoiceField
from closeknit.notify.vocab import ChannelKind, Digest, MessageKind, MessageStatus

# The kinds of reminder a member can switch on or off (verification and thanks always go).
REMINDER_KINDS = [
    (kind.value, kind.label)
    for kind in (
        MessageKind.REACH_OUT,
        MessageKind.OCCASION,
        MessageKind.APPOINTMENT,
        MessageKind.QUESTIONNAIRE,
    )
]


class Channel(OwnedModel):
    """Somewhere the member wants to be reminded: an address, a topic, an URL, a browser.

    `config` holds what the transport needs (address; server and topic; URL and
    signing secret; a push subscription) and is encrypted at rest. A channel is
    used only once `verified_at` is set: the member proved a test message arrived.
    """

    kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    label = models.CharField(max_length=100, blank=True)
    config = EncryptedJSONField()
    verification_digest = models.CharField(max_length=64, blank=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    # Tries at the current code, so that six digits can't simply be guessed one after another.
    verification_tries = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    quiet_from = models.TimeField("quiet from", null=True, blank=True)
    quiet_until = models.TimeField("quiet until", null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Preferences(OwnedModel):
    """When and about what a member is reminded; one row per member, made on first use."""

    remind_at = models.TimeField(
        "remind me at", default=dt.time(9, 0), help_text="Your local time, every day."
    )
    kinds = MultiChoiceField(
        "remind me about", choices=REMINDER_KINDS, default=[kind for kind, _ in REMINDER_KINDS]
    )
    appointment_hours_before = models.PositiveSmallIntegerField(
        "remind me of appointments … hours before",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.OFF)
    digest_weekday = models.PositiveSmallIntegerField(
        "weekly digest on",
        default=0,
        validators=[MaxValueValidator(6)],
        help_text="0 is Monday, 6 is Sunday.",
    )
    # The member's local day whose daily reminders the worker planned last: it looks at
    # each member's reach-out list and occasions once a day, not on every pass.
    planned_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "preferences"
        constraints = [models.UniqueConstraint(fields=["owner"], name="one_preferences_per_member")]

    def __str__(self) -> str:
        return f"preferences of member {self.owner_id}"


class Message(OwnedModel):
    """One row of the outbox: something to deliver once, through one channel.

    `dedup_key` is unique: planning the same reminder twice finds the row that
    is there. A worker claims a row by moving `claimed_until` forward with a
    conditional UPDATE; if it dies, the lease runs out and another worker
    retries. Title and body can name people, so they are encrypted at rest.
    """

    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    to_address = models.EmailField(
        blank=True, help_text="For e-mail to someone other than the member (a note of thanks)."
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    dedup_key = models.CharField(max_length=255, unique=True)
    title = EncryptedTextField()
    body = EncryptedTextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    due_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["owner", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} message {self.dedup_key}"


class Attempt(OwnedModel):
    """One try at delivering a message: when, how long, and what went wrong, if anything."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    permanent = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"attempt at {self.started_at:%Y-%m-%d %H:%M:%S}"
