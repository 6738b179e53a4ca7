"""The circle of supporters: links and their consent, invitations, help requests, early-warning
rules and their firings, encouragement, and the access log.

Every row is owned by the member whose circle it belongs to (`owner`), so the member reads
all of it through `owned_by`. A supporter reaches a member's rows only through an active
`Link` and the scopes on it, always via `closeknit.circle.grants`.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel, OwnedQuerySet
from closeknit.circle.rules import KINDS, MAX_COOLDOWN_DAYS
from closeknit.circle.vocab import AccessAction, Answer, EndedBy, Scope, Via
from closeknit.lib.fields import EncryptedTextField, MultiChoiceField
from closeknit.network.models import Person

RULE_KINDS = [
    ("stress_high", "Stress has been high"),
    ("mood_low", "Mood has been low"),
    ("no_contact", "No contact for a while"),
    ("missed_appointments", "Two missed appointments in a row"),
]
assert [kind for kind, _ in RULE_KINDS] == list(KINDS)

# What a supporter can look at, for the access log: the overview of a member, or one scope.
OVERVIEW = "overview"
VIEWED_PARTS = [(OVERVIEW, "What they share with you"), *Scope.choices]


class LinkQuerySet(OwnedQuerySet):
    def active(self) -> Self:
        """Links neither side has ended, between two accounts that are both still active."""
        return self.filter(ended_at__isnull=True, owner__is_active=True, supporter__is_active=True)


LinkManager = models.Manager.from_queryset(LinkQuerySet)


class Link(OwnedModel):
    """One supporter in the member's circle, and what the member shares with them.

    `scopes` starts empty: nothing is shared until the member grants it. Ending the link
    (either side) keeps the row, so the access log and old help requests still say who;
    inviting the same person again makes a new link.
    """

    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporting_links"
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supporter_links",
        help_text="The member's own entry for this supporter in their network.",
    )
    scopes = MultiChoiceField("what you share", choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=10, choices=EndedBy.choices, blank=True)

    objects: ClassVar[LinkManager] = LinkManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "supporter"],
                condition=Q(ended_at__isnull=True),
                name="one_active_link_per_supporter",
            )
        ]

    def __str__(self) -> str:
        return f"supporter link {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    def shares(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes


class Invitation(OwnedModel):
    """An invitation to join the member's circle, by e-mail or as a link to pass on.

    Only the SHA-256 of its token is stored (like API tokens); the token itself is in
    the e-mail, or shown to the member once. It can be used once, until `expires_at`.
    `scopes` is what the member offers to share; the invitation page shows exactly that.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("their e-mail address", blank=True)
    scopes = MultiChoiceField("what you'll share", choices=Scope.choices)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    link = models.OneToOneField(
        Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    def is_open(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > moment


class HelpRequest(OwnedModel):
    """One press of "I need support": the member's message, and to whom it went (`answers`).

    `client_key` comes with the form, so a second tap of the same form finds this row
    instead of sending again.
    """

    message = EncryptedTextField()
    client_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_key"], name="one_request_per_tap")
        ]

    def __str__(self) -> str:
        return f"help request {self.pk}"


class HelpAnswer(OwnedModel):
    """One supporter asked by a help request, and their answer once they gave it.

    The supporter answers through a signed link in the message, once. `supporter_name`
    keeps the name the member knows them by, should the link or account go later.
    """

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="answers")
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="help_answers"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_answers_given",
    )
    supporter_name = models.CharField(max_length=200)
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "supporter"], name="one_answer_per_supporter"
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} to help request {self.request_id}"


class RuleSetting(OwnedModel):
    """One early-warning rule as the member set it; see circle/rules.py for what each means.

    `nudge_supporters` is the member's choice that supporters with `checkin_nudges` hear
    of a firing (after the member's own gentle nudge). `checked_on` is the member's local
    day the worker last evaluated the rule, so it looks once a day.
    """

    kind = models.CharField(max_length=30, choices=RULE_KINDS)
    enabled = models.BooleanField(default=False)
    threshold = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    days_needed = models.PositiveSmallIntegerField(null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(null=True, blank=True)
    cooldown_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(MAX_COOLDOWN_DAYS)]
    )
    nudge_supporters = models.BooleanField("also nudge my supporters", default=False)
    checked_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="one_setting_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.kind} rule of member {self.owner_id}"


class RuleFiring(OwnedModel):
    """A rule that fired on one of the member's local days, and whom it nudged.

    `reason` is what the rule saw, in the member's words; it never goes to supporters.
    `supporters_due_at` is when supporters will be nudged (None: they won't be);
    `supporters_cancelled_at` is set when the member chose to keep this one to themselves.
    """

    kind = models.CharField(max_length=30, choices=RULE_KINDS)
    day = models.DateField(help_text="The member's local day it fired on.")
    reason = EncryptedTextField()
    fired_at = models.DateTimeField(default=timezone.now)
    supporters_due_at = models.DateTimeField(null=True, blank=True)
    supporters_cancelled_at = models.DateTimeField(null=True, blank=True)
    supporters_nudged = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "day"], name="one_firing_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.kind} fired on {self.day:%Y-%m-%d}"


class Encouragement(OwnedModel):
    """A short note a supporter sent the member; the member can keep it as a favourite."""

    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="encouragements"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="encouragements_sent",
    )
    author_name = models.CharField(max_length=200)
    text = EncryptedTextField()
    favourite = models.BooleanField(default=False)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["owner", "-sent_at"])]

    def __str__(self) -> str:
        return f"encouragement {self.pk}"


class AccessEntry(OwnedModel):
    """One line of the access log the member reads: a supporter looked, or consent changed."""

    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_entries"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_entries_made",
    )
    supporter_name = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    part = models.CharField(max_length=20, choices=VIEWED_PARTS, blank=True)
    via = models.CharField(max_length=5, choices=Via.choices, default=Via.WEB)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["owner", "-at"])]
        verbose_name_plural = "access entries"

    def __str__(self) -> str:
        return f"{self.action} {self.part} at {self.at:%Y-%m-%d %H:%M}"
