"""Reading contacts from CSV (Google, Outlook, spreadsheets, our own export) and writing CSV.

The first row must name the columns. Column names are matched without regard
to case, spaces or underscores, so "First Name", "first_name" and "FIRST NAME"
are one column; Google's "E-mail 1 - Value" and Outlook's "E-mail 2 Address"
are e-mail columns. Nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from closeknit.network.vcard import (
    NAME_MAX,
    NICKNAME_MAX,
    Contact,
    ImportFileError,
    clean_emails,
    clean_phones,
    clean_text,
    parse_birthday,
)
from closeknit.network.vocab import Channel, Circle, Role, SupportType

# Google puts several values in one cell: "sam@example.org ::: sam@work.example".
GOOGLE_SEPARATOR = ":::"
# Our own multi-valued columns ("friend;neighbour").
LIST_SEPARATOR = ";"

_NAME = {"name", "full name", "display name", "fn", "contact name", "contact"}
_GIVEN = {"first name", "given name", "firstname", "forename"}
_MIDDLE = {"middle name", "additional name"}
_FAMILY = {"last name", "family name", "surname", "lastname"}
_NICKNAME = {"nickname", "nick name", "nick"}
_ORGANISATION = {
    "organization name",
    "organisation name",
    "organization",
    "organisation",
    "company",
    "organization 1 - name",
}
_BIRTHDAY = {"birthday", "birth date", "birthdate", "date of birth", "dob", "bday"}
_NOTES = {"notes", "note"}
_EMAIL = re.compile(r"(?:primary )?e?mail(?: \d+)?(?: address)?(?: \d+)?(?: - value)?")
_PHONE = re.compile(
    r"(?:(?:home|business|work|other|primary|main|car|company main) )?"
    r"(?:phone|telephone|tel|phone number)(?: \d+)?(?: - value)?"
)
_MOBILE = re.compile(r"(?:mobile|cell|cellphone|mobile phone|cell phone|mobile number)(?: \d+)?")


def normalise_header(header: str) -> str:
    """ "E-mail 1 - Value" → "email 1 - value"; "first_name" → "first name"."""
    text = header.strip().lstrip("\ufeff").lower().replace("e-mail", "email")
    return " ".join(text.replace("_", " ").split())


@dataclass
class Columns:
    """Which column (by index) holds what; lists are in order of preference."""

    name: list[int] = field(default_factory=list)
    given: list[int] = field(default_factory=list)
    middle: list[int] = field(default_factory=list)
    family: list[int] = field(default_factory=list)
    nickname: list[int] = field(default_factory=list)
    organisation: list[int] = field(default_factory=list)
    emails: list[int] = field(default_factory=list)
    phones: list[int] = field(default_factory=list)
    birthday: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    roles: list[int] = field(default_factory=list)
    support_types: list[int] = field(default_factory=list)
    preferred_channels: list[int] = field(default_factory=list)
    circle: list[int] = field(default_factory=list)
    rhythm_days: list[int] = field(default_factory=list)
    archived_at: list[int] = field(default_factory=list)

    @property
    def has_name(self) -> bool:
        return bool(self.name or self.given or self.family)


_SIMPLE = {
    **dict.fromkeys(_NAME, "name"),
    **dict.fromkeys(_GIVEN, "given"),
    **dict.fromkeys(_MIDDLE, "middle"),
    **dict.fromkeys(_FAMILY, "family"),
    **dict.fromkeys(_NICKNAME, "nickname"),
    **dict.fromkeys(_ORGANISATION, "organisation"),
    **dict.fromkeys(_BIRTHDAY, "birthday"),
    **dict.fromkeys(_NOTES, "notes"),
    # Closeknit's own export.
    "roles": "roles",
    "support types": "support_types",
    "preferred channels": "preferred_channels",
    "circle": "circle",
    "rhythm days": "rhythm_days",
    "archived at": "archived_at",
}


def find_columns(header: Sequence[str]) -> Columns:
    columns = Columns()
    mobiles: list[int] = []
    for index, raw in enumerate(header):
        key = normalise_header(raw)
        if key in _SIMPLE:
            getattr(columns, _SIMPLE[key]).append(index)
        elif _MOBILE.fullmatch(key):
            mobiles.append(index)
        elif _PHONE.fullmatch(key):
            columns.phones.append(index)
        elif _EMAIL.fullmatch(key):
            columns.emails.append(index)
    # A mobile number is the one to keep when a row has several.
    columns.phones = mobiles + columns.phones
    return columns


def parse_csv(data: bytes | str) -> list[Contact]:
    """Every contact in a CSV file whose first row names the columns.

    Raises ImportFileError naming the line for text in an unknown encoding, a row
    with more or fewer cells than the header, or a row without any name.
    """
    text = decode_csv(data)
    if not text.strip():
        raise ImportFileError("This file is empty. Please export your contacts again.")
    rows = _rows(text)
    header_line, header = next(rows, (1, list[str]()))
    columns = find_columns(header)
    if not columns.has_name:
        raise ImportFileError(
            "we couldn't find a name column. The first row should name the columns, "
            "for example: Name, Phone, E-mail, Birthday.",
            header_line,
        )
    contacts = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ImportFileError(
                f"this row has {len(row)} cells but the first row names {len(header)} "
                "columns. A cell may hold a comma without quotes around it.",
                line,
            )
        contacts.append(_contact(line, [unescape_cell(cell) for cell in row], columns))
    if not contacts:
        raise ImportFileError("This file has column names but no contacts under them.")
    return contacts


def decode_csv(data: bytes | str) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM) or UTF-16 with a BOM.

    Other encodings are refused rather than guessed, so that "Zoë" never comes in as
    "ZoÃ«"; the message names the first line we couldn't read.
    """
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            "this line has characters we can't read. Please save the file as "
            "“CSV UTF-8” (in Excel: Save As → CSV UTF-8) and try again.",
            line,
        ) from error


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, cells), with csv's errors turned into ImportFileError."""
    first_line = text.split("\n", 1)[0]
    # Excel in many countries separates with ";", and "Unicode text" with tabs.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                "we couldn't read this row. A quote mark may be missing or misplaced.",
                reader.line_num or start,
            ) from error
        yield start, row
        start = reader.line_num + 1


