"""Moving an audit on after Stage 1 (CONTRACTS §9), shared by the worker's feedback, the head of
QA's decision, Stage 2 and the panel. Each fires a named event of the audits' machine
(audits.machines.audit_event) under the audit's row lock, inside the caller's transaction."""

from typing import Any

from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.machines import MODERATION, audit_event, status_after_feedback, status_label
from caseaudit.audits.models import Audit
from caseaudit.core.problems import Problem
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.selectors import moderation_due_date
from caseaudit.questionnaires.services import response_create
from caseaudit.templates_library.selectors import template_version_current

STAGE2_TEMPLATE = "stage2_moderation"
MOVED_FIELDS = ["status", "final_at", "updated_at"]


def audit_lock(audit: Audit) -> Audit:
    """Re-read the audit's status and grades under a row lock: two people acting on it wait for
    each other, and the second sees what the first did."""
    audit.refresh_from_db(
        fields=["status", "final_at", "updated_at", "stage1_grades", "moderated_grades", "effective_grades"],
        from_queryset=Audit.objects.select_for_update(),
    )
    return audit


def require_status(audit: Audit, *statuses: str, doing: str) -> None:
    """422 unless the audit is in one of `statuses` (CONTRACTS §9)."""
    if audit.status not in statuses:
        raise AuditRefused(
            [
                Problem(
                    "audit",
                    "status",
                    f"You cannot {doing}: the audit is {status_label(audit.status).lower()}.",
                    "wrong_status",
                )
            ]
        )


def audit_move_on(*, actor: Any, audit: Audit, event: str, note: str = "") -> str:
    """After the worker's say (or the head of QA's decision): Stage 2 for the types moderated at
    Stage 2 (its moderation opened, with its due date), else final. Returns the new status."""
    to_status = status_after_feedback(audit)
    audit_event(audit=audit, event=event, to_status=to_status, actor=actor, note=note)
    audit.updated_at = timezone.now()
    audit.save(update_fields=MOVED_FIELDS)
    if to_status == MODERATION:
        moderation_open(audit=audit)
    return to_status


def audit_fire(*, actor: Any, audit: Audit, event: str, to_status: str, note: str = "") -> None:
    """Fire `event` and save the audit's status."""
    audit_event(audit=audit, event=event, to_status=to_status, actor=actor, note=note)
    audit.updated_at = timezone.now()
    audit.save(update_fields=MOVED_FIELDS)


def moderation_open(*, audit: Audit) -> Moderation:
    """The audit's Stage 2: a response to the current Stage 2 template, due by the 21st of the
    month after allocation (previous working day), waiting for a moderator."""
    version = template_version_current(ref=STAGE2_TEMPLATE)
    if version is None:
        raise AuditRefused(
            [Problem("audit", "status", "The Stage 2 moderation template is not loaded: run load_templates.")]
        )
    refs = version.sections.order_by("order").values_list("ref", flat=True)
    moderation, _ = Moderation.objects.get_or_create(
        audit=audit,
        defaults={
            "response": response_create(template_version=version, section_refs=refs),
            "due_date": moderation_due_date(audit=audit),
        },
    )
    return moderation
