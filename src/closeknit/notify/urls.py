"""Routes of notification channels, reminder preferences and the outbox: `notify:<name>`."""

from __future__ import annotations

from django.urls import path

from closeknit.notify import views

app_name = "notify"
urlpatterns = [
    path("notifications/", views.channel_list, name="channels"),
    path("notifications/new/<slug:kind>/", views.channel_new, name="channel-new"),
    path("notifications/browser/", views.push_subscribe, name="push-subscribe"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/outbox/", views.outbox, name="outbox"),
    path("notifications/channels/<int:pk>/", views.channel_detail, name="channel"),
    path("notifications/channels/<int:pk>/edit/", views.channel_edit, name="channel-edit"),
    path("notifications/channels/<int:pk>/delete/", views.channel_delete, name="channel-delete"),
    path("notifications/channels/<int:pk>/verify/", views.channel_verify, name="channel-verify"),
    path("notifications/channels/<int:pk>/test/", views.channel_test, name="channel-test"),
    # At the root, so that the service worker's scope is the whole site.
    path("sw.js", views.service_worker, name="service-worker"),
]
