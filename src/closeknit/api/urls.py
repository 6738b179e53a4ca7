"""/api/v1/ (mounted by closeknit.urls): the JSON API, its OpenAPI document and docs page."""

from __future__ import annotations

from django.urls import path

from closeknit.api.main import api

urlpatterns = [path("", api.urls)]
