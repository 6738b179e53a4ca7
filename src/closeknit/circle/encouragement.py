"""Encouragement: short notes a supporter sends, which the member keeps or lets go.

The rules:

- Any active link may send, whatever it shares: a kind word needs no consent scope.
  Callers reach the link through `grants.grant(user, pk)`.
- A note is 1 to MAX_LENGTH characters once trimmed; it is stored encrypted.
- A supporter sends at most DAILY_LIMIT notes to one member per day (the supporter's own
  local day): past that, a kind message and nothing saved. The link's row is locked
  while counting, so two sends at once can't both slip past the limit.
- The note carries the name the member knows the supporter by (`grants.supporter_name`),
  so it still says who after the link or the account is gone.
- Only the member reads, keeps (favourite) and deletes their notes, through `owned_by`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from closeknit.circle import grants
from closeknit.circle.models import Encouragement, Link

MAX_LENGTH = 500
DAILY_LIMIT = 10
ON_HOME = 3
PAGE_SIZE = 50

EMPTY = "Please write a few words."
TOO_LONG = f"Please keep it to {MAX_LENGTH} characters or fewer; a few words can say a lot."
ENDED = "You are no longer in their circle, so the note can't be sent."


def too_many(name: str) -> str:
    return (
        f"You have sent {name} {DAILY_LIMIT} notes today, which is plenty for one day. "
        "You can send more tomorrow."
    )


class EncouragementError(ValueError):
    """A note that can't be sent, with the words to say why; nothing was saved."""


def clean_text(text: str) -> str:
    """The note trimmed; EncouragementError when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise EncouragementError(EMPTY)
    if len(text) > MAX_LENGTH:
        raise EncouragementError(TOO_LONG)
    return text


def _day_start(now: dt.datetime, supporter: Any) -> dt.datetime:
    """Midnight of the supporter's local day that `now` falls on, as an aware instant."""
    zone = supporter.zone
    local = now.astimezone(zone)
    return dt.datetime.combine(local.date(), dt.time(), tzinfo=zone)


def sent_today(link: Link, now: dt.datetime | None = None) -> int:
    """How many notes the link's supporter sent its member today (their own local day)."""
    now = now or timezone.now()
    return Encouragement.objects.filter(
        link=link, sent_at__gte=_day_start(now, link.supporter), sent_at__lte=now
    ).count()


def send(link: Link, text: str, now: dt.datetime | None = None) -> Encouragement:
    """Send a note from the link's supporter to its member; EncouragementError saves nothing."""
    text = clean_text(text)
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            Link.objects.select_for_update(of=("self",))
            .select_related("owner", "supporter", "person")
            .filter(pk=link.pk)
            .first()
        )
        if current is None or not current.is_active:
            raise EncouragementError(ENDED)
        if sent_today(current, now) >= DAILY_LIMIT:
            raise EncouragementError(too_many(current.owner.name))
        return Encouragement.objects.create(
            owner_id=current.owner_id,
            link=current,
            supporter_id=current.supporter_id,
            author_name=grants.supporter_name(current),
            text=text,
            sent_at=now,
        )


# The member's side ---------------------------------------------------------------------------


def notes_of(member: Any, favourites: bool = False) -> QuerySet[Encouragement]:
    """The member's notes, newest first; only the kept ones if `favourites`."""
    rows = Encouragement.objects.owned_by(member).order_by("-sent_at", "-id")
    return rows.filter(favourite=True) if favourites else rows


def note_of(member: Any, pk: Any) -> Encouragement:
    """One of the member's notes, or Http404 (someone else's looks the same as none)."""
    return get_object_or_404(notes_of(member), pk=pk)


def set_favourite(member: Any, pk: Any, favourite: bool) -> Encouragement:
    note = note_of(member, pk)
    if note.favourite != favourite:
        note.favourite = favourite
        note.save(update_fields=["favourite"])
    return note


def toggle_favourite(member: Any, pk: Any) -> Encouragement:
    """Keep the note as a favourite, or stop keeping it; Http404 when it isn't the member's."""
    note = note_of(member, pk)
    note.favourite = not note.favourite
    note.save(update_fields=["favourite"])
    return note


def delete(member: Any, pk: Any) -> None:
    """Delete one of the member's notes for good; Http404 when it isn't theirs."""
    note_of(member, pk).delete()


@dataclass(frozen=True)
class HomeNotes:
    latest: Sequence[Encouragement]
    has_favourites: bool


def for_home(member: Any) -> HomeNotes:
    """The newest ON_HOME notes and whether any is kept as a favourite: one query."""
    kept = Encouragement.objects.filter(owner=OuterRef("owner"), favourite=True)
    rows = list(notes_of(member).annotate(any_favourite=Exists(kept))[:ON_HOME])
    return HomeNotes(
        latest=rows,
        has_favourites=bool(rows) and bool(getattr(rows[0], "any_favourite", False)),
    )
