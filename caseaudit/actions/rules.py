"""Who may do what with an action and an escalation (SEC-1, CONTRACTS §3, §10), as django-rules
predicates: the one place these decisions are made; pages, API and services ask `has_perm`.

- An action is seen by whoever may see its audit, and by its owner.
- Its owner adds progress and marks it done, once the audit is submitted.
- Its signer signs it off or sends it back: the worker's line manager, or, where the worker's
  line manager owns the action (the default owner), the owner's own line manager — nobody signs
  off their own action.
- QA or the signer cancels it, with a reason.
- An escalation is seen by whoever may see the audit; QA, or anyone above the worker in line
  management (their practice manager, group manager, head of service), closes it."""

from typing import Any

import rules

from caseaudit.accounts.predicates import is_qa, is_superuser
from caseaudit.actions.models import Escalation
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import AuditAction
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.cases.selectors import case_scope
from caseaudit.org.models import Staff
from caseaudit.org.selectors import staff_is_above


def _staff_pk(user: Any) -> int | None:
    return case_scope(user=user).staff_pk


def action_signer(action: AuditAction) -> Staff | None:
    """Who signs the action off: the worker's line manager, unless they own it, then the owner's."""
    worker = action.audit.worker
    manager = worker.line_manager if worker is not None else None
    owner = action.owner
    if owner is not None and (manager is None or manager.pk == owner.pk):
        return owner.line_manager
    return manager


@rules.predicate
def is_owner(user: Any, action: AuditAction | None) -> bool:
    staff_pk = _staff_pk(user)
    return action is not None and staff_pk is not None and action.owner_id == staff_pk


@rules.predicate
def is_signer(user: Any, action: AuditAction | None) -> bool:
    staff_pk = _staff_pk(user)
    if action is None or staff_pk is None:
        return False
    signer = action_signer(action)
    return signer is not None and signer.pk == staff_pk


@rules.predicate
def may_view_action(user: Any, action: AuditAction | None) -> bool:
    return action is not None and (is_owner(user, action) or audit_is_visible(user=user, audit=action.audit))


@rules.predicate
def is_submitted(user: Any, action: AuditAction | None) -> bool:
    """The action is live: its audit is past Stage 1 (an action of a draft audit is the form's)."""
    return action is not None and action.audit.status in AFTER_STAGE1


@rules.predicate
def may_view_escalation(user: Any, escalation: Escalation | None) -> bool:
    return escalation is not None and audit_is_visible(user=user, audit=escalation.audit)


@rules.predicate
def is_above_worker(user: Any, escalation: Escalation | None) -> bool:
    staff_pk = _staff_pk(user)
    if escalation is None or staff_pk is None or escalation.audit.worker_id is None:
        return False
    return staff_is_above(manager_pk=staff_pk, report_pk=escalation.audit.worker_id)


# Who may: the status that allows it now is the services' check (422 when someone acted first).
rules.add_perm("actions.view_action", rules.is_authenticated & (is_superuser | may_view_action))
rules.add_perm("actions.work_action", rules.is_authenticated & is_submitted & (is_superuser | is_owner))
rules.add_perm("actions.sign_off_action", rules.is_authenticated & is_submitted & (is_superuser | is_signer))
rules.add_perm(
    "actions.cancel_action",
    rules.is_authenticated & is_submitted & (is_superuser | is_signer | (is_qa & may_view_action)),
)
rules.add_perm("actions.view_escalation", rules.is_authenticated & (is_superuser | may_view_escalation))
rules.add_perm(
    "actions.close_escalation",
    rules.is_authenticated & (is_superuser | (may_view_escalation & (is_qa | is_above_worker))),
)


# --- supervision (ACT-4) ---------------------------------------------------------------------


@rules.predicate
def is_line_manager_of(user: Any, worker: Staff | None) -> bool:
    staff_pk = _staff_pk(user)
    return worker is not None and staff_pk is not None and worker.line_manager_id == staff_pk


@rules.predicate
def is_self_or_above(user: Any, worker: Staff | None) -> bool:
    staff_pk = _staff_pk(user)
    if worker is None or staff_pk is None:
        return False
    return worker.pk == staff_pk or staff_is_above(manager_pk=staff_pk, report_pk=worker.pk)


# The worker's line manager records the supervision; the worker, anyone above them and QA read
# its agenda (the case-management system's supervision workflow reads it as JSON or CSV).
rules.add_perm("actions.record_supervision", rules.is_authenticated & (is_superuser | is_line_manager_of))
rules.add_perm("actions.view_supervision", rules.is_authenticated & (is_superuser | is_qa | is_self_or_above))


# --- story boards (ESC-3) --------------------------------------------------------------------


@rules.predicate
def is_story_author(user: Any, board: Any) -> bool:
    staff_pk = _staff_pk(user)
    return (
        board is not None
        and staff_pk is not None
        and staff_pk in (board.audit.worker_id, board.audit.auditor_id)
    )


@rules.predicate
def is_published(user: Any, board: Any) -> bool:
    return board is not None and board.status == "published"


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return _staff_pk(user) is not None


# Published story boards are for all staff; before that, for their authors and QA.
rules.add_perm("actions.edit_story_board", rules.is_authenticated & (is_superuser | is_story_author))
rules.add_perm("actions.publish_story_board", rules.is_authenticated & (is_superuser | is_qa))
rules.add_perm(
    "actions.view_story_board",
    rules.is_authenticated & (is_superuser | is_qa | is_story_author | (is_published & is_staff_member)),
)
