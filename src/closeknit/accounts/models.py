"""The member's account, API tokens and failed sign-in attempts."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "ck_"


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member. Everything personal in Closeknit is owned by exactly one of these."""

    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField("what should we call you?", max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    country = models.CharField(
        max_length=2, blank=True, help_text="Used to show the crisis lines for where you live."
    )
    language = models.CharField(max_length=10, default="en")
    is_demo = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


def hash_token(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def owned_by(self, user: Any) -> ApiTokenQuerySet:
        return self.filter(owner=user)


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only its SHA-256 is stored; the token is shown once."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="API token")
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, owner: User, name: str = "API token") -> tuple[ApiToken, str]:
        """Create a token and return it with its secret, which is never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            owner=owner, name=name or "API token", prefix=secret[:10], digest=hash_token(secret)
        )
        return token, secret


class LoginFailure(models.Model):
    """One failed sign-in, kept briefly to slow down password guessing.

    Keyed by a hash of the e-mail address tried (not a foreign key: the address
    may belong to no one), plus the client address.
    """

    email_digest = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failure at {self.at:%Y-%m-%d %H:%M}"
