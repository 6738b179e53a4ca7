"""Vocabulary of the recovery plan: slugs never change, labels are for people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppointmentKind(models.TextChoices):
    THERAPY = "therapy", _("Therapy")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    SUPPORT_GROUP = "support_group", _("Support group")
    PEER_MEETING = "peer_meeting", _("Peer meeting")
    OTHER = "other", _("Other")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


# The sections of the safety plan, in order (adapted from Stanley & Brown, 2012).
SAFETY_PLAN_SECTIONS: tuple[str, ...] = (
    "warning_signs",
    "on_my_own",
    "distractions",
    "ask_for_help",
    "professionals",
    "safer_surroundings",
    "what_matters",
)
