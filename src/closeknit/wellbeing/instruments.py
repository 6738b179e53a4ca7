"""The questionnaires, as data: one JSON file per instrument in `data/`, read into typed definitions.

A definition is everything the one renderer and the one scorer need: the items
and their answer options (with the codes the scorer receives), reverse-scored
items, subscales, bands, how missing answers are handled, safety flags, LOINC
codes where known, and the source and licence text that is shown with it.
The item texts stay in the data files, each with its own notice, apart from
Closeknit's code and its licence (see ../shared clinical notes, INSTRUMENTS.md).

A definition may borrow its items from another (`based_on`, `item_numbers`):
the PHQ-2 is items 1–2 of the PHQ-9, word for word.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

DATA_DIR = Path(__file__).parent / "data"
# The order they are offered in: the short screeners after their long forms.
CODES: tuple[str, ...] = (
    "phq9",
    "phq2",
    "gad7",
    "gad2",
    "pss10",
    "who5",
    "ucla3",
    "mspss",
    "lsns6",
)
Method = Literal["sum", "mean"]


class DefinitionError(ValueError):
    """A data file that does not describe a usable instrument."""


@dataclass(frozen=True)
class Option:
    code: int
    label: str


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, as the published form numbers them
    text: str
    options: tuple[Option, ...]
    reverse: bool = False
    # An unscored item (the PHQ-9's difficulty question) is recorded, never added to the total.
    scored: bool = True
    slug: str = ""
    section: str = ""
    loinc: str = ""

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(option.code for option in self.options)

    @property
    def lowest(self) -> int:
        return min(self.codes)

    @property
    def highest(self) -> int:
        return max(self.codes)


@dataclass(frozen=True)
class Band:
    """A score range: from `lower` up to the next band. `above` makes the lower bound exclusive."""

    slug: str
    label: str
    lower: Fraction
    above: bool = False

    def holds(self, value: Fraction) -> bool:
        return value > self.lower if self.above else value >= self.lower


@dataclass(frozen=True)
class Subscale:
    slug: str
    label: str
    items: tuple[int, ...]
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Flag:
    """A safety flag raised when one item's answer is above a threshold, whatever the total."""

    flag: str
    item: int
    above: int


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    title: str
    measures: str
    period: str
    stem: str
    items: tuple[Item, ...]  # scored items first, then any unscored ones
    method: Method
    bands: tuple[Band, ...]
    bands_note: str
    higher_is_better: bool
    source: str
    licence: str
    missing_rule: str
    multiplier: int = 1
    max_missing: int = 0
    prorate: bool = False
    subscales: tuple[Subscale, ...] = ()
    flags: tuple[Flag, ...] = ()
    meaningful_change: int | None = None
    loinc: dict[str, str] = field(default_factory=dict)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def extra_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.scored)

    @property
    def lowest(self) -> Fraction:
        """The lowest total there can be."""
        return self._bound(min)

    @property
    def highest(self) -> Fraction:
        return self._bound(max)

    def _bound(self, pick: Any) -> Fraction:
        ends = [Fraction(pick(item.codes)) for item in self.scored_items]
        if self.method == "mean":
            return sum(ends, Fraction(0)) / len(ends)
        return sum(ends, Fraction(0)) * self.multiplier

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def band_for(self, value: Fraction) -> Band:
        return band_of(self.bands, value)


def band_of(bands: tuple[Band, ...], value: Fraction) -> Band:
    """The last band whose lower bound the value reaches (bands are in rising order)."""
    found = bands[0]
    for band in bands:
        if band.holds(value):
            found = band
    return found


# Reading the data files -----------------------------------------------------------------


