"""Routes of the supporter's side (/supporting/) and of the member's encouragement and access
log (/circle/encouragement/, /circle/log/). See circle/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from closeknit.circle import supporting_views as views

urlpatterns: list[URLPattern] = [
    path("supporting/", views.supporting, name="supporting"),
    path("supporting/<int:pk>/", views.supporting_member, name="supporting-member"),
    path("supporting/<int:pk>/mood/", views.supporting_mood, name="supporting-mood"),
    path(
        "supporting/<int:pk>/safety-plan/",
        views.supporting_safety_plan,
        name="supporting-safety-plan",
    ),
    path("supporting/<int:pk>/goals/", views.supporting_goals, name="supporting-goals"),
    path("supporting/<int:pk>/encourage/", views.supporting_encourage, name="supporting-encourage"),
    path("supporting/answers/<int:pk>/", views.supporting_answer, name="supporting-answer"),
    path("circle/encouragement/", views.encouragements, name="encouragements"),
    path(
        "circle/encouragement/<int:pk>/favourite/",
        views.encouragement_favourite,
        name="encouragement-favourite",
    ),
    path(
        "circle/encouragement/<int:pk>/delete/",
        views.encouragement_delete,
        name="encouragement-delete",
    ),
    path("circle/log/", views.access_log, name="access-log"),
]
