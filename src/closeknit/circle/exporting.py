"""The circle of supporters in the JSON export.

`network.exporting.export_document` adds these keys after the keeping-in-touch ones,
with the same conventions: a day is an ISO date in the member's own calendar,
instants are ISO 8601 in UTC, vocabularies are slugs, text is decrypted, and every
list has a fixed order (oldest first), so two exports of the same data are equal.
A supporter is named by their person id in "people" (null for someone not in the
export) and by the name the member knows them by.

All of it is the member's own: who supported them and what they shared, the
early-warning rules and when they fired, their "I need support" messages with the
answers, the encouragement they received, and the access log. Only the rules, their
firings and the encouragement come back on import (see `circle.importing`): a link,
a help request and a log line are between two accounts on this server.

Seven queries, however many records there are.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django.db.models import Prefetch

from closeknit.accounts.models import User
from closeknit.circle import grants, rules
from closeknit.circle.models import (
    AccessEntry,
    Encouragement,
    HelpAnswer,
    HelpRequest,
    Link,
    RuleFiring,
    RuleSetting,
)
from closeknit.network.exporting import utc

CIRCLE_KEYS = (
    "supporters",
    "early_warning_rules",
    "early_warning_firings",
    "help_requests",
    "encouragements",
    "access_log",
)


def circle_document(owner: User, people: Container[int]) -> dict[str, Any]:
    """The circle's keys of the export; `people` holds the exported person ids."""

    def person(pk: int | None) -> int | None:
        return pk if pk is not None and pk in people else None

    links = (
        Link.objects.owned_by(owner)
        .select_related("person", "supporter")
        .order_by("created_at", "pk")
    )
    order = {kind: index for index, kind in enumerate(rules.KINDS)}
    settings = sorted(
        RuleSetting.objects.owned_by(owner), key=lambda row: order.get(row.kind, len(order))
    )
    firings = RuleFiring.objects.owned_by(owner).order_by("fired_at", "pk")
    answers = HelpAnswer.objects.order_by("pk")
    requests = (
        HelpRequest.objects.owned_by(owner)
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("answers", queryset=answers))
    )
    notes = Encouragement.objects.owned_by(owner).order_by("sent_at", "pk")
    log = AccessEntry.objects.owned_by(owner).order_by("at", "pk")
    return {
        "supporters": [
            {
                "person": person(link.person_id),
                "name": grants.supporter_name(link),
                "scopes": grants.in_order(link.scopes),
                "since": utc(link.created_at),
                "ended_at": utc(link.ended_at),
                "ended_by": link.ended_by,
            }
            for link in links
        ],
        "early_warning_rules": [
            {
                "kind": row.kind,
                "enabled": row.enabled,
                "threshold": row.threshold,
                "days_needed": row.days_needed,
                "window_days": row.window_days,
                "cooldown_days": row.cooldown_days,
                "nudge_supporters": row.nudge_supporters,
            }
            for row in settings
        ],
        "early_warning_firings": [
            {
                "kind": firing.kind,
                "day": firing.day.isoformat(),
                "reason": firing.reason,
                "fired_at": utc(firing.fired_at),
                "supporters_nudged": firing.supporters_nudged,
                "kept_to_myself_at": utc(firing.supporters_cancelled_at),
            }
            for firing in firings
        ],
        "help_requests": [
            {
                "message": request.message,
                "sent_at": utc(request.created_at),
                "answers": [
                    {
                        "supporter": answer.supporter_name,
                        "answer": answer.answer or None,
                        "answered_at": utc(answer.answered_at),
                    }
                    for answer in request.answers.all()
                ],
            }
            for request in requests
        ],
        "encouragements": [
            {
                "from": note.author_name,
                "text": note.text,
                "favourite": note.favourite,
                "sent_at": utc(note.sent_at),
            }
            for note in notes
        ],
        "access_log": [
            {
                "supporter": entry.supporter_name,
                "action": entry.action,
                "part": entry.part,
                "via": entry.via,
                "at": utc(entry.at),
            }
            for entry in log
        ],
    }


__all__ = ["CIRCLE_KEYS", "circle_document"]
