"""Shape an audit for the pages and the PDF: plain values, labels instead of tokens, dates as
GOV.UK writes them. Everything here reads through the selectors (scoped to the person, or
about an audit already found through them); nothing here writes."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from caseaudit.audits.machines import EDITABLE, status_label
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.records import (
    ActionView,
    GapView,
    HistoryView,
    action_views,
    gap_views,
    history_views,
    long_datetime,
    person_name,
)
from caseaudit.audits.selectors import AuditState
from caseaudit.core.calendar import long_date
from caseaudit.questionnaires.forms import question_field_id
from caseaudit.questionnaires.models import ResponseSection
from caseaudit.templates_library.models import AuditType, Question, Section
from caseaudit.templates_library.selectors import section_descriptors
from caseaudit.templates_library.spec import NA, NO, YES, Answer

STATUS_TAGS = {
    "allocated": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "submitted": "govuk-tag--turquoise",
    "head_of_qa_review": "govuk-tag--orange",
    "moderation": "govuk-tag--purple",
    "panel": "govuk-tag--pink",
    "final": "govuk-tag--green",
}
ANSWER_LABELS = {YES: "Yes", NO: "No", NA: "NA"}
NOT_STARTED, IN_PROGRESS, COMPLETED = "Not started", "In progress", "Completed"


def grade_label(scale: list[dict[str, str]], token: str | None) -> str:
    if not token:
        return ""
    return next((grade["label"] for grade in scale if grade["token"] == token), token)


# --- the audit at a glance -----------------------------------------------------------------


@dataclass(frozen=True)
class AuditSummary:
    audit_id: int
    status: str
    status_label: str
    status_tag: str
    read_only: bool
    child_name: str
    child_id: str
    date_of_birth: str
    case_id: str
    case_type: str
    team_name: str
    worker_name: str
    practice_manager_name: str
    audit_type_name: str
    type_details: list[tuple[str, str]]
    audit_date: str
    window: str
    window_months: int | None
    auditor_name: str
    due_date: str
    template_title: str
    template_version: str
    template_rows: list[tuple[str, str]]
    submitted: str

    @property
    def title(self) -> str:
        return f"{self.audit_type_name}: {self.child_name}"


def months_between(start: datetime.date | None, end: datetime.date | None) -> int | None:
    if start is None or end is None:
        return None
    return (end.year - start.year) * 12 + end.month - start.month


def audit_summary(*, audit: Audit, audit_type: AuditType | None) -> AuditSummary:
    case, child, version = audit.case, audit.case.child, audit.template_version
    practice_manager = audit.practice_manager.name if audit.practice_manager else "Not known"
    if audit.practice_manager and audit.practice_manager_is_fallback:
        practice_manager += " (line manager: no practice manager above the worker)"
    window = ""
    if audit.window_start and audit.window_end:
        window = f"{long_date(audit.window_start)} to {long_date(audit.window_end)}"
    template_rows = [
        ("Template", version.title),
        ("Version", f"{version.version} ({version.version_label})"),
        ("Document", version.document_title),
        ("Approved", long_date(version.approved_date) or "Not recorded"),
        ("Approved by", version.approving_body or "Not recorded"),
        ("Next review", long_date(version.next_review_date) or "Not recorded"),
        ("Owner", version.owner or "Not recorded"),
    ]
    submitted = ""
    if audit.submitted_at:
        submitted = long_datetime(audit.submitted_at)
        if audit.submitted_by is not None:
            submitted += f" by {person_name(audit.submitted_by)}"
    return AuditSummary(
        audit_id=audit.pk,
        status=audit.status,
        status_label=status_label(audit.status),
        status_tag=STATUS_TAGS.get(audit.status, ""),
        read_only=audit.status not in EDITABLE,
        child_name=child.name,
        child_id=child.child_id,
        date_of_birth=long_date(child.date_of_birth) or "Not recorded",
        case_id=case.case_id,
        case_type=case.get_case_type_display(),
        team_name=case.team.name,
        worker_name=audit.worker.name if audit.worker else "Unallocated",
        practice_manager_name=practice_manager,
        audit_type_name=audit_type.name if audit_type else audit.audit_type,
        type_details=type_detail_rows(audit_type, audit.type_details),
        audit_date=long_date(audit.audit_date) or "Not recorded",
        window=window or "Not recorded",
        window_months=months_between(audit.window_start, audit.window_end),
        auditor_name=audit.auditor.name,
        due_date=long_date(audit.due_date),
        template_title=version.title,
        template_version=f"version {version.version} ({version.version_label})"
        + ("" if version.is_current else ", an earlier version than the current one"),
        template_rows=template_rows,
        submitted=submitted,
    )


def type_detail_rows(audit_type: AuditType | None, details: dict[str, Any]) -> list[tuple[str, str]]:
    """The type's details (theme, line of enquiry, observed practice and consent) as labels."""
    if audit_type is None:
        return [(ref, str(value)) for ref, value in details.items()]
    rows = []
    for spec in audit_type.requires:
        value = details.get(spec["ref"])
        if value in (None, "", []):
            continue
        labels = {choice["token"]: choice["label"] for choice in spec.get("choices", [])}
        tokens = value if isinstance(value, list) else [value]
        if spec["answer_type"] == "date":
            text = long_date(datetime.date.fromisoformat(str(value)))
        elif spec["answer_type"] == "yes_no_na":
            text = ANSWER_LABELS.get(str(value), str(value))
        else:
            text = ", ".join(labels.get(str(token), str(token)) for token in tokens)
        rows.append((spec["text"], text))
    return rows


