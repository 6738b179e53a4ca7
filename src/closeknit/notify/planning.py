"""Which reminders a member should get at a moment: a pure function of plain facts.

The rules:

- Daily reminders (people to reach out to, today's occasions, questionnaires
  due, the digest) are planned once per local day, as soon as the member's
  clock shows their "remind me at" time. A worker that was down catches up
  later the same day; a day that has passed is never planned, since
  yesterday's "maybe reach out today" would only be noise.
- An appointment reminder is planned as soon as the appointment is within the
  member's "hours before", whatever the time of day, and never once it has
  started.
- Each reminder goes to each of the member's verified channels (the caller
  passes only those), and only for the kinds the member switched on. The
  digest goes by e-mail only, every day or on the chosen weekday.
- Every message has a key that names what it is about, the day or the
  appointment's start, and the channel, so planning twice changes nothing
  (the outbox keeps one row per key), and an appointment moved to another
  time gets a reminder of its own.
- Quiet hours are not looked at here: they hold a message back at delivery.
- A reminder that could not go in time is dropped rather than sent late
  (`too_late`): an appointment reminder once the appointment has started, a
  daily one a day after it was planned (long enough to wait out a night's
  quiet hours and a few retries; "maybe reach out today" from two days ago
  would only be noise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from closeknit.notify import digest as words
from closeknit.notify.vocab import ChannelKind, Digest, MessageKind

REACH_OUT = MessageKind.REACH_OUT.value
OCCASION = MessageKind.OCCASION.value
APPOINTMENT = MessageKind.APPOINTMENT.value
QUESTIONNAIRE = MessageKind.QUESTIONNAIRE.value
DIGEST = MessageKind.DIGEST.value
ALL_KINDS = frozenset({REACH_OUT, OCCASION, APPOINTMENT, QUESTIONNAIRE})

DAILY_KINDS = frozenset({REACH_OUT, OCCASION, QUESTIONNAIRE, DIGEST})
LATE_AFTER = dt.timedelta(hours=24)

# How many people a reach-out reminder names: enough to choose from, few enough to act on.
REACH_OUT_TOP = 3
# How far ahead the digest looks for occasions and appointments.
DIGEST_DAYS = 7

# The page each kind of message links to (URL names; the caller makes them addresses).
PAGES = {
    REACH_OUT: "rhythms:reach-out",
    OCCASION: "rhythms:occasions",
    APPOINTMENT: "recovery:appointments",
    QUESTIONNAIRE: "wellbeing:questionnaires",
    DIGEST: "network:home",
}


@dataclass(frozen=True)
class Prefs:
    """A member's reminder preferences; the defaults are those of a member who set none."""

    remind_at: dt.time = dt.time(9, 0)
    kinds: frozenset[str] = ALL_KINDS
    appointment_hours_before: int = 3
    digest: str = Digest.OFF.value
    digest_weekday: int = 0  # Monday


@dataclass(frozen=True)
class Target:
    """A verified channel."""

    id: int
    kind: str


@dataclass(frozen=True)
class ReachOut:
    name: str
    reason: str


@dataclass(frozen=True)
class Occasion:
    key: str
    day: dt.date
    title: str
    prompt: str


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str


@dataclass(frozen=True)
class AppointmentSoon:
    id: int
    starts_at: dt.datetime
    what: str  # "Therapy with Ada"
    where: str = ""


@dataclass(frozen=True)
class Day:
    """What a member's local day holds, as the reminders and the digest need it."""

    member_id: int
    day: dt.date
    zone: ZoneInfo
    reach_out: Sequence[ReachOut] = ()
    occasions: Sequence[Occasion] = ()  # from today to DIGEST_DAYS ahead
    questionnaires: Sequence[Questionnaire] = ()
    appointments: Sequence[AppointmentSoon] = ()  # from now to DIGEST_DAYS ahead

    @property
    def occasions_today(self) -> list[Occasion]:
        return [one for one in self.occasions if one.day == self.day]


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    channel_id: int
    title: str
    body: str = ""
    page: str = ""


def day_to_plan(
    now: dt.datetime, zone: ZoneInfo, remind_at: dt.time, planned_on: dt.date | None
) -> dt.date | None:
    """The member's local day, if its daily reminders are due now and not planned yet.

    The clock is compared, not instants: on the night the clocks skip the
    reminder time, the reminder comes when the clock has passed it.
    """
    local = now.astimezone(zone)
    today = local.date()
    if planned_on is not None and planned_on >= today:
        return None
    if local.time().replace(tzinfo=None, fold=0) < remind_at:
        return None
    return today


def is_digest_day(day: dt.date, prefs: Prefs) -> bool:
    if prefs.digest == Digest.DAILY:
        return True
    return prefs.digest == Digest.WEEKLY and day.weekday() == prefs.digest_weekday


