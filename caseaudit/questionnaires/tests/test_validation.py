"""The questionnaire's pure checks (no database): answers from their JSON, required_if, and GRD-2
as a property of a whole response."""

from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.questionnaires.validation import (
    answer_from_payload,
    answer_problems,
    grading_problems,
    question_required,
)
from caseaudit.templates_library.grading import limited_by_judgements, unmet_limiting_judgements
from caseaudit.templates_library.spec import Answer, QuestionSpec
from caseaudit.templates_library.tests.conftest import shipped_spec

STAGE1 = shipped_spec("stage1_good_practice")
PRACTICE = shipped_spec("practice_audit")


def test_answers_from_payload() -> None:
    question = QuestionSpec("s.q", "s", "Seen?", "yes_no_na", na_allowed=True, na_requires_reason=True)
    assert answer_from_payload(" Yes ", question) == Answer("yes")
    assert answer_from_payload({"value": "NA", "reason": "Under 5"}, question) == Answer("na", "Under 5")
    assert answer_from_payload(None, question) == Answer(None)
    several = QuestionSpec("s.c", "s", "Which?", "choice", choices=("a", "b"), multiple=True)
    assert answer_from_payload(["a", "b"], several) == Answer("a,b")
    assert answer_problems(STAGE1, several, Answer("a,b")) == []
    assert answer_problems(STAGE1, several, Answer("a,z"))[0].ref == "s.c"
    text = QuestionSpec("s.t", "s", "Strengths", "text")
    assert answer_from_payload("  Kept as typed ", text) == Answer("  Kept as typed ")


def test_required_if() -> None:
    """A question required only when another is answered with one of some tokens."""
    question = QuestionSpec("b.reason", "b", "Why not?", "text", required=False)
    condition = {"b.reason": {"question": "b.agree", "in": ["no"]}}
    assert question_required(question, {"b.agree": Answer("no")}, condition)
    assert not question_required(question, {"b.agree": Answer("yes")}, condition)
    assert not question_required(question, {}, condition)
    assert not question_required(question, {}, {})


@st.composite
def audit_content(draw: st.DrawFn) -> tuple:
    template = draw(st.sampled_from([STAGE1, PRACTICE]))
    answers = {}
    for question in template.questions:
        if question.answer_type == "yes_no_na" and draw(st.booleans()):
            value = draw(st.sampled_from(["yes", "no", "na"]))
            answers[question.ref] = Answer(value, draw(st.sampled_from(["", "Under 5"])))
    tokens = [*template.grade_tokens, "outstanding"]
    grades = {s.ref: draw(st.sampled_from(tokens)) for s in template.graded_sections if draw(st.booleans())}
    overall = draw(st.sampled_from(["", *tokens]))
    reason = draw(st.sampled_from(["", "Because"]))
    return template, answers, grades, overall, reason


@settings(max_examples=300, deadline=None)
@given(audit_content())
def test_no_good_grade_with_an_unmet_limiting_judgement_ever_passes(content: tuple) -> None:
    """GRD-2 over whole audits: whatever the answers and grades, if the audit's grades pass, no
    section and no overall grade of Good or better stands on an unmet limiting judgement."""
    template, answers, grades, overall, reason = content
    problems = grading_problems(
        template, answers=answers, section_grades=grades, overall_grade=overall, override_reason=reason
    )
    if problems:
        return
    for ref, grade in grades.items():
        if limited_by_judgements(template, grade):
            assert not unmet_limiting_judgements(template, answers, section_ref=ref)
    if overall and limited_by_judgements(template, overall):
        assert not unmet_limiting_judgements(template, answers)
