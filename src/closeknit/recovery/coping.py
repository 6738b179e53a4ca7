"""Which coping strategies help the member most: a ranking from how much each one helped.

The ranking is pure (`score`, `rank`) and unit-tested on its own
(tests/recovery/test_coping_rules.py). `top_strategies` is the one query on top of
it, for other parts of the app: the safety plan suggests its entries for "things I
can do on my own".

Why a shrunk mean: a strategy used once that helped "a lot" (5) should not jump
above one that helped "quite a bit" (4) ten times. Each strategy starts as if it had
been used `PRIOR_WEIGHT` times with a neutral `PRIOR_MEAN`; its own uses pull it away
from there, more with every use. Never-used strategies have no evidence at all, so
they come after every used one rather than at the neutral middle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum

from closeknit.recovery.models import CopingStrategy

PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 2
HELPED_MIN, HELPED_MAX = 1, 5

# How much a use helped, in words the member picks from; 1 is no judgement of anyone.
HELPED_LABELS: dict[int, str] = {
    1: "It didn't help this time",
    2: "A little",
    3: "Somewhat",
    4: "Quite a bit",
    5: "A lot",
}
# The same scale for an average over several uses, to follow "it": "on average it helped a lot".
AVERAGE_WORDS: dict[int, str] = {
    1: "didn't help much",
    2: "helped a little",
    3: "helped somewhat",
    4: "helped quite a bit",
    5: "helped a lot",
}


@dataclass(frozen=True)
class Uses:
    """What the ranking needs to know about one strategy's uses."""

    strategy_id: int
    count: int
    helped_total: int
    last_used_at: dt.datetime | None


def score(helped_total: int, count: int) -> float | None:
    """The shrunk mean of `helped`: (sum + prior × k) ÷ (n + k); None when never used."""
    if count < 0 or helped_total < 0:
        raise ValueError("counts cannot be negative")
    if count == 0:
        return None
    return (helped_total + PRIOR_MEAN * PRIOR_WEIGHT) / (count + PRIOR_WEIGHT)


def mean_helped(helped_total: int, count: int) -> float | None:
    """The plain average, as shown to the member next to the number of uses behind it."""
    if count == 0:
        return None
    return helped_total / count


def helped_words(value: float | None) -> str:
    """Words for an average of `helped`, rounded half up: 3.5 "helped quite a bit"."""
    if value is None:
        return "not used yet"
    rounded = int(value + 0.5)
    return AVERAGE_WORDS[min(max(rounded, HELPED_MIN), HELPED_MAX)]


def rank(uses: Iterable[Uses]) -> list[int]:
    """Strategy ids, most helpful first.

    Used strategies by score, ties broken by the most recent use (what helped lately
    is more likely to help now), then by id; never-used ones after, in the order given.
    """
    rows = list(uses)
    used = [row for row in rows if row.count > 0]
    unused = [row.strategy_id for row in rows if row.count == 0]

    def key(row: Uses) -> tuple[float, float, int]:
        value = score(row.helped_total, row.count) or 0.0
        when = row.last_used_at.timestamp() if row.last_used_at is not None else 0.0
        return (-value, -when, row.strategy_id)

    return [row.strategy_id for row in sorted(used, key=key)] + unused


# Queries


def with_uses(queryset: QuerySet[CopingStrategy]) -> QuerySet[CopingStrategy]:
    """Strategies annotated with `use_count`, `helped_total` and `last_used_at` in one query."""
    return queryset.annotate(
        use_count=Count("uses"),
        helped_total=Sum("uses__helped"),
        last_used_at=Max("uses__used_at"),
    )


def uses_of(strategy: Any) -> Uses:
    """The `Uses` of a strategy annotated by `with_uses`."""
    return Uses(
        strategy_id=strategy.pk,
        count=strategy.use_count,
        helped_total=strategy.helped_total or 0,
        last_used_at=strategy.last_used_at,
    )


def ranked(queryset: QuerySet[CopingStrategy]) -> list[CopingStrategy]:
    """The strategies of `queryset`, most helpful first, each annotated as by `with_uses`."""
    rows = {row.pk: row for row in with_uses(queryset.order_by("title", "id"))}
    return [rows[pk] for pk in rank(uses_of(row) for row in rows.values())]


def top_strategies(owner: Any, limit: int) -> list[CopingStrategy]:
    """The member's `limit` most helpful strategies that are not archived, best first.

    Never-used strategies fill the list after the used ones: they are still the
    member's own ideas. Each row carries `use_count`, `helped_total` and `last_used_at`.
    """
    if limit <= 0:
        return []
    active = CopingStrategy.objects.owned_by(owner).filter(archived_at__isnull=True)
    return ranked(active.defer("description"))[:limit]
