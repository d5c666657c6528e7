"""The worker's say and the head of QA's decision (MOD-3, CONTRACTS §9): each transition, each
refusal, the alerts and the mail."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, AuditStatusChange, GradeChange
from caseaudit.audits.services import audit_save, audit_submit
from caseaudit.audits.tests.test_services_helpers import (
    all_yes,
    audit_of,
    complete,
    events,
    refs,
    templates_load,
)
from caseaudit.conftest import Authority
from caseaudit.core.models import OutboxMessage
from caseaudit.moderation.models import AuditAlert, HeadOfQaDecision, Moderation, QaInboxItem, WorkerFeedback
from caseaudit.moderation.selectors import feedback_due_date
from caseaudit.moderation.services.feedback import (
    alert_dismiss,
    feedback_give,
    head_of_qa_decide,
    no_feedback_from,
    record_no_feedback,
)
from caseaudit.moderation.tests.helpers import submitted_audit
from caseaudit.templates_library.selectors import template_spec

ACTIONS = [
    {"what": "Update the chronology", "due_date": "2026-12-21", "impact": "A clear history"},
    {"what": "Record supervision", "due_date": "2026-12-14", "impact": "Reflective oversight"},
]


def user(authority: Authority, who: str) -> Any:
    return authority.people[who].user


def mails(audit: Audit, subject_part: str = "") -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            related_type="audit_feedback", related_ref=str(audit.pk), subject__contains=subject_part
        ).order_by("pk")
    )


def window_passed(audit: Audit, days: int = 30) -> Audit:
    """The audit as if submitted `days` days ago (no freezegun here: the row is moved back)."""
    Audit.objects.filter(pk=audit.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days))
    audit.refresh_from_db()
    return audit


def disputed(authority: Authority, **kwargs: Any) -> Audit:
    audit = submitted_audit(authority, **kwargs)
    feedback_give(
        actor=user(authority, "social_worker"),
        audit=audit,
        agreement="strongly_disagree",
        on_findings="The child was seen alone twice; the case notes show it.",
    )
    return audit


def limited_audit(authority: Authority) -> Audit:
    """Stage 1 with "Was the child seen?" answered No: sections and overall Requires improvement."""
    templates_load()
    audit = audit_of(authority)
    spec = template_spec(template_version=audit.template_version)
    answers = {**all_yes(audit), "assessment.child_seen": "no"}
    audit_save(
        actor=audit.auditor.user,
        audit=audit,
        answers=answers,
        section_grades={section.ref: "requires_improvement" for section in spec.graded_sections},
        overall_grade="requires_improvement",
        audit_date=datetime.date(2026, 12, 2),
    )
    return audit_submit(actor=audit.auditor.user, audit=audit)


# --- asked for on submission ---------------------------------------------------------------


def test_submission_asks_the_worker_and_their_practice_manager_for_feedback(authority: Authority) -> None:
    templates_load()
    audit = audit_of(authority)
    complete(audit, grade="requires_improvement", actions=ACTIONS)
    audit_submit(actor=audit.auditor.user, audit=audit)
    worker, manager = authority.people["social_worker"], authority.people["practice_manager"]
    alerts = AuditAlert.objects.filter(audit=audit, kind="feedback_requested")
    assert {alert.staff for alert in alerts} == {worker, manager}
    due = feedback_due_date(audit=audit)
    assert due is not None
    sent = mails(audit, "Your feedback")
    assert [message.to for message in sent] == [[worker.email], [manager.email]]
    body = sent[0].body
    assert f"Dear {worker.name}," in body
    assert "case C-OWN (Assessment North)" in body and "Overall grade: Requires improvement." in body
    assert "It sets 2 actions, the first due by 14 December 2026." in body
    assert f"/audits/{audit.pk}/feedback/" in body
    assert f"{due.day} " in body and str(due.year) in body
    assert audit.case.child.name not in body and "Update the chronology" not in body


# --- the worker's say ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audit_type", "details", "status"),
    [
        ("good_practice", {}, "moderation"),
        ("early_help_front_door", {}, "final"),
        ("thematic", {"theme": "recording"}, "final"),
    ],
)
@pytest.mark.parametrize("agreement", ["agree", "partly_agree"])
def test_agreeing_moves_the_audit_on_by_its_type(
    authority: Authority, audit_type: str, details: dict[str, str], status: str, agreement: str
) -> None:
    audit = submitted_audit(authority, audit_type=audit_type, type_details=details or None)
    feedback = feedback_give(
        actor=user(authority, "social_worker"), audit=audit, agreement=agreement, on_process="Fair and clear."
    )
    audit.refresh_from_db()
    assert audit.status == status
    assert feedback.agreement == agreement and feedback.on_process == "Fair and clear."
    assert feedback.given_by == user(authority, "social_worker")
    assert AuditStatusChange.objects.filter(audit=audit, event="feedback_given", to_status=status).exists()
    assert Moderation.objects.filter(audit=audit).exists() is (status == "moderation")
    assert (audit.final_at is not None) is (status == "final")
    assert events(audit, "audit.feedback_given")


def test_the_auditor_is_told_of_the_feedback(authority: Authority) -> None:
    audit = submitted_audit(authority)
    feedback_give(actor=user(authority, "practice_manager"), audit=audit, agreement="partly_agree")
    auditor = authority.people["group_manager"]
    [alert] = AuditAlert.objects.filter(audit=audit, kind="feedback_given")
    assert alert.staff == auditor and "partly agree" in alert.text
    [message] = mails(audit, "Feedback given")
    assert message.to == [auditor.email]
    assert "partly agree" in message.body and audit.case.child.name not in message.body


def test_a_strong_disagreement_goes_to_the_head_of_qa(authority: Authority) -> None:
    audit = disputed(authority)
    audit.refresh_from_db()
    assert audit.status == "head_of_qa_review" and audit.final_at is None
    assert AuditStatusChange.objects.filter(audit=audit, event="feedback_disputed").exists()
    assert not Moderation.objects.filter(audit=audit).exists()
    head = authority.people["head_of_qa"]
    assert AuditAlert.objects.filter(audit=audit, staff=head, kind="feedback_given").exists()
    [message] = mails(audit, "Disputed audit")
    assert message.to == [head.email]
    assert f"/audits/{audit.pk}/head-of-qa-decision/" in message.body
    assert "seen alone twice" not in message.body  # no audit text in mail


def test_a_strong_disagreement_needs_its_reasons(authority: Authority) -> None:
    audit = submitted_audit(authority)
    with pytest.raises(AuditRefused) as refused:
        feedback_give(
            actor=user(authority, "social_worker"),
            audit=audit,
            agreement="strongly_disagree",
            on_process="I was not told.",
        )
    assert refs(refused.value) == {("feedback", "on_findings")}
    assert not WorkerFeedback.objects.filter(audit=audit).exists()
    audit.refresh_from_db()
    assert audit.status == "submitted"


@pytest.mark.parametrize("agreement", ["", "none_given", "maybe"])
def test_only_the_three_answers_are_feedback(authority: Authority, agreement: str) -> None:
    audit = submitted_audit(authority)
    with pytest.raises(AuditRefused) as refused:
        feedback_give(actor=user(authority, "social_worker"), audit=audit, agreement=agreement)
    assert refs(refused.value) == {("feedback", "agreement")}


def test_feedback_is_given_once(authority: Authority) -> None:
    audit = submitted_audit(authority)
    feedback_give(actor=user(authority, "social_worker"), audit=audit, agreement="agree")
    with pytest.raises(AuditRefused) as refused:
        feedback_give(actor=user(authority, "practice_manager"), audit=audit, agreement="partly_agree")
    assert "already recorded" in refused.value.problems[0].message
    assert WorkerFeedback.objects.filter(audit=audit).count() == 1


def test_feedback_is_refused_before_submission(authority: Authority) -> None:
    templates_load()
    audit = audit_of(authority)
    with pytest.raises(AuditRefused) as refused:
        feedback_give(actor=user(authority, "social_worker"), audit=audit, agreement="agree")
    assert refs(refused.value) == {("audit", "status")}


# --- no feedback given -----------------------------------------------------------------------


def test_no_feedback_is_refused_while_the_window_is_open(authority: Authority) -> None:
    audit = submitted_audit(authority)
    start = no_feedback_from(audit=audit)
    assert start is not None
    with pytest.raises(AuditRefused) as refused:
        record_no_feedback(actor=user(authority, "qa_officer"), audit=audit)
    message = refused.value.problems[0].message
    assert "still open" in message and f"from {start.day} " in message
    # the last day of the window is still in it; the day after is not
    with pytest.raises(AuditRefused):
        record_no_feedback(
            actor=user(authority, "qa_officer"), audit=audit, today=start - datetime.timedelta(days=1)
        )
    feedback = record_no_feedback(actor=user(authority, "qa_officer"), audit=audit, today=start)
    assert feedback.agreement == "none_given"


def test_no_feedback_after_the_window_moves_the_audit_on(authority: Authority) -> None:
    audit = window_passed(submitted_audit(authority))
    feedback = record_no_feedback(actor=user(authority, "group_manager"), audit=audit)
    audit.refresh_from_db()
    assert feedback.agreement == "none_given" and feedback.given_by == user(authority, "group_manager")
    assert audit.status == "moderation"
    assert AuditStatusChange.objects.filter(audit=audit, event="no_feedback_given").exists()
    with pytest.raises(AuditRefused):
        record_no_feedback(actor=user(authority, "qa_officer"), audit=audit)
    with pytest.raises(AuditRefused):
        feedback_give(actor=user(authority, "social_worker"), audit=audit, agreement="agree")


def test_no_feedback_for_a_type_without_moderation_is_final(authority: Authority) -> None:
    audit = window_passed(submitted_audit(authority, audit_type="early_help_front_door"))
    record_no_feedback(actor=user(authority, "qa_officer"), audit=audit)
    audit.refresh_from_db()
    assert audit.status == "final"


# --- the head of QA's decision ------------------------------------------------------------------


def test_the_head_of_qa_upholds_the_auditor(authority: Authority) -> None:
    audit = disputed(authority)
    head = user(authority, "head_of_qa")
    decision = head_of_qa_decide(
        actor=head, audit=audit, decision="auditor_upheld", reason="The evidence supports the grades."
    )
    audit.refresh_from_db()
    assert decision.decision == "auditor_upheld" and decision.decided_by == head
    assert audit.status == "moderation"
    assert audit.effective_grades == audit.stage1_grades
    assert not GradeChange.objects.filter(audit=audit).exists()
    assert AuditStatusChange.objects.filter(audit=audit, event="head_of_qa_decided").exists()
    told = {
        alert.staff.staff_id for alert in AuditAlert.objects.filter(audit=audit, kind="head_of_qa_decided")
    }
    assert told == {"SWA", "PMA", "GMB"}
    assert sorted(m.to[0] for m in mails(audit, "Head of QA decision")) == sorted(
        authority.people[who].email for who in ("social_worker", "practice_manager", "group_manager")
    )
    [item] = QaInboxItem.objects.filter(audit=audit)
    assert item.kind == "head_of_qa_decided" and "C-OWN" in item.summary


def test_the_head_of_qa_changes_grades_with_the_reason(authority: Authority) -> None:
    audit = disputed(authority, audit_type="early_help_front_door")
    head = user(authority, "head_of_qa")
    decision = head_of_qa_decide(
        actor=head,
        audit=audit,
        decision="changed",
        reason="The plan is not yet SMART.",
        section_grades={"assessment": "good"},
        overall_grade="requires_improvement",
        plan_change="Add a review of the plan by January.",
    )
    audit.refresh_from_db()
    assert audit.status == "final"
    assert audit.effective_grades["overall"] == "requires_improvement"
    assert audit.stage1_grades["overall"] == "good"
    [change] = GradeChange.objects.filter(audit=audit)
    assert (change.stage, change.ref, change.from_grade, change.to_grade) == (
        "head_of_qa",
        "overall",
        "good",
        "requires_improvement",
    )
    assert change.reason == "The plan is not yet SMART." and change.by == head
    assert decision.plan_change == "Add a review of the plan by January."
    [message] = mails(audit, "Head of QA decision")[:1]
    assert "1 grade changed" in message.body and "Overall grade: Requires improvement." in message.body


def test_a_grade_raised_past_a_limiting_judgement_is_refused(authority: Authority) -> None:
    audit = limited_audit(authority)
    feedback_give(
        actor=user(authority, "social_worker"),
        audit=audit,
        agreement="strongly_disagree",
        on_findings="The assessment is good.",
    )
    with pytest.raises(AuditRefused) as refused:
        head_of_qa_decide(
            actor=user(authority, "head_of_qa"),
            audit=audit,
            decision="changed",
            reason="I agree with the worker.",
            section_grades={"assessment": "good"},
        )
    [problem] = refused.value.problems
    assert (problem.ref, problem.field) == ("assessment", "section_grades")
    assert "seen" in problem.message.lower()
    audit.refresh_from_db()
    assert audit.status == "head_of_qa_review"
    assert not HeadOfQaDecision.objects.filter(audit=audit).exists()
    assert not GradeChange.objects.filter(audit=audit).exists()
    # lowering is free
    head_of_qa_decide(
        actor=user(authority, "head_of_qa"),
        audit=audit,
        decision="changed",
        reason="Weaker than graded.",
        section_grades={"assessment": "inadequate"},
    )
    audit.refresh_from_db()
    assert audit.effective_grades["assessment"] == "inadequate"


def test_grades_with_upheld_are_refused(authority: Authority) -> None:
    audit = disputed(authority)
    with pytest.raises(AuditRefused) as refused:
        head_of_qa_decide(
            actor=user(authority, "head_of_qa"),
            audit=audit,
            decision="auditor_upheld",
            reason="Upheld.",
            overall_grade="requires_improvement",
        )
    assert refs(refused.value) == {("overall", "overall_grade")}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"decision": "", "reason": "x"}, {("decision", "decision")}),
        ({"decision": "auditor_upheld", "reason": " "}, {("decision", "reason")}),
        (
            {"decision": "changed", "reason": "Nothing really.", "overall_grade": "good"},
            {("decision", "decision")},
        ),
    ],
)
def test_a_decision_needs_its_choice_its_reason_and_a_change(
    authority: Authority, kwargs: dict[str, str], expected: set[tuple[str, str]]
) -> None:
    audit = disputed(authority)
    with pytest.raises(AuditRefused) as refused:
        head_of_qa_decide(actor=user(authority, "head_of_qa"), audit=audit, **kwargs)
    assert refs(refused.value) == expected


def test_a_decision_only_on_a_disputed_audit(authority: Authority) -> None:
    audit = submitted_audit(authority)
    with pytest.raises(AuditRefused) as refused:
        head_of_qa_decide(
            actor=user(authority, "head_of_qa"), audit=audit, decision="auditor_upheld", reason="x"
        )
    assert refs(refused.value) == {("audit", "status")}


# --- alerts ------------------------------------------------------------------------------------


def test_an_alert_is_dismissed_once(authority: Authority) -> None:
    audit = submitted_audit(authority)
    alert = AuditAlert.objects.get(audit=audit, staff=authority.people["social_worker"])
    alert_dismiss(actor=user(authority, "social_worker"), alert=alert)
    first = alert.dismissed_at
    assert first is not None
    alert_dismiss(actor=user(authority, "social_worker"), alert=alert)
    assert alert.dismissed_at == first
