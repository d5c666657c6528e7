"""Audit templates and audit types (TPL-1..3). They hold no child's data: anyone signed in may
read them, so the practitioner can see what will be reviewed before the discussion (AUD-1)."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from caseaudit.api.pagination import PageParams, page_of
from caseaudit.api.problems import ApiProblem, Problem
from caseaudit.api.schemas_audits import AuditTypePage, TemplateDetailOut, TemplatePage
from caseaudit.templates_library.models import AuditType, Question, Section, TemplateVersion
from caseaudit.templates_library.selectors import (
    audit_type_list,
    template_sections,
    template_version_chosen,
    template_version_history,
    template_version_list,
)
from caseaudit.templates_library.spec import NA, NO, YES

router = Router(tags=["templates"])

ERRORS = {400: Problem, 401: Problem}


def template_out(version: TemplateVersion) -> dict[str, Any]:
    return {
        "ref": version.ref,
        "version": version.version,
        "version_label": version.version_label,
        "title": version.title,
        "kind": version.kind,
        "description": version.description,
        "grade_scale": version.grade_scale,
        "window": version.review_window_months,
        "document_control": {
            "title": version.document_title,
            "approved_date": version.approved_date,
            "updated_date": version.updated_date,
            "approving_body": version.approving_body or None,
            "next_review_date": version.next_review_date,
            "owner": version.owner or None,
            "source": version.source or None,
        },
    }


def allowed_answers(question: Question, grade_tokens: list[str]) -> list[str] | None:
    if question.answer_type == Question.AnswerType.YES_NO_NA:
        return [YES, NO, NA] if question.na_allowed else [YES, NO]
    if question.answer_type == Question.AnswerType.CHOICE:
        return [choice["token"] for choice in question.choices]
    if question.answer_type == Question.AnswerType.GRADE:
        return list(grade_tokens)
    return None


def question_out(question: Question, grade_tokens: list[str]) -> dict[str, Any]:
    return {
        "ref": question.ref,
        "text": question.text,
        "help": question.help,
        "answer_type": question.answer_type,
        "allowed_answers": allowed_answers(question, grade_tokens),
        "choices": [{"token": c["token"], "label": c.get("label", c["token"])} for c in question.choices],
        "multiple": question.multiple,
        "na_allowed": question.na_allowed,
        "na_requires_reason": question.na_requires_reason,
        "na_reason_help": question.na_reason_help,
        "required": question.required,
        "required_if": question.required_if,
        "limiting": question.limiting,
        "limits": list(question.limits),
    }


def section_out(section: Section, grade_scale: list[dict[str, str]]) -> dict[str, Any]:
    grade_tokens = [grade["token"] for grade in grade_scale]
    descriptors: dict[str, dict[str, Any]] = {}
    for descriptor in section.descriptors.all():  # prefetched
        entry = descriptors.setdefault(descriptor.grade, {"texts": [], "source": descriptor.source})
        entry["texts"].append(descriptor.text)
    return {
        "ref": section.ref,
        "title": section.title,
        "guidance": section.guidance,
        "minutes": section.minutes,
        "graded": section.graded,
        "comments_label": section.comments_label,
        "questions": [question_out(question, grade_tokens) for question in section.questions.all()],
        "descriptors": [
            {"grade": grade["token"], "label": grade["label"], **descriptors[grade["token"]]}
            for grade in grade_scale
            if grade["token"] in descriptors
        ],
        "actions_table": section.actions_table,
    }


def audit_type_out(audit_type: AuditType) -> dict[str, Any]:
    return {
        "token": audit_type.token,
        "name": audit_type.name,
        "description": audit_type.description,
        "template_ref": audit_type.template_ref,
        "review_window_months": audit_type.review_window_months,
        "fields": audit_type.requires,
        "rules": audit_type.rules,
    }


@router.get(
    "/templates",
    response={200: TemplatePage, **ERRORS},
    summary="List templates",
    operation_id="templates_list",
)
def templates_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The current version of every template (audit, family feedback, moderation), by ref."""
    return page_of(template_version_list().order_by("ref"), params=paging, present=template_out)


@router.get(
    "/templates/{ref}",
    response={200: TemplateDetailOut, **ERRORS, 404: Problem},
    summary="Get a template",
    operation_id="templates_get",
)
def templates_get(request: HttpRequest, ref: Path[str], version: int | None = None) -> dict[str, Any]:
    """One template with its sections, questions (answer type, the answers each takes, whether
    NA is allowed and needs a reason, whether it is a limiting judgement and which sections it
    limits) and the grade descriptors of each section. The current version, or `?version=N`."""
    found = template_version_chosen(ref=ref, version=version)
    if found is None:
        raise ApiProblem(404, f"There is no template {ref!r}" + (f" version {version}." if version else "."))
    sections = template_sections(template_version=found)
    return {
        **template_out(found),
        "current": found.is_current,
        "versions": [
            {
                "version": each.version,
                "version_label": each.version_label,
                "approved_date": each.approved_date,
                "loaded_at": each.file.loaded_at,
                "current": each.is_current,
            }
            for each in template_version_history(ref=ref)
        ],
        "limiting_ceiling": found.limiting_ceiling or None,
        "overall_grade_rule": found.overall_grade_rule,
        "sections": [section_out(section, found.grade_scale) for section in sections],
    }


@router.get(
    "/audit-types",
    response={200: AuditTypePage, **ERRORS},
    summary="List audit types",
    operation_id="audit_types_list",
)
def audit_types_list(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The audit types (TPL-3): each names its template, its review window in months and what an
    audit of that type records (`fields`, sent as `type_details` when starting one)."""
    return page_of(audit_type_list(), params=paging, present=audit_type_out)
