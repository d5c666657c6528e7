"""GRD-2, GRD-3 as properties: over random answers, grades and templates, no section or overall
grade of Good or better ever passes with an unmet limiting judgement, and the proposed grade is
always in the template's scale."""

from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.templates_library.grading import (
    grade_rank,
    overall_grade_problems,
    proposed_overall_grade,
    section_grade_problems,
)
from caseaudit.templates_library.spec import (
    Answer,
    GradeSpec,
    OverallRuleSpec,
    QuestionSpec,
    SectionSpec,
    TemplateSpec,
)
from caseaudit.templates_library.tests.conftest import shipped_spec

SHIPPED = [shipped_spec("stage1_good_practice"), shipped_spec("practice_audit")]
GRADE_WORDS = ["outstanding", "good", "requires_improvement", "inadequate", "failing"]


def _met(question: QuestionSpec, answer: Answer | None) -> bool:
    """An independent statement of when a limiting judgement is met (GRD-2)."""
    if answer is None:
        return False
    if answer.value == "yes":
        return True
    return (
        answer.value == "na"
        and question.na_allowed
        and (not question.na_requires_reason or bool(answer.reason.strip()))
    )


def _better_than_ceiling(template: TemplateSpec, grade: str) -> bool:
    return grade_rank(template, grade) < grade_rank(template, str(template.limiting_ceiling))


@st.composite
def random_template(draw: st.DrawFn) -> TemplateSpec:
    size = draw(st.integers(2, 5))
    scale = tuple(GradeSpec(token, token.title()) for token in GRADE_WORDS[:size])
    ceiling = scale[draw(st.integers(1, size - 1))].token
    section_refs = [f"s{index}" for index in range(draw(st.integers(1, 4)))]
    graded = [ref for ref in section_refs if draw(st.booleans())] or section_refs[:1]
    sections = []
    for ref in section_refs:
        questions = []
        for index in range(draw(st.integers(0, 4))):
            limiting = draw(st.booleans())
            na_allowed = draw(st.booleans())
            questions.append(
                QuestionSpec(
                    ref=f"{ref}.q{index}",
                    section_ref=ref,
                    text=f"Question {ref}.{index}?",
                    answer_type="yes_no_na",
                    na_allowed=na_allowed,
                    na_requires_reason=na_allowed and draw(st.booleans()),
                    limiting=limiting,
                    limits=tuple(draw(st.lists(st.sampled_from(graded), unique=True))) if limiting else (),
                )
            )
        sections.append(
            SectionSpec(ref=ref, title=ref.upper(), graded=ref in graded, questions=tuple(questions))
        )
    rule = draw(
        st.sampled_from(
            [OverallRuleSpec("lowest_section_grade")]
            + [OverallRuleSpec("majority_with_floor", steps) for steps in range(4)]
        )
    )
    return TemplateSpec(
        ref="random",
        version=1,
        grade_scale=scale,
        limiting_ceiling=ceiling,
        overall_rule=rule,
        sections=tuple(sections),
    )


templates = st.one_of(st.sampled_from(SHIPPED), random_template())
answer_values = st.sampled_from(["yes", "no", "na", "", "maybe"])


State = tuple[TemplateSpec, dict[str, Answer], dict[str, str | None]]


@st.composite
def audit_state(draw: st.DrawFn) -> State:
    template = draw(templates)
    answers = {}
    for question in template.questions:
        if draw(st.integers(0, 9)) == 0:
            continue  # unanswered
        # Mostly met, so that grades of Good or better are often in play.
        value = "yes" if draw(st.booleans()) else draw(answer_values)
        answers[question.ref] = Answer(value, draw(st.sampled_from(["", " ", "Under 5"])))
    grades = {
        section.ref: draw(st.one_of(st.none(), st.sampled_from(template.grade_tokens)))
        for section in template.graded_sections
    }
    return template, answers, grades


@settings(max_examples=200, deadline=None)
@given(audit_state(), st.data())
def test_no_section_grade_of_good_or_better_with_an_unmet_limiting_judgement(
    state: State, data: st.DataObject
) -> None:
    template, answers, _ = state
    section = data.draw(st.sampled_from(template.graded_sections))
    grade = data.draw(st.sampled_from(template.grade_tokens))
    problems = section_grade_problems(template, section.ref, grade, answers)
    unmet = [
        q
        for q in template.questions
        if q.limiting and section.ref in q.limits and not _met(q, answers.get(q.ref))
    ]
    refused = {p.cause for p in problems if p.code == "limiting_judgement_unmet"}
    if _better_than_ceiling(template, grade):
        assert refused == {q.ref for q in unmet}
    else:
        assert refused == set()


@settings(max_examples=200, deadline=None)
@given(audit_state())
def test_proposed_grade_is_in_scale_and_capped(state: State) -> None:
    template, answers, grades = state
    proposed = proposed_overall_grade(template, grades, answers)
    if not any(grades.values()):
        assert proposed is None
        return
    assert proposed in template.grade_tokens
    ranks = [grade_rank(template, g) for g in grades.values() if g]
    assert grade_rank(template, proposed) >= min(ranks)  # never better than the best section
    any_unmet = any(q.limiting and not _met(q, answers.get(q.ref)) for q in template.questions)
    if any_unmet:
        assert not _better_than_ceiling(template, proposed)
    # The proposal itself always passes the overall checks without a reason.
    assert overall_grade_problems(template, proposed, proposed, "", answers) == []


@settings(max_examples=200, deadline=None)
@given(audit_state(), st.data())
def test_no_overall_grade_or_override_of_good_or_better_with_an_unmet_limiting_judgement(
    state: State, data: st.DataObject
) -> None:
    template, answers, grades = state
    proposed = proposed_overall_grade(template, grades, answers)
    overall = data.draw(st.sampled_from(template.grade_tokens))
    reason = data.draw(st.sampled_from(["", "Seen at school since"]))
    problems = overall_grade_problems(template, overall, proposed, reason, answers)
    any_unmet = any(q.limiting and not _met(q, answers.get(q.ref)) for q in template.questions)
    if not problems and _better_than_ceiling(template, overall):
        assert not any_unmet
    if proposed is not None and overall != proposed and not reason:
        assert "override_reason_missing" in {p.code for p in problems}


@settings(max_examples=100, deadline=None)
@given(audit_state(), st.text(min_size=1, max_size=12))
def test_a_grade_outside_the_scale_is_always_refused(state: State, grade: str) -> None:
    template, answers, _ = state
    if grade in template.grade_tokens:
        return
    section = template.graded_sections[0]
    assert "grade_not_in_scale" in {
        p.code for p in section_grade_problems(template, section.ref, grade, answers)
    }
    assert [p.code for p in overall_grade_problems(template, grade, None, "x", answers)] == [
        "grade_not_in_scale"
    ]
