"""Rows the circle's tests build, or compare before and after a request that must change nothing."""

from __future__ import annotations

from typing import Any

from closeknit.accounts.models import User
from closeknit.circle.models import Link, RuleSetting
from closeknit.network.models import Person


def rule_rows(owner: User) -> list[tuple[Any, ...]]:
    """The owner's stored early-warning rules, as the member set them."""
    return list(
        RuleSetting.objects.filter(owner=owner)
        .order_by("pk")
        .values_list(
            "kind",
            "enabled",
            "threshold",
            "days_needed",
            "window_days",
            "cooldown_days",
            "nudge_supporters",
        )
    )


def people_to_invite(
    member: User, stranger: User, supporter: User, sam: Person, archived_at: Any
) -> dict[str, Person]:
    """The people an invitation may name, by the placeholder a parametrised case uses.

    SAM can be invited, LEE has no e-mail address, THEIRS is another member's,
    OLD is archived and LINKED already supports the member.
    """
    return {
        "SAM": sam,
        "LEE": Person.objects.create(owner=member, name="Lee"),
        "THEIRS": Person.objects.create(owner=stranger, name="Theirs"),
        "OLD": Person.objects.create(owner=member, name="Old Friend", archived_at=archived_at),
        "LINKED": Link.objects.create(
            owner=member,
            supporter=supporter,
            person=Person.objects.create(owner=member, name="Ada"),
        ).person,
    }
