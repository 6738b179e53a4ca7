"""Startup checks (`closeknit manage check --deploy` shows them too) for an unsafe or half-set-up install."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

from closeknit.notify.vapid import subject_problem

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def public_hosts() -> list[str]:
    return [host for host in settings.ALLOWED_HOSTS if host not in LOCAL_HOSTS]


@register()
def email_configured(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        return [
            Warning(
                "No EMAIL_HOST is set, so e-mails (such as password resets) are only "
                "printed to the server's console.",
                hint="Set EMAIL_HOST and friends; see docs/configuration.md.",
                id="closeknit.W001",
            )
        ]
    return []


@register()
def public_server_safety(app_configs: Any, **kwargs: Any) -> list[Warning]:
    public = public_hosts()
    if not public:
        return []
    warnings = []
    if "*" in public:
        warnings.append(
            Warning(
                "ALLOWED_HOSTS contains '*': any Host header is accepted.",
                hint="List the host names this server answers to.",
                id="closeknit.W002",
            )
        )
    if settings.DEBUG:
        warnings.append(
            Warning(
                "DEBUG is on while the server answers to public host names; "
                "error pages would show private data.",
                hint="Remove DEBUG=true.",
                id="closeknit.W003",
            )
        )
    if settings.DEMO_ENABLED:
        warnings.append(
            Warning(
                "The 'Explore a demo' button is on for a public server; anyone can create accounts with it.",
                hint="Set CLOSEKNIT_DEMO=false.",
                id="closeknit.W004",
            )
        )
    if not settings.SESSION_COOKIE_SECURE:
        warnings.append(
            Warning(
                "Cookies are sent without the Secure flag on a public server.",
                hint="Serve over HTTPS and set SECURE_COOKIES=true.",
                id="closeknit.W005",
            )
        )
    return warnings


@register()
def web_push_contact(app_configs: Any, **kwargs: Any) -> list[Warning]:
    problem = subject_problem()
    if problem is None:
        return []
    return [
        Warning(
            f"{problem} Some push services (Apple's among them) refuse web push "
            "without a real contact address.",
            hint="Set CLOSEKNIT_VAPID_SUBJECT to mailto:you@your-domain, or set DEFAULT_FROM_EMAIL "
            "to a real address; see docs/configuration.md.",
            id="closeknit.W006",
        )
    ]
