"""Saving what the API received: the rules that a schema alone cannot check.

Each function takes the owner and the fields sent (all of them for POST and PUT, only
the ones sent for PATCH), checks that every id belongs to the owner, and saves in one
transaction, so a refused request changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils import timezone

from closeknit.accounts.models import User
from closeknit.api.values import in_zone
from closeknit.network.models import Group, Interaction, Person

ModelT = TypeVar("ModelT", bound=models.Model)


class InvalidInput(ValueError):
    """Input of the right shape that breaks a rule; answered with 422 naming each field."""

    def __init__(
        self, errors: Mapping[str, str], location: tuple[str, ...] = ("body", "payload")
    ) -> None:
        self.errors = dict(errors)
        # Where the fields are, as in django-ninja's own errors: ("body", "payload"), ("query",).
        self.location = location
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


def owned_people(owner: User, ids: Iterable[int], field: str) -> list[Person]:
    """The owner's people with these ids; any other id is refused without saying whose it is."""
    wanted = sorted(set(ids))
    found = list(Person.objects.owned_by(owner).filter(pk__in=wanted))
    missing = sorted(set(wanted) - {person.pk for person in found})
    if len(missing) == 1:
        raise InvalidInput({field: f"No one with id {missing[0]} is in your network."})
    if missing:
        listed = ", ".join(str(pk) for pk in missing)
        raise InvalidInput({field: f"No one with these ids is in your network: {listed}."})
    return found


def owned_group(owner: User, group_id: int | None) -> Group | None:
    if group_id is None:
        return None
    group = Group.objects.owned_by(owner).filter(pk=group_id).first()
    if group is None:
        raise InvalidInput({"group": f"You have no group with id {group_id}."})
    return group


def _plain(value: Any) -> Any:
    """Slugs as plain strings: the schemas hand over enum members."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _apply(instance: ModelT, data: Mapping[str, Any]) -> ModelT:
    for field, value in data.items():
        if field == "archived":
            mark_archived(instance, bool(value))
        else:
            setattr(instance, field, _plain(value))
    return instance


def mark_archived(instance: Any, archived: bool) -> None:
    # Keep the original date when an archived row is saved as archived again.
    if not archived:
        instance.archived_at = None
    elif instance.archived_at is None:
        instance.archived_at = timezone.now()


def _clean(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """The model's own checks, as a last guard; their messages name the field.

    The owner is set by us, not sent, so checking that it exists would only cost a query.
    """
    try:
        instance.full_clean(exclude=["owner", *exclude], validate_unique=False)
    except DjangoValidationError as error:
        raise InvalidInput(
            {field: " ".join(messages) for field, messages in error.message_dict.items()}
        ) from None


def save_person(owner: User, person: Person | None, data: Mapping[str, Any]) -> Person:
    person = _apply(person or Person(owner=owner), data)
    _clean(person)
    person.save()
    return person


def save_group(owner: User, group: Group | None, data: Mapping[str, Any]) -> Group:
    fields = dict(data)
    members = fields.pop("members", None)
    if fields.get("meets_from") is not None:
        fields["meets_from"] = in_zone(fields["meets_from"], owner.zone)
    with transaction.atomic():
        people = owned_people(owner, members, "members") if members is not None else None
        group = _apply(group or Group(owner=owner), fields)
        _clean(group)
        group.save()
        if people is not None:
            group.members.set(people)
    return group


def save_interaction(
    owner: User, interaction: Interaction | None, data: Mapping[str, Any]
) -> Interaction:
    fields = dict(data)
    people_ids = fields.pop("people", None)
    new_group = "group" in fields
    group_id = fields.pop("group", None)
    occurred_at = fields.pop("occurred_at", None)
    with transaction.atomic():
        people = owned_people(owner, people_ids, "people") if people_ids is not None else None
        group = owned_group(owner, group_id) if new_group else None
        interaction = interaction or Interaction(owner=owner)
        if new_group:
            interaction.group = group
        _require_someone(interaction, people)
        if occurred_at is not None:
            interaction.occurred_at = in_zone(occurred_at, owner.zone)
        _apply(interaction, fields)
        # The group was checked above against the owner's groups.
        _clean(interaction, exclude=["group"])
        interaction.save()
        if people is not None:
            interaction.people.set(people)
    return interaction


def _require_someone(interaction: Interaction, people: list[Person] | None) -> None:
    """A contact is with someone: at least one person or a group."""
    if people is None:
        has_people = interaction.pk is not None and interaction.people.exists()
    else:
        has_people = bool(people)
    if not has_people and interaction.group_id is None:
        raise InvalidInput({"people": "Please choose at least one person, or a group."})
