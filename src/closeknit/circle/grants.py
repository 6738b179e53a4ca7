"""The consent gate: the one way a supporter reaches anything of a member's.

Every supporter-facing page and API operation asks `grant(...)` for the link first. It
answers the active link between this supporter and a member only when the member shares
the scope asked for, and raises Http404 otherwise: a supporter without the scope, a
former supporter and a stranger all see the same "not found", so not even the existence
of a member leaks. Scopes are read fresh on every request, so granting and revoking take
effect at once.

Each look at shared data is written to the member's access log (`record_view`), and so
is each change of consent (`record`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from closeknit.circle.models import OVERVIEW, AccessEntry, Link
from closeknit.circle.vocab import AccessAction, EndedBy, Scope, Via

SCOPES: tuple[str, ...] = tuple(Scope.values)


def in_order(scopes: Iterable[str]) -> list[str]:
    """Scopes in the order the pages list them (the database keeps them alphabetical)."""
    given = set(scopes)
    return [scope for scope in SCOPES if scope in given]


def supporting(user: Any) -> Any:
    """The active links where `user` is the supporter; nothing for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return Link.objects.none()
    return Link.objects.active().filter(supporter=user)


def grant(user: Any, link_id: Any, scope: str | None = None) -> Link:
    """The active link `link_id` of supporter `user`, when it shares `scope` (None: any).

    Raises Http404 for anything else, whatever the reason.
    """
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}")
    try:
        link = supporting(user).select_related("owner", "person").get(pk=int(link_id))
    except (Link.DoesNotExist, TypeError, ValueError):
        raise Http404("Nothing here.") from None
    if scope is not None and scope not in link.scopes:
        raise Http404("Nothing here.")
    return link


def with_scope(member: Any, scope: str) -> Any:
    """The member's active links that share `scope` (whom a help request or nudge may reach)."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown scope {scope!r}")
    return Link.objects.active().filter(owner=member, scopes__has=scope)


def supporter_name(link: Link) -> str:
    """How the member knows this supporter: their own entry's name, else the account's name."""
    if link.person is not None:
        return link.person.name
    return link.supporter.name


def record(link: Link, action: str, part: str = "", via: str = Via.WEB) -> AccessEntry:
    """Add a line to the member's access log."""
    return AccessEntry.objects.create(
        owner_id=link.owner_id,
        link=link,
        supporter_id=link.supporter_id,
        supporter_name=supporter_name(link),
        action=action,
        part=part,
        via=via,
    )


def record_view(link: Link, part: str = OVERVIEW, via: str = Via.WEB) -> AccessEntry:
    """Log that the supporter looked at `part` (a scope, or the overview) of shared data."""
    return record(link, AccessAction.VIEWED, part, via)


def set_scopes(link: Link, scopes: Iterable[str], via: str = Via.WEB) -> tuple[set[str], set[str]]:
    """Share exactly `scopes` with the link's supporter; (granted, revoked), both logged.

    The member's own action, so callers fetch `link` through `owned_by`.
    """
    wanted = set(scopes)
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Link.objects.select_for_update().get(pk=link.pk)
        if not current.is_active:
            raise Http404("This supporter is no longer in your circle.")
        before = set(current.scopes)
        granted, revoked = wanted - before, before - wanted
        ordered = in_order(wanted)
        Link.objects.filter(pk=link.pk).update(scopes=ordered)
        for scope in sorted(granted, key=SCOPES.index):
            record(current, AccessAction.GRANTED, scope, via)
        for scope in sorted(revoked, key=SCOPES.index):
            record(current, AccessAction.REVOKED, scope, via)
    link.scopes = ordered
    return granted, revoked


def end(link: Link, by: str, via: str = Via.WEB) -> bool:
    """End the link, from either side; False when it had already ended.

    Nothing is shared from this moment on. The row stays for the access log.
    """
    if by not in EndedBy.values:
        raise ValueError(f"Unknown side {by!r}")
    with transaction.atomic():
        ended = Link.objects.filter(pk=link.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=by
        )
        if ended:
            record(link, AccessAction.ENDED, "", via)
    if ended:
        link.refresh_from_db(fields=["ended_at", "ended_by"])
    return bool(ended)
