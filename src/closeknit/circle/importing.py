"""Bringing the early-warning rules, their firings and encouragement of an export back.

`network.importing.import_document` calls `read_circle` (pure: it checks every record
and names the one at fault) before anything is written, and `import_circle` inside its
one transaction, so a damaged document changes nothing.

What comes back, and what doesn't:

- An **early-warning rule** comes back as the member set it, on or off, when the
  account has no setting of that kind yet; a setting already there is the member's
  newer choice and stays. Settings are checked by `rules.validate`, the same rules as
  the settings page.
- A **firing** comes back with its day, reason and whether it was kept private, so
  each rule's cooldown carries on where it was; nothing is sent for it. A firing of
  the same rule on the same day is already there.
- **Encouragement** comes back with who sent it and whether it is a favourite, no
  longer tied to an account; a note sent at the same moment with the same words is
  already there.
- Supporters, help requests and the access log are not read at all: each is between
  two accounts on the old server. On the new one the member invites their supporters
  again; the file keeps the history for their records.

Nothing already there is changed, and records alike within one document each get
their own match. The counts are one per rule, firing and note.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from closeknit.accounts.models import User
from closeknit.circle import encouragement, rules
from closeknit.circle.models import Encouragement, RuleFiring, RuleSetting

# The network import's record checks, so that every message of one import reads alike.
from closeknit.network.importing import (
    ImportFileError,
    ImportResult,
    _list,
    _Record,
    _taken,
    add_new,
    latest_day,
)

__all__ = ["Circle", "import_circle", "read_circle"]

NAME_MAX = 200
KINDS = list(rules.KINDS)


@dataclass(frozen=True)
class RuleEntry:
    settings: rules.RuleSettings
    nudge_supporters: bool


@dataclass(frozen=True)
class FiringEntry:
    kind: str
    day: date
    reason: str
    fired_at: datetime
    supporters_nudged: int
    kept_to_myself_at: datetime | None


@dataclass(frozen=True)
class NoteEntry:
    author_name: str
    text: str
    favourite: bool
    sent_at: datetime


@dataclass(frozen=True)
class Circle:
    """Checked rules, firings and notes: every value valid."""

    rules: list[RuleEntry] = field(default_factory=list)
    firings: list[FiringEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.rules) + len(self.firings) + len(self.notes)


# Reading (pure) -------------------------------------------------------------------------


def _kind(record: _Record) -> str:
    kind = record.text("kind", required=True).strip()
    if kind not in KINDS:
        raise record.fail(
            f"“{kind}” isn't an early-warning rule we know (use one of {', '.join(KINDS)})."
        )
    return kind


def _read_rule(record: _Record) -> RuleEntry:
    settings = rules.RuleSettings(
        kind=_kind(record),
        threshold=record.number("threshold", rules.SCORE_MIN, rules.SCORE_MAX),
        days_needed=record.number("days_needed", 1, rules.MAX_WINDOW_DAYS),
        window_days=record.number("window_days", 1, rules.MAX_NO_CONTACT_DAYS),
        cooldown_days=record.number("cooldown_days", 1, rules.MAX_COOLDOWN_DAYS)
        or rules.DEFAULT_COOLDOWN_DAYS,
        enabled=record.flag("enabled", False),
    )
    problems = rules.validate(settings)
    if problems:
        name, message = sorted(problems.items())[0]
        raise ImportFileError(f"{record.where}, “{name}”: {message}")
    return RuleEntry(settings, record.flag("nudge_supporters", False))


def _read_firing(record: _Record, now: datetime) -> FiringEntry:
    kind = _kind(record)
    day = record.day("day")
    if day is None:
        raise record.fail("its “day” is empty.")
    if day > latest_day(now):
        # A firing still ahead would keep its rule quiet until then.
        raise record.fail(f"its “day” ({day.isoformat()}) is still ahead.")
    fired_at = record.moment("fired_at", required=True)
    assert fired_at is not None
    if fired_at > now:
        raise record.fail(f"its “fired_at” ({fired_at.isoformat()}) is still ahead.")
    return FiringEntry(
        kind=kind,
        day=day,
        reason=record.text("reason", required=True).strip(),
        fired_at=fired_at,
        supporters_nudged=record.number("supporters_nudged", 0, 32767) or 0,
        kept_to_myself_at=record.moment("kept_to_myself_at"),
    )


def _read_note(record: _Record) -> NoteEntry:
    author = record.text("from", NAME_MAX, required=True).strip()
    text = record.text("text", required=True).strip()
    if len(text) > encouragement.MAX_LENGTH:
        raise record.fail(f"its “text” is longer than {encouragement.MAX_LENGTH} characters.")
    sent_at = record.moment("sent_at", required=True)
    assert sent_at is not None
    return NoteEntry(author, text, record.flag("favourite", False), sent_at)


def read_circle(doc: dict[str, Any], now: datetime) -> Circle:
    """Check the early-warning rules, firings and encouragement of an export.

    `now` is the moment of the import: a rule can't have fired on a day still ahead.
    Raises ImportFileError naming the record at fault (“Early-warning rule 2: …”).
    """
    circle = Circle()
    seen_rules: dict[str, int] = {}
    for n, item in enumerate(_list(doc, "early_warning_rules"), 1):
        record = _Record(item, f"Early-warning rule {n}")
        rule = _read_rule(record)
        if rule.settings.kind in seen_rules:
            raise record.fail(
                f"rule {seen_rules[rule.settings.kind]} is the same rule; "
                "there can be one setting of each."
            )
        seen_rules[rule.settings.kind] = n
        circle.rules.append(rule)
    seen_days: dict[tuple[str, date], int] = {}
    for n, item in enumerate(_list(doc, "early_warning_firings"), 1):
        record = _Record(item, f"Early-warning firing {n}")
        firing = _read_firing(record, now)
        if (firing.kind, firing.day) in seen_days:
            raise record.fail(
                f"firing {seen_days[firing.kind, firing.day]} is the same rule on the same day "
                f"({firing.day.isoformat()}); a rule fires at most once a day."
            )
        seen_days[firing.kind, firing.day] = n
        circle.firings.append(firing)
    for n, item in enumerate(_list(doc, "encouragements"), 1):
        circle.notes.append(_read_note(_Record(item, f"Encouragement {n}")))
    return circle


# Writing --------------------------------------------------------------------------------


def import_circle(owner: User, circle: Circle) -> ImportResult:
    """Write checked records into the owner's account; call it inside the import's transaction."""
    return (
        _import_rules(owner, circle) + _import_firings(owner, circle) + _import_notes(owner, circle)
    )


def _import_rules(owner: User, circle: Circle) -> ImportResult:
    there = set(RuleSetting.objects.owned_by(owner).values_list("kind", flat=True))
    return add_new(
        RuleSetting,
        circle.rules,
        lambda entry: entry.settings.kind in there,
        lambda entry: RuleSetting(
            owner=owner,
            kind=entry.settings.kind,
            enabled=entry.settings.enabled,
            threshold=entry.settings.threshold,
            days_needed=entry.settings.days_needed,
            window_days=entry.settings.window_days,
            cooldown_days=entry.settings.cooldown_days,
            nudge_supporters=entry.nudge_supporters,
        ),
    )


def _import_firings(owner: User, circle: Circle) -> ImportResult:
    there = set(RuleFiring.objects.owned_by(owner).values_list("kind", "day"))
    return add_new(
        RuleFiring,
        circle.firings,
        lambda entry: (entry.kind, entry.day) in there,
        lambda entry: RuleFiring(
            owner=owner,
            kind=entry.kind,
            day=entry.day,
            reason=entry.reason,
            fired_at=entry.fired_at,
            supporters_nudged=entry.supporters_nudged,
            supporters_cancelled_at=entry.kept_to_myself_at,
        ),
    )


def _import_notes(owner: User, circle: Circle) -> ImportResult:
    there: Counter[tuple[datetime, str]] = Counter(
        (note.sent_at, note.text)
        for note in Encouragement.objects.owned_by(owner).only("sent_at", "text")
    )
    return add_new(
        Encouragement,
        circle.notes,
        lambda entry: _taken(there, (entry.sent_at, entry.text)),
        lambda entry: Encouragement(
            owner=owner,
            author_name=entry.author_name,
            text=entry.text,
            favourite=entry.favourite,
            sent_at=entry.sent_at,
        ),
    )
