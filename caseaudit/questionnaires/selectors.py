"""Reads of responses. A response is read through its owner (an audit found through the audit
selectors, so scoped to the person asking): nothing here is scoped by itself, and nothing here
is called with a response the caller has not already been allowed to see."""

from dataclasses import dataclass
from typing import Any

from caseaudit.core.models import AuditEvent
from caseaudit.core.problems import Problem
from caseaudit.questionnaires.models import Response, ResponseAnswer, ResponseSection
from caseaudit.questionnaires.validation import best_grades_allowed, completion_problems, proposed_overall
from caseaudit.templates_library.models import Question
from caseaudit.templates_library.selectors import template_spec
from caseaudit.templates_library.spec import Answer, TemplateSpec


def response_answers(*, response: Response) -> dict[str, Answer]:
    rows = ResponseAnswer.objects.filter(response=response).values_list("question_ref", "value", "reason")
    return {ref: Answer(value or None, reason) for ref, value, reason in rows}


def response_sections(*, response: Response) -> dict[str, ResponseSection]:
    return {row.section_ref: row for row in ResponseSection.objects.filter(response=response)}


def template_required_if(*, response: Response) -> dict[str, Any]:
    """{question ref: its `required_if` condition}, for the questions of the template that have one."""
    rows = Question.objects.filter(template_id=response.template_version_id, required_if__isnull=False)
    return {ref: condition for ref, condition in rows.values_list("ref", "required_if") if condition}


@dataclass(frozen=True)
class ResponseState:
    """A response as its pages, documents and the API show it, read in a fixed number of queries."""

    response: Response
    template: TemplateSpec
    answers: dict[str, Answer]
    sections: dict[str, ResponseSection]
    required_if: dict[str, Any]
    proposed_overall_grade: str | None
    # {section ref or "overall": the best grade the limiting judgements allow} (GRD-2)
    best_grade_allowed: dict[str, str]
    # What stops the response being complete (the owner may add its own)
    completion_problems: list[Problem]

    @property
    def section_grades(self) -> dict[str, str]:
        return {ref: row.grade for ref, row in self.sections.items() if row.grade}

    @property
    def comments(self) -> dict[str, str]:
        return {ref: row.comments for ref, row in self.sections.items() if row.comments}

    @property
    def completed_sections(self) -> list[str]:
        return sorted(ref for ref, row in self.sections.items() if row.completed)


def response_state(*, response: Response) -> ResponseState:
    template = template_spec(template_version=response.template_version)
    answers = response_answers(response=response)
    sections = response_sections(response=response)
    required_if = template_required_if(response=response)
    grades = {ref: row.grade for ref, row in sections.items() if row.grade}
    return ResponseState(
        response=response,
        template=template,
        answers=answers,
        sections=sections,
        required_if=required_if,
        proposed_overall_grade=proposed_overall(template, grades, answers),
        best_grade_allowed=best_grades_allowed(template, answers),
        completion_problems=completion_problems(
            template,
            answers=answers,
            section_grades=grades,
            overall_grade=response.overall_grade,
            override_reason=response.overall_override_reason,
            required_if=required_if,
        ),
    )


def changes_since(*, object_type: str, object_ref: str, action: str, version: int) -> dict[str, list[Any]]:
    """What changed after `version`, {what: [value then, value now]}, from the owner's save rows
    in the audit history (each names the version it raised)."""
    events = AuditEvent.objects.filter(
        object_type=object_type, object_ref=object_ref, action=action
    ).order_by("at", "id")
    changed: dict[str, list[Any]] = {}
    for event in events:
        raised = event.changes.get("version")
        if not raised or raised[1] <= version:
            continue
        for key, (old, new) in event.changes.items():
            if key == "version":
                continue
            changed[key] = [changed[key][0] if key in changed else old, new]
    return {key: values for key, values in changed.items() if values[0] != values[1]}
