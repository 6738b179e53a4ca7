"""/api/v1/access-log: the member's access log — each look a supporter took, each change of consent.

Read-only and the member's own, newest first. `?supporter=<id>` keeps one supporter's
lines (the id of their link, as /api/v1/supporters gives it). Supporters' looks are
written by the consent gate (circle/grants.py), on the website and through the API alike.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, UtcDateTime
from closeknit.circle.models import AccessEntry
from closeknit.circle.vocab import AccessAction, Via

router = Router(tags=["circle"])


class AccessEntryOut(Schema):
    id: int
    at: UtcDateTime
    supporter: int | None = Field(description="Their link's id; null once it is gone.")
    supporter_name: str
    action: AccessAction
    part: str = Field(description="What was looked at or shared: a scope, or `overview`.")
    via: Via

    @staticmethod
    def resolve_supporter(obj: AccessEntry) -> int | None:
        return obj.link_id


class AccessLogFilters(Schema):
    supporter: Id | None = Field(None, description="A supporter's link id: only their lines.")


@router.get(
    "",
    response={200: list[AccessEntryOut], **ERRORS},
    summary="Your access log: who looked at what you share, and when",
)
@paginated
def list_access_log(request: HttpRequest, filters: Query[AccessLogFilters]) -> Any:
    rows = AccessEntry.objects.owned_by(request_owner(request)).order_by("-at", "-id")
    if filters.supporter is not None:
        rows = rows.filter(link_id=filters.supporter)
    return rows
