"""Escalation (ESC-1, CONTRACTS §10): the moment an audit's effective overall grade becomes
Inadequate, at any stage (Stage 1's submission, the head of QA's decision, Stage 2, the panel), an
escalation opens — one open per audit — with its deadline (the audit date + the setting's working
days), and the worker's managers and the QA team are alerted at once, by mail and on their home
page. It closes only with a recorded outcome, by QA or someone above the worker."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.accounts.roles import QA_ROLES, Role
from caseaudit.actions.mail import escalation_closed_mail_enqueue, escalation_opened_mail_enqueue
from caseaudit.actions.models import Escalation
from caseaudit.actions.selectors import action_settings, open_escalation_of
from caseaudit.actions.services import ActionRefused
from caseaudit.audits.models import Audit
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.models import Staff
from caseaudit.org.selectors import nearest_above_with_role, staff_list, working_calendar

INADEQUATE = "inadequate"
MAX_OUTCOME = 5000
LINE_ROLES = {
    "practice_manager": Role.PRACTICE_MANAGER,
    "group_manager": Role.GROUP_MANAGER,
    "head_of_service": Role.HEAD_OF_SERVICE,
}


def escalation_alerted(audit: Audit) -> list[Staff]:
    """Who is alerted (the setting's roles): the worker's practice manager, group manager and head
    of service, nearest up their line, and the QA team."""
    roles = set(action_settings().escalation_roles or [])
    people: list[Staff] = []
    worker = audit.worker
    if "practice_manager" in roles and audit.practice_manager is not None:
        people.append(audit.practice_manager)
    for key, role in LINE_ROLES.items():
        if key in roles and worker is not None and key != "practice_manager":
            found, fallback = nearest_above_with_role(staff=worker, role=role)
            if found is not None and not fallback:
                people.append(found)
    if "qa" in roles:
        people.extend(staff for role in QA_ROLES for staff in staff_list(role=role))
    return list({person.pk: person for person in people}.values())


def escalation_open_if_inadequate(*, audit: Audit, actor: Any) -> Escalation | None:
    """Inside the caller's transaction: open an escalation if the effective overall grade is
    Inadequate and none is open. Returns the one opened, else None."""
    if (audit.effective_grades or {}).get("overall") != INADEQUATE:
        return None
    if open_escalation_of(audit=audit) is not None:
        return None
    start = audit.audit_date or timezone.localdate()
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                audit=audit,
                stage=audit.status,
                opened_by=user_or_none(actor),
                due_date=working_calendar().after(start, action_settings().escalation_working_days),
            )
    except IntegrityError:  # another writer opened it first (one open per audit)
        return None
    audit_event_record(
        actor=actor,
        action="escalation.opened",
        object_type="escalation",
        object_ref=str(escalation.pk),
        summary=f"Escalation opened: audit {audit.pk} graded Inadequate ({audit.get_status_display()})",
    )
    escalation_opened_mail_enqueue(escalation=escalation, people=escalation_alerted(audit))
    return escalation


def escalation_close(*, actor: Any, escalation: Escalation, outcome_code: str, outcome: str) -> Escalation:
    """Close with the outcome: a code of CONTRACTS §10 and what was done, in words."""
    if not actor.has_perm("actions.close_escalation", escalation):
        raise PermissionDenied("You may not close this escalation.")
    code = (outcome_code or "").strip()
    text = (outcome or "").strip()
    problems = []
    if not code:
        problems.append(Problem("escalation", "outcome_code", "Choose the outcome"))
    elif code not in Escalation.Outcome.values:
        problems.append(
            Problem(
                "escalation",
                "outcome_code",
                f"The outcome must be one of: {', '.join(Escalation.Outcome.values)}",
            )
        )
    if not text:
        problems.append(Problem("escalation", "outcome", "Say what was done to keep the child safe"))
    elif len(text) > MAX_OUTCOME:
        problems.append(
            Problem("escalation", "outcome", f"The outcome must be {MAX_OUTCOME} characters or fewer")
        )
    if problems:
        raise ActionRefused(problems)
    with transaction.atomic():
        escalation.refresh_from_db(fields=["status"], from_queryset=Escalation.objects.select_for_update())
        if escalation.status != Escalation.Status.OPEN:
            raise ActionRefused(
                [Problem("escalation", "status", "This escalation is already closed.", "wrong_status")]
            )
        escalation.status = Escalation.Status.CLOSED
        escalation.outcome_code, escalation.outcome = code, text
        escalation.closed_at, escalation.closed_by = timezone.now(), user_or_none(actor)
        escalation.save(update_fields=["status", "outcome_code", "outcome", "closed_at", "closed_by"])
        audit_event_record(
            actor=actor,
            action="escalation.closed",
            object_type="escalation",
            object_ref=str(escalation.pk),
            summary=f"Escalation of audit {escalation.audit_id} closed: "
            f"{escalation.get_outcome_code_display()}",
            changes={"status": ["open", "closed"], "outcome_code": ["", code]},
        )
        escalation_closed_mail_enqueue(escalation=escalation, people=escalation_alerted(escalation.audit))
    return escalation
