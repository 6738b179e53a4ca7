"""Forms of the daily check-in, the questionnaires (one generic form for all) and their schedules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from closeknit.wellbeing.instruments import Instrument
from closeknit.wellbeing.models import SCALE_MAX, SCALE_MIN, SLEEP_MAX, CheckIn
from closeknit.wellbeing.schedules import FREQUENCIES
from closeknit.wellbeing.vocab import SelfCare

SCALE_CHOICES = [(str(n), str(n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]


def _scale(label: str, low: str, high: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=f"0 {low}, 10 {high}",
    )


class CheckInForm(forms.Form):
    mood = _scale("Mood", "very low", "very good")
    stress = _scale("Stress", "none", "overwhelming")
    sleep_hours = forms.DecimalField(
        label="Hours slept",
        required=False,
        min_value=Decimal(0),
        max_value=SLEEP_MAX,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    self_care = forms.MultipleChoiceField(
        label="Self-care today",
        choices=SelfCare.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip"}),
    )
    connected = _scale("Felt connected", "not at all", "very")
    note = forms.CharField(
        label="A note, just for you",
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Encrypted, and never shared.",
    )

    @classmethod
    def for_entry(cls, entry: CheckIn | None, data: Any = None) -> CheckInForm:
        if entry is None:
            return cls(data)
        initial = {
            "mood": entry.mood,
            "stress": entry.stress,
            "sleep_hours": entry.sleep_hours,
            "self_care": list(entry.self_care),
            "connected": entry.connected,
            "note": entry.note,
        }
        return cls(data, initial=initial)


class AssessmentForm(forms.Form):
    """One radio group per question of any instrument; unanswered is allowed, never guessed."""

    def __init__(self, instrument: Instrument, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[self.name_of(item.number)] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(option.code), option.label) for option in item.options],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def name_of(number: int) -> str:
        return f"q{number}"

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(self.name_of(item.number)) for item in self.instrument.items]

    def questions(self) -> list[tuple[Any, Any]]:
        """Each item with its bound field, for the template (which shows sections and numbers)."""
        return [(item, self[self.name_of(item.number)]) for item in self.instrument.items]


OFF = "0"


class ScheduleForm(forms.Form):
    """How often to repeat each questionnaire: a select per instrument, "Not repeated" by default."""

    def __init__(
        self, instruments: list[Instrument], current: dict[str, int], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        for instrument in instruments:
            choices = [(OFF, "Not repeated"), *((str(d), label) for d, label in FREQUENCIES)]
            every = current.get(instrument.code)
            if every and str(every) not in dict(choices):
                choices.append((str(every), f"Every {every} days"))
            self.fields[instrument.code] = forms.TypedChoiceField(
                label=f"{instrument.name}: {instrument.measures}",
                choices=choices,
                coerce=int,
                initial=str(every or OFF),
            )

    def wanted(self) -> dict[str, int]:
        """Days between answers per instrument; 0 means not repeated."""
        return {
            instrument.code: self.cleaned_data[instrument.code] for instrument in self.instruments
        }
