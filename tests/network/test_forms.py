"""The network forms on their own: ownership, validation and the messages people see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.utils import timezone

from closeknit.network.forms import (
    ContactFilterForm,
    GroupForm,
    InteractionForm,
    PeopleFilterForm,
    PersonForm,
)
from closeknit.network.models import Group, Interaction, Person


def choice_labels(form: forms.BaseForm, name: str) -> list[str]:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return [str(label) for value, label in field.choices if value != ""]


def contact(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "channel": "call",
        "direction": "mutual",
    }
    data.update(overrides)
    return data


# PersonForm


def test_new_person_belongs_to_the_member(member: Any) -> None:
    form = PersonForm({"name": "Jo", "circle": "inner"}, owner=member)
    assert form.is_valid(), form.errors
    person = form.save()
    assert person.owner == member
    assert (person.roles, person.support_types, person.preferred_channels) == ([], [], [])


def test_person_form_keeps_sets_of_choices(member: Any) -> None:
    data = {"name": "Jo", "circle": "outer", "roles": ["mentor", "faith"], "support_types": []}
    form = PersonForm(data, owner=member)
    assert form.is_valid(), form.errors
    assert form.save().roles == ["faith", "mentor"]


def test_person_form_edits_show_the_stored_choices(network: Any) -> None:
    sam = Person.objects.get(pk=network["sam"].pk)
    form = PersonForm(instance=sam, owner=sam.owner)
    assert form["support_types"].value() == ["companionship", "emotional"]
    assert form["circle"].value() == "inner"


@pytest.mark.parametrize(
    ("days", "ok"), [("1", True), ("3650", True), ("0", False), ("3651", False)]
)
def test_rhythm_is_one_to_3650_days(member: Any, days: str, ok: bool) -> None:
    form = PersonForm({"name": "Jo", "circle": "inner", "rhythm_days": days}, owner=member)
    assert form.is_valid() is ok


def test_birthday_before_1900_is_a_typo(member: Any) -> None:
    form = PersonForm({"name": "Jo", "circle": "inner", "birthday": "1066-10-14"}, owner=member)
    assert form.errors["birthday"] == ["Please choose a date after 1900."]


# GroupForm


def test_group_members_come_from_own_current_people(
    member: Any, network: Any, stranger: Any
) -> None:
    Person.objects.create(owner=stranger, name="Not Yours")
    Person.objects.create(owner=member, name="Zed", archived_at=timezone.now())
    form = GroupForm(owner=member)
    assert choice_labels(form, "members") == ["Ada Okafor", "Sam Rivera"]


def test_group_form_stores_a_tidy_schedule(member: Any) -> None:
    form = GroupForm(
        {"name": "Choir", "kind": "club", "schedule": "rrule:freq=weekly;byday=we"}, owner=member
    )
    assert form.is_valid(), form.errors
    group = form.save()
    assert (group.owner, group.schedule) == (member, "FREQ=WEEKLY;BYDAY=WE")


def test_group_form_explains_a_schedule_it_cannot_read(member: Any) -> None:
    form = GroupForm({"name": "Choir", "kind": "club", "schedule": "weekly"}, owner=member)
    assert not form.is_valid()
    assert form.errors["schedule"] == [
        "A schedule needs a FREQ, for example FREQ=WEEKLY;BYDAY=TU for every Tuesday."
    ]


# InteractionForm


def test_contact_needs_a_person_or_a_group(member: Any, network: Any) -> None:
    form = InteractionForm(contact(), owner=member)
    assert form.errors["people"] == [
        "Please choose who you were in touch with: a person, or a group."
    ]


def test_contact_with_a_group_alone_is_fine(member: Any, network: Any) -> None:
    form = InteractionForm(contact(group=network["group"].pk), owner=member)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.owner, saved.group, saved.feeling) == (member, network["group"], None)


def test_forged_person_is_named_in_a_kind_error(member: Any, stranger: Any) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    form = InteractionForm(contact(people=[theirs.pk]), owner=member)
    assert form.errors["people"] == ["We couldn't find one of those people in your network."]


def test_forged_group_is_named_in_a_kind_error(member: Any, stranger: Any) -> None:
    theirs = Group.objects.create(owner=stranger, name="Not Yours")
    form = InteractionForm(contact(group=theirs.pk), owner=member)
    assert form.errors["group"] == ["We couldn't find that group among yours."]


def test_compact_form_lists_people_in_one_select(member: Any, network: Any) -> None:
    form = InteractionForm(owner=member, compact=True)
    widget = form.fields["people"].widget
    assert isinstance(widget, forms.SelectMultiple)
    assert not isinstance(widget, forms.CheckboxSelectMultiple)
    html = str(form["people"])
    assert "Sam Rivera" in html
    assert "Ada Okafor" in html


def test_full_form_lists_people_as_checkboxes(member: Any, network: Any) -> None:
    form = InteractionForm(owner=member)
    assert isinstance(form.fields["people"].widget, forms.CheckboxSelectMultiple)
    assert 'type="checkbox" name="people"' in str(form["people"])


def test_editing_keeps_an_archived_person_on_the_contact(member: Any, network: Any) -> None:
    sam, call = network["sam"], network["call"]
    Person.objects.filter(pk=sam.pk).update(archived_at=timezone.now())
    assert "Sam Rivera" not in choice_labels(InteractionForm(owner=member), "people")
    editing = InteractionForm(instance=Interaction.objects.get(pk=call.pk), owner=member)
    assert "Sam Rivera" in choice_labels(editing, "people")


@pytest.mark.parametrize(("feeling", "stored"), [("", None), ("1", 1), ("5", 5)])
def test_feeling_is_optional_one_to_five(
    member: Any, network: Any, feeling: str, stored: int | None
) -> None:
    form = InteractionForm(contact(people=[network["sam"].pk], feeling=feeling), owner=member)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["feeling"] == stored


@pytest.mark.parametrize("feeling", ["0", "6", "lovely"])
def test_feeling_outside_the_scale_is_refused(member: Any, network: Any, feeling: str) -> None:
    form = InteractionForm(contact(people=[network["sam"].pk], feeling=feeling), owner=member)
    assert "feeling" in form.errors


def test_names_for_the_confirmation_use_nicknames(member: Any, network: Any) -> None:
    data = contact(people=[network["sam"].pk, network["ada"].pk], group=network["group"].pk)
    form = InteractionForm(data, owner=member)
    assert form.is_valid(), form.errors
    assert form.names() == ["Ada Okafor", "Sam", "Tuesday peer group"]


# The filter forms


def test_people_filters_ignore_bad_values(member: Any) -> None:
    form = PeopleFilterForm({"q": " sam ", "circle": "closest", "role": "friend", "status": "x"})
    assert form.filters() == {
        "search": "sam",
        "circle": "",
        "role": "friend",
        "support_type": "",
        "status": "active",
    }


def test_contact_filters_only_accept_own_people_and_groups(
    member: Any, network: Any, stranger: Any
) -> None:
    theirs = Person.objects.create(owner=stranger, name="Not Yours")
    form = ContactFilterForm({"person": theirs.pk, "start": "2026-01-01"}, owner=member)
    assert form.filters() == {
        "person": None,
        "group": None,
        "start": dt.date(2026, 1, 1),
        "end": None,
    }
    assert form.errors["person"] == ["We couldn't find that person in your network."]


def test_contact_filters_drop_an_end_before_the_start(member: Any) -> None:
    form = ContactFilterForm({"start": "2026-02-01", "end": "2026-01-01"}, owner=member)
    assert form.filters()["end"] is None
    assert form.errors["end"] == ["This date is before the “From” date."]
