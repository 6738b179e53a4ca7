"""Bearer tokens for /api/v1/: the only way in (no session cookies, so no CSRF to manage)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from closeknit.accounts.models import ApiToken, User, hash_token

# Recording every use would turn each read into a write; once a minute is enough to
# tell the member which tokens are still in use.
TOUCH_EVERY = timedelta(minutes=1)

MISSING = (
    "This API needs a token. Create one under Settings → API tokens and send it "
    "as the header 'Authorization: Bearer <token>'."
)
INVALID = (
    "That API token isn't valid: it may have been revoked or mistyped. "
    "You can create a new one under Settings → API tokens."
)


def needs_touch(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether to record this use of a token, at most once per TOUCH_EVERY."""
    return last_used_at is None or now - last_used_at >= TOUCH_EVERY


def touch(token: ApiToken, now: datetime) -> None:
    if not needs_touch(token.last_used_at, now):
        return
    # Conditional, so that concurrent requests with one token write at most once.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; the member who owns the token becomes `request.auth`."""

    def __call__(self, request: HttpRequest) -> User | None:
        scheme, _, token = request.headers.get(self.header, "").strip().partition(" ")
        if not scheme:
            raise AuthenticationError(message=MISSING)
        if scheme.lower() != self.openapi_scheme or not token.strip():
            raise AuthenticationError(message=MISSING)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Only digests are stored; looking one up by its digest reveals nothing about
        # other tokens, so an ordinary indexed lookup is safe here.
        api_token = (
            ApiToken.objects.select_related("owner").filter(digest=hash_token(token)).first()
        )
        if api_token is None or not api_token.owner.is_active:
            raise AuthenticationError(message=INVALID)
        touch(api_token, timezone.now())
        return api_token.owner


def request_owner(request: HttpRequest) -> User:
    """The member a request acts for, set by BearerToken (never the session's user)."""
    owner = getattr(request, "auth", None)
    if not isinstance(owner, User):
        raise AuthenticationError(message=MISSING)
    return owner
