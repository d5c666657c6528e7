"""The "My audits" rows (SEL-5): each audit the monthly allocation gave the auditor, with its
deadline and what to do next. A restricted case shows "Restricted" and the link to ask for access
until access is granted (CONTRACTS §3, SEL-6)."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from caseaudit.allocation.presenters.mail import optional_url
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date, month_label

RESTRICTED = "Restricted"


@dataclass(frozen=True)
class MyAuditRow:
    audit_id: int
    case_id: str
    team_name: str
    child_name: str  # or "Restricted"
    visible: bool
    worker_name: str
    month: str
    due: str
    overdue: bool
    status: str
    submitted: bool
    open_href: str
    request_access_href: str
    access_pending: bool
    discussion_href: str


def my_audit_row(audit: Audit, *, access: dict[int, str], today: date) -> MyAuditRow:
    case = audit.case
    state = access.get(case.pk, "")
    visible = not case.restricted or state == "granted"
    done = audit.status not in EDITABLE
    return MyAuditRow(
        audit_id=audit.pk,
        case_id=case.case_id,
        team_name=case.team.name,
        child_name=case.child.name if visible else RESTRICTED,
        visible=visible,
        worker_name=(audit.worker.name if audit.worker else "Unallocated") if visible else "",
        month=month_label(audit.allocation_month) if audit.allocation_month else "",
        due=long_date(audit.due_date),
        overdue=bool(audit.due_date and audit.due_date < today and not done),
        status=audit.get_status_display(),
        submitted=done,
        open_href=reverse("audits:overview", args=[audit.pk]) if visible else "",
        request_access_href=""
        if visible or state == "pending"
        else optional_url("access:request", case.case_id),
        access_pending=not visible and state == "pending",
        discussion_href=reverse("audits:discussion", args=[audit.pk]) if visible and not done else "",
    )
