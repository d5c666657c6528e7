"""What a person is told when a save is refused or overtaken: where each problem can be fixed, and
what someone else changed since the form was loaded (CONTRACTS §5)."""

import datetime
from typing import Any

from django.urls import reverse

from caseaudit.audits.presenters.audit import answer_text, grade_label
from caseaudit.audits.validation import ACTION_FIELDS
from caseaudit.core.calendar import long_date
from caseaudit.questionnaires.forms import question_field_id
from caseaudit.templates_library.models import Question, Section
from caseaudit.templates_library.spec import Answer

# --- two people editing: what changed since the form was loaded ----------------------------


def stale_changes(
    changed: dict[str, list[Any]], sections: list[Section], scale: list[dict[str, str]]
) -> list[str]:
    """Each change another person saved since this form was loaded, in words (CONTRACTS §5)."""
    questions = {q.ref: (section, q) for section in sections for q in section.questions.all()}
    titles = {section.ref: section.title for section in sections}
    lines = []
    for key, values in changed.items():
        then, now = [*list(values), None, None][:2]
        kind, _, ref = key.partition(".")
        if kind == "answers" and ref in questions:
            section, question = questions[ref]
            lines.append(
                f"{section.title}: '{question.text}' is now {_answer_words(question, now, scale)} "
                f"(was {_answer_words(question, then, scale)})"
            )
        elif kind == "comments":
            lines.append(f"{titles.get(ref, ref)}: the comments were changed")
        elif kind == "section_grades":
            lines.append(
                f"{titles.get(ref, ref)}: the grade is now {grade_label(scale, now) or 'not chosen'} "
                f"(was {grade_label(scale, then) or 'not chosen'})"
            )
        elif kind == "completed":
            lines.append(f"{titles.get(ref, ref)} was marked as {'completed' if now else 'not completed'}")
        elif key == "actions":
            lines.append(f"The actions were changed: there are now {len(now or [])} (were {len(then or [])})")
        elif key == "overall_grade":
            lines.append(
                f"The overall grade is now {grade_label(scale, now) or 'not chosen'} "
                f"(was {grade_label(scale, then) or 'not chosen'})"
            )
        elif key == "overall_override_reason":
            lines.append("The reason for changing the proposed overall grade was changed")
        elif key == "audit_date":
            lines.append(f"The audit date is now {_date_words(now)} (was {_date_words(then)})")
        else:
            lines.append(f"{key} was changed")
    return lines


def _answer_words(question: Question, raw: Any, scale: list[dict[str, str]]) -> str:
    if not raw:
        return "not answered"
    answer = (
        Answer(raw.get("value") or None, raw.get("reason", "")) if isinstance(raw, dict) else Answer(str(raw))
    )
    text = answer_text(question, answer, scale)
    if not text:
        return "not answered"
    return f"'{text}'" if question.answer_type == "text" else text


def _date_words(value: Any) -> str:
    try:
        return long_date(datetime.date.fromisoformat(str(value))) if value else "not recorded"
    except ValueError:
        return str(value)


def problem_href(problem: Any, audit_id: int, sections: list[Section]) -> str:
    """Where a problem of the service can be fixed: the section page and field it is about, or the
    check-your-answers page for the overall grade and the audit date."""
    for section in sections:
        page = reverse("audits:section", args=[audit_id, section.ref])
        if problem.ref == section.ref:
            return f"{page}#{problem.field if problem.field in ('grade', 'comments') else 'main-content'}"
        if any(question.ref == problem.ref for question in section.questions.all()):
            return f"{page}#{question_field_id(problem.ref)}"
        if problem.ref.startswith("actions[") and section.actions_table:
            index = problem.ref[len("actions[") : -1]
            name = problem.field if problem.field in ACTION_FIELDS else "what"
            return f"{page}#action-{index}-{name}{'-day' if name == 'due_date' else ''}"
        if problem.field == "safeguarding_concerns" and section.actions_table:
            return f"{page}#safeguarding_concerns"
    check = reverse("audits:check", args=[audit_id])
    if problem.ref == "overall":
        return f"{check}#{problem.field}"
    if problem.field == "audit_date":
        return f"{check}#audit_date-day"
    return ""
