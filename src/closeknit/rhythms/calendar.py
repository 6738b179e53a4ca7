"""The private calendar feed as iCalendar (RFC 5545), built from plain events. Pure.

What calendar apps need, and why each part is here:

- every event has a UID that stays the same from one fetch to the next (made
  from the database id or the occasion's key), or apps would show doubles;
- all-day events (occasions, planned check-ins, questionnaires) are dates
  (`DTSTART;VALUE=DATE`) with the next day as their end, and don't make the
  member look busy;
- appointments are wall-clock times in the member's own time zone (`TZID`) with
  that zone's VTIMEZONE, so 18:00 stays 18:00 on both sides of a clock change;
- the `icalendar` library writes CRLF line ends and folds lines at 75 octets.

Nothing private beyond a title, a time and a place goes in: never notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from closeknit.rhythms.occasions import UpcomingOccasion, add_years

PRODID = "-//Closeknit//Closeknit calendar feed//EN"
CALENDAR_NAME = "Closeknit"
# How often apps that read these hints should fetch again.
REFRESH = dt.timedelta(hours=1)
# Appointments that passed this long ago still show, so the week just gone makes sense.
APPOINTMENTS_BACK = dt.timedelta(days=30)


@dataclass(frozen=True)
class AllDay:
    uid: str
    day: dt.date
    summary: str
    description: str = ""
    url: str = ""


@dataclass(frozen=True)
class Timed:
    uid: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


Event = AllDay | Timed


# The span of the feed ------------------------------------------------------------------


def year_ahead(today: dt.date) -> dt.date:
    """The last day of "the next 12 months" from `today` (today included)."""
    return add_years(today, 1) - dt.timedelta(days=1)


def appointments_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From 30 days ago to a year ahead."""
    return now - APPOINTMENTS_BACK, now + dt.timedelta(days=365)


# Making events ---------------------------------------------------------------------------


def uid(key: str, host: str) -> str:
    return f"{key}@{host}"


def occasion_events(found: Iterable[UpcomingOccasion], host: str, url: str = "") -> list[AllDay]:
    return [AllDay(uid(one.key, host), one.day, one.title, one.prompt, url) for one in found]


def check_in_day(last_contact: dt.date | None, rhythm_days: int, today: dt.date) -> dt.date:
    """When a person's rhythm comes round: that many days after the last contact, or today
    when that day has passed or there was no contact yet."""
    if last_contact is None:
        return today
    return max(today, last_contact + dt.timedelta(days=rhythm_days))


def check_in_words(name: str, rhythm_days: int) -> tuple[str, str]:
    """Summary and description of a planned check-in: an invitation, never a debt."""
    every = "every day" if rhythm_days == 1 else f"every {rhythm_days} days"
    return (
        f"Be in touch with {name}",
        f"You hoped to be in touch with {name} {every}. A message, a call or a coffee all count.",
    )


def series_key(series_id: int, starts_at: dt.datetime) -> str:
    """One occurrence of a repeating appointment, the same before and after it is written out."""
    return f"appointment-series-{series_id}-{starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


def appointment_key(appointment_id: int) -> str:
    return f"appointment-{appointment_id}"


# The calendar ----------------------------------------------------------------------------


def _sort_key(event: Event) -> tuple[dt.datetime, str]:
    if isinstance(event, AllDay):
        start = dt.datetime.combine(event.day, dt.time.min, tzinfo=dt.UTC)
    else:
        start = event.start.astimezone(dt.UTC)
    return start, event.uid


def _event(item: Event, zone: ZoneInfo, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    if isinstance(item, AllDay):
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        # A reminder of a day, not a meeting: the member's time stays free.
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
        if item.location:
            event.add("location", item.location)
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    return event


def build(
    events: Iterable[Event], *, zone: ZoneInfo, now: dt.datetime, name: str = CALENDAR_NAME
) -> bytes:
    """The whole feed, ready to send as text/calendar."""
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    ordered = sorted(events, key=_sort_key)
    for item in ordered:
        calendar.add_component(_event(item, zone, stamp))
    timed = [item.start for item in ordered if isinstance(item, Timed)]
    if timed:
        # Only the years the feed spans: a zone's rules back to 1970 would weigh down every fetch.
        first = min(timed).date() - dt.timedelta(days=366)
        last = max(timed).date() + dt.timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
