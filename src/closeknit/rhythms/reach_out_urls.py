"""Routes of the reach-out list: `rhythms:<name>`."""

from __future__ import annotations

urlpatterns: list[object] = []
