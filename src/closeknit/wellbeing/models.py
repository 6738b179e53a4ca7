"""Daily check-ins, questionnaire results and the member's questionnaire schedules."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from closeknit.accounts.owned import OwnedModel
from closeknit.lib.fields import EncryptedJSONField, EncryptedTextField, MultiChoiceField
from closeknit.wellbeing.vocab import InstrumentCode, SelfCare

SCALE_MIN = 0
SCALE_MAX = 10
SLEEP_MAX = Decimal(24)


def _scale(label: str, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
        help_text=help_text,
    )


class CheckIn(OwnedModel):
    """How one day went, in the member's own words and numbers; one per local day."""

    day = models.DateField(help_text="A day in the member's own time zone.")
    mood = _scale("mood", "0 very low, 10 very good.")
    stress = _scale("stress", "0 none at all, 10 overwhelming.")
    sleep_hours = models.DecimalField(
        "hours slept",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(SLEEP_MAX)],
    )
    self_care = MultiChoiceField("self-care done", choices=SelfCare.choices)
    connected = _scale("felt connected", "0 not at all, 10 very connected.")
    note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="one_checkin_per_day")]

    def __str__(self) -> str:
        return f"check-in on {self.day:%Y-%m-%d}"

    @property
    def self_care_labels(self) -> list[str]:
        return [str(SelfCare(slug).label) for slug in self.self_care if slug in SelfCare.values]


class Assessment(OwnedModel):
    """One completed questionnaire: the answers (encrypted) and the score they gave.

    The score is stored beside the answers so that history lists need no
    decryption; it is always the scorer's result for exactly these answers.
    """

    instrument = models.CharField(max_length=10, choices=InstrumentCode.choices)
    answers = EncryptedJSONField(default=list)
    total = models.FloatField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=30, blank=True)
    complete = models.BooleanField(default=True)
    prorated = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [models.Index(fields=["owner", "instrument", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} on {self.taken_at:%Y-%m-%d}"


class QuestionnaireSchedule(OwnedModel):
    """The member's wish to repeat a questionnaire every so many days."""

    instrument = models.CharField(max_length=10, choices=InstrumentCode.choices)
    every_days = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "instrument"], name="one_schedule_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} every {self.every_days} days"
