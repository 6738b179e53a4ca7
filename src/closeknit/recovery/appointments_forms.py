"""Forms for appointments and their series.

Like the network's forms, each takes the owner and offers (and accepts) only the
owner's own people and groups: a forged id is a form error, never a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from closeknit.lib.widgets import FastSelect
from closeknit.network import queries, schedule
from closeknit.network.forms import EARLIEST_YEAR, OwnedForm
from closeknit.network.models import Group, Person
from closeknit.network.vocab import Role
from closeknit.recovery import appointments, attendance
from closeknit.recovery.models import Appointment, AppointmentSeries
from closeknit.recovery.vocab import AppointmentKind, AppointmentStatus

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
PROFESSIONAL_ROLES = (Role.THERAPIST.value, Role.DOCTOR.value)
MAX_MINUTES = 24 * 60

# The repeat choices people mean most often, and the rule each stands for.
ONCE = ""
WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
CUSTOM = "custom"
PRESETS = {
    WEEKLY: "FREQ=WEEKLY",
    FORTNIGHTLY: "FREQ=WEEKLY;INTERVAL=2",
    MONTHLY: "FREQ=MONTHLY",
}
REPEAT_CHOICES = [
    (ONCE, "Just once"),
    (WEEKLY, "Every week"),
    (FORTNIGHTLY, "Every 2 weeks"),
    (MONTHLY, "Every month, on the same date"),
    (CUSTOM, "Something else (an iCalendar rule)"),
]
SERIES_REPEAT_CHOICES = REPEAT_CHOICES[1:]

FORGED_PERSON = "We couldn't find that person in your network."
FORGED_GROUP = "We couldn't find that group among yours."


def preset_for(rule: str) -> tuple[str, str]:
    """The repeat choice that shows a stored rule, and the advanced text when none does."""
    normal = schedule.normalise(rule)
    for name, preset in PRESETS.items():
        if normal == preset:
            return name, ""
    return CUSTOM, normal


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def is_professional(person: Person) -> bool:
    return any(role in PROFESSIONAL_ROLES for role in person.roles)


class ProfessionalsFirstIterator(ModelChoiceIterator):
    """The member's therapists and doctors in a group of their own, above everyone else."""

    def __iter__(self) -> Iterator[Any]:
        field = cast(forms.ModelChoiceField, self.field)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        professionals: list[Any] = []
        others: list[Any] = []
        for person in self.queryset:
            (professionals if is_professional(person) else others).append(self.choice(person))
        if not professionals:
            yield from others
            return
        yield ("Your professionals", professionals)
        if others:
            yield ("Everyone else", others)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = ProfessionalsFirstIterator


def _people(owner: Any, keep: list[int]) -> Any:
    # Roles too, to put professionals first; the rest as few columns as the network's forms.
    return queries.choosable_people(owner, keep=keep).only(
        "id", "owner", "name", "nickname", "archived_at", "roles"
    )


