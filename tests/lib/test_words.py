"""Small words about numbers: one form for one, the plural for everything else."""

from __future__ import annotations

import pytest

from closeknit.lib.words import counted, days_ago


@pytest.mark.parametrize(
    ("count", "one", "many", "said"),
    [
        (1, "day", None, "1 day"),
        (0, "day", None, "0 days"),
        (2, "day", None, "2 days"),
        (1, "person", "people", "1 person"),
        (12, "person", "people", "12 people"),
        (3, "more day", None, "3 more days"),
    ],
)
def test_counted(count, one, many, said):
    assert counted(count, one, many) == said


@pytest.mark.parametrize(
    ("days", "said"), [(-2, "today"), (0, "today"), (1, "yesterday"), (9, "9 days ago")]
)
def test_days_ago(days, said):
    assert days_ago(days) == said
