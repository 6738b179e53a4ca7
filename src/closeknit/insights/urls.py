"""Routes of the insights pages: `insights:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.network, name="network"),
    path("insights/wellbeing/", views.wellbeing, name="wellbeing"),
]