class _WithWhom(OwnedForm):
    """The fields an appointment and a series share: what, with whom, when, where."""

    kind = forms.ChoiceField(
        choices=AppointmentKind.choices,
        initial=AppointmentKind.THERAPY,
        widget=forms.RadioSelect,
        label="What kind of appointment",
    )
    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one in particular",
        widget=FastSelect,
        label="With whom",
        help_text="Someone in your network; your therapists and doctors come first.",
        error_messages={"invalid_choice": FORGED_PERSON},
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        empty_label="No group",
        widget=FastSelect,
        label="Or with a group",
        error_messages={"invalid_choice": FORGED_GROUP},
    )
    duration_minutes = forms.IntegerField(
        min_value=5,
        max_value=MAX_MINUTES,
        initial=50,
        label="How long, in minutes",
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        keep_person = [self.instance.person_id] if self.instance.person_id else []
        keep_group = [self.instance.group_id] if self.instance.group_id else []
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = _people(owner, keep_person)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = queries.choosable_groups(
            owner, keep=keep_group
        )

    def clean_starts_at(self) -> dt.datetime:
        when: dt.datetime = self.cleaned_data["starts_at"]
        if when.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Please choose a date after {EARLIEST_YEAR}.")
        stored: dt.datetime | None = self.instance.starts_at if self.instance.pk else None
        # The field shows minutes; a time saved with seconds (say through the API) that
        # comes back unchanged must not count as moved.
        if stored is not None and when == stored.replace(second=0, microsecond=0):
            return stored
        return when


def _repeat_field(choices: list[tuple[str, str]], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=choices, required=False, initial=ONCE, widget=forms.RadioSelect, label=label
    )


def _rule_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=500,
        label="Your own rule",
        help_text="For “something else”: for example FREQ=WEEKLY;BYDAY=MO,TH for Mondays and "
        "Thursdays, or FREQ=MONTHLY;BYDAY=1WE for the first Wednesday of each month.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )


def repeat_rule(form: forms.BaseForm) -> str:
    """The rule a form's repeat choice stands for, normalised; "" for just once.

    A rule that can't be used becomes an error on the form's `rule` field.
    """
    choice = form.cleaned_data.get("repeat") or ONCE
    if choice == ONCE:
        return ""
    if choice in PRESETS:
        return PRESETS[choice]
    text = form.cleaned_data.get("rule", "")
    if not text.strip():
        form.add_error("rule", "Please write the rule, or choose one of the simple choices.")
        return ""
    try:
        return schedule.validate(text)
    except schedule.ScheduleError as error:
        form.add_error("rule", str(error))
        return ""


class AppointmentForm(_WithWhom):
    """One appointment. New ones may repeat, which makes them the first of a series."""

    starts_at = forms.DateTimeField(widget=_datetime_input(), label="When")
    status = forms.ChoiceField(
        choices=AppointmentStatus.choices,
        initial=AppointmentStatus.SCHEDULED,
        widget=forms.RadioSelect,
        label="How did it go?",
        help_text="Once it has started you can note whether you went; "
        "“cancelled” is fine at any time and doesn't count either way.",
    )
    repeat = _repeat_field(REPEAT_CHOICES, "Does it repeat?")
    rule = _rule_field()

    class Meta:
        model = Appointment
        fields = [
            "kind",
            "title",
            "person",
            "group",
            "starts_at",
            "duration_minutes",
            "location",
            "notes",
            "status",
        ]
        labels = {"title": "A name for it (optional)", "location": "Where"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": "For example “Session with Dr Okafor”. Left empty, the kind is shown.",
            "location": "An address, a room, or “video call”.",
            "notes": "Only you can read these; they are stored encrypted.",
        }

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        if self.instance.pk is not None:
            # An existing one changes on its own; its series has a form of its own.
            del self.fields["repeat"]
            del self.fields["rule"]
        self.schedule = ""

    @property
    def repeats(self) -> bool:
        return "repeat" in self.fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        now = timezone.now()
        starts_at = cleaned.get("starts_at")
        status = cleaned.get("status")
        if starts_at is not None and status:
            problem = attendance.status_problem(status, starts_at, now)
            if problem is not None:
                self.add_error("status", problem)
        if self.repeats:
            self.schedule = repeat_rule(self)
            if self.schedule and starts_at is not None:
                try:
                    appointments.check_repeat_start(starts_at, now)
                except appointments.RepeatError as error:
                    self.add_error("starts_at", str(error))
        return cleaned


class SeriesForm(_WithWhom):
    """A repeating appointment as a whole: changes reach its future occurrences."""

    starts_at = forms.DateTimeField(
        widget=_datetime_input(),
        label="First one",
        help_text="Its date and time; the series repeats from here, at this time of day.",
    )
    repeat = forms.ChoiceField(
        choices=SERIES_REPEAT_CHOICES, widget=forms.RadioSelect, label="How often"
    )
    rule = _rule_field()

    class Meta:
        model = AppointmentSeries
        fields = ["kind", "title", "person", "group", "starts_at", "duration_minutes", "location"]
        labels = {"title": "A name for it (optional)", "location": "Where"}

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["repeat"], self.initial["rule"] = preset_for(self.instance.schedule)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rule = repeat_rule(self)
        if rule:
            self.instance.schedule = rule
        return cleaned


class DeleteForm(forms.Form):
    """Which appointments to delete, when the one chosen belongs to a series."""

    scope = forms.ChoiceField(
        choices=[
            (appointments.THIS, "Just this one"),
            (appointments.FUTURE, "This one and every one after it"),
            (appointments.ALL, "The whole series, with the ones that have passed"),
        ],
        initial=appointments.THIS,
        widget=forms.RadioSelect,
        label="Which ones?",
    )


class SeriesDeleteForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[
            (appointments.FUTURE, "Only the future ones: keep what has passed and what you noted"),
            (appointments.ALL, "All of them, with the ones that have passed"),
        ],
        initial=appointments.FUTURE,
        widget=forms.RadioSelect,
        label="Which ones?",
    )


class StatusForm(forms.Form):
    """One tap: how an appointment went."""

    status = forms.ChoiceField(choices=AppointmentStatus.choices)
