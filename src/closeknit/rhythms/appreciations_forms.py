"""The form for a note of thanks, with the choice to send it later by e-mail.

The sending fields are plain form fields, not the model's: `appreciations_store`
compares them with what was saved before, so they must not be written onto the
note by the form. Like the network's forms, only the member's own people are offered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from closeknit.lib.widgets import FastSelect
from closeknit.network import queries
from closeknit.network.forms import OwnedForm
from closeknit.network.models import Person
from closeknit.rhythms import appreciations as rules
from closeknit.rhythms.models import Appreciation

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FORGED_PERSON = "We couldn't find that person in your network."


class AppreciationForm(OwnedForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one in particular",
        widget=FastSelect,
        label="Who it's for",
        help_text="Optional. A note can be just for you, too.",
        error_messages={"invalid_choice": FORGED_PERSON},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Your note",
        help_text="What they did, and what it meant to you. Only you can read it here; "
        "it is stored encrypted.",
        error_messages={"required": "Please write a few words of thanks."},
    )
    send = forms.BooleanField(
        required=False,
        label="Send it to them by e-mail",
        help_text="It goes from this Closeknit's own e-mail address, with your name on it, "
        "at the time you choose. Nothing is sent unless you tick this.",
    )
    send_to = forms.EmailField(
        required=False,
        label="Their e-mail address",
        help_text="Leave it empty to use the address saved for them in your network.",
        error_messages={"invalid": "Please enter a whole e-mail address, like sam@example.org."},
    )
    send_at = forms.DateTimeField(
        required=False,
        label="When to send it",
        help_text="Your local time.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    class Meta:
        model = Appreciation
        fields = ["person", "text"]

    def __init__(self, *args: Any, owner: Any, can_send: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        keep = [self.instance.person_id] if self.instance.person_id else []
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = queries.choosable_people(owner, keep=keep).only(
            "id", "owner", "name", "nickname", "archived_at", "email"
        )
        if not can_send:
            # Already sent: where and when it went is history now.
            for name in ("send", "send_to", "send_at"):
                del self.fields[name]

    @property
    def can_send(self) -> bool:
        return "send" in self.fields

    def clean_text(self) -> str:
        text = cast(str, self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Please write a few words of thanks.")
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.can_send or not cleaned.get("send"):
            return cleaned
        person = cleaned.get("person")
        address = rules.address_for(cleaned.get("send_to") or "", person.email if person else "")
        if "send_to" not in self.errors and not address:
            self.add_error(
                "send_to",
                "Please give the e-mail address to send it to"
                + (f"; we don't have one for {person.name}." if person else "."),
            )
        if "send_at" not in self.errors and cleaned.get("send_at") is None:
            self.add_error("send_at", rules.NO_TIME)
        return cleaned

    def sending(self) -> dict[str, Any]:
        """What to tell `appreciations_store.save_note` about sending."""
        if not self.can_send:
            return {"send": None}
        send_at: dt.datetime | None = self.cleaned_data.get("send_at")
        return {
            "send": bool(self.cleaned_data.get("send")),
            "send_to": self.cleaned_data.get("send_to") or "",
            "send_at": send_at,
        }
