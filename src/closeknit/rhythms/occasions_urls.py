"""Routes of occasions, the gratitude log and the calendar feed: `rhythms:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.rhythms import appreciations_views, calendar_views, occasions_views

urlpatterns = [
    path("occasions/", occasions_views.occasions, name="occasions"),
    path("occasions/new/", occasions_views.occasion_new, name="occasion-new"),
    path("occasions/<int:pk>/edit/", occasions_views.occasion_edit, name="occasion-edit"),
    path("occasions/<int:pk>/delete/", occasions_views.occasion_delete, name="occasion-delete"),
    path("thanks/", appreciations_views.appreciations, name="appreciations"),
    path("thanks/new/", appreciations_views.appreciation_new, name="appreciation-new"),
    path("thanks/<int:pk>/edit/", appreciations_views.appreciation_edit, name="appreciation-edit"),
    path(
        "thanks/<int:pk>/delete/",
        appreciations_views.appreciation_delete,
        name="appreciation-delete",
    ),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/replace/", calendar_views.calendar_replace, name="calendar-replace"),
    path("calendar/revoke/", calendar_views.calendar_revoke, name="calendar-revoke"),
    # No sign-in: the secret in the address is the key (see calendar_views).
    path("calendar/<str:secret>.ics", calendar_views.feed, name="calendar-feed"),
]
