"""Invitations to a member's circle of supporters: made, sent, accepted once, withdrawn.

The rules, for the pages and the API alike:

- An invitation is for one of the member's own people (not archived), who isn't in
  their circle already. It offers exactly `scopes` (none unless the member ticks them).
- Its token (`secrets.token_urlsafe(32)`) is never stored, only its SHA-256, like API
  tokens: it reaches the supporter in the e-mail's body (encrypted at rest, never in the
  message's plain `url`), or is shown to the member once, to pass on.
- It works once, until `expires_at` (settings.CIRCLE_INVITATION_DAYS after it was made).
  Accepting claims it with a conditional UPDATE, so two accepts racing can't both win.
- Accepting makes the link with the invitation's person and scopes and writes LINKED and
  one GRANTED per scope to the member's access log, all in one transaction. Other open
  invitations for the same person go at the same moment: that person is in now.
- Whatever makes a token unusable (unknown, used, expired, withdrawn, the member's
  account gone) gives the same `InvitationGone`, so a token reveals nothing about why.
- Its e-mail goes only while it is still open (`undeliverable`, asked by
  notify/delivery.py): not once it was used, withdrawn or ran out, or its person was
  removed, while the e-mail waited for a retry.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from closeknit.accounts.models import User, hash_token
from closeknit.circle import grants
from closeknit.circle.models import Invitation, Link
from closeknit.circle.vocab import AccessAction, Scope, Via
from closeknit.network.models import Person
from closeknit.notify.models import Message
from closeknit.notify.outbox import enqueue
from closeknit.notify.vocab import MessageKind, MessageStatus

PAGE_SIZE = 50
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
MAX_TOKEN_LENGTH = 100

OPEN = "open"
ACCEPTED = "accepted"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
STATUSES = (OPEN, ACCEPTED, EXPIRED, WITHDRAWN)

GONE = (
    "This invitation link no longer works. It may have been used already, withdrawn, "
    "or it may have expired. Please ask the person who sent it for a new one."
)


class InvitationError(ValueError):
    """An invitation that can't be made or accepted; `message` says why, kindly.

    `field` names the form or API field it is about ("" for the request as a whole).
    """

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class InvitationGone(InvitationError):
    """The token can't be used (any reason); `reason` is for tests and never shown."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(GONE)


# Reading -------------------------------------------------------------------------------------


def status_of(invitation: Invitation, now: dt.datetime | None = None) -> str:
    """open, accepted, withdrawn or expired (in that order of precedence)."""
    if invitation.accepted_at is not None:
        return ACCEPTED
    if invitation.withdrawn_at is not None:
        return WITHDRAWN
    if invitation.expires_at <= (now or timezone.now()):
        return EXPIRED
    return OPEN


def invitations_of(member: Any) -> QuerySet[Invitation]:
    """All the member's invitations, newest first, with their person."""
    return (
        Invitation.objects.owned_by(member)
        .select_related("person")
        .defer("person__notes")
        .order_by("-created_at", "-id")
    )


