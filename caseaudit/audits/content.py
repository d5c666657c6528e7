"""One save of an audit's content — answers, comments, grades, actions — checked as a whole and
then applied (used by services.audit_save, inside its transaction).

The check works on the audit as it would be after the save (the stored content merged with
what is sent), so a grade can never be left Good by changing an answer beneath it (GRD-2)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from caseaudit.audits.models import Audit, AuditAction, AuditAnswer, AuditSection
from caseaudit.audits.validation import (
    ActionInput,
    actions_parse,
    answer_from_payload,
    answer_problems,
    grading_problems,
    is_unanswered,
    proposed_overall,
)
from caseaudit.core.problems import Problem
from caseaudit.org.models import Staff
from caseaudit.templates_library.spec import Answer, TemplateSpec


@dataclass
class ContentCheck:
    stored_answers: dict[str, Answer]
    problems: list[Problem] = field(default_factory=list)
    answers: dict[str, Answer | None] = field(default_factory=dict)  # None: cleared
    comments: dict[str, str] = field(default_factory=dict)
    grades: dict[str, str] = field(default_factory=dict)
    completed: dict[str, bool] = field(default_factory=dict)
    overall_grade: str = ""
    override_reason: str = ""
    actions: list[ActionInput] | None = None
    owners: dict[str, Staff] = field(default_factory=dict)


def content_check(
    *,
    audit: Audit,
    template: TemplateSpec,
    stored_answers: dict[str, Answer],
    sections: dict[str, AuditSection],
    answers: dict[str, Any] | None,
    comments: dict[str, str] | None,
    section_grades: dict[str, str] | None,
    overall_grade: str | None,
    overall_override_reason: str | None,
    actions: list[dict[str, Any]] | None,
    completed_sections: dict[str, bool] | None,
) -> ContentCheck:
    check = ContentCheck(stored_answers=stored_answers)
    problems = check.problems
    questions = {question.ref: question for question in template.questions}
    for ref, raw in (answers or {}).items():
        question = questions.get(ref)
        if question is None:
            problems.append(Problem(ref, "answer", f"There is no question {ref!r} in this template"))
            continue
        answer = answer_from_payload(raw, question)
        problems.extend(answer_problems(template, question, answer))
        check.answers[ref] = None if is_unanswered(answer) else answer
    for ref, text in (comments or {}).items():
        if template.section(ref) is None:
            problems.append(Problem(ref, "comments", f"There is no section {ref!r} in this template"))
        else:
            check.comments[ref] = str(text or "").strip()
    for ref, done in (completed_sections or {}).items():
        if template.section(ref) is None:
            problems.append(Problem(ref, "completed", f"There is no section {ref!r} in this template"))
        else:
            check.completed[ref] = bool(done)
    for ref, grade in (section_grades or {}).items():
        token = str(grade or "").strip().lower()
        if template.section(ref) is None and not token:  # a grade is checked with the others below
            problems.append(Problem(ref, "grade", f"There is no section {ref!r} in this template"))
        check.grades[ref] = token

    merged_answers: dict[str, Answer] = {
        ref: answer for ref, answer in {**stored_answers, **check.answers}.items() if answer is not None
    }
    stored_grades = {ref: row.grade for ref, row in sections.items() if row.grade}
    merged_grades = {**stored_grades, **check.grades}
    check.override_reason = (
        overall_override_reason if overall_override_reason is not None else audit.overall_override_reason
    ).strip()
    if overall_grade is not None:
        check.overall_grade = overall_grade.strip().lower()
    elif (
        audit.overall_grade
        and not audit.overall_override_reason.strip()
        and (audit.overall_grade == proposed_overall(template, stored_grades, stored_answers))
    ):
        # An overall grade that was the proposed one follows the proposal (GRD-3); a grade the
        # auditor chose with a reason stays theirs.
        check.overall_grade = proposed_overall(template, merged_grades, merged_answers) or ""
    else:
        check.overall_grade = audit.overall_grade
    problems.extend(
        grading_problems(
            template,
            answers=merged_answers,
            section_grades=merged_grades,
            overall_grade=check.overall_grade,
            override_reason=check.override_reason,
        )
    )
    if actions is not None:
        _actions_check(check, audit, actions)
    check.problems[:] = list(dict.fromkeys(problems))  # each problem once, in order
    return check


def _actions_check(check: ContentCheck, audit: Audit, raw: list[dict[str, Any]]) -> None:
    parsed, found = actions_parse(raw)
    check.problems.extend(found)
    wanted = {action.owner_id for action in parsed if action.owner_id}
    check.owners = {
        person.staff_id: person for person in Staff.objects.filter(staff_id__in=wanted, is_active=True)
    }
    existing = set(AuditAction.objects.filter(audit=audit).values_list("pk", flat=True))
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            continue
        owner_id = item.get("owner_id")
        if owner_id not in (None, "") and str(owner_id).strip() not in check.owners:
            check.problems.append(
                Problem(
                    f"actions[{index}]",
                    "owner_id",
                    f"Action {index + 1}: there is no member of staff with the ID {owner_id!r}",
                )
            )
        action_id = item.get("id")
        if isinstance(action_id, int) and action_id not in existing:
            check.problems.append(
                Problem(
                    f"actions[{index}]", "id", f"Action {index + 1}: this audit has no action {action_id}"
                )
            )
    check.actions = parsed


def content_apply(
    *, actor: Any, audit: Audit, sections: dict[str, AuditSection], check: ContentCheck
) -> dict[str, list[Any]]:
    """Write what `check` accepted; returns what changed, {what: [old, new]}. The caller saves
    the audit row itself."""
    now = timezone.now()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    changes: dict[str, list[Any]] = {}
    for ref, answer in check.answers.items():
        old = check.stored_answers.get(ref)
        if old == answer:
            continue
        changes[f"answers.{ref}"] = [_answer_json(old), _answer_json(answer)]
        if answer is None:
            AuditAnswer.objects.filter(audit=audit, question_ref=ref).delete()
        else:
            AuditAnswer.objects.update_or_create(
                audit=audit,
                question_ref=ref,
                defaults={
                    "value": answer.value or "",
                    "reason": answer.reason,
                    "updated_at": now,
                    "updated_by": user,
                },
            )
    for ref in {*check.comments, *check.grades, *check.completed}:
        row = sections.get(ref) or AuditSection.objects.create(audit=audit, section_ref=ref)
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
        if getattr(audit, name) != value:
            changes[name] = [getattr(audit, name), value]
            setattr(audit, name, value)
    if check.actions is not None:
        _actions_apply(audit, check, changes)
    return changes


def _actions_apply(audit: Audit, check: ContentCheck, changes: dict[str, list[Any]]) -> None:
    """The sent list replaces the actions; an action sent with its `id` is updated in place."""
    assert check.actions is not None
    stored = {action.pk: action for action in AuditAction.objects.filter(audit=audit).select_related("owner")}
    before = [_action_json(action) for action in stored.values()]
    kept = set()
    for order, item in enumerate(check.actions):
        owner = check.owners.get(item.owner_id) if item.owner_id else audit.practice_manager
        fallback = (
            owner is not None and owner.pk == audit.practice_manager_id and audit.practice_manager_is_fallback
        )
        values = {
            "order": order,
            "what": item.what,
            "owner": owner,
            "owner_is_fallback": fallback,
            "due_date": item.due_date,
            "impact": item.impact,
        }
        action = stored.get(item.id) if item.id is not None else None
        if action is None:
            action = AuditAction.objects.create(audit=audit, **values)
        else:
            for name, value in values.items():
                setattr(action, name, value)
            action.save(update_fields=list(values))
        kept.add(action.pk)
        stored[action.pk] = action
    AuditAction.objects.filter(audit=audit).exclude(pk__in=kept).delete()
    after = [_action_json(stored[pk]) for pk in sorted(kept, key=lambda pk: stored[pk].order)]
    if before != after:
        changes["actions"] = [before, after]


def _answer_json(answer: Answer | None) -> dict[str, str] | None:
    if answer is None:
        return None
    return {"value": answer.value or "", "reason": answer.reason}


def _action_json(action: AuditAction) -> dict[str, Any]:
    return {
        "what": action.what,
        "owner_id": action.owner.staff_id if action.owner is not None else None,
        "due_date": action.due_date.isoformat(),
        "impact": action.impact,
    }
