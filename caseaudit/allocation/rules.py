"""Permissions of the monthly allocation and of the audit discussion (django-rules). A Django
superuser passes every check."""

from typing import Any

import rules

from caseaudit.accounts.selectors import user_is_administrator, user_is_qa
from caseaudit.allocation.selectors import user_is_auditor
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.cases.selectors import case_scope


@rules.predicate
def is_qa(user: Any) -> bool:
    """QA officers and the head of QA run the monthly allocation (SEL-1)."""
    return user_is_qa(user)


@rules.predicate
def is_administrator(user: Any) -> bool:
    return user_is_administrator(user)


@rules.predicate
def is_auditor(user: Any) -> bool:
    """Holds a role whose holders audit (the setting; group managers by default, SEL-3)."""
    return user_is_auditor(user)


@rules.predicate
def may_arrange_discussion(user: Any, audit: Any) -> bool:
    """The auditor of an audit they may open (a restricted one once access is granted), before
    Stage 1 is submitted (SEL-7)."""
    if not isinstance(audit, Audit) or audit.status == Audit.Status.SUBMITTED:
        return False
    staff_pk = case_scope(user=user).staff_pk
    return staff_pk is not None and audit.auditor_id == staff_pk and audit_is_visible(user=user, audit=audit)


rules.add_perm("allocation.run_allocation", rules.is_authenticated & is_qa)
rules.add_perm("allocation.change_settings", rules.is_authenticated & (is_qa | is_administrator))
rules.add_perm("allocation.view_my_audits", rules.is_authenticated & is_auditor)
rules.add_perm("allocation.arrange_discussion", rules.is_authenticated & may_arrange_discussion)
