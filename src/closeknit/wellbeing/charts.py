"""A questionnaire's scores over time as a small SVG line chart, computed here, drawn by a template.

Pure: plain results in, coordinates out. The chart is decoration for sighted
readers; the history table beside it carries the same numbers in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from closeknit.wellbeing import history
from closeknit.wellbeing.instruments import Instrument

WIDTH = 600
HEIGHT = 200
PAD_X = 36
PAD_Y = 12


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BandArea:
    y: float
    height: float
    label: str
    shade: int  # 0 lightest … as the band index


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    bands: list[BandArea]
    low_label: str
    high_label: str
    summary: str

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def result_of(assessment: Any) -> history.Result:
    return history.Result(assessment.pk, assessment.taken_at, assessment.total, assessment.band)


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return PAD_Y + (HEIGHT - 2 * PAD_Y) * (1 - (value - low) / span)


def score_chart(instrument: Instrument, results: Sequence[history.Result]) -> Chart:
    """Complete results oldest first, spread evenly across the width, over the instrument's bands."""
    low, high = float(instrument.lowest), float(instrument.highest)
    complete = [r for r in results if r.total is not None]
    step = (WIDTH - 2 * PAD_X) / max(len(complete) - 1, 1)
    points = [
        Point(
            x=PAD_X + (index * step if len(complete) > 1 else (WIDTH - 2 * PAD_X) / 2),
            y=_y(float(r.total), low, high),  # type: ignore[arg-type]
            label=f"{r.taken_at:%-d %b %Y}: {history.shown(r.total)}",
        )
        for index, r in enumerate(complete)
    ]
    edges = [max(float(b.lower), low) for b in instrument.bands] + [high]
    bands = [
        BandArea(
            y=_y(top, low, high),
            height=_y(bottom, low, high) - _y(top, low, high),
            label=band.label,
            shade=index,
        )
        for index, (band, bottom, top) in enumerate(
            zip(instrument.bands, edges, edges[1:], strict=False)
        )
    ]
    if complete:
        first, last = complete[0], complete[-1]
        summary = (
            f"{len(complete)} results from {first.taken_at:%-d %B %Y} to "
            f"{last.taken_at:%-d %B %Y}; the latest is {history.shown(last.total)}."
        )
    else:
        summary = "No complete results yet."
    return Chart(WIDTH, HEIGHT, points, bands, history.shown(low), history.shown(high), summary)
