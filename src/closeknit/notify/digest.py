"""The words of reminders and of the e-mail digest: plain text, short and kind. Pure.

The digest gathers what the separate reminders would say (people to reach out
to, occasions, appointments, questionnaires) into one e-mail. It tells, it
doesn't ask for anything: every line is an invitation, none is a task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from closeknit.notify.planning import AppointmentSoon, Occasion, Questionnaire, ReachOut

# How many people the digest names; the rest are counted.
DIGEST_PEOPLE = 5


def day_label(day: dt.date) -> str:
    """Like "Monday 2 March"."""
    return f"{day:%A} {day.day} {day:%B}"


def relative_day(day: dt.date, today: dt.date) -> str:
    """Like "today", "tomorrow" or "Monday 2 March"."""
    if day == today:
        return "today"
    if day == today + dt.timedelta(days=1):
        return "tomorrow"
    return day_label(day)


def appointment_when(starts_at: dt.datetime, zone: ZoneInfo, today: dt.date) -> str:
    """Like "today at 18:00" or "Thursday 5 March at 14:00", on the member's clock."""
    local = starts_at.astimezone(zone)
    return f"{relative_day(local.date(), today)} at {local:%H:%M}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _people(reach_out: Sequence[ReachOut]) -> list[str]:
    lines = [f"- {person.reason}" for person in reach_out[:DIGEST_PEOPLE]]
    more = len(reach_out) - DIGEST_PEOPLE
    if more > 0:
        lines.append(f"- … and {more} more on your list.")
    return lines


def compose(
    day: dt.date,
    zone: ZoneInfo,
    *,
    weekly: bool,
    reach_out: Sequence[ReachOut],
    occasions: Sequence[Occasion],
    appointments: Sequence[AppointmentSoon],
    questionnaires: Sequence[Questionnaire],
) -> tuple[str, str]:
    """The digest's subject and plain-text body for the member's local `day`."""
    if weekly:
        title = f"Your week ahead in Closeknit, from {day_label(day)}"
        opening = "Here is what your week holds in Closeknit."
    else:
        title = f"Your day in Closeknit: {day_label(day)}"
        opening = "Here is what today holds in Closeknit."
    sections: list[list[str]] = []
    if reach_out:
        sections.append(["People you might reach out to", *_people(reach_out)])
    if occasions:
        sections.append(
            [
                "Occasions this week",
                *(
                    f"- {capitalised(relative_day(one.day, day))}: {one.title}"
                    for one in sorted(occasions, key=lambda one: (one.day, one.title))
                ),
            ]
        )
    if appointments:
        lines = []
        for one in sorted(appointments, key=lambda one: (one.starts_at, one.id)):
            where = f" ({one.where})" if one.where else ""
            lines.append(
                f"- {capitalised(appointment_when(one.starts_at, zone, day))}: {one.what}{where}"
            )
        sections.append(["Appointments coming up", *lines])
    if questionnaires:
        sections.append(
            [
                "Questionnaires ready for you",
                *(f"- {one.name}, whenever suits you" for one in questionnaires),
            ]
        )
    if not sections:
        closing = "Nothing is waiting for you. Enjoy the quiet, and take care of yourself."
        return title, f"{opening}\n\n{closing}"
    closing = "None of this has to happen today: it's here so you know what's coming. Take care."
    body = "\n\n".join([opening, *("\n".join(section) for section in sections), closing])
    return title, body
