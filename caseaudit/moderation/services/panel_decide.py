"""The moderation panel's decision on an audit (MOD-4, CONTRACTS §9): the chair of its panel
records confirmed, or changed with the grades the panel gives (through audits.services_grades, so
the Stage 1 limiting judgements still cap them), and the reason. The decision is final."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.machines import FINAL, PANEL
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.audits.services_grades import OVERALL, audit_grades_change
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import display_name
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.mail_panel import decision_recipients, panel_decided_mail_enqueue
from caseaudit.moderation.models import AuditAlert, Panel, PanelAudit, QaInboxItem
from caseaudit.moderation.services.lifecycle import audit_fire, audit_lock, require_status
from caseaudit.moderation.services.panel import PanelRefused, issue

REASON_MAX = 5000


def panel_decide(
    *,
    actor: Any,
    panel: Panel,
    audit: Audit,
    decision: str,
    reason: str,
    section_grades: dict[str, str] | None = None,
    overall_grade: str | None = None,
) -> PanelAudit:
    """The panel's final decision on one of its audits: confirmed, or changed with the grades it
    gives (each change's reason is the decision's reason). A second decision is refused."""
    if not actor.has_perm("moderation.decide_panel", audit):
        raise PermissionDenied("Only the chair of this audit's panel records its decision.")
    reason = (reason or "").strip()
    grades = {ref: grade for ref, grade in (section_grades or {}).items() if (grade or "").strip()}
    if (overall_grade or "").strip():
        grades[OVERALL] = str(overall_grade)
    with transaction.atomic():
        audit_lock(audit)
        entry = (
            PanelAudit.objects.select_for_update(of=("self",))
            .select_related("decided_by__staff")
            .filter(audit=audit)
            .first()
        )
        if entry is None or entry.panel_id != panel.pk:
            raise PanelRefused([issue("audit_id", "This audit is not on this panel.", str(audit.pk))])
        if entry.decision:
            when = long_date(timezone.localdate(entry.decided_at)) if entry.decided_at else ""
            raise PanelRefused(
                [
                    issue(
                        "decision",
                        f"The panel's decision on this audit was recorded on {when} by "
                        f"{display_name(entry.decided_by)}; it is final.",
                        str(audit.pk),
                    )
                ]
            )
        require_status(audit, PANEL, doing="record the panel's decision")
        problems = []
        if decision not in PanelAudit.Decision.values:
            problems.append(
                issue("decision", "Choose whether the panel confirmed or changed the audit.", str(audit.pk))
            )
        if not reason:
            problems.append(issue("reason", "Give the reason for the panel's decision.", str(audit.pk)))
        elif len(reason) > REASON_MAX:
            problems.append(
                issue("reason", f"The reason must be {REASON_MAX} characters or fewer.", str(audit.pk))
            )
        current = audit.effective_grades or {}
        changed = {
            ref: grade.strip().lower()
            for ref, grade in grades.items()
            if grade.strip().lower() != current.get(ref, "")
        }
        if decision == PanelAudit.Decision.CONFIRMED and changed:
            problems.append(
                issue(
                    "section_grades",
                    "Grades can be given only when the panel changed the audit.",
                    str(audit.pk),
                )
            )
        if decision == PanelAudit.Decision.CHANGED and not changed and not problems:
            problems.append(
                issue(
                    "overall_grade",
                    "Change at least one grade, or record that the panel confirmed the audit.",
                    str(audit.pk),
                )
            )
        if problems:
            raise PanelRefused(problems)
        changes: list[GradeChange] = []
        if decision == PanelAudit.Decision.CHANGED:
            try:
                changes = audit_grades_change(
                    actor=actor,
                    audit=audit,
                    stage="panel",
                    grades=changed,
                    reasons=dict.fromkeys(changed, reason),
                )
            except AuditRefused as refused:
                raise PanelRefused(refused.problems) from refused
        entry.decision, entry.reason = decision, reason
        entry.decided_by, entry.decided_at = user_or_none(actor), timezone.now()
        entry.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        audit_fire(actor=actor, audit=audit, event="panel_decided", to_status=FINAL, note=reason)
        summary = (
            f"The moderation panel {entry.get_decision_display().lower()} the audit of case "
            f"{audit.case.case_id}" + (f": {len(changes)} grade(s) changed." if changes else ".")
        )
        audit_event_record(
            actor=actor,
            action="panel.decided",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=summary,
            changes={"decision": [None, decision], "panel": str(panel.pk)},
        )
        QaInboxItem.objects.create(audit=audit, kind=QaInboxItem.Kind.PANEL_DECIDED, summary=summary)
        people = decision_recipients(audit=audit)
        AuditAlert.objects.bulk_create(
            AuditAlert(audit=audit, staff=person, kind=AuditAlert.Kind.PANEL_DECIDED, text=summary)
            for person in people
        )
        panel_decided_mail_enqueue(entry=entry, people=people, changes=len(changes))
    return entry
