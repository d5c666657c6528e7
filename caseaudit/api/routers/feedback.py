"""The worker's say and the head of QA's decision over the API (MOD-3, CONTRACTS §9), with the same
services and permissions as the pages.

An audit the caller may not see is 404 (and the denial logged); one they may see but may not do
this on is 403 (logged too); the wrong status or a rule (a strong disagreement without its
reasons, a grade a limiting judgement forbids) is 422 with every problem, each naming its field
and ref; a body that is not the right shape is 400."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.records import person_name
from caseaudit.audits.selectors import audit_get
from caseaudit.core.services import access_log_record
from caseaudit.moderation.models import HeadOfQaDecision, WorkerFeedback
from caseaudit.moderation.presenters.feedback import head_of_qa_changes
from caseaudit.moderation.services.feedback import feedback_give, head_of_qa_decide, record_no_feedback

router = Router(tags=["feedback"])

WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
NOT_VISIBLE = "No audit with that ID, or you do not have access to it."
Status = tuple[int, dict[str, Any]]


class FeedbackIn(Schema):
    agreement: str = Field(description="agree, partly_agree or strongly_disagree.")
    on_process: str = Field("", description="The worker's view of the audit process.")
    on_findings: str = Field("", description="Their view of the findings.")
    on_plan: str = Field(
        "", description="Their view of the plan; with strongly_disagree, this or on_findings is required."
    )


class FeedbackOut(Schema):
    audit_id: int
    agreement: str = Field(description="agree, partly_agree, strongly_disagree or none_given.")
    on_process: str
    on_findings: str
    on_plan: str
    given_by: str
    given_at: datetime
    status: str = Field(description="The audit's status after the feedback.")


class DecisionIn(Schema):
    decision: str = Field(description="auditor_upheld or changed.")
    reason: str = Field("", description="Required; kept with each grade changed.")
    section_grades: dict[str, str] = Field(
        default_factory=dict, description="{section_ref: grade}; only with changed."
    )
    overall_grade: str = Field("", description="Only with changed.")
    plan_change: str = Field("", description="How the plan changes, if it does.")


class DecisionOut(Schema):
    audit_id: int
    decision: str
    reason: str
    plan_change: str
    decided_by: str
    decided_at: datetime
    changes: list[dict[str, str]] = Field(description='Each grade changed: {"ref", "from", "to", "reason"}.')
    status: str = Field(description="The audit's status after the decision.")


def _audit(request: HttpRequest, audit_id: int, perm: str, doing: str) -> Audit:
    audit = audit_get(user=request.user, audit_id=audit_id)
    if audit is None:
        raise not_visible(request, object_type="audit", object_ref=audit_id, detail=NOT_VISIBLE)
    if not request.user.has_perm(perm, audit):
        access_log_record(
            actor=request.user,
            object_type="audit",
            object_ref=str(audit_id),
            allowed=False,
            action=doing,
            request=request,
            via="api",
        )
        raise ApiProblem(403, f"You may see this audit but may not {doing.replace('_', ' ')}.")
    return audit


def _feedback_out(feedback: WorkerFeedback, audit: Audit) -> dict[str, Any]:
    return {
        "audit_id": audit.pk,
        "agreement": feedback.agreement,
        "on_process": feedback.on_process,
        "on_findings": feedback.on_findings,
        "on_plan": feedback.on_plan,
        "given_by": person_name(feedback.given_by),
        "given_at": feedback.given_at,
        "status": audit.status,
    }


def _decision_out(decision: HeadOfQaDecision, audit: Audit) -> dict[str, Any]:
    return {
        "audit_id": audit.pk,
        "decision": decision.decision,
        "reason": decision.reason,
        "plan_change": decision.plan_change,
        "decided_by": person_name(decision.decided_by),
        "decided_at": decision.decided_at,
        "changes": [
            {"ref": c.ref, "from": c.from_grade, "to": c.to_grade, "reason": c.reason}
            for c in head_of_qa_changes(audit=audit)
        ],
        "status": audit.status,
    }


@router.post(
    "/audits/{audit_id}/feedback",
    response={201: FeedbackOut, **WRITE},
    summary="Give the worker's feedback on a submitted audit",
    operation_id="audit_feedback_give",
)
def feedback_post(request: HttpRequest, audit_id: Path[int], payload: FeedbackIn) -> Status:
    """The worker or their practice manager (MOD-3), while the audit is `submitted`. A strong
    disagreement moves it to `head_of_qa_review`; otherwise it moves on (`moderation` or `final`)."""
    audit = _audit(request, audit_id, "moderation.give_feedback", "give_feedback")
    try:
        feedback = feedback_give(actor=request.user, audit=audit, **payload.model_dump())
    except AuditRefused as exc:
        raise refused_problem(exc, "The feedback was not recorded: see `errors`.") from exc
    return 201, _feedback_out(feedback, audit)


@router.post(
    "/audits/{audit_id}/no-feedback",
    response={201: FeedbackOut, **WRITE},
    summary="Record that no feedback was given within the window",
    operation_id="audit_feedback_none",
)
def no_feedback_post(request: HttpRequest, audit_id: Path[int]) -> Status:
    """QA or the auditor, once `feedback_working_days` working days have passed since submission
    without feedback (422, naming the first day it may be recorded, before then)."""
    audit = _audit(request, audit_id, "moderation.record_no_feedback", "record_no_feedback")
    try:
        feedback = record_no_feedback(actor=request.user, audit=audit)
    except AuditRefused as exc:
        raise refused_problem(exc, "Nothing was recorded: see `errors`.") from exc
    return 201, _feedback_out(feedback, audit)


@router.post(
    "/audits/{audit_id}/head-of-qa-decision",
    response={201: DecisionOut, **WRITE},
    summary="Record the head of QA's decision on a disputed audit",
    operation_id="audit_head_of_qa_decide",
)
def decision_post(request: HttpRequest, audit_id: Path[int], payload: DecisionIn) -> Status:
    """The head of QA (MOD-3), while the audit is `head_of_qa_review`. Grades only with `changed`;
    a grade the Stage 1 limiting judgements forbid is refused (422, naming the section)."""
    audit = _audit(request, audit_id, "moderation.decide_dispute", "decide_dispute")
    try:
        decision = head_of_qa_decide(actor=request.user, audit=audit, **payload.model_dump())
    except AuditRefused as exc:
        raise refused_problem(exc, "The decision was not recorded: see `errors`.") from exc
    return 201, _decision_out(decision, audit)
