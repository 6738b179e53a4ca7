"""The "I need support" form: a short message, whom to ask, and the key of this one form.

The message comes prefilled so the member needn't find words; every supporter who gets
requests is ticked. `client_key` is new on every render and travels with the POST, so a
second tap of the same form is recognised by `help.ask` and sends nothing more. The rules
themselves (length, who can be asked) are `help.py`'s; the form only shapes the input.
"""

from __future__ import annotations

from typing import Any

from django import forms

from closeknit.circle import grants
from closeknit.circle import help as store
from closeknit.circle.vocab import Answer


class HelpRequestForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": store.MAX_MESSAGE}),
        strip=True,
        help_text="Change it if you like, or send it as it is. "
        f"Up to {store.MAX_MESSAGE} characters.",
        error_messages={"required": store.NO_WORDS},
    )
    supporters = forms.TypedMultipleChoiceField(
        label="Who to ask",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each gets it on the ways they chose to hear from Closeknit, or by e-mail.",
        error_messages={"required": store.NO_ONE_CHOSEN, "invalid_choice": store.NOT_IN_CIRCLE},
    )
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=store.MAX_CLIENT_KEY)

    def __init__(self, *args: Any, links: list[Any], **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("message", store.DEFAULT_MESSAGE)
        initial.setdefault("supporters", [link.pk for link in links])
        initial.setdefault("client_key", store.new_client_key())
        super().__init__(*args, **kwargs)
        field = self.fields["supporters"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(link.pk, grants.supporter_name(link)) for link in links]


class AnswerForm(forms.Form):
    """A supporter's answer on the public page: one of the two buttons."""

    choice = forms.ChoiceField(choices=Answer.choices)
