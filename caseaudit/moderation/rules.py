"""Who may do what after Stage 1, as django-rules predicates (SEC-1, CONTRACTS §3 and §9).

Every rule is "may see the audit, and …": someone who may not see an audit gets a 404 from the
page or the API before any of these is asked; someone who may see it but may not do this gets
403. Whether the audit is in the status that allows the action is the services' check (422), so a
person is told "not now" rather than "not you". A Django superuser passes every check (Django's
rule); the services still refuse what the status does not allow."""

from typing import Any

import rules

from caseaudit.accounts.predicates import is_qa, is_superuser
from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.cases.selectors import case_scope
from caseaudit.moderation.models import Moderation, PanelAudit


def _staff_pk(user: Any) -> int | None:
    return case_scope(user=user).staff_pk


def _audit(target: Any) -> Audit | None:
    if isinstance(target, Audit):
        return target
    if isinstance(target, (Moderation, PanelAudit)):
        return target.audit
    return None


@rules.predicate
def is_head_of_qa(user: Any) -> bool:
    return user_has_role(user, Role.HEAD_OF_QA)


@rules.predicate
def is_moderator(user: Any) -> bool:
    return user_has_role(user, Role.MODERATOR)


@rules.predicate
def is_panel_chair(user: Any) -> bool:
    return user_has_role(user, Role.PANEL_CHAIR)


@rules.predicate
def may_view(user: Any, target: Any) -> bool:
    audit = _audit(target)
    return audit is not None and audit_is_visible(user=user, audit=audit)


@rules.predicate
def is_worker_or_their_practice_manager(user: Any, target: Any) -> bool:
    """The worker whose work the audit is about, or their practice manager (MOD-3)."""
    audit, staff_pk = _audit(target), _staff_pk(user)
    return (
        audit is not None
        and staff_pk is not None
        and staff_pk in (audit.worker_id, audit.practice_manager_id)
    )


@rules.predicate
def is_auditor(user: Any, target: Any) -> bool:
    audit, staff_pk = _audit(target), _staff_pk(user)
    return audit is not None and staff_pk is not None and audit.auditor_id == staff_pk


@rules.predicate
def is_unconflicted(user: Any, target: Any) -> bool:
    """Not the auditor, not the case's worker, not the worker's practice manager (CONTRACTS §9)."""
    audit, staff_pk = _audit(target), _staff_pk(user)
    if audit is None or staff_pk is None:
        return False
    return staff_pk not in (
        audit.auditor_id,
        audit.worker_id,
        audit.case.allocated_worker_id,
        audit.practice_manager_id,
    )


@rules.predicate
def is_assigned_moderator(user: Any, target: Any) -> bool:
    audit, staff_pk = _audit(target), _staff_pk(user)
    if audit is None or staff_pk is None:
        return False
    return Moderation.objects.filter(audit=audit, moderator_id=staff_pk).exists()


@rules.predicate
def is_chair_of_its_panel(user: Any, target: Any) -> bool:
    audit, staff_pk = _audit(target), _staff_pk(user)
    if audit is None or staff_pk is None:
        return False
    return PanelAudit.objects.filter(audit=audit, panel__chair_id=staff_pk).exists()


signed_in = rules.is_authenticated

# MOD-3: the worker (or their practice manager) answers the audit, its findings and its plan.
rules.add_perm(
    "moderation.give_feedback", signed_in & may_view & (is_superuser | is_worker_or_their_practice_manager)
)
# MOD-3: once the window has passed without feedback, QA or the auditor moves the audit on.
rules.add_perm("moderation.record_no_feedback", signed_in & may_view & (is_superuser | is_qa | is_auditor))
# MOD-3: the head of QA decides an audit the worker strongly disputes.
rules.add_perm("moderation.decide_dispute", signed_in & may_view & (is_superuser | is_head_of_qa))
# MOD-2: the moderation queue is for moderators and QA.
rules.add_perm("moderation.view_queue", signed_in & (is_superuser | is_qa | is_moderator))
# MOD-2: QA assign a moderator (one by one, or balancing the month's queue).
rules.add_perm("moderation.assign_moderator", signed_in & (is_superuser | is_qa))
# MOD-2: a moderator takes an audit from the queue, unless conflicted.
rules.add_perm("moderation.take_moderation", signed_in & may_view & is_moderator & is_unconflicted)
# MOD-1: the assigned moderator records the reflective discussion and the moderated grades.
rules.add_perm("moderation.moderate", signed_in & may_view & (is_superuser | is_assigned_moderator))
# MOD-4: QA draw the panel's sample and schedule panels.
rules.add_perm("moderation.manage_panels", signed_in & (is_superuser | is_qa))
# MOD-4: the chair of the audit's panel records the panel's decision, which is final.
rules.add_perm("moderation.decide_panel", signed_in & may_view & (is_superuser | is_chair_of_its_panel))
# The QA inbox: copies of completed moderations for the QA team.
rules.add_perm("moderation.view_qa_inbox", signed_in & (is_superuser | is_qa))
