from __future__ import annotations

from closeknit import checks


def ids(warnings):
    return {w.id for w in warnings}


def test_missing_email_setup_is_reported(settings):
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert ids(checks.email_configured(None)) == {"closeknit.W001"}
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.email_configured(None) == []


def test_local_server_has_no_public_warnings(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.DEMO_ENABLED = True
    settings.DEBUG = True
    assert checks.public_server_safety(None) == []


def test_public_server_with_unsafe_settings_gets_every_warning(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = True
    settings.DEMO_ENABLED = True
    settings.SESSION_COOKIE_SECURE = False
    assert ids(checks.public_server_safety(None)) == {
        "closeknit.W002",
        "closeknit.W003",
        "closeknit.W004",
        "closeknit.W005",
    }


def test_public_server_set_up_well_is_quiet(settings):
    settings.ALLOWED_HOSTS = ["closeknit.example.org"]
    settings.DEBUG = False
    settings.DEMO_ENABLED = False
    settings.SESSION_COOKIE_SECURE = True
    assert checks.public_server_safety(None) == []
