"""The support network: people, groups and the log of contact with them."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel
from closeknit.lib.fields import EncryptedTextField, MultiChoiceField
from closeknit.network.vocab import Channel, Circle, Direction, GroupKind, Role, SupportType


class Person(OwnedModel):
    name = models.CharField(max_length=200)
    nickname = models.CharField(max_length=100, blank=True)
    roles = MultiChoiceField(choices=Role.choices)
    support_types = MultiChoiceField(
        "support they give", choices=SupportType.choices, help_text="What this person is there for."
    )
    circle = models.CharField(max_length=10, choices=Circle.choices, default=Circle.MIDDLE)
    rhythm_days = models.PositiveIntegerField(
        "hope to be in touch every … days",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    preferred_channels = MultiChoiceField(choices=Channel.choices)
    birthday = models.DateField(
        null=True, blank=True, help_text="Year unknown? Any year will do; we only use the day."
    )
    birthday_year_known = models.BooleanField(default=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = EncryptedTextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "name"])]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:person", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Group(OwnedModel):
    """A group or community the member belongs to."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.OTHER)
    members = models.ManyToManyField(Person, blank=True, related_name="groups")
    meets_from = models.DateTimeField(
        null=True, blank=True, help_text="The first meeting; the schedule repeats from here."
    )
    schedule = models.CharField(
        "meeting schedule (iCalendar RRULE)",
        max_length=500,
        blank=True,
        help_text="For example FREQ=WEEKLY;BYDAY=TU for every Tuesday.",
    )
    notes = EncryptedTextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:group", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Interaction(OwnedModel):
    """One moment of contact with one or more people, or with a group."""

    people = models.ManyToManyField(Person, blank=True, related_name="interactions")
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    occurred_at = models.DateTimeField("when", default=timezone.now)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.MUTUAL)
    support_types = MultiChoiceField(choices=SupportType.choices)
    feeling = models.PositiveSmallIntegerField(
        "how it felt",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["owner", "-occurred_at"])]

    def __str__(self) -> str:
        return f"contact on {self.occurred_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("network:interaction-edit", args=[self.pk])
