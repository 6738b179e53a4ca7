"""Reading address-book exports (vCard 2.1, 3.0 and 4.0) into plain contacts.

Phones and address books write vCards in many dialects. vobject reads the
properties, but it does not know some of what real files contain, so each file
is first brought into one clean form here:

* the byte order mark, CRLF/LF/CR line ends;
* folded lines: RFC 6350 (vCard 3.0/4.0) drops the line break and the one
  space after it, while vCard 2.1 (after RFC 822) drops only the line break, so
  "Sam" + CRLF + " Rivera" is "Sam Rivera" in 2.1 but "SamRivera" in 3.0;
* QUOTED-PRINTABLE values (vCard 2.1), including "=" soft line breaks, which
  vobject would take for new, unreadable lines;
* CHARSET parameters (UTF-8, ISO-8859-1, Windows-1252, …): values are decoded
  here, per line, so a file may mix them as old phones do;
* 2.1 base64 photos whose continuation lines are not indented.

Only the properties Closeknit keeps reach vobject (photos can be most of a
file). Nothing here touches the database: `parse_vcards` turns bytes into
`Contact`s, or raises `ImportFileError` naming the line that could not be read.
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import vobject
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from vobject.icalendar import stringToTextValues
from vobject.vcard import splitFields

# Year-less birthdays are stored in a leap year, so that 29 February fits.
YEAR_UNKNOWN = 1904
# Apple writes a year-less birthday as 1604-04-12 with X-APPLE-OMIT-YEAR=1604;
# others use 1900 or 0000. No supporter alive was born before this year.
EARLIEST_BIRTH_YEAR = 1900

NAME_MAX = 200
NICKNAME_MAX = 100
PHONE_MAX = 40
EMAIL_MAX = 254

# The properties we read; everything else (PHOTO, ADR, X-…) is ignored.
KEPT_PROPERTIES = frozenset(
    {"VERSION", "FN", "N", "NICKNAME", "ORG", "TEL", "EMAIL", "BDAY", "NOTE"}
)


class ImportFileError(ValueError):
    """A malformed file; str(err) is a kind message naming the line, e.g. 'Line 7: …'."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(f"Line {line}: {message}" if line is not None else message)


@dataclass
class Contact:
    """One entry of an address-book file, cleaned, in the terms of `Person`.

    `emails` and `phones` keep every value of the entry, preferred ones first: any
    of them can show that the entry is someone already in the network.
    """

    line: int
    name: str
    nickname: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: date | None = None
    birthday_year_known: bool = True
    notes: str = ""
    # Only Closeknit's own exports carry these.
    roles: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    preferred_channels: list[str] = field(default_factory=list)
    circle: str = ""
    rhythm_days: int | None = None
    archived_at: datetime | None = None


# Cleaning, shared with the CSV reader -------------------------------------------------


def clean_text(value: str, max_length: int) -> str:
    """One line of text with runs of white space made single, cut to the field's length."""
    return " ".join(value.split())[:max_length]


def clean_emails(values: Iterable[str]) -> list[str]:
    """Valid addresses without duplicates (case-insensitive); a broken one is left out."""
    seen: set[str] = set()
    emails = []
    for value in values:
        email = value.strip()
        if email.lower().startswith("mailto:"):
            email = email[len("mailto:") :]
        if not email or len(email) > EMAIL_MAX or email.lower() in seen:
            continue
        try:
            validate_email(email)
        except ValidationError:
            continue
        seen.add(email.lower())
        emails.append(email)
    return emails


def phone_digits(value: str) -> str:
    """The digits of a phone number: how two ways of writing one number are compared."""
    return re.sub(r"\D", "", value)


def clean_phones(values: Iterable[str]) -> list[str]:
    """Phone numbers as written, without duplicates; one without digits is left out."""
    seen: set[str] = set()
    phones = []
    for value in values:
        phone = " ".join(value.split())
        if phone.lower().startswith("tel:"):
            phone = phone[len("tel:") :]
        digits = phone_digits(phone)
        if not digits or len(phone) > PHONE_MAX or digits in seen:
            continue
        seen.add(digits)
        phones.append(phone)
    return phones


