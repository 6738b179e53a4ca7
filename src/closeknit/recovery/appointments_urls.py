"""Appointment pages, in the `recovery` namespace (included by recovery/urls.py)."""

from __future__ import annotations

from django.urls import path

from closeknit.recovery import appointments_views as views

urlpatterns = [
    path("appointments/", views.appointments, name="appointments"),
    path("appointments/past/", views.appointments_past, name="appointments-past"),
    path("appointments/new/", views.appointment_new, name="appointment-new"),
    path("appointments/<int:pk>/edit/", views.appointment_edit, name="appointment-edit"),
    path("appointments/<int:pk>/delete/", views.appointment_delete, name="appointment-delete"),
    path("appointments/<int:pk>/status/", views.appointment_status, name="appointment-status"),
    path(
        "appointments/series/<int:pk>/edit/",
        views.series_edit,
        name="appointment-series-edit",
    ),
    path(
        "appointments/series/<int:pk>/delete/",
        views.series_delete,
        name="appointment-series-delete",
    ),
]
