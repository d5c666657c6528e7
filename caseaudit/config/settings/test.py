"""Test settings: fast hashing, mail kept in memory, the demo app available."""

import tempfile

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
INSTALLED_APPS = [*INSTALLED_APPS, "caseaudit.demo"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come straight from the finders (no collectstatic outside production).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Generated documents (audit PDFs) go to a throw-away folder, never into var/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="caseaudit-test-media-")
