"""Django settings for Closeknit, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from closeknit.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    secret_from_file,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CLOSEKNIT_DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or secret_from_file(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Encryption keys for free-text notes: comma-separated Fernet keys, newest first.
# Empty means "use (or create) the key file in the data directory"; see closeknit.lib.crypto.
ENCRYPTION_KEYS = [
    k.strip() for k in env_secret("CLOSEKNIT_ENCRYPTION_KEYS").split(",") if k.strip()
]
ENCRYPTION_KEY_FILE = DATA_DIR / "encryption.keys"

# The "Explore a demo" button: handy on a laptop, off for a public server.
DEMO_ENABLED = env_bool("CLOSEKNIT_DEMO", True)
CRISIS_LINES_FILE = env_str("CLOSEKNIT_CRISIS_LINES_FILE", "")

# The largest address-book file an import (web page or API) accepts.
IMPORT_MAX_BYTES = env_int("CLOSEKNIT_IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# Reminders and notifications (see docs/operating.md, "The worker").
# The address links in reminders and the calendar feed point to.
BASE_URL = env_str("CLOSEKNIT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Outbound HTTP (ntfy, webhooks, web push) never goes to private or loopback addresses
# unless this is on: a member's webhook must not reach into the server's own network.
HTTP_ALLOW_PRIVATE = env_bool("CLOSEKNIT_HTTP_ALLOW_PRIVATE", False)
HTTP_TIMEOUT_SECONDS = env_int("CLOSEKNIT_HTTP_TIMEOUT_SECONDS", 10)
# How long a worker holds a claimed message before another worker may retry it.
WORKER_LEASE_SECONDS = env_int("CLOSEKNIT_WORKER_LEASE_SECONDS", 120)
# How long `closeknit worker` sleeps between passes when there is nothing to do.
WORKER_INTERVAL_SECONDS = env_int("CLOSEKNIT_WORKER_INTERVAL_SECONDS", 30)
# Tries before a message is marked failed (with exponential back-off in between).
WORKER_MAX_ATTEMPTS = env_int("CLOSEKNIT_WORKER_MAX_ATTEMPTS", 8)
# Web Push: the VAPID private key (PEM), generated into DATA_DIR/vapid_private.pem when empty.
VAPID_PRIVATE_KEY = env_secret("CLOSEKNIT_VAPID_PRIVATE_KEY")
VAPID_KEY_FILE = DATA_DIR / "vapid_private.pem"
VAPID_SUBJECT = env_str("CLOSEKNIT_VAPID_SUBJECT", "")

# The circle of supporters (see docs/supporters.md).
# How long an invitation to someone's circle can be used.
CIRCLE_INVITATION_DAYS = env_int("CLOSEKNIT_CIRCLE_INVITATION_DAYS", 7)
# How long a supporter's answer link in an "I need support" message works.
CIRCLE_ANSWER_HOURS = env_int("CLOSEKNIT_CIRCLE_ANSWER_HOURS", 72)
# After an "I need support" request, another within this many minutes is not sent again.
CIRCLE_HELP_REQUEST_MINUTES = env_int("CLOSEKNIT_CIRCLE_HELP_REQUEST_MINUTES", 2)
# How long after the member's own early-warning nudge their supporters are nudged (if chosen).
CIRCLE_NUDGE_DELAY_MINUTES = env_int("CLOSEKNIT_CIRCLE_NUDGE_DELAY_MINUTES", 60)

LOGIN_FAILURE_LIMIT = env_int("CLOSEKNIT_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("CLOSEKNIT_LOGIN_FAILURE_WINDOW_MINUTES", 15)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "closeknit.accounts",
    "closeknit.network",
    "closeknit.recovery",
    "closeknit.wellbeing",
    "closeknit.rhythms",
    "closeknit.notify",
    "closeknit.insights",
    "closeknit.circle",
    "closeknit.api",
    "ninja",  # serves the bundled Swagger UI for /api/v1/docs (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "closeknit.accounts.middleware.MemberTimezoneMiddleware",
]

ROOT_URLCONF = "closeknit.urls"
WSGI_APPLICATION = "closeknit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "closeknit.context_processors.site",
                "closeknit.recovery.context_processors.safety_plan",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "closeknit.sqlite3"),
            "OPTIONS": {
                # WAL lets readers and the writer work at once; IMMEDIATE avoids
                # "database is locked" surprises when a read turns into a write.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "network:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True

EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Closeknit <closeknit@localhost>")
# Without an SMTP server, e-mails (e.g. password resets) are printed to the server's console.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
