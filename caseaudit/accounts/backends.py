"""Sign-in with lockout after repeated failures (SEC-3)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from caseaudit.accounts.models import SignInFailure


def _normalise(username: str | None) -> str:
    return (username or "").strip().lower()


def sign_in_is_locked(username: str | None) -> bool:
    since = timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)
    failures = SignInFailure.objects.filter(username=_normalise(username), at__gte=since).count()
    return failures >= settings.LOCKOUT_FAILURES


class LockoutModelBackend(ModelBackend):
    """Django's backend, refusing a locked account even with the right password and
    counting each failure. Usernames are email addresses, matched case-insensitively."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        username = _normalise(username or kwargs.get("email"))
        if not username or password is None:
            return None
        if sign_in_is_locked(username):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            ip = request.META.get("REMOTE_ADDR") if request is not None else None
            SignInFailure.objects.create(username=username, ip_address=ip)
        else:
            SignInFailure.objects.filter(username=username).delete()
        return user
