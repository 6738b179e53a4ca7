"""The safety plan's edit form: one fieldset per section, lines typed one per line.

No JavaScript is needed to add a line: each section's lines are one textarea.
People and groups are checkboxes listing only the member's own, so a forged or
another member's id is refused with a message, never linked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from closeknit.lib.widgets import FastCheckboxSelectMultiple, FastSelectMultiple
from closeknit.recovery import safety_plan
from closeknit.recovery.safety_plan import Contact, Plan, PlanError, Section

# Past this many people, checkboxes make a very long page: a select box is used instead.
CHECKBOXES_UP_TO = 40
MIN_ROWS, MAX_ROWS = 4, 12
NOT_YOURS_PERSON = "We couldn't find one of those people in your network."
NOT_YOURS_GROUP = "We couldn't find one of those groups among yours."
PROFESSIONAL_ROLES = ("therapist", "doctor")
ROLE_WORDS = {"therapist": "therapist or counsellor", "doctor": "doctor"}


def field_name(slug: str, kind: str) -> str:
    return f"{slug}_{kind}"


def _person_label(contact: Contact, show_role: bool) -> str:
    label = contact.name
    if show_role:
        roles = [ROLE_WORDS[role] for role in PROFESSIONAL_ROLES if role in contact.roles]
        if roles:
            label += f" ({', '.join(roles)})"
    if contact.archived:
        label += " (archived)"
    return label


class SafetyPlanForm(forms.Form):
    """Edits a whole plan. `plan()` gives the normalised plan once the form is valid.

    `people` and `groups` are what may be chosen (the member's own: current
    ones and any archived ones already on the plan); `suggested` are coping
    strategies to offer for "on my own".
    """

    def __init__(
        self,
        data: Any = None,
        *,
        plan: Plan,
        people: Sequence[Contact],
        groups: Sequence[tuple[int, str]],
        suggested: Sequence[str] = (),
    ) -> None:
        super().__init__(data, initial=self._initial(plan), label_suffix="")
        self.sections = list(safety_plan.SECTIONS.values())
        many = len(people) > CHECKBOXES_UP_TO
        for section in self.sections:
            hint = section.hint
            if section.people:
                hint += " Choose people from your network below, or write anyone else here."
            self.fields[field_name(section.slug, "items")] = forms.CharField(
                required=False,
                label=f"{section.title}, one per line",
                help_text=hint,
                widget=forms.Textarea(attrs={"rows": _rows(len(plan[section.slug]["items"]))}),
                strip=False,
            )
            if section.people:
                ordered = people
                if section.slug == "professionals":
                    ordered = safety_plan.professionals_first(people, PROFESSIONAL_ROLES)
                choices = [
                    (c.id, _person_label(c, section.slug == "professionals")) for c in ordered
                ]
                self.fields[field_name(section.slug, "people")] = self._choice(
                    choices, section.people_label, NOT_YOURS_PERSON, many
                )
            if section.groups and groups:
                self.fields[field_name(section.slug, "groups")] = self._choice(
                    list(groups), "Groups", NOT_YOURS_GROUP, many=False
                )
            if section.slug == "on_my_own" and suggested:
                self.fields["on_my_own_suggested"] = forms.MultipleChoiceField(
                    required=False,
                    choices=[(title, title) for title in suggested],
                    label="Add some of what has helped you most",
                    help_text="Your most helpful coping strategies, from what you noted.",
                    widget=forms.CheckboxSelectMultiple,
                )

    @staticmethod
    def _initial(plan: Plan) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for slug, section in plan.items():
            initial[field_name(slug, "items")] = "\n".join(section["items"])
            initial[field_name(slug, "people")] = section["people"]
            initial[field_name(slug, "groups")] = section["groups"]
        return initial

    @staticmethod
    def _choice(
        choices: list[tuple[int, str]], label: str, not_yours: str, many: bool
    ) -> forms.TypedMultipleChoiceField:
        widget: forms.Widget = (
            FastSelectMultiple(attrs={"size": 8}) if many else FastCheckboxSelectMultiple()
        )
        return forms.TypedMultipleChoiceField(
            required=False,
            choices=choices,
            coerce=int,
            label=label,
            widget=widget,
            help_text="To choose more than one, hold Ctrl (or ⌘) as you click." if many else "",
            error_messages={"invalid_choice": not_yours},
        )

    def fieldsets(self) -> list[tuple[Section, list[forms.BoundField]]]:
        """Each section with its fields, for the template's one fieldset per section."""
        grouped = []
        for section in self.sections:
            names = [field_name(section.slug, kind) for kind in safety_plan.KINDS]
            if section.slug == "on_my_own":
                names.append("on_my_own_suggested")
            grouped.append((section, [self[name] for name in names if name in self.fields]))
        return grouped

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw: dict[str, Any] = {}
        for section in self.sections:
            # Every line, blank ones too, so that an error's line number matches the textarea.
            lines = (cleaned.get(field_name(section.slug, "items")) or "").splitlines()
            if section.slug == "on_my_own":
                lines += cleaned.get("on_my_own_suggested", [])
            raw[section.slug] = {
                "items": lines,
                "people": cleaned.get(field_name(section.slug, "people"), []),
                "groups": cleaned.get(field_name(section.slug, "groups"), []),
            }
        try:
            self.cleaned_plan = safety_plan.normalise(raw)
        except PlanError as error:
            for path, message in error.errors.items():
                slug, kind = str(path[0]), str(path[1]) if len(path) > 1 else "items"
                self.add_error(field_name(slug, kind), _line_message(path, message))
        return cleaned

    def plan(self) -> Plan:
        return self.cleaned_plan


def _rows(lines: int) -> int:
    """A textarea tall enough for the lines already there and one more, within reason."""
    return min(max(MIN_ROWS, lines + 1), MAX_ROWS)


def _line_message(path: tuple[str | int, ...], message: str) -> str:
    """Errors about one line say which line: in a textarea there is no other way to tell."""
    if len(path) > 2 and isinstance(path[2], int):
        return f"Line {path[2] + 1}: {message}"
    return message