def reach_out_words(people: Sequence[ReachOut]) -> tuple[str, str]:
    lines = [person.reason for person in people[:REACH_OUT_TOP]]
    return "Maybe reach out today", "\n".join([*lines, "", "Even a short message counts."])


def questionnaire_words(due: Sequence[Questionnaire]) -> tuple[str, str]:
    names = ", ".join(one.name for one in due)
    if len(due) == 1:
        title = f"{due[0].name} is ready when you are"
    else:
        title = f"{len(due)} questionnaires are ready when you are"
    return title, f"Due today: {names}. It takes a few minutes, whenever suits you."


def appointment_words(
    appointment: AppointmentSoon, zone: ZoneInfo, today: dt.date
) -> tuple[str, str]:
    when = words.appointment_when(appointment.starts_at, zone, today)
    title = f"{appointment.what}, {when}"
    where = f"It's at {appointment.where}. " if appointment.where else ""
    return title, f"{where}We hope it goes well."


def _for_each(
    targets: Iterable[Target], key: str, kind: str, title: str, body: str
) -> list[Planned]:
    return [
        Planned(f"{key}:{target.id}", kind, target.id, title, body, PAGES[kind])
        for target in targets
    ]


def day_messages(day: Day, prefs: Prefs, targets: Sequence[Target]) -> list[Planned]:
    """The day's reminders and digest, one message per channel."""
    member, date = day.member_id, day.day.isoformat()
    planned: list[Planned] = []
    if REACH_OUT in prefs.kinds and day.reach_out:
        title, body = reach_out_words(day.reach_out)
        planned += _for_each(targets, f"reach-out:{member}:{date}", REACH_OUT, title, body)
    if OCCASION in prefs.kinds:
        for occasion in day.occasions_today:
            key = f"occasion:{member}:{occasion.key}"
            planned += _for_each(targets, key, OCCASION, occasion.title, occasion.prompt)
    if QUESTIONNAIRE in prefs.kinds and day.questionnaires:
        title, body = questionnaire_words(day.questionnaires)
        key = f"questionnaire:{member}:{date}"
        planned += _for_each(targets, key, QUESTIONNAIRE, title, body)
    if is_digest_day(day.day, prefs):
        emails = [target for target in targets if target.kind == ChannelKind.EMAIL]
        title, body = words.compose(
            day.day,
            day.zone,
            weekly=prefs.digest == Digest.WEEKLY,
            reach_out=day.reach_out,
            occasions=day.occasions,
            appointments=day.appointments,
            questionnaires=day.questionnaires,
        )
        planned += _for_each(emails, f"digest:{member}:{date}", DIGEST, title, body)
    return planned


def appointment_window(now: dt.datetime, prefs: Prefs) -> tuple[dt.datetime, dt.datetime]:
    """Appointments starting after the first and by the second instant get a reminder now."""
    return now, now + dt.timedelta(hours=prefs.appointment_hours_before)


def appointment_key(appointment_id: int, starts_at: dt.datetime) -> str:
    """The key of an appointment's reminders, before the channel is added."""
    return f"appointment:{appointment_id}:{starts_at.astimezone(dt.UTC).isoformat()}"


def appointment_start(key: str) -> dt.datetime | None:
    """When the appointment of a reminder's key starts (the key says it: see appointment_key)."""
    prefix, _, rest = key.partition(":")
    _appointment_id, _, rest = rest.partition(":")
    starts, _, _channel = rest.rpartition(":")
    if prefix != "appointment":
        return None
    try:
        when = dt.datetime.fromisoformat(starts)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def too_late(kind: str, key: str, due_at: dt.datetime, now: dt.datetime) -> str | None:
    """Why a reminder should no longer be sent at `now`, or None while it is still useful."""
    if kind == APPOINTMENT:
        starts = appointment_start(key)
        if starts is not None and now >= starts:
            return "The appointment had begun before the reminder could go."
    elif kind in DAILY_KINDS and now - due_at >= LATE_AFTER:
        return "The day it was meant for had passed before it could go."
    return None


def appointment_messages(
    now: dt.datetime,
    zone: ZoneInfo,
    prefs: Prefs,
    targets: Sequence[Target],
    appointments: Iterable[AppointmentSoon],
) -> list[Planned]:
    """Reminders of the appointments whose reminder window is open at `now`."""
    if APPOINTMENT not in prefs.kinds:
        return []
    start, end = appointment_window(now, prefs)
    today = now.astimezone(zone).date()
    planned: list[Planned] = []
    for appointment in appointments:
        if not start < appointment.starts_at <= end:
            continue
        title, body = appointment_words(appointment, zone, today)
        key = appointment_key(appointment.id, appointment.starts_at)
        planned += _for_each(targets, key, APPOINTMENT, title, body)
    return planned
