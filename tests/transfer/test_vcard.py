"""Reading vCard files into contacts: pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from closeknit.network.vcard import (
    YEAR_UNKNOWN,
    Contact,
    ImportFileError,
    clean_emails,
    clean_phones,
    parse_birthday,
    parse_vcards,
)


def by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {contact.name: contact for contact in contacts}


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD", ""])


# Real-world exports -----------------------------------------------------------------


def test_iphone_export_reads_every_contact_in_order(data_file):
    contacts = parse_vcards(data_file("iphone-3.0.vcf"))
    assert [c.name for c in contacts] == [
        "Sam Rivera",
        "Dr Ada Okafor",
        "Mum",
        "Zoë Müller",
        "Riverside Pharmacy",
    ]


def test_iphone_contact_keeps_name_nickname_phones_email_and_birthday(data_file):
    sam = by_name(parse_vcards(data_file("iphone-3.0.vcf")))["Sam Rivera"]
    assert sam.nickname == "Sammy"
    assert sam.emails == ["sam.rivera@example.org"]
    assert sam.phones == ["+44 7700 900123", "020 7946 0018"]
    assert sam.birthday == date(1987, 9, 3)
    assert sam.birthday_year_known is True
    assert sam.line == 1


def test_iphone_photo_and_unknown_properties_are_ignored(data_file):
    contacts = parse_vcards(data_file("iphone-3.0.vcf"))
    # The base64 photo is folded over many lines; none of it leaks into a field.
    for contact in contacts:
        assert "/9j/" not in contact.notes
        assert "Canal Street" not in contact.notes


def test_apple_birthday_without_a_year_is_marked_year_unknown(data_file):
    ada = by_name(parse_vcards(data_file("iphone-3.0.vcf")))["Dr Ada Okafor"]
    assert ada.birthday == date(YEAR_UNKNOWN, 11, 21)
    assert ada.birthday_year_known is False


def test_escaped_commas_and_line_breaks_in_notes_are_read(data_file):
    ada = by_name(parse_vcards(data_file("iphone-3.0.vcf")))["Dr Ada Okafor"]
    assert ada.notes == (
        "Sessions on Thursdays at 4, room 2.\nShe said I can e-mail between sessions."
    )


def test_preferred_email_comes_first(data_file):
    zoe = by_name(parse_vcards(data_file("iphone-3.0.vcf")))["Zoë Müller"]
    assert zoe.emails == ["zoe.mueller@example.de", "zoe.home@example.de"]


def test_company_card_is_named_by_its_full_name(data_file):
    pharmacy = by_name(parse_vcards(data_file("iphone-3.0.vcf")))["Riverside Pharmacy"]
    assert pharmacy.phones == ["020 7946 0555"]


def test_android_quoted_printable_utf8_names_are_decoded(data_file):
    contacts = parse_vcards(data_file("android-2.1.vcf"))
    assert [c.name for c in contacts] == [
        "Ayşe Öztürk",
        "Σωκράτης Παπαδόπουλος-Κωνσταντινίδης",
        "Thị Lan Nguyễn",
        "Sam",
    ]


def test_android_soft_line_breaks_join_without_losing_characters(data_file):
    ayse = parse_vcards(data_file("android-2.1.vcf"))[0]
    assert ayse.notes == (
        "Çok iyi bir arkadaş. Her zaman yanımda.\nAramızda: pazar kahvaltısı, Kadıköy'de yürüyüş."
    )


def test_android_contact_details_and_preferred_phone(data_file):
    ayse = parse_vcards(data_file("android-2.1.vcf"))[0]
    assert ayse.phones == ["+90 532 123 45 67", "0212 555 12 34"]
    assert ayse.emails == ["ayse@example.com"]
    assert ayse.birthday == date(1990, 2, 14)


def test_android_year_less_birthday(data_file):
    greek = parse_vcards(data_file("android-2.1.vcf"))[1]
    assert (greek.birthday, greek.birthday_year_known) == (date(YEAR_UNKNOWN, 4, 12), False)


def test_android_card_without_fn_takes_its_name_from_n_and_custom_labels_do_no_harm(data_file):
    lan = parse_vcards(data_file("android-2.1.vcf"))[2]
    assert lan.name == "Thị Lan Nguyễn"
    # "TEL;X-Peer line:" has a space in its label, which vobject alone refuses.
    assert lan.phones == ["0800 123 4567"]


def test_outlook_windows_1252_and_iso_8859_1_text_is_decoded(data_file):
    contacts = parse_vcards(data_file("outlook-2.1-windows-1252.vcf"))
    assert [c.name for c in contacts] == ["Siobhán O’Brien", "João Gonçalves"]


def test_quoted_printable_in_windows_1252_keeps_line_breaks_and_commas(data_file):
    siobhan = parse_vcards(data_file("outlook-2.1-windows-1252.vcf"))[0]
    assert siobhan.notes == "Volunteers on Thursdays\nKnows the café owner, € 5 for the tea fund"


def test_mobile_number_comes_before_a_work_number(data_file):
    siobhan = parse_vcards(data_file("outlook-2.1-windows-1252.vcf"))[0]
    assert siobhan.phones == ["07700 900456", "020 7946 0999"]


def test_vcard_21_folding_keeps_the_space_at_the_fold(data_file):
    joao = parse_vcards(data_file("outlook-2.1-windows-1252.vcf"))[1]
    assert joao.name == "João Gonçalves"
    assert joao.notes == "Met at the allotment, brings spare seedlings every spring"


def test_vcard_4_file_with_uri_phones_and_mid_word_folding(data_file):
    kwame, li, maria = parse_vcards(data_file("nextcloud-4.0.vcf"))
    assert kwame.name == "Kwame Mensah"
    assert kwame.nickname == "Kwa"
    assert kwame.phones == ["+1-555-555-0142", "+1-555-555-0199;ext=12"]
    assert kwame.emails == ["kwame@example.com", "kwame@work.example"]
    assert kwame.birthday == date(1979, 8, 23)
    assert kwame.notes == (
        "Runs the Saturday walking group. Ask about the canal route, it's lovely in spring."
    )
    assert (li.name, li.birthday, li.birthday_year_known) == (
        "李伟",
        date(YEAR_UNKNOWN, 4, 12),
        False,
    )
    assert maria.birthday is None  # BDAY;VALUE=text:circa 1960 is not a date


def test_byte_order_mark_and_lf_line_ends(data_file):
    priya, tomas = parse_vcards(data_file("google-3.0-bom-lf.vcf"))
    assert priya.name == "Priya Natarajan"
    assert priya.nickname == "Pri"
    assert (tomas.birthday, tomas.birthday_year_known) == (date(YEAR_UNKNOWN, 11, 2), False)


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"])
def test_any_line_end_reads_the_same(data_file, line_end):
    text = data_file("android-2.1.vcf").decode()
    reference = parse_vcards(text)
    converted = text.replace("\r\n", "\n").replace("\n", line_end)
    assert parse_vcards(converted.encode()) == reference


def test_text_and_bytes_read_the_same(data_file):
    raw = data_file("nextcloud-4.0.vcf")
    assert parse_vcards(raw.decode()) == parse_vcards(raw)


def test_utf16_file_with_byte_order_mark():
    text = card("FN:Zoë Müller", "TEL:+49 151 23456789")
    assert parse_vcards(text.encode("utf-16"))[0].name == "Zoë Müller"


# Folding, encodings and values ------------------------------------------------------


def test_vcard_3_folding_drops_exactly_one_space():
    text = card("FN:Sam Riv", " era", "NOTE:two", "  words")
    sam = parse_vcards(text)[0]
    assert sam.name == "Sam Rivera"
    assert sam.notes == "two words"


def test_vcard_21_base64_photo_without_indented_lines_is_skipped():
    text = card(
        "FN:Sam Rivera",
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "AAAAAAAAAA==",
        "",
        "TEL;CELL:07700 900123",
        version="2.1",
    )
    sam = parse_vcards(text)[0]
    assert sam.phones == ["07700 900123"]


def test_quoted_printable_soft_break_at_the_end_of_a_name():
    text = card(
        "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Zo=C3=AB M=",
        "=C3=BCller",
        "N;QUOTED-PRINTABLE;CHARSET=UTF-8:M=C3=BCller;Zo=C3=AB;;;",
        version="2.1",
    )
    assert parse_vcards(text)[0].name == "Zoë Müller"


def test_charset_label_on_text_already_in_utf8_is_not_double_decoded():
    # Converted to UTF-8 by some tool, the old label left behind.
    text = card("FN;CHARSET=ISO-8859-1:Zoë Müller", version="2.1")
    assert parse_vcards(text.encode("utf-8"))[0].name == "Zoë Müller"


def test_name_built_from_n_parts_in_reading_order():
    text = card("N:Okafor;Ada;Ngozi;Dr;PhD")
    assert parse_vcards(text)[0].name == "Dr Ada Ngozi Okafor PhD"


def test_nickname_is_the_name_when_there_is_no_other():
    assert parse_vcards(card("NICKNAME:Bee"))[0].name == "Bee"


def test_broken_email_and_phone_without_digits_are_left_out():
    text = card("FN:Sam", "EMAIL:not-an-address", "EMAIL:sam@example.org", "TEL:n/a")
    sam = parse_vcards(text)[0]
    assert sam.emails == ["sam@example.org"]
    assert sam.phones == []


def test_long_name_is_cut_to_the_field_length():
    assert len(parse_vcards(card("FN:" + "A" * 300))[0].name) == 200


def test_the_same_email_in_two_cases_is_kept_once():
    assert clean_emails(["Sam@Example.org", "sam@example.org", "mailto:sam@example.org"]) == [
        "Sam@Example.org"
    ]


def test_the_same_phone_written_two_ways_is_kept_once():
    assert clean_phones(["07700 900123", "07700-900-123", "tel:+44 7700 900123"]) == [
        "07700 900123",
        "+44 7700 900123",
    ]


# Birthdays --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19850412", (date(1985, 4, 12), True)),
        ("1985-04-12", (date(1985, 4, 12), True)),
        ("--0412", (date(YEAR_UNKNOWN, 4, 12), False)),
        ("--04-12", (date(YEAR_UNKNOWN, 4, 12), False)),
        ("--0229", (date(YEAR_UNKNOWN, 2, 29), False)),
        ("1985-04-12T00:00:00Z", (date(1985, 4, 12), True)),
        ("19850412T103000", (date(1985, 4, 12), True)),
        ("1985-04-12T23:30:00-05:00", (date(1985, 4, 12), True)),
        ("1604-04-12", (date(YEAR_UNKNOWN, 4, 12), False)),
        ("1985/04/12", (date(1985, 4, 12), True)),
        ("12.04.1985", (date(1985, 4, 12), True)),
        ("25/12/1990", (date(1990, 12, 25), True)),
        ("12/25/1990", (date(1990, 12, 25), True)),
        (" 1985-04-12 ", (date(1985, 4, 12), True)),
    ],
)
def test_birthday_forms(text, expected):
    assert parse_birthday(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "soon", "1985-02-30", "--1332", "4/12/1985", "2999-01-01", "0/0/00", "circa 1960"],
)
def test_unreadable_or_ambiguous_birthday_is_none(text):
    assert parse_birthday(text) is None


def test_apple_omit_year_marks_the_placeholder_year():
    assert parse_birthday("1984-04-12", omit_year="1984") == (date(YEAR_UNKNOWN, 4, 12), False)


def test_sample_file_of_birthdays(data_file):
    found = {
        c.name: (c.birthday, c.birthday_year_known)
        for c in parse_vcards(data_file("birthdays-3.0.vcf"))
    }
    known, unknown = (date(1985, 4, 12), True), (date(YEAR_UNKNOWN, 4, 12), False)
    assert found == {
        "Compact": known,
        "Extended": known,
        "Yearless compact": unknown,
        "Yearless extended": unknown,
        "With time": known,
        "Compact time": known,
        "Apple no year": unknown,
        "Leap day no year": (date(YEAR_UNKNOWN, 2, 29), False),
        # An unreadable birthday is left out; the contact still comes in.
        "Not a date": (None, True),
        "Impossible date": (None, True),
        "Text value": (None, True),
    }


# Files that can't be read -----------------------------------------------------------


def error_of(data: bytes | str) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        parse_vcards(data)
    return caught.value


def test_begin_without_end_names_the_line_where_the_contact_starts(data_file):
    error = error_of(data_file("broken-no-end.vcf"))
    assert error.line == 6
    assert str(error).startswith("Line 6: ")
    assert "END:VCARD" in str(error)


def test_line_that_is_not_name_value_is_named(data_file):
    error = error_of(data_file("broken-bad-line.vcf"))
    assert error.line == 9
    assert "this line is not a property" in str(error)


def test_contact_without_any_name_is_an_error(data_file):
    error = error_of(data_file("broken-no-name.vcf"))
    assert error.line == 6
    assert "no name" in str(error)


def test_file_cut_short_after_the_last_begin():
    error = error_of(card("FN:Sam") + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\n")
    assert error.line == 5


def test_end_without_begin_is_an_error():
    assert error_of(card("FN:Sam") + "END:VCARD\r\n").line == 5


def test_property_outside_a_contact_is_an_error():
    assert error_of("FN:Sam\r\n" + card("FN:Ada")).line == 1


def test_calendar_file_is_not_taken_for_contacts():
    error = error_of("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    assert error.line == 1
    assert "VCALENDAR" in str(error)


def test_empty_file_has_no_contacts():
    error = error_of(b"")
    assert error.line is None
    assert "couldn't find any contacts" in str(error)


def test_unknown_bytes_without_a_charset_name_the_line():
    data = card("FN:Sam", "NOTE:caf\xe9").encode("latin-1")
    error = error_of(data)
    assert error.line == 4
    assert "UTF-8" in str(error)


def test_unknown_charset_names_the_line():
    data = card("FN:Sam", "NOTE;CHARSET=KLINGON:caf\xe9", version="2.1").encode("latin-1")
    error = error_of(data)
    assert error.line == 4
    assert "KLINGON" in str(error)


def test_the_first_fault_in_the_file_is_reported():
    text = card("FN:Sam") + card("garbage") + card("N:;;;;")
    assert error_of(text).line == 7
