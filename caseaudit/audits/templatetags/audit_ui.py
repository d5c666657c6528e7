"""The "Audits" panel of the child's page (AUD-1: the audit is started from the child's case).

A template tag, so the child page (owned by the cases app) only includes it: the audits it lists
are read through the audit selectors, scoped to the person viewing the page."""

from dataclasses import dataclass
from typing import Any

from django import template

from caseaudit.audits.machines import AFTER_STAGE1, status_label
from caseaudit.audits.presenters.audit import STATUS_TAGS, grade_label
from caseaudit.audits.ui_selectors import case_last_audit_date, child_audit_list
from caseaudit.cases.models import Child
from caseaudit.cases.selectors import child_cases
from caseaudit.core.calendar import long_date
from caseaudit.templates_library.selectors import audit_type_list

register = template.Library()


@register.inclusion_tag("audits/includes/child_audits.html", takes_context=True)
def child_audits(context: template.Context, child: Child) -> dict[str, Any]:
    user = context["request"].user
    return {"panel": child_audits_panel(user=user, child=child)}


@dataclass(frozen=True)
class ChildAuditRow:
    audit_id: int
    case_id: str
    type_name: str
    audit_date: str
    auditor: str
    status_label: str
    status_tag: str
    overall_grade: str


@dataclass(frozen=True)
class ChildAuditsPanel:
    rows: list[ChildAuditRow]
    startable_case_ids: list[str]


def child_audits_panel(*, user: Any, child: Any) -> ChildAuditsPanel:
    """The child's audits the person may see, and the cases they may start an audit of."""
    names = {kind.token: kind.name for kind in audit_type_list(active_only=False)}
    rows = [
        ChildAuditRow(
            audit_id=audit.pk,
            case_id=audit.case.case_id,
            type_name=names.get(audit.audit_type, audit.audit_type),
            audit_date=long_date(audit.audit_date) or "Not recorded",
            auditor=audit.auditor.name,
            status_label=status_label(audit.status),
            status_tag=STATUS_TAGS.get(audit.status, ""),
            overall_grade=grade_label(audit.template_version.grade_scale, audit.overall_grade)
            if audit.status in AFTER_STAGE1
            else "",
        )
        for audit in child_audit_list(user=user, child=child)
    ]
    startable = [
        case.case_id
        for case in child_cases(user=user, child=child)
        if getattr(case, "details_visible", False) and user.has_perm("audits.start_audit", case)
    ]
    return ChildAuditsPanel(rows=rows, startable_case_ids=startable)


@register.simple_tag
def case_last_audited(case_id: str, before_caseaudit: str) -> str:
    """ACT-1 (issue 11, 8): the case's last audit in caseaudit (its audit date, once submitted),
    else the date the register gave from before caseaudit, else "Not known"."""
    last = case_last_audit_date(case_id=case_id)
    if last is not None:
        return long_date(last)
    return f"{before_caseaudit} (before caseaudit)" if before_caseaudit else "Not known"
