"""The demo member's occasions and notes of thanks.

This part comes after the others in `generate.PARTS`. People already have their
birthdays (one of them nine days ahead, see `cast.py`); here the member keeps:

- the start of their recovery, 86 days before the demo's "today", so the
  90-day milestone falls in the coming week and shows on the home page;
- the day they met their partner, a few weeks ahead, six years on;
- the day they moved into their flat, and a friend's housewarming coming up;

and a handful of notes of thanks written over the last months, to the people
the rest of the demo shows helping (their partner, best friend, mum, therapist),
and one just for themselves after the Tuesday group. None is set to be sent:
a demo never e-mails anyone.

Nothing here draws on the seeded generator, so adding this part leaves every
earlier part's data exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from closeknit.rhythms.models import Appreciation, Occasion
from closeknit.rhythms.occasions import RECOVERY_DEFAULT_TITLE, on_in_year
from closeknit.rhythms.vocab import OccasionKind

if TYPE_CHECKING:
    from closeknit.demo.generate import DemoContext, Part

DAY = dt.timedelta(days=1)
# The start of recovery, this many days back: the 90-day milestone is four days ahead.
RECOVERY_DAYS_AGO = 86
TUESDAY = 1


@dataclass(frozen=True)
class OccasionSpec:
    kind: str
    title: str
    days_ahead: int  # when it next comes round, from the demo's today
    years_ago: int  # how long ago it first happened (0: it is still to come)
    person: str | None = None  # a cast key
    repeats_yearly: bool = True


OCCASIONS: tuple[OccasionSpec, ...] = (
    OccasionSpec(OccasionKind.ANNIVERSARY, "The day Jamie and I met", 23, 6, "partner"),
    OccasionSpec(OccasionKind.ANNIVERSARY, "Moved into my flat", 200, 3),
    OccasionSpec(
        OccasionKind.CUSTOM, "Priya's housewarming", 12, 0, "best_friend", repeats_yearly=False
    ),
)


@dataclass(frozen=True)
class NoteSpec:
    person: str | None  # a cast key; None for a note just for the member
    days_ago: int
    time: tuple[int, int]
    text: str
    on_weekday: int | None = None  # moved back to this weekday (0 is Monday)


NOTES: tuple[NoteSpec, ...] = (
    NoteSpec(
        "therapist",
        80,
        (18, 20),
        "Thank you for not giving up on me when I kept cancelling. "
        "Coming back was easier because you made it feel normal.",
    ),
    NoteSpec(
        "partner",
        61,
        (21, 40),
        "Thank you for making dinner every night the week everything fell apart. "
        "I noticed, and it helped more than you know.",
    ),
    NoteSpec(
        "best_friend",
        25,
        (22, 15),
        "Thank you for staying on the phone until I felt calmer. "
        "You didn't try to fix anything, and that was exactly right.",
    ),
    NoteSpec(
        None,
        14,
        (21, 30),
        "Grateful for the group tonight. I said something out loud for the first time "
        "and nobody flinched.",
        on_weekday=TUESDAY,
    ),
    NoteSpec(
        "mum",
        8,
        (19, 5),
        "Thanks for the care package, Mum. The socks are ridiculous and I love them.",
    ),
)


def _next_return(today: dt.date, days_ahead: int, years_ago: int) -> dt.date:
    """The first day of an occasion that comes round `days_ahead` days from today."""
    ahead = today + days_ahead * DAY
    return on_in_year(ahead.month, ahead.day, ahead.year - years_ago)


def add_occasions(ctx: DemoContext) -> None:
    today = ctx.today
    rows = [
        Occasion(
            owner=ctx.member,
            kind=OccasionKind.RECOVERY,
            title=RECOVERY_DEFAULT_TITLE,
            day=today - RECOVERY_DAYS_AGO * DAY,
            created_at=ctx.days_ago(RECOVERY_DAYS_AGO - 2),
        )
    ]
    for spec in OCCASIONS:
        rows.append(
            Occasion(
                owner=ctx.member,
                kind=spec.kind,
                title=spec.title,
                day=_next_return(today, spec.days_ahead, spec.years_ago),
                repeats_yearly=spec.repeats_yearly,
                person=ctx.people.get(spec.person) if spec.person else None,
                created_at=ctx.days_ago(30),
            )
        )
    Occasion.objects.bulk_create(rows)


def _written_at(ctx: DemoContext, spec: NoteSpec) -> dt.datetime:
    day = ctx.today - spec.days_ago * DAY
    if spec.on_weekday is not None:
        day -= ((day.weekday() - spec.on_weekday) % 7) * DAY
    return ctx.at(day, *spec.time)


def add_appreciations(ctx: DemoContext) -> None:
    Appreciation.objects.bulk_create(
        Appreciation(
            owner=ctx.member,
            person=ctx.people.get(spec.person) if spec.person else None,
            text=spec.text,
            written_at=_written_at(ctx, spec),
        )
        for spec in NOTES
    )


RHYTHMS_PARTS: list[Part] = [add_occasions, add_appreciations]
