"""The worker's say on a submitted audit and the head of QA's decision when they strongly disagree
(MOD-3, ESC-2; CONTRACTS §9).

Each write runs in one transaction under the audit's row lock, checks the audit's status (422),
writes its history rows and queues its mail. Who may do it is the caller's check (the moderation
rules, asked by the page or the API); these services check only what the status and the rules of
the practice guidance allow."""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.machines import HEAD_OF_QA_REVIEW, SUBMITTED
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.audits.services_grades import OVERALL, audit_grades_change
from caseaudit.audits.signals import audit_submitted
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.mail_feedback import (
    feedback_disputed_mail_enqueue,
    feedback_given_mail_enqueue,
    feedback_requested_mail_enqueue,
    head_of_qa_decided_mail_enqueue,
)
from caseaudit.moderation.models import AuditAlert, HeadOfQaDecision, QaInboxItem, WorkerFeedback
from caseaudit.moderation.selectors import feedback_due_date
from caseaudit.moderation.services.lifecycle import audit_fire, audit_lock, audit_move_on, require_status
from caseaudit.org.models import Staff
from caseaudit.org.selectors import staff_list

TEXT_MAX = 5000
Agreement = WorkerFeedback.Agreement
Decision = HeadOfQaDecision.Decision
# What a worker (or their practice manager) may answer; "none_given" is recorded by QA or the
# auditor once the window has passed (record_no_feedback).
GIVEN_AGREEMENTS = (Agreement.AGREE.value, Agreement.PARTLY_AGREE.value, Agreement.STRONGLY_DISAGREE.value)
TEXT_FIELDS = {
    "on_process": "your view of the audit process",
    "on_findings": "your view of the findings",
    "on_plan": "your view of the plan",
}


# --- who is told ------------------------------------------------------------------------------


def told(*, audit: Audit, people: Iterable[Staff | None]) -> list[Staff]:
    """Of `people`, those who may be told of `audit` on their home page: active, with an active
    account that may see the audit now (CONTRACTS §3), each once."""
    chosen: list[Staff] = []
    for person in people:
        if person is None or not person.is_active or person in chosen:
            continue
        user = person.user
        if user is None or not user.is_active or not audit_is_visible(user=user, audit=audit):
            continue
        chosen.append(person)
    return chosen


def heads_of_qa() -> list[Staff]:
    return list(staff_list(role=Role.HEAD_OF_QA).filter(is_active=True))


def _alert(audit: Audit, people: Iterable[Staff], kind: str, text: str) -> list[AuditAlert]:
    return [AuditAlert.objects.create(audit=audit, staff=person, kind=kind, text=text) for person in people]


def _already_given(audit: Audit) -> None:
    feedback = WorkerFeedback.objects.filter(audit=audit).first()
    if feedback is None:
        return
    what = (
        "no feedback was given"
        if feedback.agreement == Agreement.NONE_GIVEN
        else f"feedback was given on {long_date(timezone.localdate(feedback.given_at))}"
    )
    raise AuditRefused(
        [
            Problem(
                "audit",
                "agreement",
                f"Feedback on this audit is already recorded: {what}.",
                "feedback_recorded",
            )
        ]
    )


# --- Stage 1 submitted: the worker is asked ----------------------------------------------------


def feedback_request(*, audit: Audit, actor: Any) -> list[AuditAlert]:
    """MOD-3: the worker and their practice manager are asked for their say on the audit, its
    findings and its plan, by the end of the feedback window (home page alert and mail). Runs
    inside the submission's transaction."""
    due = feedback_due_date(audit=audit)
    people = told(audit=audit, people=[audit.worker, audit.practice_manager])
    by = f" by {long_date(due)}" if due else ""
    alerts = _alert(
        audit,
        people,
        AuditAlert.Kind.FEEDBACK_REQUESTED,
        f"Your feedback on the audit, its findings and its plan is asked for{by}.",
    )
    feedback_requested_mail_enqueue(audit=audit, people=people, due=due)
    return alerts


@receiver(audit_submitted, dispatch_uid="moderation.feedback_request")
def _on_audit_submitted(sender: Any, *, audit: Audit, actor: Any, **kwargs: Any) -> None:
    feedback_request(audit=audit, actor=actor)


# --- the worker's say ---------------------------------------------------------------------------


def feedback_problems(*, agreement: str, on_process: str, on_findings: str, on_plan: str) -> list[Problem]:
    """What is wrong with the feedback as given; empty when it may be recorded."""
    problems = []
    if agreement not in GIVEN_AGREEMENTS:
        problems.append(
            Problem(
                "feedback",
                "agreement",
                "Choose whether you agree, partly agree or strongly disagree with the audit",
                "agreement_missing",
            )
        )
    if agreement == Agreement.STRONGLY_DISAGREE and not (on_findings.strip() or on_plan.strip()):
        problems.append(
            Problem(
                "feedback",
                "on_findings",
                "Say what you disagree with in the findings or the plan: the head of quality assurance "
                "reads it to decide",
                "disagreement_unexplained",
            )
        )
    texts = {"on_process": on_process, "on_findings": on_findings, "on_plan": on_plan}
    for name, text in texts.items():
        if len(text) > TEXT_MAX:
            problems.append(
                Problem(
                    "feedback",
                    name,
                    f"{TEXT_FIELDS[name].capitalize()} must be {TEXT_MAX} characters or fewer",
                )
            )
    return problems


