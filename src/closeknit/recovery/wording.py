"""An appointment in a line of plain text, for reminders, digests and the calendar feed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from closeknit.network.wording import short_name
from closeknit.recovery.models import Appointment, AppointmentSeries


def with_whom(what: str, person: str = "", group: str = "", *, known_as: Iterable[str] = ()) -> str:
    """ "Therapy with Noor", "Check-up with Dr Morgan and Clinic team", "GP".

    A person or group the title already names, as a whole word, is not added
    again: "Therapy with Noor", never "Therapy with Noor with Noor Haddad".
    `known_as` are the person's other names to look for (full name, first name).
    """

    def named(*names: str) -> bool:
        return any(
            re.search(rf"\b{re.escape(name)}\b", what, re.IGNORECASE) for name in names if name
        )

    who = []
    if person and not named(person, *known_as):
        who.append(person)
    if group and not named(group):
        who.append(group)
    return f"{what} with {' and '.join(who)}" if who else what


def appointment_label(row: Appointment | AppointmentSeries) -> str:
    """An appointment, or an occurrence of a series, with whom it is (its title or kind first)."""
    what = row.title or row.get_kind_display()
    person, group = row.person, row.group
    if person is None:
        return with_whom(what, group=group.name if group is not None else "")
    first_name = (person.name.split() or [""])[0]
    return with_whom(
        what,
        short_name(person.name, person.nickname),
        group.name if group is not None else "",
        known_as=(person.name, first_name),
    )
