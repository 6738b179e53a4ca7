"""Importing contacts: matching rules (pure), then the database, transactions and speed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from closeknit.network.importing import (
    Card,
    Deduplicator,
    ImportFileError,
    ImportResult,
    describe,
    detect_format,
    import_csv,
    import_file,
    import_vcard,
)
from closeknit.network.models import Person
from closeknit.network.vcard import YEAR_UNKNOWN, Contact


def contact(name: str = "Sam Rivera", **fields) -> Contact:
    return Contact(line=1, name=name, **fields)


def vcards(count: int, start: int = 0) -> str:
    """`count` distinct contacts, each with a phone, an e-mail and a birthday."""
    cards = []
    for n in range(start, start + count):
        cards.append(
            "\r\n".join(
                [
                    "BEGIN:VCARD",
                    "VERSION:3.0",
                    f"N:Person{n};Test;;;",
                    f"FN:Test Person{n}",
                    f"TEL;TYPE=CELL:+44 7700 {n:06d}",
                    f"EMAIL;TYPE=INTERNET:person{n}@example.org",
                    f"BDAY:{1950 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    "END:VCARD",
                    "",
                ]
            )
        )
    return "".join(cards)


# Matching, pure ---------------------------------------------------------------------


def sam_card(**fields) -> Card:
    values = {"email": "sam@example.org", "phone": "+44 7700 900123", **fields}
    return Card(pk=1, name="Sam Rivera", **values)


def test_new_entry_is_created():
    dedup = Deduplicator([sam_card()])
    card, outcome = dedup.add(contact("Ada Okafor", emails=["ada@example.org"]))
    assert outcome == "created"
    assert card.pk is None
    assert dedup.created == [card]


def test_same_email_in_another_case_is_the_same_person():
    dedup = Deduplicator([sam_card()])
    card, outcome = dedup.add(contact("S. Rivera", emails=["SAM@Example.ORG"]))
    assert (card.pk, outcome) == (1, "skipped")


def test_same_phone_digits_written_differently_is_the_same_person():
    dedup = Deduplicator([sam_card(email="")])
    card, outcome = dedup.add(contact("Sammy", phones=["+44 (7700) 900-123"]))
    assert (card.pk, outcome) == (1, "skipped")


def test_same_name_with_no_other_data_is_the_same_person():
    dedup = Deduplicator([sam_card()])
    card, outcome = dedup.add(contact("  sam   RIVERA "))
    assert (card.pk, outcome) == (1, "skipped")


def test_same_name_with_another_email_is_someone_else():
    dedup = Deduplicator([sam_card()])
    _card, outcome = dedup.add(contact(emails=["another.sam@example.org"]))
    assert outcome == "created"


def test_same_name_with_another_phone_is_someone_else():
    dedup = Deduplicator([sam_card()])
    assert dedup.add(contact(phones=["020 7946 0000"]))[1] == "created"


def test_same_name_with_another_birthday_is_someone_else():
    dedup = Deduplicator([sam_card(birthday=date(1987, 9, 3))])
    assert dedup.add(contact(birthday=date(1990, 1, 1)))[1] == "created"


def test_same_name_with_the_same_birthday_day_is_the_same_person():
    dedup = Deduplicator([sam_card(birthday=date(YEAR_UNKNOWN, 9, 3), birthday_year_known=False)])
    card, outcome = dedup.add(contact(birthday=date(1987, 9, 3)))
    assert (card.pk, outcome) == (1, "merged")
    # The year was the one thing missing.
    assert (card.birthday, card.birthday_year_known) == (date(1987, 9, 3), True)


def test_same_name_fills_an_empty_email():
    dedup = Deduplicator([sam_card(email="")])
    card, outcome = dedup.add(contact(emails=["sam@example.org"], phones=["+447700900123"]))
    assert (card.pk, outcome) == (1, "merged")
    assert card.email == "sam@example.org"
    assert card.changed == {"email"}


def test_merge_fills_empty_fields_and_never_overwrites():
    existing = sam_card(nickname="Sam", notes="Walks on Sundays.")
    dedup = Deduplicator([existing])
    card, outcome = dedup.add(
        contact(
            "Samuel Rivera",
            nickname="Sammy",
            emails=["sam@example.org", "sam@work.example"],
            phones=["07700 000000"],
            birthday=date(1987, 9, 3),
            notes="Met at the library.",
            roles=["friend"],
        )
    )
    assert outcome == "merged"
    assert card is existing
    assert (card.name, card.nickname, card.notes) == ("Sam Rivera", "Sam", "Walks on Sundays.")
    assert (card.email, card.phone) == ("sam@example.org", "+44 7700 900123")
    assert card.birthday == date(1987, 9, 3)
    assert card.roles == ["friend"]
    assert card.changed == {"birthday", "birthday_year_known", "roles"}
    assert dedup.changed == [existing]


def test_nothing_new_is_skipped_and_changes_nothing():
    existing = sam_card(nickname="Sam")
    dedup = Deduplicator([existing])
    assert dedup.add(contact(nickname="Sammy", emails=["sam@example.org"]))[1] == "skipped"
    assert dedup.changed == []


def test_entries_of_one_file_are_matched_with_each_other():
    dedup = Deduplicator([])
    first, outcome1 = dedup.add(contact(phones=["07700 900123"]))
    second, outcome2 = dedup.add(
        contact("Sammy R", phones=["07700900123"], emails=["sam@example.org"])
    )
    third, outcome3 = dedup.add(contact("S.R.", emails=["Sam@example.org"]))
    assert (outcome1, outcome2, outcome3) == ("created", "merged", "skipped")
    assert first is second is third
    assert first.email == "sam@example.org"
    assert dedup.created == [first]


def test_two_people_sharing_a_name_but_not_a_phone_stay_two():
    dedup = Deduplicator([])
    dedup.add(contact("Alex", phones=["07700 900001"]))
    dedup.add(contact("Alex", phones=["07700 900002"]))
    assert len(dedup.created) == 2


def test_export_entries_are_never_merged_with_each_other():
    dedup = Deduplicator([], within_file=False)
    dedup.add(contact("Alex"))
    dedup.add(contact("Alex"))
    assert len(dedup.created) == 2


def test_export_entries_each_find_their_own_namesake():
    first, second = Card(pk=1, name="Alex"), Card(pk=2, name="Alex")
    dedup = Deduplicator([first, second], within_file=False)
    assert dedup.add(contact("Alex"))[0] is first
    assert dedup.add(contact("Alex"))[0] is second


# Wording ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (
            ImportResult(12, 3, 2),
            "Added 12 people, filled in details for 3, skipped 2 already here.",
        ),
        (ImportResult(1, 0, 0), "Added 1 person."),
        (ImportResult(0, 3, 0), "Filled in details for 3."),
        (
            ImportResult(0, 0, 5),
            "Everything in this file was already here, so nothing changed (5 skipped).",
        ),
        (ImportResult(0, 0, 0), "There was nothing to import in this file."),
    ],
)
def test_describe(result, words):
    assert describe(result) == words


def test_describe_a_whole_account():
    words = describe(ImportResult(40, 0, 0), whole_account=True)
    assert words == (
        "Added 40 entries "
        "(people, groups, contacts, your recovery plan, check-ins, questionnaires, occasions, notes of thanks, early-warning rules and encouragement)."
    )


def test_results_add_up():
    assert ImportResult(1, 2, 3) + ImportResult(10, 20, 30) == ImportResult(11, 22, 33)


@pytest.mark.parametrize(
    ("filename", "data", "kind"),
    [
        ("contacts.vcf", b"BEGIN:VCARD\r\n", "vcard"),
        ("export.txt", b"\xef\xbb\xbf\r\nbegin:vcard\r\n", "vcard"),
        ("Contacts.VCF", b"", "vcard"),
        ("anything", b'  {"format": "closeknit-export"}', "json"),
        ("closeknit.json", b"", "json"),
        ("contacts.csv", b"Name,Phone\r\n", "csv"),
        ("contacts", b"Name,Phone\r\n", "csv"),
    ],
)
def test_detect_format_by_content_then_name(filename, data, kind):
    assert detect_format(filename, data) == kind


# Into the database ------------------------------------------------------------------


def people_of(user) -> dict[str, Person]:
    return {person.name: person for person in Person.objects.owned_by(user)}


def test_iphone_export_creates_each_person_for_the_member(member, data_file):
    result = import_vcard(member, data_file("iphone-3.0.vcf"))
    assert result == ImportResult(created=5, merged=0, skipped=0)
    sam = people_of(member)["Sam Rivera"]
    assert (sam.nickname, sam.email, sam.phone) == (
        "Sammy",
        "sam.rivera@example.org",
        "+44 7700 900123",
    )
    assert (sam.birthday, sam.birthday_year_known) == (date(1987, 9, 3), True)
    ada = people_of(member)["Dr Ada Okafor"]
    assert (ada.birthday, ada.birthday_year_known) == (date(YEAR_UNKNOWN, 11, 21), False)
    assert ada.notes.startswith("Sessions on Thursdays")
    assert ada.circle == "middle"


@pytest.mark.parametrize(
    ("name", "importer"),
    [
        ("iphone-3.0.vcf", import_vcard),
        ("android-2.1.vcf", import_vcard),
        ("outlook-2.1-windows-1252.vcf", import_vcard),
        ("nextcloud-4.0.vcf", import_vcard),
        ("google-3.0-bom-lf.vcf", import_vcard),
        ("google.csv", import_csv),
        ("outlook.csv", import_csv),
    ],
)
def test_second_import_of_the_same_file_changes_nothing(member, data_file, name, importer):
    first = importer(member, data_file(name))
    before = {p.pk: (p.updated_at, p.email, p.phone) for p in Person.objects.owned_by(member)}
    second = importer(member, data_file(name))
    assert second == ImportResult(
        created=0, merged=0, skipped=first.created + first.merged + first.skipped
    )
    after = {p.pk: (p.updated_at, p.email, p.phone) for p in Person.objects.owned_by(member)}
    assert after == before


def test_import_fills_in_someone_already_here_without_overwriting(network, member, data_file):
    result = import_vcard(member, data_file("iphone-3.0.vcf"))
    # The iPhone's Sam Rivera has the phone number of the network's Sam.
    assert result == ImportResult(created=4, merged=1, skipped=0)
    sam = Person.objects.get(pk=network["sam"].pk)
    assert (sam.nickname, sam.email) == ("Sam", "sam@example.org")
    assert sam.notes == "Sam walked with me every Sunday in March."
    assert (sam.birthday, sam.birthday_year_known) == (date(1987, 9, 3), True)
    assert Person.objects.owned_by(member).filter(name__icontains="Sam").count() == 1


def test_archived_person_is_matched_rather_than_doubled(network, member, data_file):
    Person.objects.filter(pk=network["sam"].pk).update(archived_at=datetime(2024, 1, 1, tzinfo=UTC))
    import_vcard(member, data_file("iphone-3.0.vcf"))
    assert Person.objects.owned_by(member).filter(phone="+44 7700 900123").count() == 1


def test_two_files_with_the_same_person_make_one(member, data_file):
    import_vcard(member, data_file("iphone-3.0.vcf"))
    # The Android file's "Sam" has the iPhone Sam's number.
    result = import_vcard(member, data_file("android-2.1.vcf"))
    assert result == ImportResult(created=3, merged=0, skipped=1)
    assert "Sam" not in people_of(member)


def test_another_members_people_are_never_matched_or_changed(member, stranger, data_file):
    theirs = Person.objects.create(owner=stranger, name="Mum", phone="07700 900789")
    result = import_vcard(member, data_file("iphone-3.0.vcf"))
    assert result.created == 5
    assert Person.objects.owned_by(member).filter(name="Mum").count() == 1
    theirs.refresh_from_db()
    assert (theirs.nickname, theirs.email, theirs.updated_at) == ("", "", theirs.updated_at)
    assert Person.objects.owned_by(stranger).count() == 1


def test_malformed_file_imports_nothing_and_changes_nothing(network, member, data_file):
    before = list(Person.objects.owned_by(member).values())
    # The file's first contact is fine and would fill in Sam; the second never ends.
    text = vcards(1) + "BEGIN:VCARD\r\nFN:Sam Rivera\r\nBDAY:1987-09-03\r\n"
    with pytest.raises(ImportFileError) as caught:
        import_vcard(member, text)
    assert caught.value.line == 9
    assert list(Person.objects.owned_by(member).values()) == before


def test_malformed_csv_imports_nothing(member, data_file):
    with pytest.raises(ImportFileError, match=r"^Line 3: "):
        import_csv(member, data_file("broken-ragged.csv"))
    assert not Person.objects.owned_by(member).exists()


def test_import_file_reads_whichever_kind_it_is(member, data_file):
    assert import_file(member, "contacts.vcf", data_file("nextcloud-4.0.vcf")) == (
        "vcard",
        ImportResult(3, 0, 0),
    )
    assert import_file(member, "google.csv", data_file("google.csv"))[0] == "csv"


def test_import_file_names_the_line_of_broken_json(member):
    with pytest.raises(ImportFileError) as caught:
        import_file(member, "export.json", b'{\n  "format": "closeknit-export",\n  "people": [\n')
    assert caught.value.line == 4


def test_import_file_refuses_json_that_is_not_an_export(member):
    with pytest.raises(ImportFileError, match="isn't a Closeknit export"):
        import_file(member, "list.json", b"[1, 2, 3]")


def test_progress_is_reported_from_start_to_end(member):
    calls = []
    import_vcard(member, vcards(5), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_progress_is_not_finished_when_the_file_is_broken(member):
    calls = []
    with pytest.raises(ImportFileError):
        import_vcard(
            member, "BEGIN:VCARD\r\n", progress=lambda done, total: calls.append((done, total))
        )
    assert calls == []


# Speed ------------------------------------------------------------------------------


def queries_to_import(user, text: str) -> int:
    with CaptureQueriesContext(connection) as context:
        import_vcard(user, text)
    return len(context.captured_queries)


def test_queries_do_not_grow_with_the_number_of_contacts(make_user):
    small = queries_to_import(make_user("small@example.org"), vcards(10))
    large = queries_to_import(make_user("large@example.org"), vcards(100))
    # Only the database's batch size (SQLite takes ~60 people per INSERT) adds any.
    assert large <= small + 2


def test_queries_for_filling_in_do_not_grow_with_the_number_of_people(make_user):
    def fill_in(user, count: int) -> int:
        import_vcard(user, vcards(count).replace("BDAY:", "X-OLD-BDAY:"))
        return queries_to_import(user, vcards(count))

    small = fill_in(make_user("small@example.org"), 10)
    large = fill_in(make_user("large@example.org"), 100)
    assert large <= small + 2


def test_a_thousand_contacts_import_in_a_few_queries(member):
    text = vcards(1000)
    with CaptureQueriesContext(connection) as context:
        result = import_vcard(member, text)
    assert result == ImportResult(created=1000, merged=0, skipped=0)
    assert len(context.captured_queries) < 40
    assert import_vcard(member, text) == ImportResult(created=0, merged=0, skipped=1000)
