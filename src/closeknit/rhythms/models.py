"""Keeping in touch: occasions to celebrate, pauses of the reach-out list, thanks written,
and the private calendar feed."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel
from closeknit.lib.fields import EncryptedTextField
from closeknit.network.models import Person
from closeknit.rhythms.vocab import OccasionKind, PauseKind

STORED_OCCASION_KINDS = [
    (value, label) for value, label in OccasionKind.choices if value != OccasionKind.BIRTHDAY
]


class Occasion(OwnedModel):
    """A day worth marking: an anniversary, the start of recovery, or anything else.

    A recovery occasion's `day` is the day recovery started; its milestones
    (1 week, 30/60/90 days, 6 months, then every year) are computed, not stored.
    """

    kind = models.CharField(max_length=20, choices=STORED_OCCASION_KINDS)
    title = models.CharField(max_length=200)
    day = models.DateField(help_text="A day in your own time zone.")
    repeats_yearly = models.BooleanField(
        default=True, help_text="Comes round every year (recovery milestones always do)."
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="occasions"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return self.title


class ReachOutPause(OwnedModel):
    """Someone the member asked to leave off the reach-out list until a day (exclusive)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=PauseKind.choices)
    until = models.DateField(help_text="Back on the list from this local day.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="one_pause_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} until {self.until}"


class Appreciation(OwnedModel):
    """A note of thanks the member wrote: kept in their gratitude log, and sent only if they
    chose to (by e-mail to the person, at a time they picked)."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="appreciations"
    )
    text = EncryptedTextField()
    written_at = models.DateTimeField(default=timezone.now)
    send_to = models.EmailField("send it to", blank=True)
    send_at = models.DateTimeField("send it on", null=True, blank=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"thanks on {self.written_at:%Y-%m-%d}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class CalendarFeed(OwnedModel):
    """A private iCalendar address. The secret is kept encrypted, so the member can see the
    address again; it is looked up by its SHA-256. Revoking deletes the row."""

    secret = EncryptedTextField()
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calendar feed of {self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, owner: Any) -> CalendarFeed:
        secret = secrets.token_urlsafe(32)
        return cls.objects.create(owner=owner, secret=secret, digest=_digest(secret))

    @classmethod
    def find(cls, secret: str) -> CalendarFeed | None:
        return cls.objects.select_related("owner").filter(digest=_digest(secret)).first()

    def get_absolute_url(self) -> str:
        return reverse("rhythms:calendar-feed", args=[self.secret])
