"""The one form of the reach-out list: "not now", or a snooze for so many days."""

from __future__ import annotations

from typing import Any

from django import forms

from closeknit.rhythms.ranking import SNOOZE_DAYS
from closeknit.rhythms.vocab import PauseKind

# How each snooze is offered; the days themselves are ranking.SNOOZE_DAYS.
SNOOZE_LABELS = {3: "3 days", 7: "a week", 14: "2 weeks", 30: "30 days"}
SNOOZE_CHOICES = [(days, SNOOZE_LABELS.get(days, f"{days} days")) for days in SNOOZE_DAYS]
SNOOZE_DEFAULT = 7
CHOOSE_DAYS = "Please choose how long to snooze for."


class PauseForm(forms.Form):
    kind = forms.ChoiceField(choices=PauseKind.choices)
    days = forms.TypedChoiceField(
        choices=SNOOZE_CHOICES, coerce=int, required=False, empty_value=None
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        snooze = cleaned.get("kind") == PauseKind.SNOOZE.value
        if snooze and cleaned.get("days") is None and "days" not in self.errors:
            self.add_error("days", CHOOSE_DAYS)
        if cleaned.get("kind") == PauseKind.NOT_NOW.value:
            cleaned["days"] = None
        return cleaned

    def problem(self) -> str:
        """One plain sentence about what was wrong, for a message or a swap."""
        if "days" in self.errors:
            return CHOOSE_DAYS
        return "Please choose “not now” or how long to snooze for."
