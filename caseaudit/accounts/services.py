"""Writes to accounts: API tokens and invitations."""

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from caseaudit.accounts.models import ApiToken
from caseaudit.core.services import audit_event_record


def api_token_create(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """A new personal token. The raw value is returned once and never stored."""
    raw = ApiToken.new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, token_hash=ApiToken.hash_of(raw))
        audit_event_record(
            actor=user,
            action="api_token.created",
            object_type="api_token",
            object_ref=str(token.pk),
            summary=f"API token “{name}” created",
        )
    return token, raw


def api_token_revoke(*, user: Any, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event_record(
            actor=user,
            action="api_token.revoked",
            object_type="api_token",
            object_ref=str(token.pk),
            summary=f"API token “{token.name}” revoked",
        )


def api_token_authenticate(*, raw: str) -> Any:
    """The active user a raw bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def invitation_path(*, user: Any) -> str:
    """The path of the link that lets a new member of staff choose their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})
