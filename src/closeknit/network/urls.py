from __future__ import annotations

from django.urls import path

from closeknit.network import views

app_name = "network"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/archive/", views.person_archive, name="person-archive"),
    path("people/<int:pk>/delete/", views.person_delete, name="person-delete"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_new, name="group-new"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/archive/", views.group_archive, name="group-archive"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("contact/", views.interactions, name="interactions"),
    path("contact/new/", views.interaction_new, name="interaction-new"),
    path("contact/<int:pk>/edit/", views.interaction_edit, name="interaction-edit"),
    path("contact/<int:pk>/delete/", views.interaction_delete, name="interaction-delete"),
]
