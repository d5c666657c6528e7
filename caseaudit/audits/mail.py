"""Mail about an audit: a compliance gap flagged tells the worker and their practice manager what
to address, a gap addressed tells the auditor how (AUD-3); the submitted Stage 1 audit goes
to the worker and their line manager (REC-1). Queued in the writer's transaction through the
outbox and sent after commit (CONTRACTS §7). The messages name the case ID and team, never the
child: mail travels further than the application."""

from django.urls import reverse

from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.core.calendar import long_date
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


def submitted_mail_enqueue(*, audit: Audit, submitted_by: str) -> None:
    """REC-1: the finished Stage 1 audit goes to the worker and their line manager (the practice
    manager). The mail links to the audit and its PDF rather than attaching it, so each reading
    is permission-checked and logged (SEC-2), and no audit content leaves in the mail itself."""
    worker, manager = audit.worker, audit.practice_manager
    people = [person for person in (worker, manager) if person is not None and person.email]
    if not people:
        return
    case = audit.case
    grades = {grade["token"]: grade["label"] for grade in audit.template_version.grade_scale}
    actions = list(audit.actions.order_by("due_date", "order"))
    action_line = (
        f"It sets {len(actions)} action{'s' if len(actions) != 1 else ''}, the first due by "
        f"{long_date(actions[0].due_date)}."
        if actions
        else "It sets no actions."
    )
    body = "\n".join(
        [
            f"Dear {people[0].name},",
            "",
            f"{submitted_by} has submitted the Stage 1 audit of case {case.case_id} ({case.team.name}), "
            f"held on {long_date(audit.audit_date)}. Overall grade: "
            f"{grades.get(audit.overall_grade, audit.overall_grade or 'not graded')}.",
            action_line,
            "",
            "Read what was done well, the issues and the actions, and download the audit (PDF):",
            site_url(reverse("audits:overview", args=[audit.pk])),
            "",
            SIGNATURE,
        ]
    )
    outbox_enqueue(
        to=[people[0].email],
        cc=[person.email for person in people[1:]],
        subject=f"Stage 1 audit submitted: case {case.case_id}",
        body=body,
        related_type="audit",
        related_ref=str(audit.pk),
    )
