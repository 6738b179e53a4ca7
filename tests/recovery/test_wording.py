"""An appointment in a line of plain text: whom it is with, each named once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from closeknit.network.models import Group, Person
from closeknit.recovery.models import Appointment
from closeknit.recovery.wording import appointment_label, with_whom


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Therapy", "Noor", ""), "Therapy with Noor"),
        (("Support group", "", "Tuesday group"), "Support group with Tuesday group"),
        (("Check-up", "Dr Morgan", "Clinic team"), "Check-up with Dr Morgan and Clinic team"),
        (("Other", "", ""), "Other"),
    ],
)
def test_an_appointment_is_named_with_whom(args, expected):
    assert with_whom(*args) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "person", "group", "label"),
    [
        ("", "Ada Okafor", "", "Therapy with Ada Okafor"),
        ("Therapy with Noor", "Noor Haddad", "", "Therapy with Noor"),
        ("Check-up", "Noor Haddad", "", "Check-up with Noor Haddad"),
        (
            "Tuesday peer support group",
            "",
            "Tuesday peer support group",
            "Tuesday peer support group",
        ),
        ("Talk", "Ada Okafor", "Tuesday peer group", "Talk with Ada Okafor and Tuesday peer group"),
        # A short name inside another word is not that name.
        ("Alcoholics Anonymous", "Al Brown", "", "Alcoholics Anonymous with Al Brown"),
    ],
)
def test_an_appointment_label_names_each_one_once(member, title, person, group, label):
    appointment = Appointment(
        owner=member,
        kind="therapy",
        title=title,
        person=Person.objects.create(owner=member, name=person) if person else None,
        group=Group.objects.create(owner=member, name=group) if group else None,
        starts_at=timezone.now(),
    )
    assert appointment_label(appointment) == label
