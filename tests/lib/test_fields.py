from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from closeknit.network.models import Person


@pytest.fixture
def people(member):
    return {
        "sam": Person.objects.create(owner=member, name="Sam", roles=["friend", "support_group"]),
        "kim": Person.objects.create(owner=member, name="Kim", roles=["family"]),
        "lee": Person.objects.create(owner=member, name="Lee"),
    }


def test_multichoice_round_trips_as_a_sorted_list(people):
    sam = Person.objects.get(pk=people["sam"].pk)
    assert sam.roles == ["friend", "support_group"]
    assert Person.objects.get(pk=people["lee"].pk).roles == []


def test_has_lookup_matches_whole_slugs_only(people):
    assert list(Person.objects.filter(roles__has="friend")) == [people["sam"]]
    assert list(Person.objects.filter(roles__has="support_group")) == [people["sam"]]
    assert list(Person.objects.filter(roles__has="support")) == []
    # "_" is a LIKE wildcard: it must not match any other character.
    assert list(Person.objects.filter(roles__has="supportXgroup")) == []
    assert list(Person.objects.filter(roles__has="%")) == []


def test_duplicates_are_stored_once(member):
    person = Person.objects.create(owner=member, name="Ana", roles=["peer", "peer", "friend"])
    person.refresh_from_db()
    assert person.roles == ["friend", "peer"]


def test_unknown_slug_fails_validation(member):
    person = Person(owner=member, name="Ana", roles=["friend", "enemy"])
    with pytest.raises(ValidationError, match="enemy"):
        person.full_clean()


def test_a_plain_model_form_accepts_several_choices(member):
    from django import forms

    class RolesForm(forms.ModelForm):
        class Meta:
            model = Person
            fields = ["name", "roles"]

    form = RolesForm({"name": "Ana", "roles": ["friend", "family"]})
    assert form.is_valid(), form.errors
    person = form.save(commit=False)
    person.owner = member
    person.save()
    person.refresh_from_db()
    assert person.roles == ["family", "friend"]
    assert not RolesForm({"name": "Ana", "roles": ["enemy"]}).is_valid()