# --- sections, answers, grades -------------------------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    ref: str
    field_id: str
    text: str
    help: str
    answer: str
    reason: str
    answered: bool
    limiting: bool


@dataclass(frozen=True)
class SectionView:
    ref: str
    title: str
    minutes: int | None
    guidance: str
    graded: bool
    comments_label: str
    comments: str
    grade: str
    grade_label: str
    grade_descriptors: list[str]
    descriptors: list[tuple[str, list[str]]]
    best_allowed_label: str
    limited: bool
    status: str
    questions: list[QuestionView]
    has_actions: bool
    actions_label: str


def answer_text(question: Question, answer: Answer | None, scale: list[dict[str, str]]) -> str:
    if answer is None or not answer.value:
        return ""
    value = answer.value
    if value in ANSWER_LABELS:
        return ANSWER_LABELS[value]
    if question.answer_type == "date":
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if question.answer_type == "grade":
        return grade_label(scale, value)
    if question.answer_type == "choice":
        labels = {choice["token"]: choice["label"] for choice in question.choices}
        return ", ".join(labels.get(token, token) for token in value.split(","))
    return value


def section_status(section: Section, state: AuditState) -> str:
    row: ResponseSection | None = state.sections.get(section.ref)
    if row is not None and row.completed:
        return COMPLETED
    started = (row is not None and (row.grade or row.comments)) or any(
        question.ref in state.answers for question in section.questions.all()
    )
    if section.actions_table and state.actions:
        started = True
    return IN_PROGRESS if started else NOT_STARTED


def section_view(section: Section, state: AuditState) -> SectionView:
    scale = state.audit.template_version.grade_scale
    row = state.sections.get(section.ref)
    grade = row.grade if row else ""
    descriptors = section_descriptors(section=section, grade_scale=scale)
    best = state.best_grade_allowed.get(section.ref, "")
    tokens = [g["token"] for g in scale]
    questions = []
    for question in section.questions.all():
        answer = state.answers.get(question.ref)
        text = answer_text(question, answer, scale)
        questions.append(
            QuestionView(
                ref=question.ref,
                field_id=question_field_id(question.ref),
                text=question.text,
                help=question.help,
                answer=text,
                reason=answer.reason if answer is not None and answer.value == NA else "",
                answered=bool(text),
                limiting=question.limiting,
            )
        )
    return SectionView(
        ref=section.ref,
        title=section.title,
        minutes=section.minutes,
        guidance=section.guidance,
        graded=section.graded,
        comments_label=section.comments_label,
        comments=row.comments if row else "",
        grade=grade,
        grade_label=grade_label(scale, grade),
        grade_descriptors=[d.text for d in section.descriptors.all() if d.grade == grade],
        descriptors=descriptors,
        best_allowed_label=grade_label(scale, best),
        limited=bool(best and tokens and best != tokens[0]),
        status=section_status(section, state),
        questions=questions,
        has_actions=bool(section.actions_table),
        actions_label=(section.actions_table or {}).get("label", "Actions"),
    )


# --- the whole audit (check your answers, read-only pages, the PDF) ------------------------


@dataclass(frozen=True)
class AuditView:
    summary: AuditSummary
    sections: list[SectionView]
    actions: list[ActionView]
    gaps: list[GapView]
    history: list[HistoryView]
    proposed_grade: str
    overall_grade: str
    overall_override_reason: str
    overall_best_allowed: str
    strengths: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)


STRENGTH_SUFFIXES = (".strengths",)
ISSUE_SUFFIXES = (".issues", ".development")


def audit_view(*, state: AuditState, sections: list[Section], audit_type: AuditType | None) -> AuditView:
    scale = state.audit.template_version.grade_scale
    section_views = [section_view(section, state) for section in sections]
    answers = state.answers

    def texts(suffixes: tuple[str, ...]) -> list[str]:
        return [
            str(answer.value) for ref, answer in answers.items() if ref.endswith(suffixes) and answer.value
        ]

    return AuditView(
        summary=audit_summary(audit=state.audit, audit_type=audit_type),
        sections=section_views,
        actions=action_views(state.actions),
        gaps=gap_views(state.compliance_gaps),
        history=history_views(state.status_history),
        proposed_grade=grade_label(scale, state.proposed_overall_grade),
        overall_grade=grade_label(scale, state.audit.response.overall_grade),
        overall_override_reason=state.audit.response.overall_override_reason,
        overall_best_allowed=grade_label(scale, state.best_grade_allowed.get("overall")),
        strengths=texts(STRENGTH_SUFFIXES),
        issues=texts(ISSUE_SUFFIXES),
    )
