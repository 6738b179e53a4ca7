"""Tenancy: every row of personal data has an owner, and is read through `owned_by`."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models


class OwnedQuerySet(models.QuerySet[Any]):
    def owned_by(self, user: Any) -> Self:
        """Only the rows of `user`; an anonymous user gets nothing."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


OwnedManager = models.Manager.from_queryset(OwnedQuerySet)


class OwnedModel(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )

    objects = OwnedManager()

    class Meta:
        abstract = True
