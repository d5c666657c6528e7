"""Who may do what with an audit, as django-rules predicates (SEC-1, CONTRACTS §3).

A Django superuser passes every `user.has_perm` check (Django's own rule); the services still
refuse to change a submitted audit, for them as for anyone."""

from typing import Any

import rules

from caseaudit.accounts.predicates import is_qa, is_superuser
from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role
from caseaudit.audits.machines import EDITABLE
from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import Access, case_access, case_scope

STARTING_ROLES = (Role.GROUP_MANAGER, Role.QA_OFFICER, Role.HEAD_OF_QA)


def _audit_of(target: Any) -> Audit | None:
    if isinstance(target, ComplianceGap):
        return target.audit if target.audit_id is not None else None
    return target if isinstance(target, Audit) else None


def _staff_pk(user: Any) -> int | None:
    """The person's staff record, if active (an inactive one may do nothing)."""
    return case_scope(user=user).staff_pk


@rules.predicate
def may_view_audit(user: Any, target: Any) -> bool:
    audit = _audit_of(target)
    return audit is not None and audit_is_visible(user=user, audit=audit)


@rules.predicate
def is_auditor(user: Any, target: Any) -> bool:
    audit = _audit_of(target)
    staff_pk = _staff_pk(user)
    return audit is not None and staff_pk is not None and audit.auditor_id == staff_pk


@rules.predicate
def is_stage1_open(user: Any, target: Any) -> bool:
    """Stage 1 can still be changed: allocated or in progress, not submitted."""
    audit = _audit_of(target)
    return audit is not None and audit.status in EDITABLE


@rules.predicate
def is_audited_worker_or_their_manager(user: Any, target: Any) -> bool:
    """The worker whose work is audited, or their practice manager (AUD-3)."""
    audit = _audit_of(target)
    staff_pk = _staff_pk(user)
    return (
        audit is not None
        and staff_pk is not None
        and staff_pk in (audit.worker_id, audit.practice_manager_id)
    )


@rules.predicate
def may_start_audit(user: Any, case: Case | None) -> bool:
    """Group managers (auditing managers) and QA start audits of cases they may see in full."""
    if case is None:
        return False
    if not (is_superuser(user) or user_has_role(user, *STARTING_ROLES)):
        return False
    return case_access(user=user, case=case) is Access.FULL


@rules.predicate
def may_arrange_discussion(user: Any, audit: Any) -> bool:
    """The auditor of an audit they may open (a restricted one once access is granted), before
    Stage 1 is submitted (SEL-7)."""
    if not isinstance(audit, Audit) or audit.status not in EDITABLE:
        return False
    staff_pk = case_scope(user=user).staff_pk
    return staff_pk is not None and audit.auditor_id == staff_pk and audit_is_visible(user=user, audit=audit)


# SEL-6: the auditor of a restricted case conducts it only once they may open it.
may_conduct = is_stage1_open & (is_superuser | is_auditor) & may_view_audit

rules.add_perm("audits.view_audit", rules.is_authenticated & may_view_audit)
# AUD-1: the worker and their practice manager see the template and the areas to be reviewed
# before the discussion; anyone who may see the audit may see its preview.
rules.add_perm("audits.preview_audit", rules.is_authenticated & may_view_audit)
rules.add_perm("audits.start_audit", rules.is_authenticated & may_start_audit)
rules.add_perm("audits.edit_audit", rules.is_authenticated & may_conduct)
rules.add_perm("audits.submit_audit", rules.is_authenticated & may_conduct)
rules.add_perm("audits.flag_compliance_gap", rules.is_authenticated & may_conduct)
rules.add_perm(
    "audits.address_compliance_gap",
    rules.is_authenticated & (is_superuser | (may_view_audit & is_audited_worker_or_their_manager)),
)
rules.add_perm("audits.download_document", rules.is_authenticated & may_view_audit)
# QA allocate audits: they may start one for another auditor (SEL-1).
rules.add_perm("audits.assign_auditor", rules.is_authenticated & (is_superuser | is_qa))
# SEL-7: the auditor arranges the discussion with the worker.
rules.add_perm("audits.arrange_discussion", rules.is_authenticated & may_arrange_discussion)
# FAM-1: the auditor records the family's consent and feedback, on any audit they may open, at any
# stage (the family may be reached after the discussion).
rules.add_perm(
    "audits.record_family_feedback", rules.is_authenticated & may_view_audit & (is_superuser | is_auditor)
)
