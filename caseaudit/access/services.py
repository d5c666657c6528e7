"""Access to restricted records (SEL-6): someone who sees a restricted case only as its summary asks
to open it with a reason; the named approver grants or refuses it with a reason. Each write is one
transaction with its history row (AuditEvent); the emails go through the outbox, after commit.

Mail never names the child: it may be forwarded, so it carries the case ID and team only."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseaudit.access.models import AccessRequest
from caseaudit.access.rules import is_named_approver, may_request_access
from caseaudit.access.selectors import access_approver_for, access_request_pending
from caseaudit.accounts.selectors import user_staff
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import Access, case_access
from caseaudit.core.calendar import long_date, long_datetime
from caseaudit.core.mail_text import site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.core.problems import Problem, Refused
from caseaudit.core.services import audit_event_record

MAX_REASON = 2000


def access_problem(field: str | None, message: str) -> Problem:
    """A problem with a request or a decision: `field` None for the whole thing."""
    return Problem("access_request", field, message)


class AccessRefused(Refused):
    """A request or a decision refused by a rule (422): every problem, each naming its field (None
    for the whole thing)."""


def _reason_problems(reason: str, *, asking: str) -> list[Problem]:
    if not reason:
        return [access_problem("reason", asking)]
    if len(reason) > MAX_REASON:
        return [access_problem("reason", f"The reason must be {MAX_REASON} characters or fewer")]
    return []


def access_request_create(*, actor: Any, case: Case, reason: str) -> AccessRequest:
    """Ask to open a restricted case. Refused (AccessRefused) without a reason, while an earlier
    request is waiting, when the case is not restricted or already open to the person, or when
    nobody can decide; PermissionDenied for someone with no business asking."""
    reason = (reason or "").strip()
    staff = user_staff(actor)
    if staff is None or not staff.is_active:
        raise PermissionDenied("Only a member of staff can ask for access to a record.")
    if not case.restricted:
        raise AccessRefused(
            [access_problem(None, f"Case {case.case_id} is not restricted: open it as usual")]
        )
    if case_access(user=actor, case=case) is Access.FULL:
        raise AccessRefused([access_problem(None, f"You can already open case {case.case_id}")])
    if not may_request_access(actor, case):
        raise PermissionDenied("Only the auditor of this case or QA can ask for access to it.")
    problems = _reason_problems(reason, asking="Enter why you need to open this record")
    pending = access_request_pending(staff=staff, case=case)
    if pending is not None:
        problems.append(
            access_problem(
                None,
                f"You asked for access on {long_date(timezone.localdate(pending.created_at))}: "
                f"wait for {pending.approver.name} to decide",
            )
        )
    approver = access_approver_for(case=case)
    if approver.person is None:
        problems.append(
            access_problem(None, "Nobody above the case's allocated worker can decide: ask the QA team")
        )
    elif approver.person.pk == staff.pk:
        problems.append(access_problem(None, "You would be deciding your own request: ask the QA team"))
    if problems:
        raise AccessRefused(problems)
    assert approver.person is not None
    with transaction.atomic():
        # Two requests at once: lock the case so the second sees the first (SQLite's IMMEDIATE
        # transactions serialise writers anyway).
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if access_request_pending(staff=staff, case=case) is not None:
            raise AccessRefused([access_problem(None, "You have already asked for access to this record")])
        request = AccessRequest.objects.create(
            case=case, requester=staff, reason=reason, approver=approver.person
        )
        audit_event_record(
            actor=actor,
            action="access_requested",
            object_type="access_request",
            object_ref=str(request.pk),
            summary=f"{staff.name} asked to open restricted case {case.case_id}",
            changes={
                "case_id": case.case_id,
                "requester_id": staff.staff_id,
                "approver_id": approver.person.staff_id,
                "approver_is_fallback": approver.is_fallback,
                "reason": reason,
            },
        )
        fallback = (
            "\nYou are asked as the line manager of the case's worker, because "
            f"nobody above them holds the role of {approver.role.label.lower()}.\n"
            if approver.is_fallback
            else ""
        )
        outbox_enqueue(
            to=[approver.person.email],
            subject=f"Access request: restricted case {case.case_id}",
            body=(
                f"Dear {approver.person.name},\n\n"
                f"{staff.name} asks to open restricted case {case.case_id} ({case.team.name}).\n\n"
                f"Their reason:\n{reason}\n{fallback}\n"
                f"Grant or refuse the request, with your reason: "
                f"{site_url(reverse('access:decide', args=[request.pk]))}\n\n"
                "This message was sent by caseaudit."
            ),
            related_type="access_request",
            related_ref=str(request.pk),
        )
    return request


def access_request_decide(*, actor: Any, request: AccessRequest, grant: bool, reason: str) -> AccessRequest:
    """The named approver (or the superuser, the council's break-glass account) grants or refuses a
    waiting request, with a reason either way. The decision is kept and the requester told."""
    reason = (reason or "").strip()
    if not (getattr(actor, "is_superuser", False) or is_named_approver(actor, request)):
        raise PermissionDenied("Only the named approver can decide this request.")
    asking = "Enter why you grant access" if grant else "Enter why you refuse access"
    problems = _reason_problems(reason, asking=asking)
    if request.status != AccessRequest.Status.PENDING:
        problems.insert(
            0, access_problem(None, f"This request was already {request.get_status_display().lower()}")
        )
    if problems:
        raise AccessRefused(problems)
    status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    now = timezone.now()
    with transaction.atomic():
        # Two decisions at once: only the first lands (a conditional update, safe on SQLite too).
        decided = AccessRequest.objects.filter(pk=request.pk, status=AccessRequest.Status.PENDING).update(
            status=status, decided_at=now, decided_by=actor, decision_reason=reason
        )
        if decided != 1:
            raise AccessRefused([access_problem(None, "This request was decided by someone else meanwhile")])
        request.refresh_from_db()
        case = request.case
        audit_event_record(
            actor=actor,
            action="access_granted" if grant else "access_refused",
            object_type="access_request",
            object_ref=str(request.pk),
            summary=f"Access to case {case.case_id} {status.label.lower()} for {request.requester.name}",
            changes={"case_id": case.case_id, "status": status.value, "reason": reason},
        )
        outcome = "granted" if grant else "refused"
        next_step = (
            "You can now open the record."
            if grant
            else "The record stays closed to you. Ask the approver or the QA team if you need to."
        )
        outbox_enqueue(
            to=[request.requester.email],
            subject=f"Access {outcome}: restricted case {case.case_id}",
            body=(
                f"Dear {request.requester.name},\n\n"
                f"Your request to open restricted case {case.case_id} ({case.team.name}) was {outcome} "
                f"on {long_datetime(now)}.\n\n"
                f"Reason:\n{reason}\n\n{next_step}\n"
                f"{site_url(reverse('cases:case', args=[case.case_id]))}\n\n"
                "This message was sent by caseaudit."
            ),
            related_type="access_request",
            related_ref=str(request.pk),
        )
    return request
