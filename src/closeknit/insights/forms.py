"""The wellbeing page's range form: which local days to look at, "from" and "to".

The rules, in one place:

- Both days are optional. Left out, "to" is today and "from" a year before it
  (`store.date_range` decides, for the page and the API alike).
- A day is written as the browser's date input sends it, year-month-day. Anything
  else, "from" after "to", or a range longer than `store.MAX_RANGE_DAYS` is an error
  with a kind message on the field it concerns; the page then shows the default
  range's figures, never a broken page.
- Days before 1900 or after 2199 are refused (`store.date_range`): no one has
  check-ins there, and date arithmetic near the ends of the calendar would overflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from closeknit.insights import store

BAD_DAY = "Please choose a day, written like 2024-07-01."

# The quick links above the form: a label and how many days, ending today.
QUICK_RANGES = (
    ("Last 3 months", 91),
    ("6 months", 182),
    ("A year", store.DEFAULT_RANGE_DAYS),
    ("3 years", store.MAX_RANGE_DAYS),
)


def _day_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": BAD_DAY},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RangeForm(forms.Form):
    """The days "from" and "to"; `cleaned_data` gains "first" and "last", the range to use."""

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" is a keyword, so these fields cannot be class attributes.
        self.fields["from"] = _day_field("From")
        self.fields["to"] = _day_field("To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            cleaned["first"], cleaned["last"] = store.date_range(
                self.today, cleaned.get("from"), cleaned.get("to")
            )
        except store.RangeError as error:
            self.add_error(error.field, str(error))
        return cleaned


@dataclass(frozen=True)
class QuickRange:
    label: str
    first: dt.date
    last: dt.date
    current: bool  # the range on show


@dataclass(frozen=True)
class ChosenRange:
    """The days to show, and the form to show above them."""

    first: dt.date
    last: dt.date
    form: RangeForm  # with errors when the default range stands in for the one asked for
    quick: list[QuickRange]


def chosen_range(data: Mapping[str, Any], today: dt.date) -> ChosenRange:
    """The range asked for in a query string, or the default one when it cannot be used.

    A valid form is rebuilt with the range actually used, so that the date inputs show
    both ends even when the member left one out; a form with an error keeps what was
    typed, beside its message, to be corrected.
    """
    asked = RangeForm({key: data.get(key, "") for key in ("from", "to")}, today=today)
    if asked.is_valid():
        first, last = asked.cleaned_data["first"], asked.cleaned_data["last"]
        form = RangeForm(initial={"from": first, "to": last}, today=today)
    else:
        first, last = store.date_range(today, None, None)
        form = asked
    return ChosenRange(
        first=first,
        last=last,
        form=form,
        quick=quick_ranges(today, first, last),
    )


def quick_ranges(today: dt.date, first: dt.date, last: dt.date) -> list[QuickRange]:
    """The quick links, each ending today; the one on show is marked as current."""
    found = []
    for label, days in QUICK_RANGES:
        start = today - dt.timedelta(days=days - 1)
        found.append(QuickRange(label, start, today, (start, today) == (first, last)))
    return found
