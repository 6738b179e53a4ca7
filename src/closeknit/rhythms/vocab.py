"""The words of keeping in touch, as slugs that never change."""

from __future__ import annotations

from django.db import models


class OccasionKind(models.TextChoices):
    # Birthdays are not stored here: they come from each person's birthday.
    BIRTHDAY = "birthday", "Birthday"
    ANNIVERSARY = "anniversary", "Anniversary"
    RECOVERY = "recovery", "Recovery milestone"
    CUSTOM = "custom", "Something else"


class PauseKind(models.TextChoices):
    NOT_NOW = "not_now", "Not now"
    SNOOZE = "snooze", "Snoozed"
