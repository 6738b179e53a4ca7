"""The safety plan's pages, in the `recovery` namespace."""

from __future__ import annotations

from django.urls import path

from closeknit.recovery import safety_views

urlpatterns = [
    path("safety-plan/", safety_views.plan, name="safety-plan"),
    path("safety-plan/edit/", safety_views.edit, name="safety-plan-edit"),
    path("safety-plan/print/", safety_views.print_view, name="safety-plan-print"),
    path("safety-plan/card/", safety_views.card, name="safety-plan-card"),
    path("safety-plan/history/", safety_views.history, name="safety-plan-history"),
    path(
        "safety-plan/history/<int:pk>/",
        safety_views.version_detail,
        name="safety-plan-version",
    ),
]
