"""The recovery plan (goals, appointments, coping strategies) and the safety plan."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel
from closeknit.lib.fields import EncryptedJSONField, EncryptedTextField
from closeknit.network.models import Group, Person
from closeknit.recovery.vocab import AppointmentKind, AppointmentStatus


class Goal(OwnedModel):
    title = models.CharField(max_length=200)
    why = EncryptedTextField("why it matters", blank=True)
    target_date = models.DateField(null=True, blank=True)
    helpers = models.ManyToManyField(
        Person, blank=True, related_name="goals_helped", help_text="The people helping with it."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["completed_at", "target_date", "id"]

    def __str__(self) -> str:
        return self.title


class GoalStep(OwnedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class GoalReflection(OwnedModel):
    """A few words on how a goal is going, written over time."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    text = EncryptedTextField()
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"reflection on {self.written_at:%Y-%m-%d}"


class Milestone(OwnedModel):
    """Something achieved, to celebrate with the people who helped."""

    title = models.CharField(max_length=200)
    achieved_on = models.DateField(help_text="A day in the member's own time zone.")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    step = models.ForeignKey(
        GoalStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    people = models.ManyToManyField(Person, blank=True, related_name="milestones")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-achieved_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AppointmentSeries(OwnedModel):
    """A recurring appointment; its occurrences are `Appointment` rows made from the rule."""

    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    title = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(help_text="The first one; the rule repeats from here.")
    duration_minutes = models.PositiveIntegerField(default=50)
    schedule = models.CharField("repeats (iCalendar RRULE)", max_length=500)
    location = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "appointment series"

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Appointment(OwnedModel):
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    title = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    series = models.ForeignKey(
        AppointmentSeries,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField(default=50)
    location = models.CharField(max_length=200, blank=True)
    notes = EncryptedTextField(blank=True)
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["owner", "starts_at"])]
        constraints = [
            # One row per occurrence of a series, however often it is materialised.
            models.UniqueConstraint(
                fields=["series", "starts_at"], name="one_appointment_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class CopingStrategy(OwnedModel):
    title = models.CharField(max_length=200)
    description = EncryptedTextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "coping strategies"

    def __str__(self) -> str:
        return self.title


class CopingUse(OwnedModel):
    """One time the member used a strategy, and how much it helped."""

    strategy = models.ForeignKey(CopingStrategy, on_delete=models.CASCADE, related_name="uses")
    used_at = models.DateTimeField(default=timezone.now)
    helped = models.PositiveSmallIntegerField(
        "how much it helped", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-used_at", "-id"]

    def __str__(self) -> str:
        return f"{self.strategy} on {self.used_at:%Y-%m-%d}"


class SafetyPlanVersion(OwnedModel):
    """One saved version of the safety plan; the newest is the plan, the others its history.

    `sections` maps each slug of SAFETY_PLAN_SECTIONS to a dict with any of
    `items` (the member's own words), `people` (Person ids) and `groups`
    (Group ids). People are kept by id, so a renamed person shows their new
    name, and someone removed from the network shows as such in old versions.
    """

    sections = EncryptedJSONField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"safety plan of {self.created_at:%Y-%m-%d %H:%M}"
