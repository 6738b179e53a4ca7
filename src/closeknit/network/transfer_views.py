"""Pages to import contacts and to download everything. Thin: importing.py and exporting.py work."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from closeknit.accounts.models import User
from closeknit.network.exporting import (
    export_document,
    interactions_csv,
    people_csv,
    people_vcard,
)
from closeknit.network.importing import ImportFileError, describe, import_file
from closeknit.wellbeing.exporting import checkins_csv


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Your contacts file",
        help_text=(
            "A vCard file (.vcf) from a phone or address book, a CSV file from Google, "
            "Outlook or a spreadsheet, or a Closeknit export (.json)."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".vcf,.vcard,.csv,.json,text/vcard,text/x-vcard,text/csv,application/json"
            }
        ),
        error_messages={
            "required": "Please choose a file to import.",
            "empty": "That file is empty. Please export your contacts again and choose the new file.",
        },
    )

    def clean_file(self) -> UploadedFile:
        upload = cast(UploadedFile, self.cleaned_data["file"])
        limit = settings.IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"That file is {_megabytes(upload.size)}; files up to {_megabytes(limit)} can be "
                "imported. Could you split it into smaller files?"
            )
        return upload


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _member(request: HttpRequest) -> User:
    # login_required has run, so this is a signed-in member.
    return cast(User, request.user)


@login_required
@require_http_methods(["GET", "POST"])
def import_contacts(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                kind, result = import_file(_member(request), upload.name or "", upload.read())
            except ImportFileError as error:
                form.add_error(
                    "file", f"{error} Nothing was imported, so you can fix the file and try again."
                )
            else:
                messages.success(request, describe(result, whole_account=kind == "json"))
                return redirect("transfer:import")
    return render(request, "transfer/import.html", {"form": form})


@dataclass(frozen=True)
class Download:
    build: Callable[[User], str]
    content_type: str
    filename: str


def _json(owner: User) -> str:
    return json.dumps(export_document(owner), ensure_ascii=False, indent=2) + "\n"


# A byte order mark lets Excel read "Zoë" in a UTF-8 CSV; every other program skips it.
def _excel_csv(build: Callable[[User], str]) -> Callable[[User], str]:
    return lambda owner: "\ufeff" + build(owner)


DOWNLOADS = {
    "json": Download(_json, "application/json; charset=utf-8", "closeknit-export-{day}.json"),
    "people-csv": Download(
        _excel_csv(people_csv), "text/csv; charset=utf-8", "closeknit-people-{day}.csv"
    ),
    "interactions-csv": Download(
        _excel_csv(interactions_csv), "text/csv; charset=utf-8", "closeknit-contact-log-{day}.csv"
    ),
    "vcard": Download(people_vcard, "text/vcard; charset=utf-8", "closeknit-people-{day}.vcf"),
    "checkins-csv": Download(
        _excel_csv(checkins_csv), "text/csv; charset=utf-8", "closeknit-check-ins-{day}.csv"
    ),
}


@login_required
@require_GET
def export_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transfer/export.html")


@login_required
@require_GET
def export_download(request: HttpRequest, fmt: str) -> HttpResponse:
    download = DOWNLOADS.get(fmt)
    if download is None:
        raise Http404("No such export.")
    member = _member(request)
    day = timezone.localdate(timezone=member.zone).isoformat()
    response = HttpResponse(download.build(member), content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename.format(day=day)}"'
    # Private data: no shared cache, and no copy left behind in the browser's cache.
    response["Cache-Control"] = "private, no-store"
    return response