def feedback_give(
    *,
    actor: Any,
    audit: Audit,
    agreement: str,
    on_process: str = "",
    on_findings: str = "",
    on_plan: str = "",
) -> WorkerFeedback:
    """The worker's (or their practice manager's) say (MOD-3). A strong disagreement goes to the
    head of QA, who decides before the audit is final; otherwise the audit moves on (Stage 2, or
    final). The auditor is told either way."""
    agreement = (agreement or "").strip()
    with transaction.atomic():
        audit_lock(audit)
        _already_given(audit)
        require_status(audit, SUBMITTED, doing="give feedback")
        problems = feedback_problems(
            agreement=agreement, on_process=on_process, on_findings=on_findings, on_plan=on_plan
        )
        if problems:
            raise AuditRefused(problems, "The feedback was not recorded.")
        feedback = WorkerFeedback.objects.create(
            audit=audit,
            agreement=agreement,
            on_process=on_process.strip(),
            on_findings=on_findings.strip(),
            on_plan=on_plan.strip(),
            given_by=user_or_none(actor),
        )
        label = feedback.get_agreement_display()
        audit_event_record(
            actor=actor,
            action="audit.feedback_given",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Audit {audit.pk}: the worker's feedback recorded ({label.lower()})",
            changes={"agreement": [None, agreement]},
        )
        given_by = display_name(actor)
        if agreement == Agreement.STRONGLY_DISAGREE:
            audit_fire(actor=actor, audit=audit, event="feedback_disputed", to_status=HEAD_OF_QA_REVIEW)
            heads = told(audit=audit, people=heads_of_qa())
            _alert(
                audit,
                heads,
                AuditAlert.Kind.FEEDBACK_GIVEN,
                f"{given_by} strongly disagrees with the audit: your decision is needed before it is final.",
            )
            feedback_disputed_mail_enqueue(audit=audit, heads=heads, given_by=given_by)
        else:
            audit_move_on(actor=actor, audit=audit, event="feedback_given")
        _alert(
            audit,
            told(audit=audit, people=[audit.auditor]),
            AuditAlert.Kind.FEEDBACK_GIVEN,
            f"{given_by} has given feedback on the audit you conducted: {label.lower()}.",
        )
        feedback_given_mail_enqueue(audit=audit, given_by=given_by, agreement_label=label)
    return feedback


def no_feedback_from(*, audit: Audit) -> date | None:
    """The first day QA or the auditor may record that no feedback was given: the day after the
    window's last day. None before submission."""
    due = feedback_due_date(audit=audit)
    return due + timedelta(days=1) if due else None


def record_no_feedback(*, actor: Any, audit: Audit, today: date | None = None) -> WorkerFeedback:
    """MOD-3: once the window has passed without feedback, QA or the auditor moves the audit on
    with "no feedback given" recorded."""
    today = today or timezone.localdate()
    with transaction.atomic():
        audit_lock(audit)
        _already_given(audit)
        require_status(audit, SUBMITTED, doing="record that no feedback was given")
        start = no_feedback_from(audit=audit)
        if start is None or today < start:
            when = f"from {long_date(start)}" if start else "once the feedback window has passed"
            raise AuditRefused(
                [
                    Problem(
                        "audit",
                        "status",
                        f"The worker's feedback window is still open: you can record that no feedback "
                        f"was given {when}.",
                        "feedback_window_open",
                    )
                ]
            )
        feedback = WorkerFeedback.objects.create(
            audit=audit, agreement=Agreement.NONE_GIVEN, given_by=user_or_none(actor)
        )
        audit_event_record(
            actor=actor,
            action="audit.no_feedback_given",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Audit {audit.pk}: no feedback given within the window",
            changes={"agreement": [None, Agreement.NONE_GIVEN.value]},
        )
        audit_move_on(actor=actor, audit=audit, event="no_feedback_given")
    return feedback


# --- the head of QA's decision ------------------------------------------------------------------


