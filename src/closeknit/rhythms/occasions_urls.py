"""Routes of occasions, the gratitude log and the calendar feed: `rhythms:<name>`."""

from __future__ import annotations

urlpatterns: list[object] = []
