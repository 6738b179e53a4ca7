"""A questionnaire's results over time: change since last time, and whether it is meaningful.

Pure: rows come in oldest first as plain values. Change is measured between
complete results only (an incomplete one has no total). A definition may name a
meaningful change (5 points on the PHQ-9, 10 on the WHO-5); a change of at least
that much, either way, is marked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    id: int
    taken_at: dt.datetime
    total: float | None
    band: str


@dataclass(frozen=True)
class Row:
    result: Result
    change: float | None  # since the previous complete result
    meaningful: bool
    better: bool | None  # whether the change is in the direction of feeling better


def _round(value: float) -> float:
    # Means differ by twelfths; show a change as people read a score.
    return round(value, 2)


def rows(
    results: Iterable[Result], meaningful_change: int | None, higher_is_better: bool
) -> list[Row]:
    """Each result with its change since the previous complete one (oldest first)."""
    out: list[Row] = []
    previous: float | None = None
    for result in results:
        if result.total is None:
            out.append(Row(result, None, False, None))
            continue
        change = None if previous is None else _round(result.total - previous)
        meaningful = (
            change is not None
            and meaningful_change is not None
            and abs(change) >= meaningful_change
        )
        better = None if not change else (change > 0) == higher_is_better
        out.append(Row(result, change, meaningful, better))
        previous = result.total
    return out


def shown(value: float | None) -> str:
    """A score or change as people read it: 5, not 5.0; 4.92 for a mean."""
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def change_words(row: Row, meaningful_change: int | None) -> str:
    """The change in plain words: "3 points lower than last time"."""
    if row.change is None:
        return "First result" if row.result.total is not None else "Incomplete"
    if row.change == 0:
        return "The same as last time"
    amount = abs(row.change)
    unit = "point" if amount == 1 else "points"
    direction = "higher" if row.change > 0 else "lower"
    text = f"{shown(amount)} {unit} {direction} than last time"
    if row.meaningful and meaningful_change is not None:
        text += f" (a change of {meaningful_change} or more)"
    return text
