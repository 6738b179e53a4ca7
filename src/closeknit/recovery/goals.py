"""The rules of goals, their steps and their milestones, as pure functions.

No database and no request here: callers (the goal pages and /api/v1/goals) pass
plain values in and apply what comes out, so every rule is unit-tested on its own
(tests/recovery/test_goals_rules.py).

The milestone rules, in one place:

1. Ticking a step done creates a milestone for it (titled after the step, dated the
   member's *local* day of the tick, with the goal's helpers as its people), unless
   the step already has one: a step is celebrated once, however often it is ticked.
2. Un-ticking a step removes its milestone only when the milestone is from the same
   local day (or, after a change of time zone, a later one). That is an undo of a
   mis-tap, which should leave no trace. A milestone from an earlier day stays: the
   step *was* done then, and that is worth keeping.
3. A goal is reached only by an explicit "Mark the goal as reached", allowed when it
   has no steps or all its steps are done. That creates the goal's milestone, unless
   it already has one from an earlier time it was reached.
4. A reached goal stays reached while all its steps are done. Un-ticking or adding a
   step reopens it, and never removes the goal's milestone: it was reached.
5. Reopening a goal on purpose ("Not reached after all") follows rule 2: the same
   local day removes the goal's milestone, a later day keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Re-exported: the goal rules and their callers read days with it.
from closeknit.lib.days import local_day as local_day

# A goal is a handful of steps; more than this in one go is a paste gone wrong.
MAX_STEPS = 100
STEP_TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Progress:
    """How far a goal has come: `done` of its `total` steps."""

    done: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.done <= self.total:
            raise ValueError(f"done ({self.done}) must be between 0 and total ({self.total})")

    @property
    def has_steps(self) -> bool:
        return self.total > 0

    @property
    def all_done(self) -> bool:
        """Every step is done; a goal without steps has nothing to tick, so it is not."""
        return self.has_steps and self.done == self.total

    @property
    def label(self) -> str:
        """ "2 of 5 steps", "1 of 1 step"; "No steps yet" rather than a made-up percentage."""
        if not self.has_steps:
            return "No steps yet"
        noun = "step" if self.total == 1 else "steps"
        return f"{self.done} of {self.total} {noun}"

    @property
    def fraction(self) -> float | None:
        """done ÷ total, or None without steps (there is nothing to divide)."""
        if not self.has_steps:
            return None
        return self.done / self.total


def progress(done_flags: Iterable[bool]) -> Progress:
    """Progress from each step's done / not done."""
    flags = list(done_flags)
    return Progress(done=sum(1 for flag in flags if flag), total=len(flags))


def can_be_reached(current: Progress) -> bool:
    """Whether "Mark the goal as reached" is offered: no steps, or every step done."""
    return not current.has_steps or current.all_done


def stays_reached(current: Progress) -> bool:
    """Whether a reached goal is still reached after its steps changed (rule 4)."""
    return can_be_reached(current)


def creates_milestone(already_has_one: bool) -> bool:
    """Rules 1 and 3: a step or a goal gets one milestone, the first time."""
    return not already_has_one


def undo_removes_milestone(achieved_on: dt.date, undone_at: dt.datetime, zone: ZoneInfo) -> bool:
    """Rules 2 and 5: an undo on the day of the milestone (member's local day) removes it."""
    return achieved_on >= local_day(undone_at, zone)


# Steps: order and input


def next_position(positions: Iterable[int]) -> int:
    """Where a new step goes: after the last one."""
    return max(positions, default=-1) + 1


def move(order: Sequence[int], item: int, offset: int) -> list[int]:
    """The ids in `order` with `item` moved `offset` places (-1 up, +1 down), kept in bounds.

    An id that is not in `order` leaves it as it was.
    """
    ids = list(order)
    if item not in ids:
        return ids
    start = ids.index(item)
    end = min(max(start + offset, 0), len(ids) - 1)
    ids.insert(end, ids.pop(start))
    return ids


def first_steps(text: str) -> list[str]:
    """The steps typed one a line when creating a goal: blank lines and list marks dropped."""
    steps = []
    for line in text.splitlines():
        title = line.strip().lstrip("-*•").strip()
        if title:
            steps.append(title)
    return steps


def check_first_steps(titles: Sequence[str]) -> str | None:
    """A message when the typed steps can't be saved as they are, else None."""
    if len(titles) > MAX_STEPS:
        return f"That's {len(titles)} steps; please keep it to {MAX_STEPS} at first."
    for title in titles:
        if len(title) > STEP_TITLE_MAX_LENGTH:
            return (
                f"Each step can be up to {STEP_TITLE_MAX_LENGTH} characters; "
                f"one starts “{title[:30]}…”."
            )
    return None


@dataclass(frozen=True)
class StepsPlan:
    """How to turn a goal's steps into a list sent whole (PUT): which to keep, drop and add."""

    keep: tuple[int, ...]
    delete: tuple[int, ...]
    new: int


def plan_steps(existing: Iterable[int], wanted: Sequence[int | None]) -> StepsPlan:
    """Match a list of step ids (None for a new step) against the goal's current steps.

    Raises ValueError naming the trouble for an id that is not one of this goal's
    steps, or an id sent twice: both would make the order ambiguous.
    """
    current = set(existing)
    sent = [pk for pk in wanted if pk is not None]
    unknown = sorted({pk for pk in sent if pk not in current})
    if unknown:
        listed = ", ".join(str(pk) for pk in unknown)
        which = "step with id" if len(unknown) == 1 else "steps with ids"
        raise ValueError(f"This goal has no {which} {listed}. Leave out `id` to add a step.")
    repeated = sorted({pk for pk in sent if sent.count(pk) > 1})
    if repeated:
        listed = ", ".join(str(pk) for pk in repeated)
        raise ValueError(f"Each step can be listed once; {listed} came more than once.")
    return StepsPlan(
        keep=tuple(sent),
        delete=tuple(sorted(current - set(sent))),
        new=len(wanted) - len(sent),
    )


# The words


def reached_message(title: str) -> str:
    return f"You did it: “{title}” is reached. That took real effort."


def step_done_message(step_title: str, current: Progress) -> str:
    message = f"Nice one: “{step_title}” is done."
    if current.all_done:
        message += " That's every step. Mark the goal as reached when it feels right."
    return message


def step_undone_message(step_title: str) -> str:
    return f"“{step_title}” is back on your list."


def reopened_message(title: str) -> str:
    return f"“{title}” is open again. Goals often take more than one go, and that's fine."
