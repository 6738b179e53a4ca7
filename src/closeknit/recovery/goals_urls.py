"""Routes of goals (with steps, reflections, milestones) and coping strategies: `recovery:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.recovery import goals_views as views

urlpatterns = [
    path("goals/", views.goal_list, name="goals"),
    path("goals/new/", views.goal_new, name="goal-new"),
    path("goals/<int:pk>/", views.goal_detail, name="goal"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal-edit"),
    path("goals/<int:pk>/archive/", views.goal_archive, name="goal-archive"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("goals/<int:pk>/reached/", views.goal_reach, name="goal-reach"),
    path("goals/<int:pk>/steps/", views.step_new, name="goal-step-new"),
    path("goals/<int:pk>/reflections/", views.reflection_new, name="goal-reflection-new"),
    path("goals/steps/<int:pk>/edit/", views.step_edit, name="goal-step-edit"),
    path("goals/steps/<int:pk>/delete/", views.step_delete, name="goal-step-delete"),
    path("goals/steps/<int:pk>/done/", views.step_toggle, name="goal-step-toggle"),
    path("goals/steps/<int:pk>/move/", views.step_move, name="goal-step-move"),
    path("milestones/", views.milestones, name="milestones"),
    path("coping/", views.coping_list, name="coping"),
    path("coping/new/", views.coping_new, name="coping-new"),
    path("coping/<int:pk>/", views.coping_detail, name="coping-strategy"),
    path("coping/<int:pk>/edit/", views.coping_edit, name="coping-edit"),
    path("coping/<int:pk>/archive/", views.coping_archive, name="coping-archive"),
    path("coping/<int:pk>/delete/", views.coping_delete, name="coping-delete"),
    path("coping/<int:pk>/used/", views.coping_use, name="coping-use"),
]
