"""`closeknit import …` and `closeknit export …`: files in, files out, nothing half-done."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest

from closeknit.network.models import Group, Interaction, Person

pytestmark = pytest.mark.django_db

VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Jo Lindqvist
EMAIL:jo@example.org
TEL:+44 7700 900456
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Rivera
EMAIL:SAM@example.org
BDAY:1990-04-02
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ada Okafor
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Kit Moreno
END:VCARD
"""


def test_import_vcard_adds_new_people_merges_known_ones_and_summarises(cli, network, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(VCARDS)
    run = cli("import", "vcard", str(path), "--user", "member@example.org")
    assert run.code == 0, run.err
    # Sam is already there (same e-mail in another case) and gains a birthday;
    # Ada is already there with nothing new.
    assert run.out.strip() == "Added 2 people, merged 1, skipped 1."
    network["sam"].refresh_from_db()
    assert str(network["sam"].birthday) == "1990-04-02"
    member = network["sam"].owner
    names = set(Person.objects.owned_by(member).values_list("name", flat=True))
    assert names == {"Sam Rivera", "Ada Okafor", "Jo Lindqvist", "Kit Moreno"}


def test_import_csv_counts_one_person_in_the_singular(cli, member, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail\nRobin Ng,robin@example.org\n")
    run = cli("import", "csv", str(path), "--user", member.email)
    assert run.code == 0, run.err
    assert run.out.strip() == "Added 1 person, merged 0, skipped 0."


def test_import_reads_standard_input_for_a_dash(cli, member):
    run = cli("import", "csv", "-", "--user", member.email, stdin="Name\nLee Park\n")
    assert run.code == 0, run.err
    assert Person.objects.owned_by(member).get().name == "Lee Park"


def test_a_malformed_csv_names_the_line_and_imports_nothing(cli, member, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Name,E-mail\nRobin Ng,robin@example.org\nToo,many,cells\n")
    run = cli("import", "csv", str(path), "--user", member.email)
    assert run.code == 1
    assert "Line 3" in run.err
    assert "Nothing was imported" in run.err
    assert "Traceback" not in run.err
    assert run.out == ""
    assert not Person.objects.exists()


def test_malformed_json_names_the_line_and_imports_nothing(cli, member, tmp_path):
    path = tmp_path / "export.json"
    path.write_text('{\n  "format": "closeknit-export",\n  "people": [,]\n}\n')
    run = cli("import", "json", str(path), "--user", member.email)
    assert run.code == 1
    assert "line 3" in run.err
    assert not Person.objects.exists()


def test_importing_a_missing_file_says_so(cli, member, tmp_path):
    run = cli("import", "vcard", str(tmp_path / "nowhere.vcf"), "--user", member.email)
    assert run.code == 1
    assert run.err.strip() == f"closeknit: There is no file at {tmp_path / 'nowhere.vcf'}."


def test_importing_for_an_unknown_member_says_so(cli, tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(VCARDS)
    run = cli("import", "vcard", str(path), "--user", "nobody@example.org")
    assert run.code == 1
    assert "no account for nobody@example.org" in run.err
    assert not Person.objects.exists()


def test_json_export_to_a_file_is_private_and_moves_everything_to_another_account(
    cli, network, stranger, tmp_path
):
    path = tmp_path / "member.json"
    run = cli("export", "--user", "member@example.org", "-o", str(path))
    assert run.code == 0, run.err
    assert run.out == ""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    document = json.loads(path.read_text())
    assert "Sam walked with me every Sunday in March." in path.read_text()

    run = cli("import", "json", str(path), "--user", stranger.email)
    assert run.code == 0, run.err
    assert run.out.startswith("Added ")
    assert (
        "entries (people, groups, contacts, your recovery plan, check-ins, questionnaires, occasions, notes of thanks, early-warning rules and encouragement)"
        in run.out
    )
    assert Person.objects.owned_by(stranger).count() == 2
    assert Group.objects.owned_by(stranger).count() == 1
    assert Interaction.objects.owned_by(stranger).count() == 2
    assert Person.objects.owned_by(stranger).get(name="Sam Rivera").notes == (
        "Sam walked with me every Sunday in March."
    )
    assert document  # the export was a JSON object


def test_export_writes_to_stdout_without_an_output_file(cli, network):
    run = cli("export", "--user", "member@example.org", "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)


def test_csv_export_of_people_and_of_interactions(cli, network):
    people = cli("export", "--user", "member@example.org", "--format", "csv")
    assert people.code == 0, people.err
    rows = list(csv.DictReader(io.StringIO(people.out)))
    assert sorted(row["name"] for row in rows) == ["Ada Okafor", "Sam Rivera"]

    contact = cli(
        "export", "--user", "member@example.org", "--format", "csv", "--what", "interactions"
    )
    assert contact.code == 0, contact.err
    rows = list(csv.DictReader(io.StringIO(contact.out)))
    assert len(rows) == 2
    assert {row["channel"] for row in rows} == {"call", "in_person"}


def test_vcard_export_holds_every_person(cli, network):
    run = cli("export", "--user", "member@example.org", "--format", "vcard")
    assert run.code == 0, run.err
    assert run.out.count("BEGIN:VCARD") == 2
    assert "Sam Rivera" in run.out


def test_export_shows_only_the_members_own_people(cli, network, stranger):
    run = cli("export", "--user", stranger.email, "--format", "csv")
    assert run.code == 0, run.err
    assert "Sam Rivera" not in run.out
    assert list(csv.DictReader(io.StringIO(run.out))) == []


def test_what_is_only_for_csv(cli, network):
    run = cli("export", "--user", "member@example.org", "--what", "interactions")
    assert run.code == 1
    assert "--format csv" in run.err
    assert run.out == ""


def test_export_for_an_unknown_member_writes_nothing(cli, tmp_path):
    path = tmp_path / "x.json"
    run = cli("export", "--user", "nobody@example.org", "-o", str(path))
    assert run.code == 1
    assert not path.exists()
