"""Writes of compliance gaps (AUD-3): the auditor flags one for the worker to address before the
audit is final; the worker (or their practice manager) records how it was addressed. Each in one
transaction with its audit-history row and its mail (sent after commit)."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.audits.errors import AuditReadOnly, ProblemList
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.mail import gap_addressed_mail_enqueue, gap_flagged_mail_enqueue
from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.services import read_only_problem
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import display_name
from caseaudit.core.services import audit_event_record


def compliance_gap_flag(*, actor: Any, audit: Audit, kind: str, note: str) -> ComplianceGap:
    """Flag a compliance gap (supervision, case notes, chronology, visits) for the worker to
    address before the audit is final (AUD-3)."""
    problems = ProblemList()
    if audit.status not in EDITABLE:
        raise AuditReadOnly([read_only_problem(audit)])
    if kind not in ComplianceGap.Kind.values:
        kinds = ", ".join(ComplianceGap.Kind.values)
        problems.add("compliance_gap", "kind", f"Choose the kind of gap: one of {kinds}")
    if not (note or "").strip():
        problems.add("compliance_gap", "note", "Say what is missing and what the worker should do")
    problems.raise_if_any()
    with transaction.atomic():
        gap = ComplianceGap.objects.create(audit=audit, kind=kind, note=note.strip(), flagged_by=actor)
        audit_event_record(
            actor=actor,
            action="compliance_gap.flagged",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Compliance gap {gap.pk} ({gap.get_kind_display()}) flagged on audit {audit.pk}",
            changes={f"compliance_gaps.{gap.pk}": [None, {"kind": kind, "note": gap.note}]},
        )
        gap_flagged_mail_enqueue(gap=gap, flagged_by=display_name(actor))
    return gap


def compliance_gap_address(*, actor: Any, gap: ComplianceGap, note: str) -> ComplianceGap:
    """The worker (or their practice manager) records how a gap was addressed (AUD-3)."""
    problems = ProblemList()
    ref = f"compliance_gaps[{gap.pk}]"
    if gap.addressed_at is not None:
        problems.add(
            ref,
            "addressed",
            f"This gap was already addressed on {long_date(timezone.localdate(gap.addressed_at))}",
        )
    if not (note or "").strip():
        problems.add(ref, "note", "Say how the gap was addressed")
    problems.raise_if_any()
    with transaction.atomic():
        gap.addressed_at = timezone.now()
        gap.addressed_by = actor
        gap.addressed_note = note.strip()
        gap.save(update_fields=["addressed_at", "addressed_by", "addressed_note"])
        audit_event_record(
            actor=actor,
            action="compliance_gap.addressed",
            object_type="audit",
            object_ref=str(gap.audit_id),
            summary=f"Compliance gap {gap.pk} on audit {gap.audit_id} addressed",
            changes={f"compliance_gaps.{gap.pk}.addressed": [None, gap.addressed_note]},
        )
        gap_addressed_mail_enqueue(gap=gap, addressed_by=display_name(actor))
    return gap
