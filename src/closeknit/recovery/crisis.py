"""Crisis lines per country, from a CSV shipped with the app (operators may override it).

Sources: the project's clinical notes; rows marked verified=yes were confirmed
against a public source on LAST_CHECKED.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

LAST_CHECKED = "2026-11-01"
BUILTIN_FILE = Path(__file__).parent / "data" / "crisis_lines.csv"
DIRECTORY_URL = "https://findahelpline.com"

# For countries with no listed line: the local emergency number.
EMERGENCY_NUMBERS: dict[str, str] = {
    "US": "911",
    "CA": "911",
    "GB": "999",
    "AU": "000",
    "NZ": "111",
    "IN": "112",
}
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


@dataclass(frozen=True)
class CrisisLine:
    country: str
    name: str
    phone: str
    text: str
    notes: str
    verified: bool

    @property
    def tel(self) -> str:
        """The phone number as a tel: URI target (digits and a leading +)."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


def parse(rows: list[dict[str, str]]) -> list[CrisisLine]:
    return [
        CrisisLine(
            country=row["country"].strip().upper(),
            name=row["name"].strip(),
            phone=(row.get("phone") or "").strip(),
            text=(row.get("text") or "").strip(),
            notes=(row.get("notes") or "").strip(),
            verified=(row.get("verified") or "").strip().lower() == "yes",
        )
        for row in rows
        if row.get("country") and row.get("name")
    ]


@functools.cache
def _load(path: str) -> tuple[CrisisLine, ...]:
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(parse(list(csv.DictReader(fh))))


def all_lines() -> tuple[CrisisLine, ...]:
    return _load(str(settings.CRISIS_LINES_FILE or BUILTIN_FILE))


def lines_for(country: str) -> list[CrisisLine]:
    country = (country or "").upper()
    return [line for line in all_lines() if line.country == country]


def countries() -> list[str]:
    return sorted({line.country for line in all_lines()})


def emergency_number(country: str) -> str:
    country = (country or "").upper()
    if country in EMERGENCY_NUMBERS:
        return EMERGENCY_NUMBERS[country]
    if country in EU_COUNTRIES:
        return "112"
    return ""
