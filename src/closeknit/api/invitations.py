"""/api/v1/invitations: inviting someone to your circle of supporters, and joining one.

The rules are the circle page's own (circle/invitations.py): an invitation is for one
of your people who isn't archived or in your circle already; it offers exactly
`scopes` (none unless you say so) and works once, until `expires_at`. With `email`,
it is sent there and its link never comes back to you; without, the answer to the
POST carries `token` and `url` once, for you to pass on: only a fingerprint is kept.

`POST /accept` is the other side: the caller joins the circle the token invites to.
A token that can't be used, whatever the reason, answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from closeknit.accounts.models import User
from closeknit.api.auth import request_owner
from closeknit.api.errors import ERRORS, NOT_FOUND_ERRORS
from closeknit.api.pagination import paginated
from closeknit.api.schemas import Email, Id, Input, UtcDateTime
from closeknit.api.supporters import Scopes
from closeknit.api.writes import InvalidInput
from closeknit.circle import invitations as store
from closeknit.circle.models import Invitation, Link
from closeknit.circle.vocab import Scope, Via
from closeknit.network.models import Person

router = Router(tags=["circle"])

STATUS_HELP = "open (can be used), accepted, expired or withdrawn."
ACCEPTED_ALREADY = (
    "This invitation was used already. To end the link it made, remove the supporter "
    "(DELETE /api/v1/supporters/{id})."
)


class InvitationIn(Input):
    person_id: Id = Field(description="Who you're inviting: a person in your network.")
    scopes: Scopes = Field(
        default_factory=list, description="What you'd share once they join; [] for nothing."
    )
    email: Email = Field(
        "",
        description="Send the invitation to this address. Left out, the answer carries "
        "a link for you to pass on yourself.",
    )


class InvitationOut(Schema):
    id: int
    person_id: int
    email: str = Field(description="Where it was sent; empty for a link you passed on.")
    scopes: list[Scope]
    status: str = Field(description=STATUS_HELP)
    created_at: UtcDateTime
    expires_at: UtcDateTime
    accepted_at: UtcDateTime | None
    withdrawn_at: UtcDateTime | None
    supporter_id: int | None = Field(
        description="Once accepted: the supporter it made (/api/v1/supporters/{id})."
    )

    @staticmethod
    def resolve_scopes(obj: Invitation) -> list[str]:
        return store.ordered_scopes(obj.scopes)

    @staticmethod
    def resolve_status(obj: Invitation) -> str:
        return store.status_of(obj)

    @staticmethod
    def resolve_supporter_id(obj: Invitation) -> int | None:
        return obj.link_id


class InvitationCreated(InvitationOut):
    token: str | None = Field(
        description="Only without an e-mail, and only in this answer: the invitation's secret."
    )
    url: str | None = Field(
        description="Only without an e-mail, and only in this answer: the link to pass on."
    )

    @staticmethod
    def resolve_token(obj: Invitation) -> str | None:
        return getattr(obj, "token", None)

    @staticmethod
    def resolve_url(obj: Invitation) -> str | None:
        return getattr(obj, "url", None)


class AcceptIn(Input):
    token: str = Field(max_length=store.MAX_TOKEN_LENGTH, description="From the invitation link.")


class JoinedOut(Schema):
    id: int = Field(description="The link, as /api/v1/supporting/{id} knows it.")
    member_name: str
    scopes: list[Scope] = Field(description="What they share with you.")
    since: UtcDateTime


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_object_or_404(store.invitations_of(request_owner(request)), pk=invitation_id)


@router.get(
    "",
    response={200: list[InvitationOut], **ERRORS},
    summary="List your invitations, newest first (open and past)",
)
@paginated
def list_invitations(request: HttpRequest) -> QuerySet[Invitation]:
    return store.invitations_of(request_owner(request))


@router.post(
    "",
    response={201: InvitationCreated, **ERRORS},
    summary="Invite someone to your circle, by e-mail or as a link to pass on",
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[Invitation]:
    owner = request_owner(request)
    person = Person.objects.owned_by(owner).filter(pk=payload.person_id).first()
    if person is None:
        raise InvalidInput({"person_id": f"No one with id {payload.person_id} is in your network."})
    try:
        invitation, token = store.invite(owner, person, payload.scopes, payload.email)
    except store.InvitationError as error:
        field = {"person": "person_id"}.get(error.field, error.field or "person_id")
        raise InvalidInput({field: error.message}) from None
    if not invitation.email:
        # Shown in this answer only; nothing but the digest is kept.
        invitation.token, invitation.url = token, store.join_url(token)  # type: ignore[attr-defined]
    return Status(201, invitation)


# Before "/{invitation_id}", whose pattern would otherwise take "accept" for an id.
@router.post(
    "/accept",
    response={201: JoinedOut, **NOT_FOUND_ERRORS},
    summary="Join the circle an invitation token invites you to",
)
def accept_invitation(request: HttpRequest, payload: AcceptIn) -> Status[dict[str, object]]:
    user: User = request_owner(request)
    try:
        link: Link = store.accept(payload.token, user, via=Via.API)
    except store.InvitationGone:
        raise Http404(store.GONE) from None
    except store.InvitationError as error:
        raise InvalidInput({"token": error.message}) from None
    return Status(
        201,
        {
            "id": link.pk,
            "member_name": link.owner.name,
            "scopes": store.ordered_scopes(link.scopes),
            "since": link.created_at,
        },
    )


@router.delete(
    "/{invitation_id}",
    response={204: None, **NOT_FOUND_ERRORS},
    summary="Withdraw an invitation (its link stops working)",
)
def withdraw_invitation(request: HttpRequest, invitation_id: int) -> Status[None]:
    invitation = _invitation(request, invitation_id)
    if invitation.accepted_at is not None:
        raise InvalidInput({"invitation_id": ACCEPTED_ALREADY}, location=("path",))
    store.withdraw(invitation)
    return Status(204, None)
