"""Reading contacts from CSV and writing safe CSV: pure, no database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from closeknit.network.csvio import (
    escape_cell,
    find_columns,
    normalise_header,
    parse_csv,
    unescape_cell,
    write_csv,
)
from closeknit.network.vcard import YEAR_UNKNOWN, ImportFileError


def error_of(data: bytes | str) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse_csv(data)
    return caught.value


# Real-world exports -----------------------------------------------------------------


def test_google_csv_reads_names_from_first_and_last_name(data_file):
    contacts = parse_csv(data_file("google.csv"))
    assert [c.name for c in contacts] == [
        "Sam Rivera",
        "Ada Okafor",
        "Zoë Müller",
        "Riverside Pharmacy",
        "Priya Natarajan",
    ]


def test_google_csv_contact_details(data_file):
    sam = parse_csv(data_file("google.csv"))[0]
    assert sam.nickname == "Sammy"
    assert sam.emails == ["sam.rivera@example.org"]
    assert sam.phones == ["+44 7700 900123", "020 7946 0018"]
    assert sam.birthday == date(1987, 9, 3)
    assert sam.notes == "Walks with me on Sundays.\nKnows about the panic attacks."
    assert sam.line == 2


def test_google_multi_value_cells_are_split(data_file):
    contacts = parse_csv(data_file("google.csv"))
    ada, priya = contacts[1], contacts[4]
    assert ada.emails == ["ada.okafor@practice.example", "ada@home.example"]
    assert priya.phones == ["+91 98765 43210", "+91 98765 00000"]


def test_google_year_less_birthday(data_file):
    ada = parse_csv(data_file("google.csv"))[1]
    assert (ada.birthday, ada.birthday_year_known) == (date(YEAR_UNKNOWN, 11, 21), False)


def test_line_numbers_count_line_breaks_inside_quoted_cells(data_file):
    # Sam's row spans three lines (notes and address have line breaks).
    assert [c.line for c in parse_csv(data_file("google.csv"))] == [2, 5, 6, 7, 8]


def test_row_with_only_a_company_is_named_after_it(data_file):
    pharmacy = parse_csv(data_file("google.csv"))[3]
    assert pharmacy.name == "Riverside Pharmacy"
    assert pharmacy.phones == ["020 7946 0555"]


def test_older_google_layout_with_a_name_column(data_file):
    tomas, li = parse_csv(data_file("google-legacy.csv"))
    assert (tomas.name, tomas.phones) == ("Tomás Ruiz", ["+34 611 22 33 44"])
    assert (li.name, li.emails) == ("Li Wei", ["li.wei@example.cn"])


def test_outlook_csv_prefers_the_mobile_number(data_file):
    siobhan, kwame = parse_csv(data_file("outlook.csv"))
    assert siobhan.name == "Siobhán O’Brien"
    assert siobhan.phones == ["07700 900456", "020 7946 0999"]
    assert siobhan.emails == ["siobhan@example.net"]
    assert siobhan.birthday == date(1990, 12, 25)
    assert kwame.phones == ["+1-555-555-0142"]


def test_outlook_empty_and_ambiguous_birthdays_are_left_out(data_file):
    _siobhan, kwame = parse_csv(data_file("outlook.csv"))
    assert kwame.birthday is None  # 4/12/1979: April or December?


def test_semicolon_separated_file_with_byte_order_mark(data_file):
    (jurgen,) = parse_csv(data_file("excel-semicolon.csv"))
    assert jurgen.name == "Jürgen Weiß"
    assert jurgen.phones == ["+49 30 1234567"]
    assert jurgen.emails == ["juergen@example.de"]
    assert jurgen.birthday == date(1985, 4, 12)


def test_tab_separated_utf16_file():
    text = "Name\tMobile\r\nSam Rivera\t07700 900123\r\n"
    (sam,) = parse_csv(text.encode("utf-16"))
    assert (sam.name, sam.phones) == ("Sam Rivera", ["07700 900123"])


# Column names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Name", "name"),
        ("FULL NAME", "name"),
        ("display_name", "name"),
        ("First Name", "given"),
        ("given name", "given"),
        ("Last Name", "family"),
        ("Surname", "family"),
        ("Nickname", "nickname"),
        ("Phone", "phones"),
        ("mobile", "phones"),
        ("Phone 1 - Value", "phones"),
        ("Home Phone 2", "phones"),
        ("E-mail", "emails"),
        ("email", "emails"),
        ("E-mail 1 - Value", "emails"),
        ("E-mail 2 Address", "emails"),
        ("Email Address", "emails"),
        ("Birthday", "birthday"),
        ("date of birth", "birthday"),
        ("support_types", "support_types"),
        ("rhythm_days", "rhythm_days"),
    ],
)
def test_common_column_names_are_recognised(header, field):
    assert getattr(find_columns(["x", header]), field) == [1]


@pytest.mark.parametrize(
    "header", ["Phone 1 - Label", "E-mail 1 - Type", "Business Fax", "Notes Type"]
)
def test_labels_and_faxes_are_not_taken_for_values(header):
    columns = find_columns([header])
    assert columns.phones == columns.emails == []


def test_header_names_ignore_case_spaces_and_underscores():
    assert normalise_header("  E-Mail_1 - VALUE ") == "email 1 - value"


def test_our_own_columns_come_back(data_file):
    text = (
        "name,nickname,roles,support_types,circle,rhythm_days,preferred_channels,birthday,"
        "email,phone,notes,archived_at\r\n"
        "Sam Rivera,Sam,friend;neighbour,emotional;companionship,inner,14,call;in_person,"
        "--04-12,sam@example.org,+44 7700 900123,Walks on Sundays,2024-01-02T03:04:05+00:00\r\n"
    )
    (sam,) = parse_csv(text)
    assert sam.roles == ["friend", "neighbour"]
    assert sam.support_types == ["companionship", "emotional"]
    assert sam.preferred_channels == ["call", "in_person"]
    assert sam.circle == "inner"
    assert sam.rhythm_days == 14
    assert (sam.birthday, sam.birthday_year_known) == (date(YEAR_UNKNOWN, 4, 12), False)
    assert sam.archived_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_unknown_slugs_and_out_of_range_rhythm_are_left_out():
    text = "name,roles,circle,rhythm_days\r\nSam,friend;wizard,closest,0\r\n"
    (sam,) = parse_csv(text)
    assert (sam.roles, sam.circle, sam.rhythm_days) == (["friend"], "", None)


def test_blank_rows_are_skipped():
    contacts = parse_csv("Name\r\nSam\r\n\r\n \r\nAda\r\n")
    assert [c.name for c in contacts] == ["Sam", "Ada"]


# Files that can't be read -----------------------------------------------------------


def test_ragged_row_names_its_line(data_file):
    error = error_of(data_file("broken-ragged.csv"))
    assert error.line == 3
    assert str(error).startswith("Line 3: this row has 2 cells")


def test_row_without_a_name_names_its_line(data_file):
    error = error_of(data_file("broken-no-name.csv"))
    assert error.line == 3
    assert "no name" in str(error)


def test_unknown_encoding_names_the_first_unreadable_line(data_file):
    error = error_of(data_file("broken-windows-1252.csv"))
    assert error.line == 3
    assert "CSV UTF-8" in str(error)


def test_file_without_a_name_column_is_refused():
    error = error_of("Phone,E-mail\r\n07700 900123,sam@example.org\r\n")
    assert error.line == 1
    assert "name column" in str(error)


def test_file_without_a_header_row_is_refused():
    error = error_of("Sam Rivera,07700 900123\r\nAda Okafor,020 7946 0321\r\n")
    assert error.line == 1


def test_header_without_rows_is_refused():
    assert "no contacts" in str(error_of("Name,Phone\r\n"))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf\r\n", "  \n"])
def test_empty_file_is_refused(data):
    error = error_of(data)
    assert error.line is None
    assert "empty" in str(error)


def test_unclosed_quote_names_its_line():
    error = error_of('Name,Notes\r\nSam,"fine"\r\nAda,"never closed\r\n')
    assert error.line == 3


# Writing ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0", "\tx"])
def test_formula_like_cells_are_written_as_text(value):
    assert escape_cell(value) == "'" + value
    assert unescape_cell(escape_cell(value)) == value


@pytest.mark.parametrize("value", ["+44 7700 900123", "-5", "Sam", "", "'quoted'"])
def test_phone_numbers_and_plain_text_are_written_as_they_are(value):
    assert escape_cell(value) == value
    assert unescape_cell(value) == value


def test_write_csv_quotes_commas_and_line_breaks():
    text = write_csv(["name", "notes"], [["Rivera, Sam", "line one\nline two"], ["Ada", None]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["name", "notes"],
        ["Rivera, Sam", "line one\nline two"],
        ["Ada", ""],
    ]
    assert text.endswith("\r\n")


def test_escaped_formula_in_a_name_reads_back_unchanged():
    text = write_csv(["name"], [['=HYPERLINK("x")']])
    assert parse_csv(text)[0].name == '=HYPERLINK("x")'
