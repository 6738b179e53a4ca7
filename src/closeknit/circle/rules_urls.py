"""Routes of the circle of supporters: see circle/urls.py. These are the early-warning rules'."""

from __future__ import annotations

from django.urls import URLPattern, path

from closeknit.circle import rules_views

# "firings/" comes before "<str:kind>/", which would otherwise take it for a rule's name.
urlpatterns: list[URLPattern] = [
    path("circle/rules/", rules_views.rules_page, name="rules"),
    path("circle/rules/firings/", rules_views.firings, name="firings"),
    path("circle/rules/firings/<int:pk>/cancel/", rules_views.firing_cancel, name="firing-cancel"),
    path("circle/rules/<str:kind>/", rules_views.rule_edit, name="rule"),
]
