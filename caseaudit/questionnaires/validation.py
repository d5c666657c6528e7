"""The checks of a response against its template, as pure functions over the template spec (no
database).

The grading rules themselves live in templates_library.grading (GRD-1..3); here they are
applied to a whole response, and their problems turned into `Problem`s with the refs a form and
the API show. Answers arrive as JSON (CONTRACTS §5)."""

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from caseaudit.core.problems import Problem
from caseaudit.templates_library import grading
from caseaudit.templates_library.spec import NA, Answer, QuestionSpec, TemplateSpec

# The grading rules' problems about answers themselves are checked once, with the answers.
ANSWER_CODES = {"na_not_allowed", "na_reason_missing", "answer_not_allowed"}


def parse_date(value: Any) -> datetime.date | None:
    """A date, or an ISO date (YYYY-MM-DD) as text; None if it is neither."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_unanswered(answer: Answer | None) -> bool:
    return answer is None or answer.value is None or not answer.value.strip()


# --- answers ---------------------------------------------------------------------------


def answer_from_payload(raw: Any, question: QuestionSpec) -> Answer:
    """CONTRACTS §5: a token, or {"value": token, "reason": text}. Several choices come as a list
    (or comma-separated) and are kept comma-separated; tokens are compared in lower case."""
    if isinstance(raw, Mapping):
        value, reason = raw.get("value"), str(raw.get("reason") or "")
    else:
        value, reason = raw, ""
    if isinstance(value, list | tuple):
        value = ",".join(str(item).strip() for item in value)
    if value is None:
        return Answer(None, reason)
    text = str(value)
    if question.answer_type in ("yes_no_na", "choice", "grade") or (
        question.na_allowed and text.strip().lower() == NA
    ):
        text = text.strip().lower()
    return Answer(text or None, reason)


def answer_problems(template: TemplateSpec, question: QuestionSpec, answer: Answer) -> list[Problem]:
    """Why `answer` cannot be the answer to `question` (empty when it can). An empty answer
    clears the question and is never a problem here; completion asks for required ones."""
    if is_unanswered(answer):
        return []
    found = [_problem(p) for p in grading.answer_problems(template, {question.ref: answer})]
    value = str(answer.value)
    if found or value == NA:
        return found
    message = None
    if question.answer_type == "date" and parse_date(value) is None:
        message = f"'{question.text}' must be a real date, e.g. 2026-12-07"
    elif question.answer_type == "choice":
        chosen = value.split(",") if question.multiple else [value]
        if not chosen or any(token not in question.choices for token in chosen):
            message = f"'{question.text}' must be one of: {', '.join(question.choices)}"
    elif question.answer_type == "grade" and not grading.grade_in_scale(template, value):
        message = f"'{question.text}' must be a grade of this template: {', '.join(template.grade_tokens)}"
    return [Problem(question.ref, "answer", message)] if message else []


# --- grades ----------------------------------------------------------------------------


def proposed_overall(
    template: TemplateSpec, section_grades: Mapping[str, str], answers: Mapping[str, Answer]
) -> str | None:
    """The template's proposed overall grade (GRD-3), from the grades that are in its scale."""
    valid = {ref: grade for ref, grade in section_grades.items() if grading.grade_in_scale(template, grade)}
    return grading.proposed_overall_grade(template, valid, answers)


def best_grades_allowed(template: TemplateSpec, answers: Mapping[str, Answer]) -> dict[str, str]:
    """{section ref or "overall": the best grade the limiting judgements allow} (GRD-2); empty for
    a questionnaire that grades nothing (family feedback)."""
    if not template.grade_scale:
        return {}
    allowed = {
        section.ref: grading.best_grade_allowed(template, answers, section_ref=section.ref)
        for section in template.graded_sections
    }
    allowed[grading.OVERALL] = grading.best_grade_allowed(template, answers)
    return allowed


def grading_problems(
    template: TemplateSpec,
    *,
    answers: Mapping[str, Answer],
    section_grades: Mapping[str, str],
    overall_grade: str,
    override_reason: str,
) -> list[Problem]:
    """Every grade of the response checked against its answers: a section or overall grade of
    Good or better needs its limiting judgements met (GRD-2); an overall grade other than the
    proposed one needs a reason (GRD-3); grades only from the template's scale."""
    found = []
    for ref, grade in section_grades.items():
        if grade:
            found += [
                _problem(p)
                for p in grading.section_grade_problems(template, ref, grade, answers)
                if p.code not in ANSWER_CODES
            ]
    if overall_grade:
        proposed = proposed_overall(template, section_grades, answers)
        found += [
            _problem(p)
            for p in grading.overall_grade_problems(
                template, overall_grade, proposed, override_reason, answers
            )
        ]
    return found


# --- completion ------------------------------------------------------------------------


def question_required(
    question: QuestionSpec, answers: Mapping[str, Answer], required_if: Mapping[str, Any]
) -> bool:
    """Required, unless the template makes it required only when another answer is one of some
    tokens (`required_if: {question, in}`)."""
    condition = required_if.get(question.ref)
    if condition:
        other = answers.get(condition["question"])
        return other is not None and other.value in set(condition["in"])
    return question.required


def completion_problems(
    template: TemplateSpec,
    *,
    answers: Mapping[str, Answer],
    section_grades: Mapping[str, str],
    overall_grade: str,
    override_reason: str,
    required_if: Mapping[str, Any],
) -> list[Problem]:
    """Everything that stops the response being complete, in the order of the form: each
    required question unanswered, each graded section without a grade, every grading rule
    broken, and the overall grade of a template that grades."""
    found = []
    for section in template.sections:
        for question in section.questions:
            if question_required(question, answers, required_if) and is_unanswered(answers.get(question.ref)):
                found.append(_unanswered(question, section.title))
            elif (answer := answers.get(question.ref)) is not None:
                found += answer_problems(template, question, answer)
        if section.graded and not section_grades.get(section.ref):
            found.append(Problem(section.ref, "grade", f"Choose a grade for {section.title}"))
    found += grading_problems(
        template,
        answers=answers,
        section_grades=section_grades,
        overall_grade=overall_grade,
        override_reason=override_reason,
    )
    if template.graded_sections and not overall_grade:
        found.append(Problem(grading.OVERALL, "overall_grade", "Choose the overall grade of the audit"))
    return found


def _unanswered(question: QuestionSpec, section_title: str) -> Problem:
    if question.ref.endswith(".strengths"):
        # AUD-4: always say what the worker did well.
        return Problem(question.ref, "answer", "Say what the social worker has done well")
    if question.answer_type == "yes_no_na":
        options = "Yes, No or NA" if question.na_allowed else "Yes or No"
        return Problem(question.ref, "answer", f"Answer '{question.text}' ({section_title}) with {options}")
    return Problem(question.ref, "answer", f"Answer '{question.text}' ({section_title})")


def _problem(problem: Problem) -> Problem:
    """A grading rule's problem with its field as the form and the API name it (its code kept)."""
    if problem.field == "override_reason":
        return dataclasses.replace(problem, field="overall_override_reason")
    return problem
