"""Reads of access requests to restricted records (SEL-6).

A request is shown to the person who made it, to its named approver, and to anyone who may already
open the case in full (the worker's line, the superuser): nobody learns of a request they have no
business seeing (SEC-1)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import IntegerField, Q, QuerySet, Value, When

from caseaudit.access.models import AccessRequest
from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_staff
from caseaudit.audits.models import Audit
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import case_scope
from caseaudit.org.models import Staff
from caseaudit.org.selectors import staff_above


@dataclass(frozen=True)
class Approver:
    """Who decides a request to open a case, and whether they are the fallback (CONTRACTS §1): the
    direct line manager of the worker because nobody above the worker holds the approver role."""

    person: Staff | None
    is_fallback: bool
    role: Role


ApproverRoleSetting = Callable[[], str | None]
_approver_role_settings: list[ApproverRoleSetting] = []


def approver_role_setting(read: ApproverRoleSetting) -> ApproverRoleSetting:
    """Register `read()`, the council's choice of who grants access (a role), kept by an app above
    this one: the allocation settings page keeps it (ADR 0005). A decorator; idempotent."""
    if read not in _approver_role_settings:
        _approver_role_settings.append(read)
    return read


def access_approver_role() -> Role:
    """The role whose nearest holder above the case's worker decides: the setting, else head of service."""
    for read in _approver_role_settings:
        role = read()
        if role:
            return Role(role)
    return Role.HEAD_OF_SERVICE


def access_approver_for(*, case: Case) -> Approver:
    """The nearest active person above the case's allocated worker holding the approver role (a
    setting, default head of service); else the worker's direct line manager, shown as a fallback."""
    role = access_approver_role()
    worker = case.allocated_worker
    if worker is None:
        return Approver(person=None, is_fallback=False, role=role)
    person = staff_above(staff=worker).filter(roles__role=role, is_active=True).first()
    if person is not None:
        return Approver(person=person, is_fallback=False, role=role)
    manager = worker.line_manager
    if manager is not None and manager.is_active:
        return Approver(person=manager, is_fallback=True, role=role)
    return Approver(person=None, is_fallback=False, role=role)


def approver_is_fallback(request: AccessRequest, *, role: Role | None = None) -> bool:
    """A decided or pending request's approver is the fallback when they do not hold the role."""
    role = role or access_approver_role()
    return role not in {r.role for r in request.approver.roles.all()}


def _with_people(requests: QuerySet[AccessRequest]) -> QuerySet[AccessRequest]:
    return requests.select_related(
        "case__team", "requester", "approver", "decided_by__staff"
    ).prefetch_related("approver__roles")


def access_requests_visible(*, user: Any) -> QuerySet[AccessRequest]:
    """Every request `user` may see: their own, those they decide, and those about cases they may
    already open in full."""
    scope = case_scope(user=user)
    if scope.everything:
        return _with_people(AccessRequest.objects.all())
    if scope.staff_pk is None:
        return AccessRequest.objects.none()
    full_cases = Case.objects.filter(scope.full_q(), restricted=True).values("pk")
    return _with_people(
        AccessRequest.objects.filter(
            Q(requester_id=scope.staff_pk) | Q(approver_id=scope.staff_pk) | Q(case_id__in=full_cases)
        )
    )


def access_requests_for_case(*, user: Any, case: Case) -> QuerySet[AccessRequest]:
    """The requests about one case that `user` may see, newest first (the case page, the audit)."""
    return access_requests_visible(user=user).filter(case=case).order_by("-created_at", "-pk")


def access_requests_to_decide(*, user: Any) -> QuerySet[AccessRequest]:
    """The requests `user` is the named approver of: waiting ones first (oldest first), then
    decided ones (newest first). The superuser, who may decide any, sees every request."""
    if getattr(user, "is_superuser", False):
        requests = AccessRequest.objects.all()
    else:
        staff = user_staff(user)
        if staff is None or not staff.is_active:
            return AccessRequest.objects.none()
        requests = AccessRequest.objects.filter(approver=staff)
    pending_first = models.Case(
        When(status=AccessRequest.Status.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        _with_people(requests)
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "-created_at", "-pk")
    )


def access_requests_made(*, user: Any) -> QuerySet[AccessRequest]:
    """The requests `user` made, newest first."""
    staff = user_staff(user)
    if staff is None:
        return AccessRequest.objects.none()
    return _with_people(AccessRequest.objects.filter(requester=staff)).order_by("-created_at", "-pk")


def access_request_get(*, user: Any, request_id: int) -> AccessRequest | None:
    """A request `user` may see, or None (404)."""
    return access_requests_visible(user=user).filter(pk=request_id).first()


def access_request_pending(*, staff: Staff, case: Case) -> AccessRequest | None:
    return _with_people(
        AccessRequest.objects.filter(requester=staff, case=case, status=AccessRequest.Status.PENDING)
    ).first()


def access_requests_has_any(*, user: Any) -> bool:
    """Has the person any request to decide or any they made (the "Access requests" page)."""
    staff = user_staff(user)
    if staff is None or not staff.is_active:
        return False
    return AccessRequest.objects.filter(Q(approver=staff) | Q(requester=staff)).exists()


def access_requests_waiting_count(*, user: Any) -> int:
    staff = user_staff(user)
    if staff is None or not staff.is_active:
        return 0
    return AccessRequest.objects.filter(approver=staff, status=AccessRequest.Status.PENDING).count()


def audits_of_case_by(*, staff_pk: int, case: Case) -> bool:
    """Does this person audit the case (an audit of it names them as auditor)?"""
    return Audit.objects.filter(case=case, auditor_id=staff_pk).exists()


def access_requests_of(*, staff: Staff, case_pks: list[int]) -> dict[int, str]:
    """{case pk: "granted" or "pending"} for the restricted cases `staff` asked to open (SEL-6).
    A granted request wins over any other."""
    states: dict[int, str] = {}
    rows = AccessRequest.objects.filter(requester=staff, case_id__in=case_pks).values_list(
        "case_id", "status"
    )
    for case_pk, status in rows:
        if status == AccessRequest.Status.GRANTED or case_pk not in states:
            states[case_pk] = status
    return states
