"""What the API reads and writes, as pydantic schemas.

Field names and slugs are those of DESIGN.md's shared vocabulary; each vocabulary is
its TextChoices, so an unknown slug is refused with a message that lists the valid ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, PlainSerializer, StringConstraints, create_model
from pydantic_core import PydanticCustomError

from closeknit.api.values import parse_moment
from closeknit.network import schedule as meeting_schedule
from closeknit.network.models import Group, Interaction, Person
from closeknit.network.vocab import Channel, Circle, Direction, GroupKind, Role, SupportType

# Ids are 64-bit in the database; a larger number can only be a mistake.
MAX_ID = 2**63 - 1
NOTES_MAX_LENGTH = 20_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
EnumT = TypeVar("EnumT", bound=Enum)


def _unique_slugs(values: list[EnumT]) -> list[EnumT]:
    """Each slug once, in a stable order, as the database stores them."""
    return sorted(set(values), key=lambda member: member.value)


def _unique_ids(values: list[int]) -> list[int]:
    return sorted(set(values))


def _refuse(message: str) -> PydanticCustomError:
    # Unlike a plain ValueError, this keeps the message as written (no "Value error, ").
    return PydanticCustomError("value_error", message)


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError:
            raise _refuse("Please enter a whole e-mail address, like sam@example.org.") from None
    return value


def _schedule(value: str) -> str:
    # The same rules as the group form, so a schedule saved here also shows its meetings.
    try:
        return meeting_schedule.validate(value)
    except ValueError as error:
        raise _refuse(str(error)) from None


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Nickname = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Notes = Annotated[str, StringConstraints(max_length=NOTES_MAX_LENGTH)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)
]
Schedule = Annotated[str, StringConstraints(max_length=500), AfterValidator(_schedule)]
Roles = Annotated[list[Role], AfterValidator(_unique_slugs)]
SupportTypes = Annotated[list[SupportType], AfterValidator(_unique_slugs)]
Channels = Annotated[list[Channel], AfterValidator(_unique_slugs)]
Ids = Annotated[list[Id], AfterValidator(_unique_ids)]
RhythmDays = Annotated[int, Field(ge=1, le=3650)]
Feeling = Annotated[int, Field(ge=1, le=5)]
# Instants go out in UTC with an explicit offset ("2024-03-01T09:30:00+00:00").
UtcDateTime = Annotated[datetime, PlainSerializer(_utc, return_type=str)]


class Input(Schema):
    # A misspelt field is refused by name rather than silently ignored.
    model_config = ConfigDict(extra="forbid")


SchemaT = TypeVar("SchemaT", bound=Schema)


def patch_schema(schema: type[SchemaT], name: str) -> type[SchemaT]:
    """The same fields, each optional, for PATCH: only the fields sent are changed.

    The default (None) is never validated, so "left out" is allowed, while an explicit
    null is still refused for a field that cannot be empty.
    """
    fields: dict[str, Any] = {}
    for field_name, info in schema.model_fields.items():
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        fields[field_name] = (annotation, Field(None, description=info.description))
    return create_model(name, __base__=schema, **fields)


# People ---------------------------------------------------------------------------


class PersonIn(Input):
    name: Name
    nickname: Nickname = ""
    roles: Roles = Field(default_factory=list)
    support_types: SupportTypes = Field(
        default_factory=list, description="The support this person gives you."
    )
    circle: Circle = Circle.MIDDLE
    rhythm_days: RhythmDays | None = Field(
        None, description="How often you hope to be in touch, in days."
    )
    preferred_channels: Channels = Field(default_factory=list)
    birthday: date | None = None
    birthday_year_known: bool = True
    email: Email = ""
    phone: Phone = ""
    notes: Notes = ""
    archived: bool = False


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    PersonPatch = PersonIn
else:
    PersonPatch = patch_schema(PersonIn, "PersonPatch")


class PersonOut(Schema):
    id: int
    name: str
    nickname: str
    roles: list[Role]
    support_types: list[SupportType]
    circle: Circle
    rhythm_days: int | None
    preferred_channels: list[Channel]
    birthday: date | None
    birthday_year_known: bool
    email: str
    phone: str
    notes: str
    archived: bool

    @staticmethod
    def resolve_archived(obj: Person) -> bool:
        return obj.archived_at is not None


class PeopleFilters(Schema):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        None, description="Part of a name, nickname or e-mail address."
    )
    circle: Circle | None = None
    role: Role | None = None
    support_type: SupportType | None = None
    archived: bool | None = Field(None, description="Leave out for both.")


# Groups ---------------------------------------------------------------------------


class GroupIn(Input):
    name: Name
    kind: GroupKind = GroupKind.OTHER
    members: Ids = Field(default_factory=list, description="Ids of people in your network.")
    meets_from: datetime | None = Field(
        None,
        description="The first meeting; without an offset it is read in your time zone.",
    )
    schedule: Schedule = Field("", description="An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=TU.")
    notes: Notes = ""
    archived: bool = False


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    GroupPatch = GroupIn
else:
    GroupPatch = patch_schema(GroupIn, "GroupPatch")


class GroupOut(Schema):
    id: int
    name: str
    kind: GroupKind
    members: list[int]
    meets_from: UtcDateTime | None
    schedule: str
    notes: str
    archived: bool

    @staticmethod
    def resolve_members(obj: Group) -> list[int]:
        return sorted(person.pk for person in obj.members.all())

    @staticmethod
    def resolve_archived(obj: Group) -> bool:
        return obj.archived_at is not None


class GroupFilters(Schema):
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        None, description="Part of the group's name."
    )
    kind: GroupKind | None = None
    archived: bool | None = Field(None, description="Leave out for both.")


# Interactions ---------------------------------------------------------------------


class InteractionIn(Input):
    people: Ids = Field(default_factory=list, description="Ids of people in your network.")
    group: Id | None = Field(None, description="Id of one of your groups.")
    occurred_at: datetime | None = Field(
        None,
        description="When it happened; without an offset it is read in your time zone. "
        "Left out, it is now.",
    )
    channel: Channel = Channel.IN_PERSON
    direction: Direction = Direction.MUTUAL
    support_types: SupportTypes = Field(default_factory=list)
    feeling: Feeling | None = Field(None, description="How it felt, 1 (hard) to 5 (lovely).")
    note: Notes = ""


class InteractionPut(InteractionIn):
    # Replacing a whole contact should not quietly move it to "now".
    occurred_at: datetime = Field(
        description="When it happened; without an offset it is read in your time zone."
    )


if TYPE_CHECKING:  # to type checkers a patch reads like its full schema
    InteractionPatch = InteractionPut
else:
    InteractionPatch = patch_schema(InteractionPut, "InteractionPatch")


class InteractionOut(Schema):
    id: int
    people: list[int]
    group: int | None
    occurred_at: UtcDateTime
    channel: Channel
    direction: Direction
    support_types: list[SupportType]
    feeling: int | None
    note: str

    @staticmethod
    def resolve_people(obj: Interaction) -> list[int]:
        return sorted(person.pk for person in obj.people.all())

    @staticmethod
    def resolve_group(obj: Interaction) -> int | None:
        return obj.group_id


def _moment_text(value: str) -> str:
    try:
        parse_moment(value)
    except ValueError as error:
        raise _refuse(str(error)) from None
    return value


Moment = Annotated[str, StringConstraints(max_length=64), AfterValidator(_moment_text)]


class InteractionFilters(Schema):
    person: Id | None = Field(None, description="Only contact with this person.")
    group: Id | None = Field(None, description="Only contact with this group.")
    since: Moment | None = Field(
        None, description="ISO date or date-time; a date starts at midnight in your time zone."
    )
    until: Moment | None = Field(
        None, description="ISO date or date-time, inclusive; a date covers its whole day."
    )


# Everything else ------------------------------------------------------------------


class ImportOut(Schema):
    created: int = Field(description="New people added.")
    merged: int = Field(description="Cards matched to someone already in your network.")
    skipped: int = Field(description="Cards left out, e.g. without a name.")


class Message(Schema):
    detail: str


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[ErrorItem]
