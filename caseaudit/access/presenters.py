"""Access requests shaped for the pages: names, GOV.UK dates, status tags. Reads go through the
scoped selectors; nothing here writes."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from caseaudit.access.models import AccessRequest
from caseaudit.access.selectors import (
    access_approver_for,
    access_approver_role,
    access_request_pending,
    access_requests_for_case,
    approver_is_fallback,
)
from caseaudit.accounts.selectors import user_staff
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.discussion import audit_discussion_panel_provider
from caseaudit.cases.models import Case
from caseaudit.cases.presenters import CasePanel, restricted_case_panel_provider
from caseaudit.core.calendar import long_datetime

STATUS_TAGS = {
    AccessRequest.Status.PENDING: "govuk-tag--yellow",
    AccessRequest.Status.GRANTED: "govuk-tag--green",
    AccessRequest.Status.REFUSED: "govuk-tag--red",
}


@dataclass(frozen=True)
class AccessRequestRow:
    request_id: int
    case_id: str
    team_name: str
    requester_name: str
    requester_role: str
    reason: str
    approver_name: str
    approver_is_fallback: bool
    status: str
    status_label: str
    status_tag: str
    requested: str
    decided: str
    decided_by: str
    decision_reason: str
    href: str

    @property
    def pending(self) -> bool:
        return self.status == AccessRequest.Status.PENDING


def decider_name(request: AccessRequest) -> str:
    user = request.decided_by
    if user is None:
        return ""
    staff = user_staff(user)
    return staff.name if staff is not None else f"{user.get_username()} (system administrator)"


def access_request_row(request: AccessRequest, *, role: Any = None) -> AccessRequestRow:
    status = AccessRequest.Status(request.status)
    return AccessRequestRow(
        request_id=request.pk,
        case_id=request.case.case_id,
        team_name=request.case.team.name,
        requester_name=request.requester.name,
        requester_role=request.requester.job_role,
        reason=request.reason,
        approver_name=request.approver.name,
        approver_is_fallback=approver_is_fallback(request, role=role),
        status=status.value,
        status_label=status.label,
        status_tag=STATUS_TAGS[status],
        requested=long_datetime(request.created_at),
        decided=long_datetime(request.decided_at),
        decided_by=decider_name(request),
        decision_reason=request.decision_reason,
        href=reverse("access:decide", args=[request.pk]),
    )


def access_request_rows(requests: Any) -> list[AccessRequestRow]:
    role = access_approver_role()
    return [access_request_row(request, role=role) for request in requests]


def case_access_context(*, user: Any, case: Case) -> dict[str, Any]:
    """What the restricted case page shows about access: the requests the person may see, and
    whether they may ask (or are waiting for a decision)."""
    staff = user_staff(user)
    pending = access_request_pending(staff=staff, case=case) if staff is not None else None
    may_request = pending is None and user.has_perm("access.request_access", case)
    return {
        "access_requests": access_request_rows(access_requests_for_case(user=user, case=case)),
        "request_access_href": reverse("access:request", args=[case.case_id]) if may_request else "",
        "access_pending": access_request_row(pending) if pending is not None else None,
    }


@restricted_case_panel_provider
def case_access_panel(*, user: Any, case: Case) -> CasePanel:
    return CasePanel(template="access/case_panel.html", context=case_access_context(user=user, case=case))


def approver_context(*, case: Case) -> dict[str, Any]:
    approver = access_approver_for(case=case)
    return {
        "approver_name": approver.person.name if approver.person is not None else "",
        "approver_is_fallback": approver.is_fallback,
        "approver_role": approver.role.label.lower(),
    }


def audit_access_requests(*, user: Any, audit: Audit) -> list[AccessRequestRow]:
    """The requests about a restricted audit's case that `user` may see (the audit overview)."""
    if not audit.case.restricted:
        return []
    return access_request_rows(access_requests_for_case(user=user, case=audit.case))


@audit_discussion_panel_provider
def audit_access_panel(*, user: Any, audit: Audit) -> dict[str, Any]:
    """The access requests of a restricted audit's case, on its overview's discussion panel."""
    return {"access_requests": audit_access_requests(user=user, audit=audit)}
