"""Routes of the daily check-in and the questionnaires: `wellbeing:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.wellbeing import views

app_name = "wellbeing"
# Days are ISO dates ("2026-11-30"); the views answer 404 for anything else.
urlpatterns = [
    path("checkin/", views.checkin_today, name="checkin"),
    path("checkin/<str:day>/", views.checkin_day, name="checkin-day"),
    path("checkin/<str:day>/delete/", views.checkin_delete, name="checkin-delete"),
    path("checkins/", views.checkin_calendar, name="checkins"),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/schedule/", views.schedules, name="questionnaire-schedules"),
    path("questionnaires/results/<int:pk>/", views.assessment_detail, name="assessment"),
    path(
        "questionnaires/results/<int:pk>/support/",
        views.assessment_support,
        name="assessment-support",
    ),
    path(
        "questionnaires/results/<int:pk>/delete/",
        views.assessment_delete,
        name="assessment-delete",
    ),
    path("questionnaires/<slug:code>/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<slug:code>/history/",
        views.questionnaire_history,
        name="questionnaire-history",
    ),
]
