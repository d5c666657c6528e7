"""What the audit and template endpoints answer and accept, and how an audit is shaped into it
(CONTRACTS §4, §5). Tokens, not labels: answers yes / no / na; grades outstanding / good /
requires_improvement / inadequate (each template declares its own scale); audit types
good_practice, early_help_front_door, thematic, practice_week, dip_sample."""

import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from caseaudit.accounts.selectors import user_staff
from caseaudit.api.problems import Problem, ProblemError
from caseaudit.api.schemas_stages import StagesOut, stages_out
from caseaudit.audits.models import Audit, AuditAction, AuditStatusChange, ComplianceGap
from caseaudit.audits.selectors import AuditState

# --- templates -----------------------------------------------------------------------------


class GradeOut(Schema):
    token: str
    label: str


class DocumentControlOut(Schema):
    title: str
    approved_date: datetime.date | None
    updated_date: datetime.date | None
    approving_body: str | None
    next_review_date: datetime.date | None
    owner: str | None
    source: str | None


class TemplateOut(Schema):
    ref: str
    version: int = Field(description="Numbered by the loader; audits keep the version they started on.")
    version_label: str = Field(description="The council's own label for this version.")
    title: str
    kind: str = Field(description="audit, feedback or moderation")
    description: str
    grade_scale: list[GradeOut] = Field(description="Best first. A grade outside it is refused (422).")
    window: int | None = Field(description="The review window in months, where the template sets one.")
    document_control: DocumentControlOut


class TemplatePage(Schema):
    items: list[TemplateOut]
    count: int


class ChoiceOut(Schema):
    token: str
    label: str


class QuestionOut(Schema):
    ref: str
    text: str
    help: str
    answer_type: str = Field(description="yes_no_na, grade, text, date or choice")
    allowed_answers: list[str] | None = Field(
        description="The tokens it takes (yes_no_na, choice, grade); null for text and dates."
    )
    choices: list[ChoiceOut]
    multiple: bool
    na_allowed: bool
    na_requires_reason: bool = Field(description='NA must come with a reason: {"value": "na", "reason": ...}')
    na_reason_help: str
    required: bool
    required_if: dict[str, Any] | None = Field(description="{question, in}: required only for those answers.")
    limiting: bool = Field(description="A limiting judgement (GRD-2): unmet, it caps the grades it limits.")
    limits: list[str] = Field(
        description="Refs of the sections it limits; it always limits the overall grade."
    )


class DescriptorOut(Schema):
    grade: str
    label: str
    texts: list[str]
    source: str = Field(description="seed (the source document's words) or written (for this template)")


class SectionOut(Schema):
    ref: str
    title: str
    guidance: str
    minutes: int | None = Field(description="Time guidance.")
    graded: bool
    comments_label: str
    questions: list[QuestionOut]
    descriptors: list[DescriptorOut] = Field(description="What each grade looks like, best first (TPL-2).")
    actions_table: dict[str, Any] | None


class TemplateVersionOut(Schema):
    version: int
    version_label: str
    approved_date: datetime.date | None
    loaded_at: datetime.datetime
    current: bool


class TemplateDetailOut(TemplateOut):
    current: bool = Field(description="Whether this is the version new audits use by default.")
    versions: list[TemplateVersionOut] = Field(
        description="Every loaded version of this template, newest first; start an audit on an "
        "earlier one with `template_version`."
    )
    limiting_ceiling: str | None = Field(
        description="The best grade allowed while a limiting judgement is unmet."
    )
    overall_grade_rule: dict[str, Any]
    sections: list[SectionOut]


class AuditTypeOut(Schema):
    token: str
    name: str
    description: str
    template_ref: str
    review_window_months: int
    fields: list[dict[str, Any]] = Field(description="What an audit of this type records in `type_details`.")
    rules: dict[str, Any]


class AuditTypePage(Schema):
    items: list[AuditTypeOut]
    count: int


# --- audits ---------------------------------------------------------------------------------


class AuditCreateIn(Schema):
    case_id: str = Field(description="The register's case ID.")
    audit_type: str = Field(
        description="good_practice, early_help_front_door, thematic, practice_week, dip_sample"
    )
    template_ref: str | None = Field(
        None, description="Default: the audit type's template (its current version)."
    )
    template_version: int | None = Field(
        None,
        description="A version of that template loaded before (GET /api/templates/{ref}?version=N); "
        "default its current version.",
    )
    audit_date: datetime.date | None = None
    window_months: int | None = Field(None, description="Default: the audit type's review window.")
    type_details: dict[str, Any] | None = Field(
        None,
        description="thematic: theme; dip_sample: line_of_enquiry; practice_week: observed_practice, "
        "observed_on, family_consent (yes).",
    )
    auditor_id: str | None = Field(None, description="Staff ID of the auditor (QA only); default the caller.")


