"""The shared vocabulary of DESIGN.md: slugs never change, labels are for people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Circle(models.TextChoices):
    INNER = "inner", _("Inner circle")
    MIDDLE = "middle", _("Middle circle")
    OUTER = "outer", _("Outer circle")


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional")
    PRACTICAL = "practical", _("Practical")
    INFORMATIONAL = "informational", _("Informational")
    COMPANIONSHIP = "companionship", _("Companionship")


class Role(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FAMILY = "family", _("Family")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour")
    COLLEAGUE = "colleague", _("Colleague")
    CLASSMATE = "classmate", _("Classmate")
    MENTOR = "mentor", _("Mentor")
    PEER = "peer", _("Peer")
    SUPPORT_GROUP = "support_group", _("Support-group member")
    VOLUNTEER = "volunteer", _("Volunteer")
    FAITH = "faith", _("Faith community")
    THERAPIST = "therapist", _("Therapist or counsellor")
    DOCTOR = "doctor", _("Doctor")
    OTHER = "other", _("Other")


class GroupKind(models.TextChoices):
    SUPPORT_GROUP = "support_group", _("Support group")
    CLUB = "club", _("Club")
    VOLUNTEERING = "volunteering", _("Volunteering")
    SPORTS = "sports", _("Sports team")
    FAITH = "faith", _("Faith group")
    ONLINE = "online", _("Online community")
    CLASS = "class", _("Class")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    CALL = "call", _("Call")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Message")
    ONLINE = "online", _("Online community")
    LETTER = "letter", _("Letter")


class Direction(models.TextChoices):
    RECEIVED = "received", _("I received support")
    GAVE = "gave", _("I gave support")
    MUTUAL = "mutual", _("We supported each other")


# How a contact felt, 1–5.
FEELINGS: dict[int, object] = {
    1: _("Hard"),
    2: _("Not great"),
    3: _("Okay"),
    4: _("Good"),
    5: _("Lovely"),
}
