"""Routes of the reach-out list: `rhythms:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.rhythms import reach_out_views as views

urlpatterns = [
    path("reach-out/", views.reach_out_list, name="reach-out"),
    path("reach-out/<int:pk>/pause/", views.pause_person, name="reach-out-pause"),
    path("reach-out/<int:pk>/resume/", views.resume_person, name="reach-out-resume"),
]
