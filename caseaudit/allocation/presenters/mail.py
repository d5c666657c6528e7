"""The auditor's email when the month is confirmed (SEL-5): each case, the allocated worker and their
practice manager, the due date and a link. A restricted record names only its case ID and team
until access is granted (CONTRACTS §3, SEL-6)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.urls import NoReverseMatch, reverse

from caseaudit.access.selectors import access_requests_of
from caseaudit.allocation.models import AllocationItem
from caseaudit.core.calendar import long_date, month_label
from caseaudit.core.mail_text import site_url


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def optional_url(name: str, *args: Any) -> str:
    """The path of a page that another part of the application provides, or "" while it is missing
    (the access-request and discussion pages are wired in separately)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def auditor_mail(*, month: date, due: date, items: list[AllocationItem]) -> Mail:
    """One message for one auditor, naming each of their cases this month."""
    auditor = items[0].auditor
    granted = access_requests_of(
        staff=auditor, case_pks=[item.case_id for item in items if item.case.restricted]
    )
    count = len(items)
    lines = [
        f"Dear {auditor.name},",
        "",
        f"You have been allocated {count} case{'s' if count != 1 else ''} for the monthly Good Practice "
        f"audit (Stage 1) in {month_label(month)}. Stage 1 is due by {long_date(due)}.",
        "",
    ]
    for item in items:
        lines.extend(
            _case_lines(item, due, visible=not item.case.restricted or granted.get(item.case_id) == "granted")
        )
        lines.append("")
    lines.extend(
        [
            "Arrange the discussion with each worker from your list of audits, and hold the audit with "
            "them before the due date.",
            f"Your audits: {site_url(reverse('allocation:my-audits'))}",
            "",
            "This message was sent by caseaudit.",
        ]
    )
    subject = (
        f"Good Practice audit{'s' if count != 1 else ''} for {month_label(month)}: due by {long_date(due)}"
    )
    return Mail(subject=subject, body="\n".join(lines))


def _case_lines(item: AllocationItem, due: date, *, visible: bool) -> list[str]:
    case = item.case
    audit = item.audit
    if not visible:
        request = optional_url("access:request", case.case_id)
        link = site_url(request) if request else site_url(reverse("allocation:my-audits"))
        return [
            f"Case {case.case_id} (team {case.team.name}): restricted record: request access",
            f"  Due: {long_date(due)}",
            f"  Request access: {link}",
        ]
    worker = audit.worker if audit is not None else case.allocated_worker
    manager = audit.practice_manager if audit is not None else None
    manager_text = manager.name if manager is not None else "none recorded"
    if audit is not None and audit.practice_manager_is_fallback and manager is not None:
        manager_text += " (line manager: no practice manager above the worker)"
    return [
        f"Case {case.case_id}: {case.child.name}",
        f"  Allocated worker: {worker.name if worker is not None else 'none'}",
        f"  Practice manager: {manager_text}",
        f"  Due: {long_date(due)}",
        f"  Open the audit: {site_url(reverse('audits:overview', args=[audit.pk]) if audit else '')}",
    ]
