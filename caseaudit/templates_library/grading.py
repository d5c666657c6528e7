"""The grading rules (GRD-1..3) as pure functions over a `TemplateSpec` and an audit's answers.

- Each template declares its grade scale, best first; a grade outside it is refused.
- A limiting judgement (GRD-2) is met when it is answered Yes, or NA where the question allows
  NA (with a reason where it asks for one). Anything else - No, unanswered, NA without its
  reason - leaves it unmet.
- While a limiting judgement is unmet, no grade better than the template's `limiting_ceiling`
  is allowed: not for the sections it limits, and not overall (every limiting judgement limits
  the overall grade), whether proposed or chosen by the auditor (CONTRACTS §5).
- The overall grade is proposed by the template's rule (GRD-3); the auditor may choose another
  grade with a reason, within what the limiting judgements allow."""

from collections import Counter
from collections.abc import Iterable, Mapping

from caseaudit.core.problems import Problem
from caseaudit.templates_library.spec import NA, NO, YES, Answer, Answers, QuestionSpec, TemplateSpec

OVERALL = "overall"


def grade_rank(template: TemplateSpec, grade: str) -> int:
    """0 for the best grade of the scale, 1 for the next... ValueError outside the scale."""
    try:
        return template.grade_tokens.index(grade)
    except ValueError:
        raise ValueError(f"{grade!r} is not a grade of {template.ref}") from None


def grade_in_scale(template: TemplateSpec, grade: str | None) -> bool:
    return grade is not None and grade in template.grade_tokens


def ceiling_rank(template: TemplateSpec) -> int:
    """The rank of the best grade allowed while a limiting judgement is unmet. A template that
    names no ceiling gets the second-best grade of its scale."""
    if template.limiting_ceiling in template.grade_tokens:
        return grade_rank(template, str(template.limiting_ceiling))
    return min(1, len(template.grade_scale) - 1)


def limited_by_judgements(template: TemplateSpec, grade: str) -> bool:
    """True for the grades (Good or better) that unmet limiting judgements refuse."""
    return grade_rank(template, grade) < ceiling_rank(template)


def limiting_judgement_shortfall(question: QuestionSpec, answer: Answer | None) -> str | None:
    """None when the limiting judgement is met; otherwise how it falls short, for a message."""
    value = answer.value if answer is not None else None
    if value == YES:
        return None
    if value == NA:
        if not question.na_allowed:
            return "is NA, which this question does not allow"
        if question.na_requires_reason and not (answer and answer.reason.strip()):
            return "is NA without a reason"
        return None
    if value == NO:
        return "is No"
    if value in (None, ""):
        return "is not answered"
    return f"has the answer {value!r}, which is not Yes, No or NA"


def unmet_limiting_judgements(
    template: TemplateSpec, answers: Answers, *, section_ref: str | None = None
) -> list[tuple[QuestionSpec, str]]:
    """The unmet limiting judgements that limit `section_ref`, or all of them (the overall grade)."""
    unmet = []
    for question in template.questions:
        if not question.limiting or (section_ref is not None and section_ref not in question.limits):
            continue
        shortfall = limiting_judgement_shortfall(question, answers.get(question.ref))
        if shortfall is not None:
            unmet.append((question, shortfall))
    return unmet


def best_grade_allowed(template: TemplateSpec, answers: Answers, *, section_ref: str | None = None) -> str:
    """The best grade the limiting judgements allow for a section, or overall."""
    if unmet_limiting_judgements(template, answers, section_ref=section_ref):
        return template.grade_tokens[ceiling_rank(template)]
    return template.grade_tokens[0]


def answer_problems(
    template: TemplateSpec, answers: Answers, *, section_ref: str | None = None
) -> list[Problem]:
    """NA only where a question allows it, and with a reason where it asks for one (TPL-4, GRD-2);
    Yes/No/NA questions take only those answers. Unanswered questions are not problems here."""
    problems = []
    for question in template.questions:
        if section_ref is not None and question.section_ref != section_ref:
            continue
        answer = answers.get(question.ref)
        if answer is None or answer.value in (None, ""):
            continue
        if answer.value == NA:
            if not question.na_allowed:
                problems.append(_answer_problem("na_not_allowed", question, "cannot be answered NA"))
            elif question.na_requires_reason and not answer.reason.strip():
                problems.append(
                    _answer_problem("na_reason_missing", question, "is NA: record the reason NA applies")
                )
        elif question.answer_type == "yes_no_na" and answer.value not in (YES, NO):
            allowed = "Yes, No or NA" if question.na_allowed else "Yes or No"
            problems.append(_answer_problem("answer_not_allowed", question, f"must be answered {allowed}"))
    return problems


