"""Mail about an audit before it is final (AUD-3): a compliance gap flagged tells the worker and
their practice manager what to address; a gap addressed tells the auditor how. Queued in the
writer's transaction through the outbox and sent after commit (CONTRACTS §7). The messages
name the case ID and team, never the child: mail travels further than the application."""

from django.urls import reverse

from caseaudit.audits.models import ComplianceGap
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue

SIGNATURE = "This message was sent by caseaudit."


def gap_flagged_mail_enqueue(*, gap: ComplianceGap, flagged_by: str) -> None:
    audit = gap.audit
    worker, manager = audit.worker, audit.practice_manager
    to = [worker.email] if worker is not None and worker.email else []
    cc = [manager.email] if manager is not None and manager.email else []
    if not to and not cc:
        return
    to, cc = (to, cc) if to else (cc, [])  # no worker to write to: their practice manager
    dear = worker if worker is not None and worker.email else manager
    case = audit.case
    body = "\n".join(
        [
            f"Dear {dear.name if dear is not None else 'colleague'},",
            "",
            f"{flagged_by} has flagged a compliance gap on the audit of case {case.case_id} "
            f"({case.team.name}), to be addressed before the audit is final:",
            "",
            f"{gap.get_kind_display()}: {gap.note}",
            "",
            "Once it is put right, record how on the audit: "
            + site_url(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps"),
            "",
            SIGNATURE,
        ]
    )
    outbox_enqueue(
        to=to,
        cc=cc,
        subject=f"Compliance gap to address: case {case.case_id} ({gap.get_kind_display().lower()})",
        body=body,
        related_type="compliance_gap",
        related_ref=str(gap.pk),
    )


def gap_addressed_mail_enqueue(*, gap: ComplianceGap, addressed_by: str) -> None:
    auditor = gap.audit.auditor
    if auditor is None or not auditor.email:
        return
    case = gap.audit.case
    body = "\n".join(
        [
            f"Dear {auditor.name},",
            "",
            f"{addressed_by} has addressed the compliance gap you flagged on the audit of case "
            f"{case.case_id} ({case.team.name}):",
            "",
            f"{gap.get_kind_display()}: {gap.note}",
            "",
            f"How it was addressed: {gap.addressed_note}",
            "",
            "The audit: " + site_url(reverse("audits:overview", args=[gap.audit.pk]) + "#compliance-gaps"),
            "",
            SIGNATURE,
        ]
    )
    outbox_enqueue(
        to=[auditor.email],
        subject=f"Compliance gap addressed: case {case.case_id} ({gap.get_kind_display().lower()})",
        body=body,
        related_type="compliance_gap",
        related_ref=str(gap.pk),
    )