def open_invitations(member: Any, now: dt.datetime | None = None) -> QuerySet[Invitation]:
    return invitations_of(member).filter(
        accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def supporters_of(member: Any) -> QuerySet[Link]:
    """The member's active links, oldest first, with the person and account for the name."""
    return (
        Link.objects.active()
        .owned_by(member)
        .select_related("person", "supporter")
        .defer("person__notes")
        .order_by("created_at", "id")
    )


def ordered_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes only, each once, in the vocabulary's order; ValueError for others."""
    wanted = {str(scope) for scope in scopes}
    unknown = wanted - set(grants.SCOPES)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    return [scope for scope in grants.SCOPES if scope in wanted]


def join_path(token: str) -> str:
    return reverse("circle:join", args=[token])


def join_url(token: str) -> str:
    return settings.BASE_URL + join_path(token)


def find_open(token: str, now: dt.datetime | None = None) -> Invitation | None:
    """The open invitation with this token, or None whatever the reason."""
    try:
        return _lookup(token, now)
    except InvitationGone:
        return None


def accepted_by(token: str, user: Any) -> Link | None:
    """The active link `user` made with this token already (a second click on the link)."""
    if not getattr(user, "is_authenticated", False) or not _plausible(token):
        return None
    invitation = (
        Invitation.objects.select_related("link")
        .filter(digest=hash_token(token), link__isnull=False)
        .first()
    )
    if invitation is None or invitation.link is None:
        return None
    link = invitation.link
    if link.supporter_id != user.pk or not Link.objects.active().filter(pk=link.pk).exists():
        return None
    return link


def _plausible(token: str) -> bool:
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH


def _lookup(token: str, now: dt.datetime | None = None) -> Invitation:
    if not _plausible(token):
        raise InvitationGone("unknown")
    invitation = (
        Invitation.objects.select_related("owner", "person")
        .filter(digest=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationGone("unknown")
    status = status_of(invitation, now)
    if status != OPEN:
        raise InvitationGone(status)
    if not invitation.owner.is_active:
        raise InvitationGone("account")
    return invitation


def scope_words(scopes: Iterable[str]) -> list[str]:
    """The scopes' labels, in the vocabulary's order (the database keeps them sorted)."""
    return [str(Scope(scope).label) for scope in ordered_scopes(scopes)]


# Inviting ------------------------------------------------------------------------------------


def invite(
    member: User,
    person: Person,
    scopes: Iterable[str],
    email: str = "",
    now: dt.datetime | None = None,
) -> tuple[Invitation, str]:
    """Make an invitation for `person`; (invitation, token). The token is never stored.

    With `email`, the invitation goes there through the outbox, in this transaction.
    InvitationError (naming the field) changes nothing.
    """
    now = now or timezone.now()
    chosen = ordered_scopes(scopes)
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvitationError(
                "Please enter a whole e-mail address, like sam@example.org.", "email"
            ) from None
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Locked, so two invitations made at once can't slip past the checks together.
        person = _invitable(member, person.pk)
        invitation = Invitation.objects.create(
            owner=member,
            person=person,
            email=email,
            scopes=chosen,
            digest=hash_token(token),
            expires_at=now + dt.timedelta(days=settings.CIRCLE_INVITATION_DAYS),
            created_at=now,
        )
        if email:
            enqueue(
                member,
                key=message_key(invitation),
                kind=MessageKind.INVITATION,
                title=message_title(member),
                body=message_body(member, invitation, token),
                to_address=email,
                due_at=now,
            )
    return invitation, token


def _invitable(member: User, person_id: Any) -> Person:
    person = (
        Person.objects.owned_by(member).select_for_update().filter(pk=person_id).first()
        if person_id is not None
        else None
    )
    if person is None:
        raise InvitationError("We couldn't find that person in your network.", "person")
    if person.is_archived:
        raise InvitationError(
            f"{person.name} is archived. Bring them back into your network first, "
            "then you can invite them.",
            "person",
        )
    if Link.objects.active().filter(owner=member, person=person).exists():
        raise InvitationError(
            f"{person.name} is in your circle already. You can change what you share "
            "with them on their page in your circle.",
            "person",
        )
    return person


def message_key(invitation: Invitation) -> str:
    return f"invitation:{invitation.pk}"


CLOSED_BEFORE_SENDING = (
    "The invitation was used, withdrawn or had run out before its e-mail could go."
)


def undeliverable(message: Message, now: dt.datetime) -> str | None:
    """Why an invitation's e-mail may no longer go at `now`, or None while it is open."""
    prefix, _colon, pk = message.dedup_key.partition(":")
    if prefix != "invitation" or not pk.isdigit():
        return CLOSED_BEFORE_SENDING
    still_open = Invitation.objects.filter(
        pk=int(pk),
        owner_id=message.owner_id,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    ).exists()
    return None if still_open else CLOSED_BEFORE_SENDING


def message_title(member: User) -> str:
    return f"{member.name} would like you in their circle of supporters"


def expiry_words(invitation: Invitation, zone: Any) -> str:
    """The moment it stops working, as a day and time in `zone`."""
    local = timezone.localtime(invitation.expires_at, zone)
    return format_date(local, "l j F Y, H:i")


def message_body(member: User, invitation: Invitation, token: str) -> str:
    """What the e-mail says: who, what they'd share (and what never), the link, until when."""
    name = member.name
    if invitation.scopes:
        offered = "\n".join(f"- {label}" for label in scope_words(invitation.scopes))
        sharing = f"If you join, {name} will share this with you:\n{offered}"
    else:
        sharing = (
            f"For now {name} shares nothing with you; joining means they can choose "
            "to later, and you would see it then."
        )
    return (
        f"Hello,\n\n"
        f"{name} uses Closeknit to keep the people who support them close, and would like "
        f"you in their circle of supporters.\n\n"
        f"{sharing}\n\n"
        f"Nothing else is ever shared: not their notes, not single days. {name} can change "
        f"what they share, or end the link, at any time, and you can step back whenever "
        f"you need to.\n\n"
        f"To see the details and join, open this link. It works once, until "
        f"{expiry_words(invitation, member.zone)} ({member.time_zone} time):\n"
        f"{join_url(token)}\n\n"
        f"You'll need a Closeknit account here; you can create one on the way, for free."
    )


def withdraw(invitation: Invitation, now: dt.datetime | None = None) -> bool:
    """Stop an unused invitation from working; False if it was used or withdrawn before.

    Its e-mail goes too, if it hasn't been sent yet.
    """
    now = now or timezone.now()
    with transaction.atomic():
        withdrawn = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        if withdrawn:
            Message.objects.filter(
                owner_id=invitation.owner_id, dedup_key=message_key(invitation)
            ).exclude(status=MessageStatus.SENT).delete()
    if withdrawn:
        invitation.withdrawn_at = now
    return bool(withdrawn)


# Accepting -----------------------------------------------------------------------------------


def accept(token: str, user: User, now: dt.datetime | None = None, via: str = Via.WEB) -> Link:
    """`user` joins the circle the token invites to; the new link.

    InvitationGone when the token can't be used; InvitationError when this user can't
    use it (their own, or they are in that circle already). Either changes nothing.
    """
    now = now or timezone.now()
    invitation = _lookup(token, now)
    member = invitation.owner
    problem = refusal(invitation, user)
    if problem:
        raise InvitationError(problem)
    try:
        with transaction.atomic():
            return _claim(invitation, user, now, via)
    except IntegrityError:
        # Another accept by the same account won the race for the one active link.
        raise InvitationError(f"You're in {member.name}'s circle already.") from None


def refusal(invitation: Invitation, user: Any) -> str:
    """Why `user` can't accept this open invitation ("" when they can)."""
    member = invitation.owner
    if member.pk == user.pk:
        return (
            "This is your own invitation. Pass the link on to the person you'd like in "
            "your circle; it works for them once."
        )
    if Link.objects.active().filter(owner=member, supporter=user).exists():
        return f"You're in {member.name}'s circle already."
    return ""


def _claim(invitation: Invitation, user: User, now: dt.datetime, via: str) -> Link:
    person_id = invitation.person_id
    # The person's row is the lock: one link per person, even with two open invitations.
    list(Person.objects.select_for_update().filter(pk=person_id))
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        accepted_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=now,
    ).update(accepted_at=now)
    if not claimed:
        raise InvitationGone("raced")
    if Link.objects.active().filter(owner_id=invitation.owner_id, person_id=person_id).exists():
        raise InvitationGone("person linked")
    link = Link.objects.create(
        owner_id=invitation.owner_id,
        supporter=user,
        person_id=person_id,
        scopes=ordered_scopes(invitation.scopes),
        created_at=now,
    )
    Invitation.objects.filter(pk=invitation.pk).update(link=link)
    # The same person can't join twice: their other open invitations have done their work
    # (expired ones stay "expired" in the member's list).
    others = list(
        Invitation.objects.filter(
            owner_id=invitation.owner_id,
            person_id=person_id,
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now,
        )
    )
    for other in others:
        withdraw(other, now)
    grants.record(link, AccessAction.LINKED, "", via)
    for scope in link.scopes:
        grants.record(link, AccessAction.GRANTED, scope, via)
    invitation.accepted_at, invitation.link = now, link
    return link
