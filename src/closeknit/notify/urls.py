"""Routes of notification channels, reminder preferences and the outbox: `notify:<name>`."""

from __future__ import annotations

app_name = "notify"
urlpatterns: list[object] = []
