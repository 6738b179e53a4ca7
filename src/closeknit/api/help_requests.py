"""/api/v1/help-requests: "I need support", and how each supporter answered.

The rules are the "I need support" page's own (circle/help.py). A request goes to the
supporters you choose (`supporter_ids`, the ids of /api/v1/supporters; left out, everyone
who gets your requests), each on the ways they chose to hear from Closeknit, or by e-mail.
Only supporters who share `help_requests` can be asked. They answer from a link in their
message; `answers` shows each answer as it comes.

Sending twice is safe: a POST with the `client_key` of an earlier request, or any POST
within a few minutes of the last request, sends nothing and answers 200 with that request,
`"sent": false` and the reason. A new request answers 201 with `"sent": true`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Id, Input, UtcDateTime
from closeknit.api.writes import InvalidInput
from closeknit.circle import help as store
from closeknit.circle.models import HelpAnswer, HelpRequest
from closeknit.circle.vocab import Answer

router = Router(tags=["circle"])

# The store's field names, as this API calls them.
FIELDS = {"supporters": "supporter_ids"}
NO_ONE_SHARES = (
    "No one in your circle gets your “I need support” requests yet. Share help_requests "
    "with a supporter first (PATCH /api/v1/supporters/{id})."
)


class HelpRequestIn(Input):
    message: str = Field(
        description=f"Your message, 1 to {store.MAX_MESSAGE} characters once trimmed. "
        f"The page suggests: “{store.DEFAULT_MESSAGE}”"
    )
    supporter_ids: list[Id] | None = Field(
        None,
        description="Whom to ask: ids from /api/v1/supporters that share help_requests. "
        "Left out, everyone who does.",
    )
    client_key: str = Field(
        "",
        max_length=store.MAX_CLIENT_KEY,
        description="Any string unique to this request (a random one is fine). Sending "
        "the same key again returns the first request instead of sending twice.",
    )


class HelpAnswerOut(Schema):
    id: int
    supporter_id: int | None = Field(
        description="The supporter asked (/api/v1/supporters/{id}); null once their "
        "account is deleted."
    )
    supporter_name: str
    answer: Answer | None = Field(description="Null while they haven't answered.")
    answered_at: UtcDateTime | None

    @staticmethod
    def resolve_supporter_id(obj: HelpAnswer) -> int | None:
        return obj.link_id

    @staticmethod
    def resolve_answer(obj: HelpAnswer) -> str | None:
        return obj.answer or None


class HelpRequestOut(Schema):
    id: int
    message: str
    created_at: UtcDateTime
    answers: list[HelpAnswerOut]

    @staticmethod
    def resolve_answers(obj: HelpRequest) -> list[HelpAnswer]:
        return list(obj.answers.all())


class HelpRequestSent(HelpRequestOut):
    sent: bool = Field(description="False when an earlier request was returned instead.")
    why: str = Field(description="Why nothing was sent; empty when it was.")


def requests_of(owner: User) -> QuerySet[HelpRequest]:
    return store.requests_of(owner)


def _sent(owner: User, request: HelpRequest, created: bool) -> HelpRequest:
    """The request as saved, with whether it was sent now, and if not, why."""
    fresh = requests_of(owner).get(pk=request.pk)
    why = "" if created else store.already_sent_words(fresh, owner.zone)
    # Read by HelpRequestSent; they belong to this answer, not to the row.
    setattr(fresh, "sent", created)  # noqa: B010
    setattr(fresh, "why", why)  # noqa: B010
    return fresh


@router.post(
    "",
    response={201: HelpRequestSent, 200: HelpRequestSent, **ERRORS},
    summary="Ask your supporters for support (sent once, however often it is tapped)",
)
def create_help_request(request: HttpRequest, payload: HelpRequestIn) -> Status[HelpRequest]:
    owner = request_owner(request)
    if payload.supporter_ids is None:
        ids = [link.pk for link in store.choosable(owner)]
    else:
        ids = list(payload.supporter_ids)
    try:
        help_request, created = store.ask(owner, payload.message, ids, payload.client_key)
    except store.HelpError as error:
        errors = {FIELDS.get(field, field): words for field, words in error.errors.items()}
        if payload.supporter_ids is None and "supporter_ids" in errors:
            errors["supporter_ids"] = NO_ONE_SHARES  # they chose no one: no one shares
        raise InvalidInput(errors) from None
    return Status(201 if created else 200, _sent(owner, help_request, created))


@router.get(
    "",
    response={200: list[HelpRequestOut], **ERRORS},
    summary="List your requests for support, newest first, with their answers",
)
@paginated
def list_help_requests(request: HttpRequest) -> QuerySet[HelpRequest]:
    return requests_of(request_owner(request))


@router.get(
    "/{help_request_id}",
    response={200: HelpRequestOut, **NOT_FOUND_ERRORS},
    summary="One request for support, with each answer",
)
def get_help_request(request: HttpRequest, help_request_id: int) -> HelpRequest:
    return get_object_or_404(requests_of(request_owner(request)), pk=help_request_id)
