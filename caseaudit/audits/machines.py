"""The life of a Stage 1 audit, as a small state machine.

    (new) ──▶ allocated ──▶ in_progress ──▶ submitted
      └──────────────────────▲

An audit made by the monthly allocation starts `allocated`; the first save moves it to
`in_progress`. One started from the child's page starts `in_progress`. Only an audit in
progress can be submitted, and a submitted audit is read-only for Stage 1 (later stages add
their own states). Transitions happen only inside the services; each one appends a status
history row (who, when, from, to) and an audit-history event (REC-3)."""

from typing import Any

from caseaudit.audits.errors import TransitionNotAllowed
from caseaudit.audits.models import Audit, AuditStatusChange
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none

NEW = ""
ALLOCATED = Audit.Status.ALLOCATED.value
IN_PROGRESS = Audit.Status.IN_PROGRESS.value
SUBMITTED = Audit.Status.SUBMITTED.value

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({ALLOCATED, IN_PROGRESS}),
    ALLOCATED: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({SUBMITTED}),
    SUBMITTED: frozenset(),
}
# The states in which the auditor may still change the Stage 1 audit.
EDITABLE = frozenset({ALLOCATED, IN_PROGRESS})


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def status_label(status: str) -> str:
    return dict(Audit.Status.choices).get(status, status or "new")


def audit_transition(*, audit: Audit, to_status: str, actor: Any, from_status: str | None = None) -> None:
    """Move `audit` to `to_status` and record it. `from_status` is NEW ("") for a new audit,
    else its current status. The caller saves the audit in the same transaction."""
    current = audit.status if from_status is None else from_status
    if not transition_allowed(current, to_status):
        raise TransitionNotAllowed(
            [
                Problem(
                    "audit",
                    "status",
                    f"An audit that is {status_label(current).lower()} cannot become "
                    f"{status_label(to_status).lower()}.",
                )
            ]
        )
    audit.status = to_status
    AuditStatusChange.objects.create(
        audit=audit, from_status=current, to_status=to_status, by=user_or_none(actor)
    )
    audit_event_record(
        actor=actor,
        action="audit.status_changed",
        object_type="audit",
        object_ref=str(audit.pk),
        summary=f"Audit {audit.pk}: {status_label(current)} → {status_label(to_status)}",
        changes={"status": [current, to_status]},
    )
