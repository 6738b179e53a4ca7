"""Routes of "I need support": the member's pages under /circle/help/, and the public
answer page a supporter opens from their message. See circle/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from closeknit.circle import help_views as views

urlpatterns: list[URLPattern] = [
    path("circle/help/", views.help_form, name="help"),
    path("circle/help/history/", views.help_requests, name="help-requests"),
    path("circle/help/<int:pk>/", views.help_request, name="help-request"),
    path("circle/help/<int:pk>/answers/", views.help_answers, name="help-answers"),
    path("circle/answer/<str:token>/", views.answer, name="answer"),
]
