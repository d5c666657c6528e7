"""Permissions over the case register, as django-rules predicates (one place, SEC-1)."""

from typing import Any

import rules

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_is_administrator, user_is_qa, user_roles
from caseaudit.cases.models import Case, Child
from caseaudit.cases.selectors import Access, case_access, case_scope, child_get


@rules.predicate
def may_import_register(user: Any) -> bool:
    return user_is_qa(user) or user_is_administrator(user)


@rules.predicate
def may_list_cases(user: Any) -> bool:
    """The administrator role alone gives no child data (CONTRACTS §3)."""
    scope = case_scope(user=user)
    if scope.everything or scope.all_cases:
        return True
    return scope.staff_pk is not None and bool(user_roles(user) - {Role.ADMINISTRATOR})


@rules.predicate
def may_view_case(user: Any, case: Case | None) -> bool:
    return case is not None and case_access(user=user, case=case) is not Access.NONE


@rules.predicate
def may_view_child(user: Any, child: Child | None) -> bool:
    return child is not None and child_get(user=user, child_id=child.child_id) is not None


rules.add_perm("cases.import_register", rules.is_authenticated & may_import_register)
rules.add_perm("cases.list_cases", rules.is_authenticated & may_list_cases)
rules.add_perm("cases.view_case", rules.is_authenticated & may_view_case)
rules.add_perm("cases.view_child", rules.is_authenticated & may_view_child)
