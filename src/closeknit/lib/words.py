"""Small words about numbers, said the same way on every page: "1 day", "3 days", "yesterday"."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """ "1 contact", "4 contacts"; `many` for plurals that are not one + "s" ("people")."""
    return f"{count} {one}" if count == 1 else f"{count} {many or one + 's'}"


def days_ago(days: int) -> str:
    """ "today" (also for a day not yet come), "yesterday", "5 days ago"."""
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"
