"""The member's forms for their circle: inviting someone, and what one supporter sees.

Scopes start unticked: nothing is shared until the member ticks it. Only the member's
own people who aren't archived can be invited; the store checks the rest (already in
the circle) in the transaction that makes the invitation.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms

from closeknit.circle.vocab import Scope
from closeknit.lib.widgets import FastSelect
from closeknit.network.models import Person

BY_EMAIL = "email"
BY_LINK = "link"
FORGED_PERSON = "We couldn't find that person in your network."
NO_ADDRESS = "Please give their e-mail address, or choose a link to pass on yourself."


# What each scope lets a supporter see, said to the member (vocab.SCOPE_DETAILS says it to
# the supporter, about the member).
MEMBER_SCOPE_DETAILS = {
    Scope.MOOD_TREND: (
        "The average of your daily mood and stress for each week, once it's over. Never your "
        "notes, your answers to questionnaires, or single days."
    ),
    Scope.SAFETY_PLAN: "Your safety plan: warning signs, what helps, and whom to call.",
    Scope.GOALS: "The goals you are working on, with their steps and how far along you are.",
    Scope.HELP_REQUESTS: (
        "When you press “I need support”, your short message reaches them, and they can "
        "answer “I'm reaching out now” or “I can't right now”."
    ),
    Scope.CHECKIN_NUDGES: (
        "Now and then, a note that you might appreciate a check-in, when signs you chose "
        "(like a few hard days) show up. It never says which signs."
    ),
}


def scope_field(label: str, help_text: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
        error_messages={"invalid_choice": "That isn't something you can share here."},
    )


def scope_rows(field: forms.BoundField) -> list[dict[str, Any]]:
    """Each scope's checkbox with what it means, for the template."""
    return [
        {"box": box, "detail": MEMBER_SCOPE_DETAILS[Scope(box.data["value"])]}
        for box in field.subwidgets
    ]


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=FastSelect,
        empty_label="Choose someone",
        label="Who you'd like to invite",
        help_text="Someone in your network. They'll see the name they have on Closeknit.",
        error_messages={
            "required": "Please choose who you'd like to invite.",
            "invalid_choice": FORGED_PERSON,
        },
    )
    how = forms.ChoiceField(
        choices=[
            (BY_EMAIL, "Send them an e-mail"),
            (BY_LINK, "Give me a link to pass on myself"),
        ],
        initial=BY_EMAIL,
        widget=forms.RadioSelect,
        label="How to invite them",
        error_messages={"required": "Please choose how to invite them."},
    )
    email = forms.EmailField(
        required=False,
        label="Their e-mail address",
        help_text="For an e-mail only. Left empty, we use the address saved for them.",
        error_messages={"invalid": "Please enter a whole e-mail address, like sam@example.org."},
    )
    scopes = scope_field(
        "What you'd share with them",
        "Nothing is ticked to start with. Tick only what feels right; you can change it "
        "any time, and they see the change at once.",
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = (
            Person.objects.owned_by(owner)
            .filter(archived_at__isnull=True)
            .only("id", "owner", "name", "nickname", "archived_at", "email")
            .order_by("name", "id")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("how") != BY_EMAIL:
            cleaned["email"] = ""
            return cleaned
        person = cleaned.get("person")
        if "email" not in self.errors and not cleaned.get("email"):
            saved = person.email if person is not None else ""
            if saved:
                cleaned["email"] = saved
            elif person is not None:
                self.add_error(
                    "email",
                    f"We don't have an e-mail address for {person.name}. Please give one, "
                    "or choose a link to pass on yourself.",
                )
            else:
                self.add_error("email", NO_ADDRESS)
        return cleaned

    def scope_rows(self) -> list[dict[str, Any]]:
        return scope_rows(self["scopes"])


class SupporterScopesForm(forms.Form):
    scopes = scope_field(
        "What you share with them",
        "Untick anything to stop sharing it; they can't see it from that moment on.",
    )

    def scope_rows(self) -> list[dict[str, Any]]:
        return scope_rows(self["scopes"])
