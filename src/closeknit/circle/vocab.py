"""The words of the circle of supporters, as slugs that never change."""

from __future__ import annotations

from django.db import models


class Scope(models.TextChoices):
    """What a member can share with one supporter; none is granted until the member says so."""

    MOOD_TREND = "mood_trend", "Mood and stress, as weekly averages"
    SAFETY_PLAN = "safety_plan", "My safety plan"
    GOALS = "goals", "My goals and their steps"
    HELP_REQUESTS = "help_requests", "My “I need support” requests"
    CHECKIN_NUDGES = "checkin_nudges", "A nudge when a check-in might help"


# What each scope means, said to the supporter on the invitation page and their home.
SCOPE_DETAILS = {
    Scope.MOOD_TREND: (
        "The average of their daily mood and stress for each week, once it's over. Never "
        "their notes, their answers to questionnaires, or single days."
    ),
    Scope.SAFETY_PLAN: "Their safety plan: warning signs, what helps, and whom to call.",
    Scope.GOALS: "The goals they are working on, with their steps and how far along they are.",
    Scope.HELP_REQUESTS: (
        "When they press “I need support”, their short message reaches you, and you can "
        "answer “I'm reaching out now” or “I can't right now”."
    ),
    Scope.CHECKIN_NUDGES: (
        "Now and then, a note that they might appreciate a check-in, when signs they chose "
        "(like a few hard days) show up. It never says which signs."
    ),
}


class Answer(models.TextChoices):
    REACHING_OUT = "reaching_out", "I'm reaching out now"
    CANT_NOW = "cant_now", "I can't right now"


class EndedBy(models.TextChoices):
    MEMBER = "member", "You ended it"
    SUPPORTER = "supporter", "They left"


class AccessAction(models.TextChoices):
    """What the access log records: each look at shared data, and each change of consent."""

    VIEWED = "viewed", "Looked at"
    GRANTED = "granted", "You shared"
    REVOKED = "revoked", "You stopped sharing"
    LINKED = "linked", "Joined your circle"
    ENDED = "ended", "No longer in your circle"


class Via(models.TextChoices):
    WEB = "web", "the website"
    API = "api", "the API"
