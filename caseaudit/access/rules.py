"""Permissions of access requests to restricted records (SEL-6), as django-rules predicates.

A Django superuser passes every `user.has_perm` check (Django's own rule); the services still
refuse what makes no sense for them (a superuser opens every record, so never asks for access)."""

from typing import Any

import rules

from caseaudit.access.models import AccessRequest
from caseaudit.access.selectors import access_requests_has_any, audits_of_case_by
from caseaudit.accounts.selectors import user_is_qa
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import Access, case_access, case_scope


@rules.predicate
def may_request_access(user: Any, case: Any) -> bool:
    """Someone who sees a restricted case only as its summary and has a reason to open it: they
    audit it, or they are QA (CONTRACTS §3)."""
    if not isinstance(case, Case) or not case.restricted:
        return False
    staff_pk = case_scope(user=user).staff_pk
    if staff_pk is None or case_access(user=user, case=case) is not Access.SUMMARY:
        return False
    return user_is_qa(user) or audits_of_case_by(staff_pk=staff_pk, case=case)


@rules.predicate
def is_named_approver(user: Any, request: Any) -> bool:
    if not isinstance(request, AccessRequest):
        return False
    staff_pk = case_scope(user=user).staff_pk
    return staff_pk is not None and request.approver_id == staff_pk


@rules.predicate
def has_access_requests(user: Any) -> bool:
    """Has requests to decide or made some: the "Access requests" page is theirs."""
    return access_requests_has_any(user=user)


rules.add_perm("access.request_access", rules.is_authenticated & may_request_access)
rules.add_perm("access.decide_access_request", rules.is_authenticated & is_named_approver)
rules.add_perm("access.view_access_requests", rules.is_authenticated & has_access_requests)