_YEARLESS = re.compile(r"--(\d\d)-?(\d\d)")
_ISO_DATE = re.compile(r"(\d{4})-?(\d\d)-?(\d\d)(?:[T ].*)?")
_SLASHED_ISO = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_birthday(text: str, omit_year: str | None = None) -> tuple[date, bool] | None:
    """A birthday and whether its year is known, or None when it cannot be read.

    Reads 19850412, 1985-04-12, 1985-04-12T00:00:00Z, --0412, --04-12 and, as
    spreadsheets write them, 1985/04/12, 12.04.1985 and 4/12/1985 when it is clear
    which number is the month. A year-less day gets the placeholder YEAR_UNKNOWN.
    """
    text = text.strip()
    if match := _YEARLESS.fullmatch(text):
        return _birthday(YEAR_UNKNOWN, int(match[1]), int(match[2]), known=False)
    for pattern in (_ISO_DATE, _SLASHED_ISO):
        if match := pattern.fullmatch(text):
            year, month, day = int(match[1]), int(match[2]), int(match[3])
            known = match[1] != omit_year and year >= EARLIEST_BIRTH_YEAR
            return _birthday(year if known else YEAR_UNKNOWN, month, day, known=known)
    if match := _DAY_FIRST.fullmatch(text):
        return _birthday(int(match[3]), int(match[2]), int(match[1]), known=True)
    if match := _SLASHED.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        # 4/12/1985 is April in the US and December elsewhere: only read the clear cases.
        if first > 12 >= second:
            return _birthday(year, second, first, known=True)
        if second > 12 >= first:
            return _birthday(year, first, second, known=True)
    return None


def _birthday(year: int, month: int, day: int, *, known: bool) -> tuple[date, bool] | None:
    if known and year < EARLIEST_BIRTH_YEAR:
        year, known = YEAR_UNKNOWN, False
    try:
        born = date(year, month, day)
    except ValueError:
        return None
    # A day ahead of UTC, so that nobody's today is in the future.
    if known and born > datetime.now(UTC).date() + timedelta(days=1):
        return None
    return born, known


# Reading the file ---------------------------------------------------------------------


@dataclass
class _Line:
    """One logical content line, as vobject parsed it, and the file line it starts on."""

    number: int
    name: str
    # {"TYPE": ["CELL", "PREF"], "PREF": ["1"]}; vCard 2.1's bare "CELL" counts as a TYPE.
    params: dict[str, list[str]]
    # Still escaped as in the file ("a\\, b"): each property is unescaped as its kind needs.
    value: str

    def text(self) -> str:
        """The value as one piece of text."""
        return ",".join(stringToTextValues(self.value))

    def texts(self) -> list[str]:
        """The values of a list, such as NICKNAME:Sam,Sammy."""
        return [value.strip() for value in stringToTextValues(self.value) if value.strip()]

    def fields(self) -> list[str]:
        """The parts of a structured value (N, ORG), each part's own list joined by spaces."""
        return [_joined(part) for part in splitFields(self.value)]


def _joined(part: str | list[str]) -> str:
    return " ".join(part) if isinstance(part, list) else part


_HEADER = re.compile(
    r"(?:(?P<group>[A-Za-z0-9_-]+)\.)?(?P<name>[A-Za-z0-9_-]+)(?P<params>(?:;.*)?)", re.S
)