def _decision_problems(
    *, audit: Audit, decision: str, reason: str, grades: Mapping[str, str], plan_change: str
) -> list[Problem]:
    problems = []
    if decision not in Decision.values:
        problems.append(
            Problem(
                "decision",
                "decision",
                "Choose whether the auditor's audit is upheld or its grades or plan change",
                "decision_missing",
            )
        )
    if not reason.strip():
        problems.append(Problem("decision", "reason", "Enter the reason for your decision", "reason_missing"))
    elif len(reason) > TEXT_MAX:
        problems.append(Problem("decision", "reason", f"The reason must be {TEXT_MAX} characters or fewer"))
    if len(plan_change) > TEXT_MAX:
        problems.append(
            Problem(
                "decision", "plan_change", f"The change to the plan must be {TEXT_MAX} characters or fewer"
            )
        )
    if decision == Decision.AUDITOR_UPHELD:
        for ref in grades:
            field = "overall_grade" if ref == OVERALL else "section_grades"
            problems.append(
                Problem(
                    ref,
                    field,
                    "You chose to uphold the auditor's audit: leave the grades as they are, or choose "
                    "that grades or the plan change",
                    "grades_with_upheld",
                )
            )
    elif decision == Decision.CHANGED:
        current = audit.effective_grades or {}
        if not plan_change.strip() and all(grade == current.get(ref, "") for ref, grade in grades.items()):
            problems.append(
                Problem(
                    "decision",
                    "decision",
                    "Change at least one grade or say how the plan changes, or choose that the auditor's "
                    "audit is upheld",
                    "nothing_changed",
                )
            )
    return problems


def head_of_qa_decide(
    *,
    actor: Any,
    audit: Audit,
    decision: str,
    reason: str,
    section_grades: Mapping[str, str] | None = None,
    overall_grade: str | None = None,
    plan_change: str = "",
) -> HeadOfQaDecision:
    """MOD-3: the head of QA decides an audit the worker strongly disputes: the auditor upheld, or
    grades (each change with the reason, capped by the Stage 1 limiting judgements) and the plan
    changed. Then the audit moves on (Stage 2, or final); the worker, their practice manager and
    the auditor are told, and a copy goes to the QA inbox."""
    decision = (decision or "").strip()
    grades = {ref: (grade or "").strip().lower() for ref, grade in (section_grades or {}).items()}
    if (overall_grade or "").strip():
        grades[OVERALL] = (overall_grade or "").strip().lower()
    grades = {ref: grade for ref, grade in grades.items() if grade}
    with transaction.atomic():
        audit_lock(audit)
        require_status(audit, HEAD_OF_QA_REVIEW, doing="decide on the worker's disagreement")
        problems = _decision_problems(
            audit=audit, decision=decision, reason=reason, grades=grades, plan_change=plan_change
        )
        if problems:
            raise AuditRefused(problems, "The decision was not recorded.")
        changes: list[GradeChange] = []
        if decision == Decision.CHANGED and grades:
            current = audit.effective_grades or {}
            reasons = {ref: reason.strip() for ref, grade in grades.items() if grade != current.get(ref, "")}
            changes = audit_grades_change(
                actor=actor, audit=audit, stage=GradeChange.Stage.HEAD_OF_QA, grades=grades, reasons=reasons
            )
        row = HeadOfQaDecision.objects.create(
            audit=audit,
            decision=decision,
            reason=reason.strip(),
            plan_change=plan_change.strip(),
            decided_by=actor,
        )
        label = row.get_decision_display()
        audit_event_record(
            actor=actor,
            action="audit.head_of_qa_decided",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Audit {audit.pk}: head of QA decision ({label.lower()})",
            changes={"decision": [None, decision]},
        )
        audit_move_on(actor=actor, audit=audit, event="head_of_qa_decided")
        people = [audit.worker, audit.practice_manager, audit.auditor]
        changed = f", {len(changes)} grade{'s' if len(changes) != 1 else ''} changed" if changes else ""
        _alert(
            audit,
            told(audit=audit, people=people),
            AuditAlert.Kind.HEAD_OF_QA_DECIDED,
            f"The head of quality assurance has decided on the disputed audit: {label.lower()}{changed}.",
        )
        head_of_qa_decided_mail_enqueue(
            audit=audit, people=people, decision_label=label, changes=len(changes)
        )
        QaInboxItem.objects.create(
            audit=audit,
            kind=QaInboxItem.Kind.HEAD_OF_QA_DECIDED,
            summary=f"Case {audit.case.case_id}: {label.lower()}{changed}.",
        )
    return row


# --- alerts -------------------------------------------------------------------------------------


def alert_dismiss(*, actor: Any, alert: AuditAlert) -> AuditAlert:
    """The person an alert is for dismisses it from their home page (their check is the caller's)."""
    with transaction.atomic():
        if alert.dismissed_at is None:
            alert.dismissed_at = timezone.now()
            alert.save(update_fields=["dismissed_at"])
            audit_event_record(
                actor=actor,
                action="audit_alert.dismissed",
                object_type="audit_alert",
                object_ref=str(alert.pk),
                summary=f"Alert {alert.pk} ({alert.kind}) on audit {alert.audit_id} dismissed",
            )
    return alert
