"""Vocabulary of wellbeing check-ins and questionnaires: slugs never change, labels are for people."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfCare(models.TextChoices):
    SLEEP_ROUTINE = "sleep_routine", _("Sleep routine")
    MINDFULNESS = "mindfulness", _("Mindfulness")
    MOVEMENT = "movement", _("Movement")
    OUTDOORS = "outdoors", _("Time outdoors")
    CREATIVE = "creative", _("Creative time")
    NOURISHING_MEAL = "nourishing_meal", _("Nourishing meal")
    REST = "rest", _("Rest")
    OTHER = "other", _("Something else")


class InstrumentCode(models.TextChoices):
    PHQ9 = "phq9", "PHQ-9"
    PHQ2 = "phq2", "PHQ-2"
    GAD7 = "gad7", "GAD-7"
    GAD2 = "gad2", "GAD-2"
    PSS10 = "pss10", "PSS-10"
    WHO5 = "who5", "WHO-5"
    UCLA3 = "ucla3", "UCLA 3-item"
    MSPSS = "mspss", "MSPSS"
    LSNS6 = "lsns6", "LSNS-6"


# The flag stored with a result when PHQ-9 item 9 is answered above 0.
SELF_HARM_THOUGHTS = "self_harm_thoughts"