class AuditPatchIn(Schema):
    version: int | None = Field(
        None,
        description="The version you loaded: if it is not current, 409 and nothing is saved. May be left "
        "out only while no other client (API token or browser session) has saved the audit; after that, "
        "a PATCH without it is 409 naming `version`.",
    )
    answers: dict[str, Any] | None = Field(None, description='{question_ref: token or {"value", "reason"}}')
    comments: dict[str, str] | None = Field(None, description="{section_ref: text}")
    section_grades: dict[str, str | None] | None = Field(None, description="{section_ref: grade token}")
    overall_grade: str | None = None
    overall_override_reason: str | None = None
    actions: list[dict[str, Any]] | None = Field(
        None,
        description='Replaces the list: [{"what", "owner_id" (staff ID; default the practice manager), '
        '"due_date", "due_reason" (why it is due more than 4 weeks after the audit date), "impact", '
        '"id" (to keep an existing action)}]. Due dates follow `action_deadline` (ACT-2): a later one '
        "is 422 naming `due_date`.",
    )
    audit_date: datetime.date | None = None
    safeguarding_concerns: bool | None = Field(
        None,
        description="Are there safeguarding concerns? Asked whenever a grade is Inadequate: with true, "
        "every action is due within 5 working days of the audit date (ACT-2).",
    )
    completed_sections: dict[str, bool] | None = None


class AuditSubmitIn(Schema):
    version: int | None = None


class AnswerOut(Schema):
    value: str | None
    reason: str


class ActionOut(Schema):
    id: int
    what: str
    owner_id: str | None
    owner_name: str | None
    owner_is_fallback: bool = Field(
        description="The owner is a line manager standing in for a practice manager."
    )
    due_date: datetime.date
    due_reason: str = Field(description="Why it is due more than 4 weeks after the audit date, if it is.")
    impact: str
    status: str


class ComplianceGapIn(Schema):
    kind: str = Field(description="supervision, case_notes, chronology, visits or other")
    note: str


class ComplianceGapAddressIn(Schema):
    note: str = Field(description="How the gap was addressed.")


class ComplianceGapOut(Schema):
    id: int
    kind: str
    note: str
    flagged_by: str | None
    flagged_at: datetime.datetime
    addressed: bool
    addressed_by: str | None
    addressed_at: datetime.datetime | None
    addressed_note: str


class StatusChangeOut(Schema):
    from_status: str | None
    to_status: str
    by: str | None = Field(description="Staff ID, or the account name of someone without one.")
    at: datetime.datetime


class DocumentOut(Schema):
    id: int
    stage: str
    created_at: datetime.datetime
    size: int
    sha256: str
    download_url: str


class AuditSummaryOut(Schema):
    id: int
    case_id: str
    audit_type: str
    template_ref: str
    template_version: int
    status: str
    version: int
    audit_date: datetime.date | None
    auditor_id: str
    worker_id: str | None
    overall_grade: str | None


class AuditPage(Schema):
    items: list[AuditSummaryOut]
    count: int


class ActionDeadlineOut(Schema):
    counts_from: datetime.date = Field(description="The audit date.")
    latest_due_date: datetime.date = Field(description="The latest due date allowed without a reason.")
    safeguarding: bool = Field(
        description="A grade is Inadequate with safeguarding concerns: 5 working days, never later. "
        "Otherwise 4 weeks (28 days, moved back to a working day); later only with a `due_reason`."
    )
    explanation: str


