"""Settings for the test suite: the real settings, with a throwaway data directory."""

import os
import tempfile

os.environ.setdefault("CLOSEKNIT_DATA_DIR", tempfile.mkdtemp(prefix="closeknit-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("CLOSEKNIT_DEMO", "true")

from closeknit.settings import *  # noqa: F403

# Argon2 stays the production hasher (tested in tests/accounts); tests use a fast
# one for the many users they create, with Argon2 still able to verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A fixed key so tests can check that stored text is not plaintext.
ENCRYPTION_KEYS = ["x1mKAd-YvprrZ71CQe_E3uf0UCGeR9aNPb3-J4VmwaI="]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # A name per run, so that two runs on one server (two checkouts, CI beside a developer) never collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_closeknit_{os.getpid()}"}  # noqa: F405
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)
