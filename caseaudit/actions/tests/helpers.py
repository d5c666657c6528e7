"""Helpers of the actions tests (no tests here): a submitted audit with actions, made by the real
services. The authority (caseaudit/conftest.py): team A (PMA → SWA, SWA2) under GMA; team B
(PMB → SWB) under GMB; HOS above both group managers; QA1 under HQA. GMB audits SWA's case, so
PMA (the worker's practice manager) owns the actions by default and GMA signs them off."""

import datetime
from typing import Any

from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.services import audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority

DUE = datetime.date(2026, 12, 30)


def action_items(
    count: int = 2, *, due: datetime.date = DUE, owner_id: str | None = None, due_reason: str = ""
) -> list[dict[str, Any]]:
    return [
        {
            "what": f"Update the chronology, step {number}",
            "owner_id": owner_id,
            "due_date": due.isoformat(),
            "due_reason": due_reason,
            "impact": "The plan follows from the child's history.",
        }
        for number in range(1, count + 1)
    ]


def audit_with_actions(
    authority: Authority,
    record: str = "own_team",
    *,
    grade: str = "good",
    count: int = 2,
    due: datetime.date = DUE,
    owner_id: str | None = None,
    due_reason: str = "",
    submit: bool = True,
) -> Audit:
    templates_load()
    audit = audit_of(authority, record)
    complete(
        audit, grade=grade, actions=action_items(count, due=due, owner_id=owner_id, due_reason=due_reason)
    )
    return audit_submit(actor=audit.auditor.user, audit=audit) if submit else audit


def first_action(audit: Audit) -> AuditAction:
    action = (
        AuditAction.objects.filter(audit=audit)
        .select_related("audit__worker", "owner")
        .order_by("order")
        .first()
    )
    assert action is not None
    return action
