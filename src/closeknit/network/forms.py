"""Forms for people, groups and logging contact.

Every form that lets the member pick people or groups takes the owner and only
offers (and only accepts) the owner's own: a forged id is a form error, never a link.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from closeknit.lib.fields import slugs
from closeknit.lib.widgets import FastCheckboxSelectMultiple, FastSelect, FastSelectMultiple
from closeknit.network import queries, schedule
from closeknit.network.models import Group, Interaction, Person
from closeknit.network.vocab import FEELINGS, Channel, Circle, Direction, Role, SupportType
from closeknit.network.wording import short_name

# A first meeting or a contact before this is a typo (and would make schedules slow to walk).
EARLIEST_YEAR = 1900
# Contact is logged once it has happened; a little slack covers a clock or zone mix-up.
FUTURE_SLACK = dt.timedelta(hours=12)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATE_INPUT = "%Y-%m-%d"


class SlugSetField(forms.MultipleChoiceField):
    """Checkboxes for a MultiChoiceField: cleans to the sorted, duplicate-free list it stores."""

    def clean(self, value: Any) -> list[str]:
        return slugs(super().clean(value))


def _checkboxes(choices: Any, label: str, help_text: str = "") -> SlugSetField:
    return SlugSetField(
        choices=choices,
        required=False,
        label=label,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT)


def _offer(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Limit a model choice field to `queryset`: what it lists is all it accepts."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _check_year(value: dt.datetime | dt.date | None) -> None:
    if value is not None and value.year < EARLIEST_YEAR:
        raise forms.ValidationError(f"Please choose a date after {EARLIEST_YEAR}.")


class OwnedForm(forms.ModelForm):
    """A model form whose new objects belong to `owner`."""

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        if self.instance.pk is None:
            self.instance.owner = owner


class PersonForm(OwnedForm):
    circle = forms.ChoiceField(
        choices=Circle.choices,
        initial=Circle.MIDDLE,
        widget=forms.RadioSelect,
        label="How close are you?",
        help_text="Inner: the few you'd call at 3 a.m. Middle: people you count on. "
        "Outer: people who are part of your life less closely.",
    )
    roles = _checkboxes(Role.choices, "Who they are to you")
    support_types = _checkboxes(
        SupportType.choices, "Support they give", "What this person is there for."
    )
    preferred_channels = _checkboxes(Channel.choices, "Ways you like to be in touch")
    rhythm_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Hope to be in touch every … days",
        help_text="Optional. For example 7 for weekly, 30 for about monthly.",
    )
    birthday = forms.DateField(
        required=False,
        widget=_date_input(),
        help_text="Year unknown? Any year will do, and untick the box below.",
    )
    birthday_year_known = forms.BooleanField(
        required=False, initial=True, label="I know the year they were born"
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "nickname",
            "circle",
            "roles",
            "support_types",
            "rhythm_days",
            "preferred_channels",
            "email",
            "phone",
            "birthday",
            "birthday_year_known",
            "notes",
        ]
        labels = {"nickname": "What you call them", "phone": "Phone"}
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"notes": "Only you can read these; they are stored encrypted."}

    def clean_birthday(self) -> dt.date | None:
        birthday: dt.date | None = self.cleaned_data.get("birthday")
        _check_year(birthday)
        return birthday


class GroupForm(OwnedForm):
    members = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=FastCheckboxSelectMultiple,
        label="Members you know",
        error_messages={
            "invalid_choice": "We couldn't find one of those people in your network.",
            "invalid_pk_value": "We couldn't find one of those people in your network.",
        },
    )
    meets_from = forms.DateTimeField(
        required=False,
        widget=_datetime_input(),
        label="First meeting",
        help_text="Date and time of a meeting; the schedule repeats from here.",
    )
    schedule = forms.CharField(
        required=False,
        max_length=500,
        label="How often it meets",
        help_text="An iCalendar rule, for example FREQ=WEEKLY;BYDAY=TU for every Tuesday, "
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA for every other Saturday, "
        "FREQ=MONTHLY;BYDAY=1MO for the first Monday of each month.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )

    class Meta:
        model = Group
        fields = ["name", "kind", "members", "meets_from", "schedule", "notes"]
        labels = {"kind": "What kind of group"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"notes": "Only you can read these; they are stored encrypted."}

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        current: list[int] = []
        if self.instance.pk is not None:
            current = list(self.instance.members.values_list("pk", flat=True))
        _offer(self, "members", queries.choosable_people(owner, keep=current))

    def clean_meets_from(self) -> dt.datetime | None:
        meets_from: dt.datetime | None = self.cleaned_data.get("meets_from")
        _check_year(meets_from)
        return meets_from

    def clean_schedule(self) -> str:
        try:
            return schedule.validate(self.cleaned_data.get("schedule", ""))
        except schedule.ScheduleError as error:
            raise forms.ValidationError(str(error), code="schedule") from error


class InteractionForm(OwnedForm):
    """Logging contact: the one form behind every "Log contact" button.

    `compact` shows people as one select box (the home page and a person's page,
    where the list of checkboxes would be long); the fields are the same.
    """

    people = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who",
        widget=FastCheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "We couldn't find one of those people in your network.",
            "invalid_pk_value": "We couldn't find one of those people in your network.",
        },
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label="Or with a group",
        empty_label="No group",
        widget=FastSelect,
        error_messages={"invalid_choice": "We couldn't find that group among yours."},
    )
    occurred_at = forms.DateTimeField(label="When", initial=timezone.now, widget=_datetime_input())
    channel = forms.ChoiceField(
        choices=Channel.choices,
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
        label="How you were in touch",
    )
    direction = forms.ChoiceField(
        choices=Direction.choices,
        initial=Direction.MUTUAL,
        widget=forms.RadioSelect,
        label="Who supported whom",
    )
    support_types = _checkboxes(SupportType.choices, "Kind of support")
    feeling = forms.TypedChoiceField(
        choices=[("", "Rather not say"), *((value, label) for value, label in FEELINGS.items())],
        coerce=int,
        empty_value=None,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        label="How it felt",
    )

    class Meta:
        model = Interaction
        fields = [
            "people",
            "group",
            "occurred_at",
            "channel",
            "direction",
            "support_types",
            "feeling",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"note": "Only you can read this; it is stored encrypted."}

    def __init__(self, *args: Any, owner: Any, compact: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, owner=owner, **kwargs)
        keep_people: list[int] = []
        keep_group: list[int] = []
        if self.instance.pk is not None:
            keep_people = list(self.instance.people.values_list("pk", flat=True))
            keep_group = [self.instance.group_id] if self.instance.group_id else []
        people_field = self.fields["people"]
        if compact:
            # Before the queryset: setting it is what hands the choices to the widget.
            people_field.widget = FastSelectMultiple(attrs={"size": 5})
            people_field.help_text = "To choose more than one, hold Ctrl (or ⌘) as you click."
        _offer(self, "people", queries.choosable_people(owner, keep=keep_people))
        _offer(self, "group", queries.choosable_groups(owner, keep=keep_group))

    def clean_occurred_at(self) -> dt.datetime:
        when: dt.datetime = self.cleaned_data["occurred_at"]
        _check_year(when)
        if when > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError(
                "That's still ahead. Log contact once it has happened; "
                "you'll find the group's upcoming meetings on its page."
            )
        return when

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Only when both fields were valid: a forged id already has its own message.
        both_valid = "people" in cleaned and "group" in cleaned
        if both_valid and not cleaned["people"] and cleaned["group"] is None:
            self.add_error(
                "people", "Please choose who you were in touch with: a person, or a group."
            )
        return cleaned

    def names(self) -> list[str]:
        """Who this contact was with, as the confirmation names them."""
        names = [short_name(p.name, p.nickname) for p in self.cleaned_data.get("people", [])]
        group = self.cleaned_data.get("group")
        if group is not None:
            names.append(group.name)
        return names


class PeopleFilterForm(forms.Form):
    """The search and filters above the people list; read from the query string."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    circle = forms.ChoiceField(
        required=False, choices=[("", "Any circle"), *Circle.choices], label="Circle"
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Role.choices])
    support = forms.ChoiceField(
        required=False,
        choices=[("", "Any support"), *SupportType.choices],
        label="Support they give",
    )
    status = forms.ChoiceField(
        required=False,
        choices=[
            (queries.ACTIVE, "In your network"),
            (queries.ARCHIVED, "Archived"),
            (queries.EVERYONE, "Everyone"),
        ],
        label="Show",
    )

    def filters(self) -> dict[str, str]:
        """The valid filters as keyword arguments for `queries.people`; a bad value is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q") or "",
            "circle": data.get("circle") or "",
            "role": data.get("role") or "",
            "support_type": data.get("support") or "",
            "status": data.get("status") or queries.ACTIVE,
        }


class ContactFilterForm(forms.Form):
    """The filters above the contact log: a person, a group, a range of days."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="Anyone",
        widget=FastSelect,
        error_messages={"invalid_choice": "We couldn't find that person in your network."},
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        empty_label="Any group",
        widget=FastSelect,
        error_messages={"invalid_choice": "We couldn't find that group among yours."},
    )
    start = forms.DateField(required=False, label="From", widget=_date_input())
    end = forms.DateField(required=False, label="To", widget=_date_input())

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Archived people and groups too: this is history.
        _offer(self, "person", Person.objects.owned_by(owner).only("pk", "name"))
        _offer(self, "group", Group.objects.owned_by(owner).only("pk", "name"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "This date is before the “From” date.")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for `queries.contact_log`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key in ("person", "group", "start", "end")}
