"""Grades after Stage 1 (CONTRACTS §9): the head of QA, the Stage 2 moderator and the moderation
panel may change an audit's effective grades, each change with a reason. The limiting judgements of
the Stage 1 answers still cap every later grade, with the same refusal message as at Stage 1
(GRD-2): a later stage can lower a grade freely, but never raise one past what the evidence the
auditor recorded allows.

Permission checks are the caller's (the moderation app's rules); the status check is the
caller's too (each stage knows when it may change grades). This module only checks the grades
and records them."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.audits.signals import audit_grades_changed
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.questionnaires.selectors import response_answers
from caseaudit.questionnaires.validation import ANSWER_CODES
from caseaudit.templates_library import grading
from caseaudit.templates_library.selectors import template_spec
from caseaudit.templates_library.spec import TemplateSpec

OVERALL = grading.OVERALL
REASON_MAX = 5000


def grade_refs(template: TemplateSpec) -> list[str]:
    """The refs a later stage may grade: each graded section, then "overall"."""
    return [section.ref for section in template.graded_sections] + [OVERALL]


def later_grade_problems(
    *, audit: Audit, grades: Mapping[str, str], reasons: Mapping[str, str], field: str = "section_grades"
) -> list[Problem]:
    """Every problem with `grades` ({ref: grade}, "overall" included) proposed by a later stage:
    unknown section, grade outside the template's scale, a grade the Stage 1 answers' limiting
    judgements forbid (GRD-2), a change without a reason. Empty when they may be recorded."""
    template = template_spec(template_version=audit.template_version)
    answers = response_answers(response=audit.response)
    current = audit.effective_grades or {}
    problems: list[Problem] = []
    for ref, grade in grades.items():
        grade = (grade or "").strip().lower()
        field_name = "overall_grade" if ref == OVERALL else field
        if ref == OVERALL:
            if not grading.grade_in_scale(template, grade):
                problems.append(_not_in_scale(template, ref, field_name, grade))
                continue
            problems += [
                Problem(OVERALL, "overall_grade", p.message, p.code, p.cause)
                for p in grading.overall_grade_problems(template, grade, None, "", answers)
            ]
        else:
            problems += [
                Problem(ref, field_name, p.message, p.code, p.cause)
                for p in grading.section_grade_problems(template, ref, grade, answers)
                if p.code not in ANSWER_CODES
            ]
        if grade != current.get(ref, "") and not (reasons.get(ref) or "").strip():
            problems.append(
                Problem(
                    ref,
                    "grade_reasons",
                    f"Give the reason for changing the grade of {_ref_title(template, ref)}.",
                    "grade_reason_missing",
                )
            )
        if len(reasons.get(ref) or "") > REASON_MAX:
            problems.append(
                Problem(ref, "grade_reasons", f"The reason must be {REASON_MAX} characters or fewer.")
            )
    return problems


def audit_grades_change(
    *,
    actor: Any,
    audit: Audit,
    stage: str,
    grades: Mapping[str, str],
    reasons: Mapping[str, str],
    moderated: bool = False,
) -> list[GradeChange]:
    """Record the grades a later stage gives: a GradeChange row for each that differs from the
    effective grade, and the new effective grades; with `moderated`, the grades are also what
    Stage 2 left (`moderated_grades`, every ref, changed or agreed). Raises AuditRefused (every
    problem) and changes nothing. The caller holds the audit's row lock, saves nothing else of
    the audit's grades, and runs this inside its transaction; the audit is saved here."""
    if audit.status not in AFTER_STAGE1:
        raise AuditRefused([Problem("audit", "status", "Stage 1 of this audit has not been submitted yet.")])
    cleaned = {ref: (grade or "").strip().lower() for ref, grade in grades.items() if (grade or "").strip()}
    problems = later_grade_problems(audit=audit, grades=cleaned, reasons=reasons)
    if problems:
        raise AuditRefused(problems)
    now = timezone.now()
    current = dict(audit.effective_grades or {})
    changes = []
    for ref, grade in cleaned.items():
        if grade == current.get(ref, ""):
            continue
        changes.append(
            GradeChange.objects.create(
                audit=audit,
                stage=stage,
                ref=ref,
                from_grade=current.get(ref, ""),
                to_grade=grade,
                reason=(reasons.get(ref) or "").strip(),
                by=user_or_none(actor),
                at=now,
            )
        )
        current[ref] = grade
    fields = ["effective_grades", "updated_at"]
    audit.effective_grades = current
    if moderated:
        audit.moderated_grades = {**(audit.moderated_grades or {}), **dict(current)}
        fields.append("moderated_grades")
    audit.updated_at = now
    audit.save(update_fields=fields)
    if changes:
        audit_event_record(
            actor=actor,
            action="audit.grades_changed",
            object_type="audit",
            object_ref=str(audit.pk),
            summary=f"Audit {audit.pk}: {len(changes)} grade{'s' if len(changes) != 1 else ''} changed "
            f"({GradeChange.Stage(stage).label})",
            changes={f"grade:{change.ref}": [change.from_grade, change.to_grade] for change in changes},
        )
        audit_grades_changed.send(sender=Audit, audit=audit, actor=actor, changes=changes)
    return changes


def _ref_title(template: TemplateSpec, ref: str) -> str:
    if ref == OVERALL:
        return "the audit overall"
    section = template.section(ref)
    return section.title if section is not None else ref


def _not_in_scale(template: TemplateSpec, ref: str, field: str, grade: str) -> Problem:
    labels = ", ".join(grade.label for grade in template.grade_scale)
    return Problem(
        ref, field, f"{grade!r} is not a grade of this template: use one of {labels}.", "grade_not_in_scale"
    )