def _require(doc: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = doc.get(key)
    # Empty counts as missing: an instrument shown without its source or licence must not load.
    if not isinstance(value, kind) or not value:
        raise DefinitionError(f"{where}: “{key}” should be a non-empty {kind.__name__}")
    return value


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise DefinitionError(f"{where}: options should be a list of [code, label] pairs")
    options = tuple(Option(int(code), str(label)) for code, label in raw)
    if len({option.code for option in options}) != len(options):
        raise DefinitionError(f"{where}: two options share a code")
    return options


def _items(doc: dict[str, Any], where: str) -> list[Item]:
    shared = _options(doc["options"], where) if "options" in doc else None
    items: list[Item] = []
    for raw in _require(doc, "items", list, where):
        spec = {"text": raw} if isinstance(raw, str) else dict(raw)
        number = len(items) + 1
        options = (
            _options(spec["options"], f"{where} item {number}") if "options" in spec else shared
        )
        if options is None:
            raise DefinitionError(f"{where} item {number}: no answer options")
        items.append(
            Item(
                number=number,
                text=_require(spec, "text", str, f"{where} item {number}"),
                options=options,
                reverse=bool(spec.get("reverse", False)),
                section=str(spec.get("section", "")),
                loinc=str(spec.get("loinc", "")),
            )
        )
    return items


def _bands(raw: Any, where: str) -> tuple[Band, ...]:
    bands = []
    for spec in raw or []:
        above = "above" in spec
        lower = Fraction(str(spec["above"] if above else spec["from"]))
        bands.append(Band(str(spec["slug"]), str(spec["label"]), lower, above))
    if [band.lower for band in bands] != sorted(band.lower for band in bands):
        raise DefinitionError(f"{where}: bands should rise")
    return tuple(bands)


def _borrowed(doc: dict[str, Any], where: str) -> list[Item]:
    """Items taken word for word from another definition, renumbered from 1."""
    base = _read(str(doc["based_on"]))
    numbers = _require(doc, "item_numbers", list, where)
    # items[0 - 1] would quietly borrow the last (unscored) item, so check the range.
    if not all(isinstance(n, int) and 1 <= n <= len(base.scored_items) for n in numbers):
        raise DefinitionError(f"{where}: item_numbers names an item that {base.code} doesn't have")
    return [
        Item(
            number=place,
            text=base.item(number).text,
            options=base.item(number).options,
            reverse=base.item(number).reverse,
            section=base.item(number).section,
        )
        for place, number in enumerate(numbers, 1)
    ]


def _read(code: str) -> Instrument:
    path = DATA_DIR / f"{code}.json"
    where = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # JSONDecodeError is a ValueError
        raise DefinitionError(f"{where}: can't be read as JSON ({error})") from error
    if not isinstance(doc, dict):
        raise DefinitionError(f"{where}: should hold one JSON object")
    try:
        return _build(code, doc, where)
    except DefinitionError:
        raise
    # A key left out or a value of the wrong shape deep in a spec: name the file, not a traceback.
    except KeyError as error:
        raise DefinitionError(f"{where}: {error} is missing") from error
    except (TypeError, ValueError) as error:
        raise DefinitionError(f"{where}: a value has the wrong shape ({error})") from error


def _build(code: str, doc: dict[str, Any], where: str) -> Instrument:
    if doc.get("code") != code:
        raise DefinitionError(f"{where}: its “code” should be {code!r}")
    if "based_on" in doc:
        base = _read(str(doc["based_on"]))
        items = _borrowed(doc, where)
        inherited = {"period": base.period, "stem": base.stem}
    else:
        items = _items(doc, where)
        inherited = {}
    for extra in doc.get("extra_items", []):
        number = len(items) + 1
        items.append(
            Item(
                number=number,
                text=_require(extra, "text", str, f"{where} extra item"),
                options=_options(extra["options"], f"{where} item {number}"),
                scored=False,
                slug=str(extra.get("slug", "")),
                loinc=str(extra.get("loinc", "")),
            )
        )
    scoring = _require(doc, "scoring", dict, where)
    method = scoring.get("method")
    if method not in ("sum", "mean"):
        raise DefinitionError(f"{where}: scoring method should be “sum” or “mean”")
    subscales = tuple(
        Subscale(
            slug=str(spec["slug"]),
            label=str(spec["label"]),
            items=tuple(int(n) for n in spec["items"]),
            bands=_bands(spec.get("bands"), f"{where} subscale {spec['slug']}"),
        )
        for spec in doc.get("subscales", [])
    )
    scored = sum(1 for item in items if item.scored)
    for subscale in subscales:
        if not all(1 <= n <= scored for n in subscale.items):
            raise DefinitionError(
                f"{where}: subscale {subscale.slug} names an item that isn't there"
            )
    flags = tuple(
        Flag(str(f["flag"]), int(f["item"]), int(f["above"])) for f in doc.get("flags", [])
    )
    # A safety flag on an item that isn't there would never be raised, and nobody would notice.
    for flag in flags:
        if not 1 <= flag.item <= len(items):
            raise DefinitionError(f"{where}: flag {flag.flag} names an item that isn't there")
    bands = _bands(_require(doc, "bands", list, where), where)
    if not bands:
        raise DefinitionError(f"{where}: at least one band is needed")
    return Instrument(
        code=code,
        name=_require(doc, "name", str, where),
        title=_require(doc, "title", str, where),
        measures=_require(doc, "measures", str, where),
        period=str(doc.get("period", inherited.get("period", ""))),
        stem=str(doc.get("stem", inherited.get("stem", ""))),
        items=tuple(items),
        method=method,
        bands=bands,
        bands_note=str(doc.get("bands_note", "")),
        higher_is_better=bool(doc.get("higher_is_better", False)),
        source=_require(doc, "source", str, where),
        licence=_require(doc, "licence", str, where),
        missing_rule=_require(doc, "missing_rule", str, where),
        multiplier=int(scoring.get("multiplier", 1)),
        max_missing=int(scoring.get("max_missing", 0)),
        prorate=bool(scoring.get("prorate", False)),
        subscales=subscales,
        flags=flags,
        meaningful_change=doc.get("meaningful_change"),
        loinc=dict(doc.get("loinc", {})),
    )


@functools.cache
def get(code: str) -> Instrument:
    """The instrument with this code; KeyError for one we don't have."""
    if code not in CODES:
        raise KeyError(code)
    return _read(code)


def all_instruments() -> list[Instrument]:
    return [get(code) for code in CODES]