def parse_vcards(data: bytes | str) -> list[Contact]:
    """Every contact in a vCard file, in file order.

    Raises ImportFileError for a file that cannot be read as a whole (a contact
    without END:VCARD or without any name, a line that is not NAME:value); a bad
    value in an otherwise fine line (a birthday of "soon") is only left out.
    """
    cards = _cards(_decoded_lines(_physical_lines(_as_bytes(data))))
    if not cards:
        raise ImportFileError(
            "We couldn't find any contacts in this file. A vCard file has contacts "
            "that start with BEGIN:VCARD."
        )
    return [_contact(begin, lines) for begin, lines in cards]


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.lstrip("\ufeff").encode("utf-8")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                "This file says it is UTF-16 text but isn't. Please export it again."
            ) from error
    return data


def _physical_lines(data: bytes) -> list[bytes]:
    return re.split(rb"\r\n|\r|\n", data)


@dataclass
class _RawLine:
    number: int
    content: bytearray
    quoted_printable: bool
    base64: bool


def _logical_lines(lines: list[bytes]) -> Iterator[_RawLine]:
    """Unfold: join folded lines, QP soft line breaks and 2.1 base64 blocks."""
    current: _RawLine | None = None
    version = b"3.0"
    for number, line in enumerate(lines, start=1):
        if current is not None and current.quoted_printable and current.content.endswith(b"="):
            del current.content[-1:]
            current.content += line
            continue
        if not line.strip():
            if current is not None:
                yield current
            current = None
            continue
        if current is not None and line[:1] in (b" ", b"\t"):
            # vCard 2.1 folds where a space already is and keeps it; 3.0 and 4.0 drop one.
            current.content += line if version == b"2.1" else line[1:]
            continue
        if current is not None and current.base64 and b":" not in line:
            current.content += line.strip()
            continue
        if current is not None:
            yield current
        current = _start_line(number, line)
        upper = line.upper()
        if upper.startswith(b"BEGIN:"):
            version = b"3.0"
        elif upper.startswith(b"VERSION:"):
            version = line.split(b":", 1)[1].strip()
    if current is not None:
        yield current


def _start_line(number: int, line: bytes) -> _RawLine:
    colon = _value_start(line)
    params = (line[:colon] if colon >= 0 else line).upper().split(b";")[1:]
    encodings = {
        p.split(b"=", 1)[-1].strip(b'"')
        for p in params
        if p.startswith(b"ENCODING=") or b"=" not in p
    }
    return _RawLine(
        number=number,
        content=bytearray(line),
        quoted_printable=b"QUOTED-PRINTABLE" in encodings,
        base64=bool(encodings & {b"BASE64", b"B"}),
    )


def _value_start(line: bytes | bytearray) -> int:
    """Where the name and parameters end: the first colon outside double quotes."""
    colon = line.find(b":")
    if colon < 0 or b'"' not in line[:colon]:
        return colon
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return -1


def _decoded_lines(lines: list[bytes]) -> Iterator[_Line]:
    for raw in _logical_lines(lines):
        yield _decode(raw)


# BEGIN and END frame the contacts; the values of other properties are never read,
# so a photo or an odd X- property cannot stop an import.
_DECODED = KEPT_PROPERTIES | {"BEGIN", "END"}


def _decode(raw: _RawLine) -> _Line:
    content = bytes(raw.content)
    colon = _value_start(content)
    match = _HEADER.fullmatch(content[:colon].decode("latin-1")) if colon > 0 else None
    if match is None:
        raise ImportFileError(_not_a_property(content), raw.number)
    name = match["name"].upper()
    if name not in _DECODED:
        return _Line(raw.number, name, {}, "")
    params = _split_params(match["params"])
    charset = next(
        (value.strip('"') for key, value in params if key.upper() == "CHARSET" and value), None
    )
    value_bytes = content[colon + 1 :]
    if raw.quoted_printable:
        value_bytes = binascii.a2b_qp(value_bytes)
    text = _decode_value(value_bytes, charset, raw.number)
    if raw.quoted_printable:
        # A decoded line break would end the line for vobject; write it as vCard does.
        text = re.sub(r"\r\n|\r|\n", r"\\n", text)
    if name in _SINGLE_TEXT:
        # vCard 2.1 and many careless writers leave commas bare; read as vCard 3.0,
        # "Knows the café owner, loves tea" would be a list, cut at the comma.
        text = re.sub(r"(?<!\\),", r"\\,", text)
    line = f"{name}{_param_text(_useful_params(params))}:{text}"
    try:
        _name, parsed, value, _group = vobject.base.parseLine(line, raw.number)
    except vobject.base.ParseError:
        raise ImportFileError(_not_a_property(content), raw.number) from None
    return _Line(raw.number, name, _param_dict(parsed), value)


