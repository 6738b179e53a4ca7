"""The import and export pages."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest
import vobject
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from closeknit.network.exporting import export_document
from closeknit.network.models import Group, Interaction, Person
from closeknit.wellbeing.models import CheckIn

IMPORT_URL = reverse("transfer:import")
EXPORT_URL = reverse("transfer:export")


def download_url(fmt: str) -> str:
    return reverse("transfer:export-download", args=[fmt])


def upload(client: Client, name: str, data: bytes, **kwargs):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)}, **kwargs)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def snapshot(user) -> list:
    return [
        list(Person.objects.owned_by(user).order_by("pk").values()),
        list(Group.objects.owned_by(user).order_by("pk").values()),
        list(Interaction.objects.owned_by(user).order_by("pk").values()),
    ]


@pytest.mark.parametrize(
    "url", [IMPORT_URL, EXPORT_URL, download_url("json"), download_url("vcard")]
)
def test_pages_need_a_signed_in_member(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_upload_imports_nothing(client, member, data_file):
    response = upload(client, "contacts.vcf", data_file("iphone-3.0.vcf"))
    assert response.status_code == 302
    assert not Person.objects.exists()


# Import -----------------------------------------------------------------------------


def test_import_page_has_a_labelled_file_field(member_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = member_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_file"' in page
    assert 'type="file"' in page


def test_uploading_a_vcard_adds_people_and_says_how_many(member_client, member, data_file):
    response = upload(member_client, "contacts.vcf", data_file("iphone-3.0.vcf"), follow=True)
    assert response.redirect_chain == [(IMPORT_URL, 302)]
    assert "Added 5 people." in text_of(response)
    assert Person.objects.owned_by(member).count() == 5


def test_uploading_a_csv_fills_in_people_already_here(member_client, member, network, data_file):
    Person.objects.create(owner=member, name="Zoë Müller", email="zoe.mueller@example.de")
    response = upload(member_client, "google.csv", data_file("google.csv"), follow=True)
    # Sam (same phone) gains a birthday, Ada (same name, nothing else known) her details,
    # Zoë (same e-mail) her phone number.
    assert "Added 2 people, filled in details for 3." in text_of(response)
    ada = Person.objects.get(pk=network["ada"].pk)
    assert (ada.email, ada.phone) == ("ada.okafor@practice.example", "020 7946 0321")
    assert Person.objects.owned_by(member).count() == 5


def test_uploading_the_same_file_again_changes_nothing(member_client, member, data_file):
    upload(member_client, "contacts.vcf", data_file("android-2.1.vcf"))
    before = snapshot(member)
    response = upload(member_client, "contacts.vcf", data_file("android-2.1.vcf"), follow=True)
    assert "Everything in this file was already here, so nothing changed (4 skipped)." in (
        text_of(response)
    )
    assert snapshot(member) == before


def test_file_type_is_recognised_by_content_not_only_name(member_client, member, data_file):
    response = upload(member_client, "contacts.txt", data_file("nextcloud-4.0.vcf"), follow=True)
    assert "Added 3 people." in text_of(response)


def test_uploading_a_json_export_moves_a_whole_account(member, network, new_account, data_file):
    client = Client()
    client.force_login(new_account)
    data = json.dumps(export_document(member)).encode()
    response = upload(client, "closeknit-export.json", data, follow=True)
    assert (
        "Added 5 entries "
        "(people, groups, contacts, your recovery plan, check-ins, questionnaires, occasions, notes of thanks, early-warning rules and encouragement)."
    ) in text_of(response)
    assert Interaction.objects.owned_by(new_account).count() == 2


def test_broken_file_shows_the_line_and_changes_nothing(member_client, member, network, data_file):
    before = snapshot(member)
    response = upload(member_client, "contacts.vcf", data_file("broken-no-end.vcf"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Line 6: the contact that starts on this line has no END:VCARD." in page
    assert "Nothing was imported" in page
    assert 'role="alert"' in page
    assert snapshot(member) == before


def test_broken_csv_shows_the_line_and_changes_nothing(member_client, member, network, data_file):
    before = snapshot(member)
    response = upload(member_client, "contacts.csv", data_file("broken-windows-1252.csv"))
    assert "Line 3: this line has characters we can" in text_of(response)
    assert snapshot(member) == before


def test_broken_json_export_changes_nothing(member_client, member, network):
    document = export_document(member)
    document["interactions"][0]["channel"] = "fax"
    before = snapshot(member)
    response = upload(member_client, "export.json", json.dumps(document).encode())
    assert "“fax” isn't a channel we know" in text_of(response)
    assert snapshot(member) == before


def test_no_file_chosen(member_client):
    response = member_client.post(IMPORT_URL, {})
    assert "Please choose a file to import." in text_of(response)


def test_empty_file(member_client):
    response = upload(member_client, "contacts.vcf", b"")
    assert "That file is empty." in text_of(response)


def test_file_over_the_limit_is_refused(member_client, member, settings, data_file):
    settings.IMPORT_MAX_BYTES = 1024
    response = upload(member_client, "contacts.vcf", data_file("iphone-3.0.vcf"))
    assert "files up to 0.0 MB can be imported" in text_of(response)
    assert not Person.objects.owned_by(member).exists()


def test_import_needs_a_csrf_token(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = upload(client, "contacts.vcf", b"BEGIN:VCARD\r\nFN:Sam\r\nEND:VCARD\r\n")
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_import_goes_only_into_the_uploaders_account(stranger_client, member, stranger, data_file):
    upload(stranger_client, "contacts.vcf", data_file("iphone-3.0.vcf"))
    assert Person.objects.owned_by(stranger).count() == 5
    assert not Person.objects.owned_by(member).exists()


# Export -----------------------------------------------------------------------------


def test_export_page_links_to_every_download(member_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = member_client.get(EXPORT_URL)
    page = text_of(response)
    for fmt in ("json", "people-csv", "interactions-csv", "vcard", "checkins-csv"):
        assert f'href="{download_url(fmt)}"' in page
    assert page.count("<h1") == 1


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("json", "application/json; charset=utf-8", ".json"),
        ("people-csv", "text/csv; charset=utf-8", ".csv"),
        ("interactions-csv", "text/csv; charset=utf-8", ".csv"),
        ("vcard", "text/vcard; charset=utf-8", ".vcf"),
        ("checkins-csv", "text/csv; charset=utf-8", ".csv"),
    ],
)
def test_download_is_a_private_attachment(
    member_client, network, fmt, content_type, extension, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        response = member_client.get(download_url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="closeknit-')
    assert disposition.endswith(f'{extension}"')
    assert "no-store" in response["Cache-Control"]


def test_json_download_is_the_export_document(member_client, member, network):
    document = json.loads(member_client.get(download_url("json")).content)
    expected = export_document(member)
    del document["exported_at"], expected["exported_at"]
    assert document == expected


def test_csv_download_opens_in_excel_with_accents_intact(member_client, member):
    Person.objects.create(owner=member, name="Zoë Müller")
    content = member_client.get(download_url("people-csv")).content
    assert content.startswith("\ufeffname,".encode())
    assert "Zoë Müller".encode() in content


def test_vcard_download_reads_as_vcards(member_client, network):
    text = member_client.get(download_url("vcard")).content.decode()
    assert sorted(card.fn.value for card in vobject.readComponents(text)) == [
        "Ada Okafor",
        "Sam Rivera",
    ]


def test_checkins_csv_download_holds_the_days_and_the_note(member_client, member):
    CheckIn.objects.create(owner=member, day=dt.date(2026, 3, 1), mood=6, note="Zoë came by.")
    content = member_client.get(download_url("checkins-csv")).content.decode("utf-8-sig")
    header, row = content.splitlines()[:2]
    assert header.startswith("date,mood,stress")
    assert row.startswith("2026-03-01,6,") and "Zoë came by." in row


def test_unknown_download_is_not_found(member_client):
    assert member_client.get(download_url("xlsx")).status_code == 404


def test_downloads_only_hold_the_members_own_data(stranger_client, network):
    CheckIn.objects.create(
        owner=network["sam"].owner, day=dt.date(2026, 3, 1), note="Sam walked with me"
    )
    for fmt in ("json", "people-csv", "interactions-csv", "vcard", "checkins-csv"):
        content = stranger_client.get(download_url(fmt)).content.decode()
        assert "Sam Rivera" not in content
        assert "Sam walked with me" not in content


def test_download_is_get_only(member_client):
    assert member_client.post(download_url("json")).status_code == 405
