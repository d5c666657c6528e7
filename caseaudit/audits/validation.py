"""The checks of an audit's content, as pure functions over the template spec (no database).

The grading rules themselves live in templates_library.grading (GRD-1..3); here they are
applied to a whole audit, and their problems turned into `Problem`s with the refs the
form and the API show. Answers, type details and actions arrive as JSON (CONTRACTS §5)."""

import dataclasses
import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseaudit.core.problems import Problem
from caseaudit.templates_library import grading
from caseaudit.templates_library.spec import NA, NO, YES, Answer, QuestionSpec, TemplateSpec

# The grading rules' problems about answers themselves are checked once, with the answers.
ANSWER_CODES = {"na_not_allowed", "na_reason_missing", "answer_not_allowed"}
ACTION_FIELDS = ("what", "owner_id", "due_date", "impact")


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
    clears the question and is never a problem here; submission asks for required ones."""
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
    """{section ref or "overall": the best grade the limiting judgements allow} (GRD-2)."""
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
    """Every grade of the audit checked against its answers: a section or overall grade of Good
    or better needs its limiting judgements met (GRD-2); an overall grade other than the
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


# --- submission ------------------------------------------------------------------------


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


def submission_problems(
    template: TemplateSpec,
    *,
    answers: Mapping[str, Answer],
    section_grades: Mapping[str, str],
    overall_grade: str,
    override_reason: str,
    audit_date: datetime.date | None,
    required_if: Mapping[str, Any],
) -> list[Problem]:
    """Everything that stops the Stage 1 audit being submitted, in the order of the form."""
    found = []
    if audit_date is None:
        found.append(Problem("audit", "audit_date", "Enter the date of the audit"))
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
    if not overall_grade:
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


# --- audit types (TPL-3) -----------------------------------------------------------------


def type_details_clean(
    fields: Sequence[Mapping[str, Any]], details: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """What an audit type asks for (a theme, a line of enquiry, observed practice with the
    family's consent — AUD-6), checked and tidied: tokens in lower case, several choices as a list."""
    found: list[Problem] = []
    known = {field["ref"] for field in fields}
    for ref in details:
        if ref not in known:
            found.append(Problem("type_details", ref, f"This audit type does not record {ref!r}"))
    clean: dict[str, Any] = {}
    for field in fields:
        ref, text = field["ref"], field["text"]
        value = details.get(ref)
        if value is None or (isinstance(value, str | list) and not value):
            if field.get("required", True):
                found.append(Problem("type_details", ref, f"Enter '{text}'"))
            continue
        value, message = _type_field_value(field, value)
        if message:
            found.append(Problem("type_details", ref, message))
        else:
            clean[ref] = value
    return clean, found


def _type_field_value(field: Mapping[str, Any], value: Any) -> tuple[Any, str | None]:
    text = field["text"]
    kind = field["answer_type"]
    if kind == "choice":
        tokens = {choice["token"] for choice in field.get("choices", ())}
        chosen = value if isinstance(value, list) else str(value).split(",")
        chosen = [str(token).strip().lower() for token in chosen]
        if not chosen or any(token not in tokens for token in chosen):
            return value, f"'{text}' must be one of: {', '.join(sorted(tokens))}"
        if not field.get("multiple") and len(chosen) > 1:
            return value, f"Choose one answer to '{text}'"
        return (chosen if field.get("multiple") else chosen[0]), None
    if kind == "yes_no_na":
        token = str(value).strip().lower()
        allowed = {YES, NO, NA} if field.get("na_allowed") else {YES, NO}
        if token not in allowed:
            return value, f"'{text}' must be answered {' or '.join(sorted(allowed))}"
        must_be = field.get("must_be")
        if must_be and token not in must_be:
            help_text = field.get("help", "")
            return value, f"'{text}' must be answered {' or '.join(must_be)}. {help_text}".strip()
        return token, None
    if kind == "date":
        day = parse_date(value)
        return (day.isoformat(), None) if day else (value, f"'{text}' must be a real date, e.g. 2026-12-07")
    text_value = str(value).strip()
    return text_value, None if text_value else f"Enter '{text}'"


# --- actions (AUD-4) -------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """One SMART action as sent: what, who (a staff ID, or the default), by when, impact."""

    id: int | None
    what: str
    owner_id: str | None
    due_date: datetime.date
    impact: str


def actions_parse(raw: Any) -> tuple[list[ActionInput], list[Problem]]:
    if not isinstance(raw, list):
        return [], [Problem("actions", "actions", "Send the actions as a list")]
    actions, found = [], []
    for index, item in enumerate(raw):
        ref = f"actions[{index}]"
        number = index + 1
        if not isinstance(item, Mapping):
            found.append(Problem(ref, "action", f"Action {number} must be an object"))
            continue
        what = str(item.get("what") or "").strip()
        impact = str(item.get("impact") or "").strip()
        owner = item.get("owner_id")
        owner_id = str(owner).strip() if owner not in (None, "") else None
        due = parse_date(item.get("due_date"))
        if not what:
            found.append(Problem(ref, "what", f"Action {number}: say what needs to be done"))
        if item.get("due_date") in (None, ""):
            found.append(Problem(ref, "due_date", f"Action {number}: enter the date it is due by"))
        elif due is None:
            found.append(Problem(ref, "due_date", f"Action {number}: the due date must be a real date"))
        if not impact:
            found.append(
                Problem(ref, "impact", f"Action {number}: say what impact it will have for the child")
            )
        action_id = item.get("id")
        if action_id is not None and not isinstance(action_id, int):
            found.append(Problem(ref, "id", f"Action {number}: the id must be a number"))
            action_id = None
        if what and impact and due is not None:
            actions.append(ActionInput(action_id, what, owner_id, due, impact))
    return actions, found


def _problem(problem: Problem) -> Problem:
    """A grading rule's problem with its field as the form and the API name it (its code kept)."""
    if problem.field == "override_reason":
        return dataclasses.replace(problem, field="overall_override_reason")
    return problem
