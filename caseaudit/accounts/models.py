"""Sign-in accounts. A member of staff has one account; `username` is their email in lower case."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """Django's user, kept as our own model so the council's needs can grow into it."""

    def __str__(self) -> str:
        staff = getattr(self, "staff", None)
        return staff.name if staff is not None else self.get_username()


class SignInFailure(models.Model):
    """A failed sign-in, counted for lockout (SEC-3)."""

    username = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}"


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; it can be revoked."""

    PREFIX = "ca_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def new_raw_token(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_of(raw: str) -> str:
        return _token_hash(raw)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
