"""What `GET /api/audits/{id}` shows of the stages after Stage 1 (CONTRACTS §9): grades by stage,
the worker's feedback, the head of QA's decision, Stage 2 moderation, the panel and the family's
feedback, and where the audit is and whom it waits for. Read in a fixed number of queries."""

import datetime
from typing import Any

from ninja import Field, Schema

from caseaudit.audits.models import Audit, GradeChange
from caseaudit.moderation.presenters.status import audit_waiting
from caseaudit.moderation.selectors import audit_stages


class GradeChangeOut(Schema):
    ref: str = Field(description='A section ref, or "overall".')
    from_: str = Field(alias="from")
    to: str
    reason: str
    by: str | None = Field(description="Staff ID of who changed it.")
    at: datetime.datetime


class FeedbackOut(Schema):
    agreement: str = Field(
        description="agree, partly_agree, strongly_disagree, or none_given (the window passed)."
    )
    on_process: str
    on_findings: str
    on_plan: str
    given_by: str | None
    given_at: datetime.datetime


class HeadOfQaDecisionOut(Schema):
    decision: str = Field(description="auditor_upheld or changed")
    reason: str
    plan_change: str
    decided_by: str | None
    decided_at: datetime.datetime
    changes: list[GradeChangeOut]


class ModerationOut(Schema):
    moderator_id: str | None
    due_date: datetime.date | None
    completed_at: datetime.datetime | None
    changes: list[GradeChangeOut]


class PanelOut(Schema):
    panel_id: int | None
    starts_at: datetime.datetime | None
    chair_id: str | None
    why: str = Field(description="Why the audit is in the panel's sample.")
    decision: str = Field(description='confirmed, changed, or "" until the chair decides.')
    reason: str
    decided_at: datetime.datetime | None
    changes: list[GradeChangeOut]


class RespondentOut(Schema):
    who: str
    consent: str
    consent_date: datetime.date | None
    reason: str
    answers: dict[str, str]


class StagesOut(Schema):
    waiting_for: str = Field(
        description="Where the audit is and whom it waits for, in words; empty when final."
    )
    stage1_grades: dict[str, str] = Field(
        description='Frozen at submission: {section_ref: grade, "overall": grade}.'
    )
    moderated_grades: dict[str, str] | None = Field(description="What Stage 2 left; null until then.")
    feedback: FeedbackOut | None
    head_of_qa_decision: HeadOfQaDecisionOut | None
    moderation: ModerationOut | None
    panel: PanelOut | None
    family_feedback: list[RespondentOut]


def _staff_id(user: Any) -> str | None:
    staff = getattr(user, "staff", None) if user is not None else None
    return staff.staff_id if staff is not None else None


def _change_out(change: GradeChange) -> dict[str, Any]:
    return {
        "ref": change.ref,
        "from": change.from_grade,
        "to": change.to_grade,
        "reason": change.reason,
        "by": _staff_id(change.by),
        "at": change.at,
    }


def stages_out(audit: Audit) -> dict[str, Any]:
    stages = audit_stages(audit=audit)
    changes: dict[str, list[dict[str, Any]]] = {stage: [] for stage in GradeChange.Stage.values}
    for change in stages.grade_changes:
        changes[change.stage].append(_change_out(change))
    feedback, decision, moderation, sampled = (
        stages.feedback,
        stages.decision,
        stages.moderation,
        stages.sampled,
    )
    respondents, answers = stages.respondents, stages.answers
    return {
        "waiting_for": audit_waiting(audit).waiting_for,
        "stage1_grades": audit.stage1_grades or {},
        "moderated_grades": audit.moderated_grades,
        "feedback": None
        if feedback is None
        else {
            "agreement": feedback.agreement,
            "on_process": feedback.on_process,
            "on_findings": feedback.on_findings,
            "on_plan": feedback.on_plan,
            "given_by": _staff_id(feedback.given_by),
            "given_at": feedback.given_at,
        },
        "head_of_qa_decision": None
        if decision is None
        else {
            "decision": decision.decision,
            "reason": decision.reason,
            "plan_change": decision.plan_change,
            "decided_by": _staff_id(decision.decided_by),
            "decided_at": decision.decided_at,
            "changes": changes[GradeChange.Stage.HEAD_OF_QA],
        },
        "moderation": None
        if moderation is None
        else {
            "moderator_id": moderation.moderator.staff_id if moderation.moderator else None,
            "due_date": moderation.due_date,
            "completed_at": moderation.completed_at,
            "changes": changes[GradeChange.Stage.STAGE2],
        },
        "panel": None
        if sampled is None
        else {
            "panel_id": sampled.panel_id,
            "starts_at": sampled.panel.starts_at if sampled.panel else None,
            "chair_id": sampled.panel.chair.staff_id if sampled.panel else None,
            "why": sampled.why,
            "decision": sampled.decision,
            "reason": sampled.reason,
            "decided_at": sampled.decided_at,
            "changes": changes[GradeChange.Stage.PANEL],
        },
        "family_feedback": [
            {
                "who": respondent.who,
                "consent": respondent.consent,
                "consent_date": respondent.consent_date,
                "reason": respondent.reason,
                "answers": answers.get(respondent.response_id or 0, {}),
            }
            for respondent in respondents
        ],
    }
