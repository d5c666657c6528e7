"""One save of a response — answers, comments, section grades, the overall grade — checked as a
whole and then applied (by the owner's save service, inside its transaction).

The check works on the response as it would be after the save (the stored content merged with
what is sent), so a grade can never be left Good by changing an answer beneath it (GRD-2)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from caseaudit.core.problems import Problem
from caseaudit.core.services import user_or_none
from caseaudit.questionnaires.models import Response, ResponseAnswer, ResponseSection
from caseaudit.questionnaires.validation import (
    answer_from_payload,
    answer_problems,
    grading_problems,
    is_unanswered,
    proposed_overall,
)
from caseaudit.templates_library.grading import OVERALL
from caseaudit.templates_library.spec import Answer, TemplateSpec


@dataclass(frozen=True)
class ResponseChanges:
    """What one save sends; None is "not sent": the stored content stays. Answers are a token or
    {"value", "reason"} (CONTRACTS §5); comments, grades and completed flags by section ref."""

    answers: Mapping[str, Any] | None = None
    comments: Mapping[str, str] | None = None
    section_grades: Mapping[str, str | None] | None = None
    overall_grade: str | None = None
    overall_override_reason: str | None = None
    completed_sections: Mapping[str, bool] | None = None

    def without(self, problems: Iterable[Problem], template: TemplateSpec) -> "ResponseChanges":
        """These changes less what `problems` refuse, to save the rest (AUD-2: no lost input). A
        refused answer or comment is left out, so the stored one stays. A refused grade (a
        section's, or the overall grade) is left out too, so the stored grade stays; but where the
        grade refused is the stored one (the new answers no longer allow it: GRD-2), it is left
        unchosen. No section is marked as done, as the person did not get the save they asked
        for. The owner checks what is left again (and again, until nothing is refused)."""
        problems = list(problems)
        refused = {problem.ref for problem in problems}
        grades = {p.ref for p in problems if p.field == "grade"}
        comments = {p.ref for p in problems if p.field == "comments"}
        sent = dict(self.section_grades or {})
        section_grades = {ref: grade for ref, grade in sent.items() if ref not in grades}
        section_grades |= {ref: "" for ref in grades - set(sent) if template.section(ref) is not None}
        overall = self.overall_grade
        if OVERALL in refused:
            overall = None if overall is not None else ""
        return ResponseChanges(
            answers=_kept(self.answers, refused),
            comments=_kept(self.comments, comments),
            section_grades=section_grades if section_grades or self.section_grades is not None else None,
            overall_grade=overall,
            overall_override_reason=self.overall_override_reason,
            completed_sections=None,
        )


def _kept(values: Mapping[str, Any] | None, refused: set[str]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {ref: value for ref, value in values.items() if ref not in refused}


@dataclass
class ResponseCheck:
    """What a save would write, and every problem that refuses it."""

    stored_answers: dict[str, Answer]
    problems: list[Problem] = field(default_factory=list)
    answers: dict[str, Answer | None] = field(default_factory=dict)  # None: cleared
    comments: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)
    merged_grades: dict[str, str] = field(default_factory=dict)  # every section's grade after the save
    completed: dict[str, bool] = field(default_factory=dict)
    overall_grade: str = ""
    override_reason: str = ""


def response_check(
    *,
    response: Response,
    template: TemplateSpec,
    stored_answers: dict[str, Answer],
    sections: dict[str, ResponseSection],
    changes: ResponseChanges,
) -> ResponseCheck:
    check = ResponseCheck(stored_answers=stored_answers)
    problems = check.problems
    questions = {question.ref: question for question in template.questions}
    for ref, raw in (changes.answers or {}).items():
        question = questions.get(ref)
        if question is None:
            problems.append(Problem(ref, "answer", f"There is no question {ref!r} in this template"))
            continue
        answer = answer_from_payload(raw, question)
        problems.extend(answer_problems(template, question, answer))
        check.answers[ref] = None if is_unanswered(answer) else answer
    for ref, text in (changes.comments or {}).items():
        if template.section(ref) is None:
            problems.append(Problem(ref, "comments", f"There is no section {ref!r} in this template"))
        else:
            check.comments[ref] = str(text or "").strip()
    for ref, done in (changes.completed_sections or {}).items():
        if template.section(ref) is None:
            problems.append(Problem(ref, "completed", f"There is no section {ref!r} in this template"))
        else:
            check.completed[ref] = bool(done)
    for ref, grade in (changes.section_grades or {}).items():
        token = str(grade or "").strip().lower()
        if template.section(ref) is None and not token:  # a grade is checked with the others below
            problems.append(Problem(ref, "grade", f"There is no section {ref!r} in this template"))
        check.grades[ref] = token

    merged_answers: dict[str, Answer] = {
        ref: answer for ref, answer in {**stored_answers, **check.answers}.items() if answer is not None
    }
    stored_grades = {ref: row.grade for ref, row in sections.items() if row.grade}
    merged_grades = {**stored_grades, **check.grades}
    check.merged_grades = {ref: grade for ref, grade in merged_grades.items() if grade}
    reason = changes.overall_override_reason
    check.override_reason = (reason if reason is not None else response.overall_override_reason).strip()
    if changes.overall_grade is not None:
        check.overall_grade = changes.overall_grade.strip().lower()
    elif (
        response.overall_grade
        and not response.overall_override_reason.strip()
        and (response.overall_grade == proposed_overall(template, stored_grades, stored_answers))
    ):
        # An overall grade that was the proposed one follows the proposal (GRD-3); a grade the
        # person chose with a reason stays theirs.
        check.overall_grade = proposed_overall(template, merged_grades, merged_answers) or ""
    else:
        check.overall_grade = response.overall_grade
    problems.extend(
        grading_problems(
            template,
            answers=merged_answers,
            section_grades=merged_grades,
            overall_grade=check.overall_grade,
            override_reason=check.override_reason,
        )
    )
    return check


def response_apply(
    *, actor: Any, response: Response, sections: dict[str, ResponseSection], check: ResponseCheck
) -> dict[str, list[Any]]:
    """Write what `check` accepted; returns what changed, {what: [old, new]}. The caller saves
    the response row itself (response_version_raise)."""
    now = timezone.now()
    user = user_or_none(actor)
    changes: dict[str, list[Any]] = {}
    for ref, answer in check.answers.items():
        old = check.stored_answers.get(ref)
        if old == answer:
            continue
        changes[f"answers.{ref}"] = [answer_json(old), answer_json(answer)]
        if answer is None:
            ResponseAnswer.objects.filter(response=response, question_ref=ref).delete()
        else:
            ResponseAnswer.objects.update_or_create(
                response=response,
                question_ref=ref,
                defaults={
                    "value": answer.value or "",
                    "reason": answer.reason,
                    "updated_at": now,
                    "updated_by": user,
                },
            )
    for ref in {*check.comments, *check.grades, *check.completed}:
        row = sections.get(ref) or ResponseSection.objects.create(response=response, section_ref=ref)
        section_changed = False
        for name, values, key in (
            ("comments", check.comments, "comments"),
            ("grade", check.grades, "section_grades"),
            ("completed", check.completed, "completed"),
        ):
            if ref in values and getattr(row, name) != values[ref]:
                changes[f"{key}.{ref}"] = [getattr(row, name), values[ref]]
                setattr(row, name, values[ref])
                section_changed = True
        if section_changed:
            row.updated_at = now
            row.save(update_fields=["comments", "grade", "completed", "updated_at"])
    for name, value in (
        ("overall_grade", check.overall_grade),
        ("overall_override_reason", check.override_reason),
    ):
        if getattr(response, name) != value:
            changes[name] = [getattr(response, name), value]
            setattr(response, name, value)
    return changes


def answer_json(answer: Answer | None) -> dict[str, str] | None:
    if answer is None:
        return None
    return {"value": answer.value or "", "reason": answer.reason}
