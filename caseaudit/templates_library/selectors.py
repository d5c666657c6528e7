"""Reads of the template library.

Templates, their descriptors and the audit types hold no child's data: anyone signed in may
read them (the practitioner previews the template before the audit, AUD-1), so these reads
are not scoped to a person."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from caseaudit.templates_library.models import AuditType, GradeDescriptor, Question, Section, TemplateVersion
from caseaudit.templates_library.spec import (
    GradeSpec,
    OverallRuleSpec,
    QuestionSpec,
    SectionSpec,
    TemplateSpec,
)


def template_version_list(*, current_only: bool = True) -> QuerySet[TemplateVersion]:
    versions = TemplateVersion.objects.select_related("file")
    return versions.filter(is_current=True) if current_only else versions


def templates_past_review(*, today: date) -> QuerySet[TemplateVersion]:
    """Current template versions whose next review date has passed (TPL-1 document control)."""
    return TemplateVersion.objects.filter(is_current=True, next_review_date__lt=today).order_by(
        "next_review_date", "ref"
    )


def template_version_current(*, ref: str) -> TemplateVersion | None:
    return template_version_list().filter(ref=ref).first()


def template_version_get(*, ref: str, version: int) -> TemplateVersion | None:
    return template_version_list(current_only=False).filter(ref=ref, version=version).first()


def template_version_chosen(*, ref: str, version: int | None) -> TemplateVersion | None:
    """The given version of a template, or its current one when no version is given."""
    if version is None:
        return template_version_current(ref=ref)
    return template_version_get(ref=ref, version=version)


def template_version_history(*, ref: str) -> QuerySet[TemplateVersion]:
    """Every loaded version of one template, newest first."""
    return template_version_list(current_only=False).filter(ref=ref).order_by("-version")


def template_sections(*, template_version: TemplateVersion) -> QuerySet[Section]:
    """The sections with their questions and grade descriptors, in order, in three queries."""
    return (
        Section.objects.filter(template=template_version)
        .order_by("order")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order")),
            Prefetch("descriptors", queryset=GradeDescriptor.objects.order_by("order")),
        )
    )


def section_descriptors(
    *, section: Section, grade_scale: list[dict[str, str]]
) -> list[tuple[str, list[str]]]:
    """(grade label, descriptor texts) for each grade of the scale that has any, best first (TPL-2)."""
    by_grade: dict[str, list[str]] = {}
    for descriptor in section.descriptors.all():
        by_grade.setdefault(descriptor.grade, []).append(descriptor.text)
    return [(grade["label"], by_grade[grade["token"]]) for grade in grade_scale if grade["token"] in by_grade]


def template_spec(*, template_version: TemplateVersion) -> TemplateSpec:
    """The plain description of a loaded version that the grading rules work on."""
    rule = template_version.overall_grade_rule
    sections = tuple(
        SectionSpec(
            ref=section.ref,
            title=section.title,
            graded=section.graded,
            questions=tuple(
                QuestionSpec(
                    ref=question.ref,
                    section_ref=section.ref,
                    text=question.text,
                    answer_type=question.answer_type,
                    choices=tuple(choice["token"] for choice in question.choices),
                    multiple=question.multiple,
                    na_allowed=question.na_allowed,
                    na_requires_reason=question.na_requires_reason,
                    required=question.required,
                    limiting=question.limiting,
                    limits=tuple(question.limits),
                )
                for question in section.questions.all()
            ),
        )
        for section in template_sections(template_version=template_version)
    )
    return TemplateSpec(
        ref=template_version.ref,
        version=template_version.version,
        grade_scale=tuple(
            GradeSpec(grade["token"], grade["label"]) for grade in template_version.grade_scale
        ),
        limiting_ceiling=template_version.limiting_ceiling or None,
        overall_rule=OverallRuleSpec(
            rule=rule["rule"], max_steps_above_lowest=int(rule.get("max_steps_above_lowest", 0))
        ),
        sections=sections,
    )


def audit_type_list(*, active_only: bool = True) -> QuerySet[AuditType]:
    types = AuditType.objects.select_related("source_file")
    return types.filter(is_active=True) if active_only else types


def audit_type_get(*, token: str) -> AuditType | None:
    return audit_type_list().filter(token=token).first()
