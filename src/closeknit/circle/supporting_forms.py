"""Forms of the supporter's note of encouragement and of the access log's filter.

They only read what was sent; `encouragement.send` decides, and its refusals come back
as the form's errors.
"""

from __future__ import annotations

from typing import Any

from django import forms

from closeknit.circle import encouragement, grants
from closeknit.circle.models import Link


class EncouragementForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        max_length=encouragement.MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": encouragement.MAX_LENGTH}),
        help_text=(
            f"Up to {encouragement.MAX_LENGTH} characters. A few honest words are enough: "
            "“Thinking of you”, “Proud of you for going back to the group”."
        ),
        error_messages={
            "required": encouragement.EMPTY,
            "max_length": encouragement.TOO_LONG,
        },
    )


ALL = ""


class AccessLogFilterForm(forms.Form):
    """Whose entries to show: everyone, or one supporter (a link, current or past)."""

    supporter = forms.ChoiceField(label="Who", required=False)

    def __init__(self, *args: Any, member: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        links = Link.objects.owned_by(member).select_related("person", "supporter")
        field = self.fields["supporter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (ALL, "Everyone"),
            *((str(link.pk), grants.supporter_name(link)) for link in links),
        ]

    def link_id(self) -> int | None:
        """The chosen link's id, or None for everyone (also for a choice that isn't offered)."""
        if not self.is_valid():
            return None
        chosen = self.cleaned_data.get("supporter") or ALL
        return int(chosen) if chosen != ALL else None
