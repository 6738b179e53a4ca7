"""The words of notifications, as slugs that never change."""

from __future__ import annotations

from django.db import models


class ChannelKind(models.TextChoices):
    EMAIL = "email", "E-mail"
    NTFY = "ntfy", "ntfy"
    WEBHOOK = "webhook", "Webhook"
    WEBPUSH = "webpush", "Web Push (this browser)"


class MessageKind(models.TextChoices):
    VERIFICATION = "verification", "Test message"
    REACH_OUT = "reach_out", "Reach-out reminder"
    OCCASION = "occasion", "Occasion"
    APPOINTMENT = "appointment", "Appointment reminder"
    QUESTIONNAIRE = "questionnaire", "Questionnaire due"
    DIGEST = "digest", "Digest"
    APPRECIATION = "appreciation", "Note of thanks"
    INVITATION = "invitation", "Invitation to a circle"
    HELP_REQUEST = "help_request", "“I need support” request"
    HELP_ANSWER = "help_answer", "Answer to your request"
    SELF_NUDGE = "self_nudge", "Gentle nudge"
    CHECKIN_NUDGE = "checkin_nudge", "Check-in nudge"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class Digest(models.TextChoices):
    OFF = "off", "No digest"
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Every week"
