"""Writes of the shared kernel: history rows and access-log rows."""

from typing import Any

from django.http import HttpRequest

from caseaudit.core.models import AccessLog, AuditEvent


def user_or_none(actor: Any) -> Any:
    """The signed-in user to record as who did something, or None (a command, an anonymous request)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_event_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_ref: str,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one write. Call inside the write's own transaction so both land or neither."""
    return AuditEvent.objects.create(
        actor=user_or_none(actor),
        action=action,
        object_type=object_type,
        object_ref=str(object_ref),
        summary=summary,
        changes=changes or {},
    )


def access_log_record(
    *,
    actor: Any,
    object_type: str,
    object_ref: str,
    allowed: bool,
    action: str = "view",
    request: HttpRequest | None = None,
    via: str = "web",
) -> AccessLog:
    return AccessLog.objects.create(
        actor=user_or_none(actor),
        action=action,
        object_type=object_type,
        object_ref=str(object_ref),
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        path=request.get_full_path()[:512] if request is not None else "",
        via=via,
    )
