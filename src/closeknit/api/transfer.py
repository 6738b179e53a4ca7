"""/api/v1/export and /api/v1/import/vcard: taking the network out, and bringing people in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from ninja import File, Router, UploadedFile
from ninja.errors import HttpError

from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS
from closeknit.api.schemas import ImportOut, Message
from closeknit.api.writes import InvalidInput
from closeknit.network.exporting import export_document
from closeknit.network.importing import ImportFileError, import_vcard

router = Router(tags=["import and export"])


def _megabytes(size: int) -> str:
    return f"{round(size / (1024 * 1024), 1):g} MB"


@router.get(
    "/export",
    response={200: dict[str, Any], 401: Message},
    summary="Everything in your network, as one JSON document",
)
def export(request: HttpRequest) -> dict[str, Any]:
    return export_document(request_owner(request))


@router.post(
    "/import/vcard",
    response={200: ImportOut, 413: Message, **ERRORS},
    summary="Add people from a vCard file (an address-book or phone export)",
)
def import_vcard_file(request: HttpRequest, file: File[UploadedFile]) -> dict[str, int]:
    limit = settings.IMPORT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise HttpError(
            413,
            f"That file is {_megabytes(file.size)}; files up to {_megabytes(limit)} can be "
            "imported. Could you split it into smaller files?",
        )
    try:
        # One transaction: a file that fails half-way adds no one.
        with transaction.atomic():
            result = import_vcard(request_owner(request), file.read())
    except ImportFileError as error:
        raise InvalidInput({"file": str(error)}, location=("file",)) from None
    return {"created": result.created, "merged": result.merged, "skipped": result.skipped}