def _param_text(params: list[tuple[str, str | None]]) -> str:
    return "".join(f";{key}={value}" if value is not None else f";{key}" for key, value in params)


def _param_dict(parsed: list[list[str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, *values in parsed:
        if values:
            params.setdefault(key.upper(), []).extend(values)
        else:
            params.setdefault("TYPE", []).append(key)
    return params


# Text properties with one value, where a comma is just a comma.
_SINGLE_TEXT = frozenset({"FN", "NOTE"})
_PLAIN_PARAM = re.compile(r'"?[A-Za-z0-9 ,_-]*"?')


def _useful_params(params: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Only what says which value is preferred or mobile, or that a birthday has no year.

    Everything else (LANGUAGE, X-… labels such as Android's "X-Peer line") is of no use
    here, and an odd one could make vobject refuse the whole line.
    """
    useful: list[tuple[str, str | None]] = []
    for key, value in params:
        if value is None:
            if re.fullmatch(r"[A-Za-z0-9-]+", key) and key.upper() not in _ENCODINGS:
                useful.append((key, None))
        elif key.upper() in _USEFUL_PARAMS and _PLAIN_PARAM.fullmatch(value):
            useful.append((key.upper(), value))
    return useful


# TYPE and PREF rank phones and e-mails; Apple marks a year-less birthday with the last.
_USEFUL_PARAMS = frozenset({"TYPE", "PREF", "X-APPLE-OMIT-YEAR"})
# Bare 2.1 parameters that name an encoding or charset, not a kind of number.
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "UTF-8"})


def _not_a_property(content: bytes) -> str:
    snippet = content[:40].decode("utf-8", "replace").strip()
    return (
        f"we couldn't read “{snippet}”. Each line of a vCard should look like "
        "NAME:value, for example FN:Sam Rivera."
    )


def _split_params(text: str) -> list[tuple[str, str | None]]:
    """ ";TYPE=CELL;PREF" → [("TYPE", "CELL"), ("PREF", None)], keeping quoted values whole."""
    params = []
    for part in re.findall(r';((?:[^;"]|"[^"]*")*)', text):
        key, sep, value = part.partition("=")
        if key.strip():
            params.append((key.strip(), value.strip() if sep else None))
    return params


def _decode_value(value: bytes, charset: str | None, number: int) -> str:
    # UTF-8 first even when another charset is named: files converted to UTF-8 often
    # keep their old CHARSET label, and real Latin-1 text is almost never valid UTF-8.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if charset is None:
        raise ImportFileError(
            "this line has characters we can't read. Please export the file again "
            "as UTF-8 (most phones and address books offer this).",
            number,
        )
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise ImportFileError(
            f"this line uses a character set we don't know ({charset}). Please export "
            "the file again as UTF-8.",
            number,
        ) from None
    # What files call ISO-8859-1 is nearly always Windows-1252 (curly quotes, €), as web
    # browsers also assume; the five bytes Windows-1252 leaves undefined fall back to Latin-1.
    candidates = ["cp1252", "latin-1"] if codec in ("iso8859-1", "cp1252") else [codec]
    for candidate in candidates:
        try:
            return value.decode(candidate)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        f"this line isn't valid {charset} text. Please export the file again as UTF-8.", number
    )


def _cards(lines: Iterable[_Line]) -> list[tuple[int, list[_Line]]]:
    """Group lines into contacts, checking that each BEGIN has its END."""
    cards: list[tuple[int, list[_Line]]] = []
    current: list[_Line] | None = None
    begin = 0
    for line in lines:
        if line.name == "BEGIN":
            if line.value.strip().upper() != "VCARD":
                raise ImportFileError(
                    f"this file should hold contacts (BEGIN:VCARD), but this line starts "
                    f"“{line.value.strip()[:20]}”.",
                    line.number,
                )
            if current is not None:
                raise _unclosed(begin)
            current, begin = [], line.number
        elif line.name == "END":
            if current is None:
                raise ImportFileError("this END:VCARD has no BEGIN:VCARD before it.", line.number)
            cards.append((begin, current))
            current = None
        elif current is None:
            raise ImportFileError(
                "this line is outside any contact (between BEGIN:VCARD and END:VCARD).",
                line.number,
            )
        elif line.name in KEPT_PROPERTIES:
            current.append(line)
    if current is not None:
        raise _unclosed(begin)
    return cards


def _unclosed(begin: int) -> ImportFileError:
    return ImportFileError(
        "the contact that starts on this line has no END:VCARD. The file may have been cut "
        "short; please export it again.",
        begin,
    )


def _contact(begin: int, lines: list[_Line]) -> Contact:
    name = _name(lines)
    if not name:
        raise ImportFileError(
            "this contact has no name. Every contact needs one (FN or N) so we know who it is.",
            begin,
        )
    birthday = _first_birthday(lines)
    return Contact(
        line=begin,
        name=name,
        nickname=clean_text(
            _first(line.texts() for line in _named(lines, "NICKNAME")), NICKNAME_MAX
        ),
        emails=clean_emails(line.text() for line in _ranked(_named(lines, "EMAIL"))),
        phones=clean_phones(line.text() for line in _ranked(_named(lines, "TEL"))),
        birthday=birthday[0] if birthday else None,
        birthday_year_known=birthday[1] if birthday else True,
        notes=next((text for line in _named(lines, "NOTE") if (text := line.text().strip())), ""),
    )


def _named(lines: list[_Line], name: str) -> list[_Line]:
    return [line for line in lines if line.name == name]


def _first(lists: Iterable[list[str]]) -> str:
    return next((value for values in lists for value in values if value), "")


def _name(lines: list[_Line]) -> str:
    """FN, else the parts of N, else a nickname or the organisation (a "Pharmacy" card)."""
    for line in _named(lines, "FN"):
        if name := clean_text(line.text(), NAME_MAX):
            return name
    for line in _named(lines, "N"):
        parts = [*line.fields(), "", "", "", "", ""]
        family, given, additional, prefix, suffix = parts[:5]
        if name := clean_text(" ".join((prefix, given, additional, family, suffix)), NAME_MAX):
            return name
    nickname = _first(line.texts() for line in _named(lines, "NICKNAME"))
    organisation = _first(line.fields() for line in _named(lines, "ORG"))
    return clean_text(nickname or organisation, NAME_MAX)


def _ranked(lines: list[_Line]) -> list[_Line]:
    """Preferred values first (PREF, TYPE=pref, PREF=1), then mobiles, then file order."""

    def rank(item: tuple[int, _Line]) -> tuple[int, int, int, int]:
        index, line = item
        types = {value.strip('"').upper() for value in line.params.get("TYPE", [])}
        order = [int(value) for value in line.params.get("PREF", []) if value.isdigit()]
        preferred = "PREF" in types or bool(order)
        mobile = bool(types & {"CELL", "MOBILE", "IPHONE"})
        return (0 if preferred else 1, min(order, default=100), 0 if mobile else 1, index)

    return [line for _index, line in sorted(enumerate(lines), key=rank)]


def _first_birthday(lines: list[_Line]) -> tuple[date, bool] | None:
    for line in _named(lines, "BDAY"):
        omit = next(iter(line.params.get("X-APPLE-OMIT-YEAR", [])), None)
        if birthday := parse_birthday(line.value, omit_year=omit):
            return birthday
    return None