def section_grade_problems(
    template: TemplateSpec, section_ref: str, grade: str, answers: Answers
) -> list[Problem]:
    """Why `grade` cannot be given to the section (empty when it can), with its answers' NA problems."""
    section = template.section(section_ref)
    if section is None:
        return [Problem(section_ref, "grade", f"There is no section {section_ref!r}.", "unknown_section")]
    if not section.graded:
        return [Problem(section_ref, "grade", f"{section.title} is not graded.", "section_not_graded")]
    problems = answer_problems(template, answers, section_ref=section_ref)
    if not grade_in_scale(template, grade):
        return [_not_in_scale(template, section_ref, "grade", grade), *problems]
    if not limited_by_judgements(template, grade):
        return problems
    label = template.grade_label(grade)
    refusals = [
        Problem(
            section_ref,
            "grade",
            f"You cannot grade {section.title} as {label}: '{question.text}' {shortfall}",
            "limiting_judgement_unmet",
            question.ref,
        )
        for question, shortfall in unmet_limiting_judgements(template, answers, section_ref=section_ref)
    ]
    return [*refusals, *problems]


def proposed_overall_grade(
    template: TemplateSpec, section_grades: Mapping[str, str | None], answers: Answers
) -> str | None:
    """The overall grade the template's rule proposes from the graded sections' grades, never
    better than the limiting judgements allow. None while no section is graded, or when the
    template proposes none. ValueError for a section grade outside the scale."""
    grades = [grade for section in template.graded_sections if (grade := section_grades.get(section.ref))]
    ranks = [grade_rank(template, grade) for grade in grades]
    rule = template.overall_rule
    if not ranks or rule.rule == "none":
        return None
    if rule.rule == "lowest_section_grade":
        rank = max(ranks)
    elif rule.rule == "majority_with_floor":
        rank = _majority_rank(ranks)
        # Never more than `max_steps_above_lowest` grades better than the lowest section grade.
        rank = max(rank, max(ranks) - rule.max_steps_above_lowest)
    else:
        raise ValueError(f"{template.ref}: unknown overall grade rule {rule.rule!r}")
    if unmet_limiting_judgements(template, answers):
        rank = max(rank, ceiling_rank(template))
    return template.grade_tokens[rank]


def overall_grade_problems(
    template: TemplateSpec, overall: str, proposed: str | None, override_reason: str, answers: Answers
) -> list[Problem]:
    """Why `overall` cannot be the audit's overall grade: outside the scale; different from the
    proposed grade without a reason (GRD-3); better than the limiting judgements allow (GRD-2)."""
    if not grade_in_scale(template, overall):
        return [_not_in_scale(template, OVERALL, "overall_grade", overall)]
    problems = []
    label = template.grade_label(overall)
    if limited_by_judgements(template, overall):
        titles = {section.ref: section.title for section in template.sections}
        for question, shortfall in unmet_limiting_judgements(template, answers):
            problems.append(
                Problem(
                    OVERALL,
                    "overall_grade",
                    f"You cannot grade the audit overall as {label}: "
                    f"'{question.text}' ({titles[question.section_ref]}) {shortfall}",
                    "limiting_judgement_unmet",
                    question.ref,
                )
            )
    if proposed is not None and overall != proposed and not override_reason.strip():
        problems.append(
            Problem(
                OVERALL,
                "override_reason",
                f"You changed the proposed overall grade from {template.grade_label(proposed)} to {label}: "
                "give the reason.",
                "override_reason_missing",
            )
        )
    return problems


def _majority_rank(ranks: Iterable[int]) -> int:
    """The most common grade; a tie goes to the lower (worse) grade."""
    counts = Counter(ranks)
    return max(counts, key=lambda rank: (counts[rank], rank))


def _answer_problem(code: str, question: QuestionSpec, what: str) -> Problem:
    return Problem(question.ref, "answer", f"'{question.text}' {what}", code, question.ref)


def _not_in_scale(template: TemplateSpec, ref: str, field: str, grade: str | None) -> Problem:
    labels = ", ".join(grade.label for grade in template.grade_scale)
    return Problem(
        ref, field, f"{grade!r} is not a grade of this template: use one of {labels}.", "grade_not_in_scale"
    )