class AuditOut(AuditSummaryOut, StagesOut):
    child_id: str
    type_details: dict[str, Any]
    window_start: datetime.date | None
    window_end: datetime.date | None
    due_date: datetime.date | None
    practice_manager_id: str | None
    practice_manager_is_fallback: bool
    answers: dict[str, AnswerOut]
    comments: dict[str, str]
    section_grades: dict[str, str]
    completed_sections: list[str]
    proposed_overall_grade: str | None = Field(description="What the template's rule proposes (GRD-3).")
    overall_override_reason: str
    best_grade_allowed: dict[str, str] = Field(
        description='{section ref or "overall": the best grade the limiting judgements allow}'
    )
    safeguarding_concerns: bool | None = Field(
        description='The auditor\'s answer to "are there safeguarding concerns?" (asked when a grade is '
        "Inadequate); null when not answered."
    )
    action_deadline: ActionDeadlineOut | None = Field(
        description="When its actions must be due by (ACT-2); null while the audit has no date."
    )
    actions: list[ActionOut]
    compliance_gaps: list[ComplianceGapOut]
    status_history: list[StatusChangeOut]
    documents: list[DocumentOut]
    document_url: str | None = Field(description="The latest rendered PDF, once submitted.")
    submission_problems: list[ProblemError] = Field(description="What still stops it being submitted.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None


class StaleProblem(Problem):
    """409: the audit changed since the version you sent; nothing was saved."""

    current_version: int
    changed: dict[str, list[Any]] = Field(
        description="{what: [value at your version, value now]}; empty when you sent no `version`."
    )


# --- shaping audits ----------------------------------------------------------------------------------


def _person(user: Any) -> str | None:
    if user is None:
        return None
    staff = user_staff(user)
    return staff.staff_id if staff is not None else user.get_username()


def audit_summary_out(audit: Audit) -> dict[str, Any]:
    return {
        "id": audit.pk,
        "case_id": audit.case.case_id,
        "audit_type": audit.audit_type,
        "template_ref": audit.template_version.ref,
        "template_version": audit.template_version.version,
        "status": audit.status,
        "version": audit.response.version,
        "audit_date": audit.audit_date,
        "auditor_id": audit.auditor.staff_id,
        "worker_id": audit.worker.staff_id if audit.worker else None,
        "overall_grade": audit.overall_grade or None,
    }


def action_out(action: AuditAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "what": action.what,
        "owner_id": action.owner.staff_id if action.owner else None,
        "owner_name": action.owner.name if action.owner else None,
        "owner_is_fallback": action.owner_is_fallback,
        "due_date": action.due_date,
        "due_reason": action.due_reason,
        "impact": action.impact,
        "status": action.status,
    }


def gap_out(gap: ComplianceGap) -> dict[str, Any]:
    return {
        "id": gap.pk,
        "kind": gap.kind,
        "note": gap.note,
        "flagged_by": _person(gap.flagged_by),
        "flagged_at": gap.flagged_at,
        "addressed": gap.addressed_at is not None,
        "addressed_by": _person(gap.addressed_by),
        "addressed_at": gap.addressed_at,
        "addressed_note": gap.addressed_note,
    }


def status_change_out(row: AuditStatusChange) -> dict[str, Any]:
    return {
        "from_status": row.from_status or None,
        "to_status": row.to_status,
        "by": _person(row.by),
        "at": row.at,
    }


def audit_out(state: AuditState) -> dict[str, Any]:
    audit = state.audit
    documents = [
        {
            "id": document.pk,
            "stage": document.stage,
            "created_at": document.created_at,
            "size": document.size,
            "sha256": document.sha256,
            "download_url": reverse("api:audits_document_get", args=[audit.pk, document.pk]),
        }
        for document in state.documents
    ]
    return {
        **audit_summary_out(audit),
        "child_id": audit.case.child.child_id,
        "type_details": audit.type_details,
        "window_start": audit.window_start,
        "window_end": audit.window_end,
        "due_date": audit.due_date,
        "practice_manager_id": audit.practice_manager.staff_id if audit.practice_manager else None,
        "practice_manager_is_fallback": audit.practice_manager_is_fallback,
        "answers": {ref: {"value": a.value, "reason": a.reason} for ref, a in state.answers.items()},
        "comments": state.comments,
        "section_grades": state.section_grades,
        "completed_sections": sorted(ref for ref, row in state.sections.items() if row.completed),
        "proposed_overall_grade": state.proposed_overall_grade,
        "overall_override_reason": audit.response.overall_override_reason,
        "best_grade_allowed": state.best_grade_allowed,
        "safeguarding_concerns": audit.safeguarding_concerns,
        "action_deadline": (
            {
                "counts_from": rule.counts_from,
                "latest_due_date": rule.latest,
                "safeguarding": rule.safeguarding,
                "explanation": rule.explanation,
            }
            if (rule := state.due_rule) is not None
            else None
        ),
        "actions": [action_out(action) for action in state.actions],
        "compliance_gaps": [gap_out(gap) for gap in state.compliance_gaps],
        "status_history": [status_change_out(row) for row in state.status_history],
        "documents": documents,
        "document_url": documents[0]["download_url"] if documents else None,
        "submission_problems": [problem.as_dict() for problem in state.submission_problems],
        "created_at": audit.created_at,
        "updated_at": audit.updated_at,
        "submitted_at": audit.submitted_at,
        **stages_out(audit),
    }
