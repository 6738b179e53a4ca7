"""The form of one early-warning rule: on or off, its own numbers, the cooldown, supporters.

Only the fields the rule's kind uses are on the form (rules.py wants the others empty).
Ranges and "K no larger than N" are checked by `rules.validate`, whose kind messages
land on the fields, so the page, the API and the worker agree on what a valid rule is.
"""

from __future__ import annotations

from typing import Any

from django import forms

from closeknit.circle import early_warning, rules

# The check-in scales, in the check-in form's own words.
SCALE_WORDS = {
    rules.STRESS_HIGH: ("none at all", "overwhelming"),
    rules.MOOD_LOW: ("very low", "very good"),
}
WHOLE_NUMBER = "Please enter a whole number of days."


def _scale_choices(kind: str) -> list[tuple[str, str]]:
    low, high = SCALE_WORDS[kind]
    labels = {
        rules.SCORE_MIN: f"{rules.SCORE_MIN}, {low}",
        rules.SCORE_MAX: f"{rules.SCORE_MAX}, {high}",
    }
    return [("", "Choose a score")] + [
        (str(n), labels.get(n, str(n))) for n in range(rules.SCORE_MIN, rules.SCORE_MAX + 1)
    ]


def _days(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": WHOLE_NUMBER},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def who_gets_nudges(supporters: int) -> str:
    if supporters == 0:
        return "No one in your circle gets check-in nudges at the moment."
    if supporters == 1:
        return "One supporter gets check-in nudges at the moment."
    return f"{supporters} supporters get check-in nudges at the moment."


class RuleForm(forms.Form):
    enabled = forms.BooleanField(
        required=False,
        label="Turn this rule on",
        help_text="While it is off, it never looks at your check-ins, contact or appointments.",
    )
    threshold = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="The score",
        error_messages={
            "invalid_choice": (
                f"Please choose a score between {rules.SCORE_MIN} and {rules.SCORE_MAX}."
            )
        },
    )
    days_needed = _days("On how many days", "How many of those days it takes, at least.")
    window_days = _days("Out of the last … days", "Counting today.")
    cooldown_days = _days(
        "Days between nudges",
        "After a nudge, this rule stays quiet for this many days, even if the signs stay.",
    )
    nudge_supporters = forms.BooleanField(required=False)

    def __init__(self, *args: Any, kind: str, supporters: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        uses_scores = kind in SCALE_WORDS
        if uses_scores:
            threshold = self.fields["threshold"]
            assert isinstance(threshold, forms.TypedChoiceField)
            threshold.choices = _scale_choices(kind)
            measure = "stress" if kind == rules.STRESS_HIGH else "mood"
            level = "at least" if kind == rules.STRESS_HIGH else "at most"
            threshold.label = f"When my {measure} is {level}"
            low, high = SCALE_WORDS[kind]
            threshold.help_text = f"Your check-in's {measure}: 0 {low}, 10 {high}."
        else:
            del self.fields["threshold"], self.fields["days_needed"]
            if kind == rules.NO_CONTACT:
                window = self.fields["window_days"]
                window.label = "Days without noted contact"
                window.help_text = (
                    "Any contact you log counts, with anyone. Counted from the day you "
                    "joined if nothing is logged yet."
                )
            else:
                del self.fields["window_days"]
        nudge = self.fields["nudge_supporters"]
        nudge.label = (
            "Also nudge my supporters (those you share check-in nudges with), "
            f"{early_warning.delay_words()} after your own nudge"
        )
        nudge.help_text = (
            "They get a short note that you might appreciate a check-in, never which rule "
            f"or what was seen. {who_gets_nudges(supporters)}"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        for field, message in rules.validate(self.settings()).items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned

    def settings(self) -> rules.RuleSettings:
        data = self.cleaned_data
        return rules.RuleSettings(
            kind=self.kind,
            threshold=data.get("threshold"),
            days_needed=data.get("days_needed"),
            window_days=data.get("window_days"),
            cooldown_days=data.get("cooldown_days"),  # type: ignore[arg-type]
            enabled=bool(data.get("enabled")),
        )

    @staticmethod
    def initial_of(rule: early_warning.Rule) -> dict[str, Any]:
        return rule.fields()