def _cells(row: list[str], indexes: list[int]) -> list[str]:
    values = []
    for index in indexes:
        for part in row[index].split(GOOGLE_SEPARATOR):
            if part.strip():
                values.append(part.strip())
    return values


def _first(row: list[str], indexes: list[int]) -> str:
    return next(iter(_cells(row, indexes)), "")


def _contact(line: int, row: list[str], columns: Columns) -> Contact:
    name = clean_text(_first(row, columns.name), NAME_MAX) or clean_text(
        " ".join(_first(row, part) for part in (columns.given, columns.middle, columns.family)),
        NAME_MAX,
    )
    nickname = clean_text(_first(row, columns.nickname), NICKNAME_MAX)
    name = name or nickname or clean_text(_first(row, columns.organisation), NAME_MAX)
    if not name:
        raise ImportFileError("this row has no name. Please add one, or remove the row.", line)
    birthday = parse_birthday(_first(row, columns.birthday))
    return Contact(
        line=line,
        name=name,
        nickname=nickname,
        emails=clean_emails(_cells(row, columns.emails)),
        phones=clean_phones(_cells(row, columns.phones)),
        birthday=birthday[0] if birthday else None,
        birthday_year_known=birthday[1] if birthday else True,
        notes=_first_raw(row, columns.notes),
        roles=_slugs(row, columns.roles, Role.values),
        support_types=_slugs(row, columns.support_types, SupportType.values),
        preferred_channels=_slugs(row, columns.preferred_channels, Channel.values),
        circle=_circle(_first(row, columns.circle)),
        rhythm_days=_rhythm(_first(row, columns.rhythm_days)),
        archived_at=_moment(_first(row, columns.archived_at)),
    )


def _first_raw(row: list[str], indexes: list[int]) -> str:
    """Notes keep their line breaks and are never split on Google's separator."""
    return next((row[index].strip() for index in indexes if row[index].strip()), "")


def _slug(value: str) -> str:
    return "_".join(value.strip().lower().replace("-", " ").split())


def _slugs(row: list[str], indexes: list[int], allowed: Iterable[str]) -> list[str]:
    """Known slugs from a ";"-separated cell; anything else is left out."""
    known = set(allowed)
    found = {
        _slug(part)
        for value in _cells(row, indexes)
        for part in re.split(r"[;,]", value)
        if _slug(part) in known
    }
    return sorted(found)


def _circle(value: str) -> str:
    slug = _slug(value)
    return slug if slug in Circle.values else ""


def _rhythm(value: str) -> int | None:
    if value.isdigit() and 1 <= int(value) <= 3650:
        return int(value)
    return None


def _moment(value: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# Writing ----------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# … but a phone number or a negative number may start with + or -.
_NUMBER = re.compile(r"[+-][\d\s().-]*")


def escape_cell(value: str) -> str:
    """A cell that a spreadsheet will show as text, never run as a formula."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`, so that an exported file imports unchanged."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text (RFC 4180: commas, CRLF, quotes where needed) with safe cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([escape_cell("" if cell is None else str(cell)) for cell in row])
    return out.getvalue()
