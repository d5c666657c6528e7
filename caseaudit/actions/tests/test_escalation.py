"""Escalation (ESC-1, CONTRACTS §10): opened the moment the effective overall grade is Inadequate,
at any stage, one open per audit, alerts at once, closed only with an outcome."""

import pytest
from django.core.exceptions import PermissionDenied

from caseaudit.actions.escalation import escalation_alerted, escalation_close, escalation_open_if_inadequate
from caseaudit.actions.models import Escalation
from caseaudit.actions.services import ActionRefused
from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.audits.services_grades import audit_grades_change
from caseaudit.audits.tests.test_services_helpers import AUDIT_DATE
from caseaudit.conftest import Authority, user_for
from caseaudit.core.calendar import working_days_after
from caseaudit.core.models import AuditEvent, OutboxMessage
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db


def test_an_inadequate_submission_opens_one_escalation_and_alerts_at_once(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    assert escalation.status == "open" and escalation.stage == "submitted"
    assert escalation.due_date == working_days_after(AUDIT_DATE, 5)
    alerted = {person.staff_id for person in escalation_alerted(audit)}
    assert alerted == {"PMA", "GMA", "HOS", "QA1", "HQA"}
    mailed = list(OutboxMessage.objects.filter(related_type="escalation").values_list("to", flat=True))
    assert {address for to in mailed for address in to} == {
        authority.people[k].email
        for k in ("practice_manager", "group_manager_a", "head_of_service", "qa_officer", "head_of_qa")
    }
    body = OutboxMessage.objects.filter(related_type="escalation").first().body
    assert authority.cases["own_team"].child.name not in body
    assert AuditEvent.objects.filter(action="escalation.opened", object_ref=str(escalation.pk)).exists()
    # a second Inadequate signal while it is open opens nothing more
    assert escalation_open_if_inadequate(audit=audit, actor=None) is None
    assert Escalation.objects.filter(audit=audit).count() == 1


def test_a_good_audit_opens_none_until_a_later_stage_grades_it_inadequate(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="good")
    assert not Escalation.objects.filter(audit=audit).exists()
    audit_grades_change(
        actor=user_for(authority, "head_of_qa"),
        audit=audit,
        stage="head_of_qa",
        grades={"overall": "inadequate"},
        reasons={"overall": "The child was not seen for three months."},
    )
    escalation = Escalation.objects.get(audit=audit)
    assert escalation.stage == "submitted" and escalation.status == "open"


def test_closing_needs_an_outcome_and_the_right_person(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    with pytest.raises(PermissionDenied):
        escalation_close(
            actor=user_for(authority, "social_worker"),
            escalation=escalation,
            outcome_code="strategy_discussion",
            outcome="x",
        )
    with pytest.raises(PermissionDenied):
        escalation_close(
            actor=Staff.objects.get(staff_id="PMB").user,
            escalation=escalation,
            outcome_code="strategy_discussion",
            outcome="x",
        )
    hos = user_for(authority, "head_of_service")
    with pytest.raises(ActionRefused) as refused:
        escalation_close(actor=hos, escalation=escalation, outcome_code="", outcome="")
    assert {problem.field for problem in refused.value.problems} == {"outcome_code", "outcome"}
    with pytest.raises(ActionRefused):
        escalation_close(actor=hos, escalation=escalation, outcome_code="shrugged", outcome="Talked")
    escalation_close(
        actor=hos,
        escalation=escalation,
        outcome_code="strategy_discussion",
        outcome="Strategy discussion held on 8 December.",
    )
    escalation.refresh_from_db()
    assert (escalation.status, escalation.outcome_code, escalation.closed_by) == (
        "closed",
        "strategy_discussion",
        hos,
    )
    with pytest.raises((ActionRefused, PermissionDenied)):
        escalation_close(actor=hos, escalation=escalation, outcome_code="no_further_action", outcome="Again")


def test_after_closing_a_new_inadequate_grade_opens_a_new_one(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    escalation_close(
        actor=user_for(authority, "qa_officer"),
        escalation=escalation,
        outcome_code="no_further_action",
        outcome="Reviewed.",
    )
    audit.refresh_from_db()
    assert escalation_open_if_inadequate(audit=audit, actor=None) is not None
    assert Escalation.objects.filter(audit=audit).count() == 2


def test_the_mails_after_stage1_say_it_is_escalated(authority: Authority) -> None:
    """ESC-2: the worker's and the practice manager's mails after Stage 1 say so; a Good one does not."""
    audit_with_actions(authority, grade="inadequate")
    worker = authority.people["social_worker"].email
    told = [
        m
        for m in OutboxMessage.objects.filter(related_type__in=["audit", "audit_feedback"])
        if worker in m.to
    ]
    assert told and all("it has been escalated" in message.body for message in told)
    OutboxMessage.objects.all().delete()
    audit_with_actions(authority, "restricted", grade="good")
    assert not any("escalated" in m.body for m in OutboxMessage.objects.all())
