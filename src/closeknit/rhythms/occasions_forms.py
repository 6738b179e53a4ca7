"""The form for a day worth marking: an anniversary, the start of recovery, anything else.

Birthdays are not here: they belong to the person and are edited on their page.
Like the network's forms, it offers (and accepts) only the member's own people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from closeknit.lib.widgets import FastSelect
from closeknit.network import queries
from closeknit.network.forms import EARLIEST_YEAR, OwnedForm
from closeknit.network.models import Person
from closeknit.rhythms.models import STORED_OCCASION_KINDS, Occasion
from closeknit.rhythms.occasions import RECOVERY, RECOVERY_DEFAULT_TITLE

DATE_INPUT = "%Y-%m-%d"
FORGED_PERSON = "We couldn't find that person in your network."
# Far enough ahead for a wedding being planned; further is a typo.
LATEST_YEARS_AHEAD = 10


class OccasionForm(OwnedForm):
    kind = forms.ChoiceField(
        choices=STORED_OCCASION_KINDS,
        widget=forms.RadioSelect,
        label="What kind of day",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        label="What it is",
        help_text="For example: The day Sam and I met, Our wedding, Moved into my flat. "
        f"For the start of your recovery you can leave “{RECOVERY_DEFAULT_TITLE}”, "
        "or name it as you like.",
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one in particular",
        widget=FastSelect,
        label="With whom",
        help_text="Optional. Someone you'd like to share the day with.",
        error_messages={"invalid_choice": FORGED_PERSON},
    )

    class Meta:
        model = Occasion
        fields = ["kind", "title", "day", "repeats_yearly", "person"]
        labels = {"day": "When", "repeats_yearly": "Comes round every year"}
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT)}
        help_texts = {
            "day": "For the start of your recovery, the day you started. "
            "If you start again, change the day: every fresh start counts.",
            "repeats_yearly": "Untick for a day that happens once, such as a party. "
            "Recovery milestones always come round.",
        }

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        keep = [self.instance.person_id] if self.instance.person_id else []
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = queries.choosable_people(owner, keep=keep)

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Please choose a date after {EARLIEST_YEAR}.")
        if day.year > timezone.now().year + LATEST_YEARS_AHEAD:
            raise forms.ValidationError(
                f"Please choose a date within the next {LATEST_YEARS_AHEAD} years."
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        title = (cleaned.get("title") or "").strip()
        if cleaned.get("kind") == RECOVERY:
            # Milestones count on from the start every year, whatever the box says.
            cleaned["repeats_yearly"] = True
            cleaned["title"] = title or RECOVERY_DEFAULT_TITLE
        elif not title:
            self.add_error("title", "Please say what the day is, in a few words.")
        else:
            cleaned["title"] = title
        return cleaned
