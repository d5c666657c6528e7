"""GRD-1..3 on the shipped templates: limiting judgements, NA, the proposed grade, overrides."""

import pytest

from caseaudit.templates_library.grading import (
    best_grade_allowed,
    overall_grade_problems,
    proposed_overall_grade,
    section_grade_problems,
)
from caseaudit.templates_library.spec import Answer, TemplateSpec, answers_from_payload

ALL_MET = answers_from_payload(
    {
        "assessment.child_seen": "yes",
        "assessment.child_seen_alone": {"value": "na", "reason": "Under 5"},
        "assessment.child_voice": "yes",
        "intervention.child_seen": "yes",
        "intervention.child_seen_alone": "yes",
        "intervention.child_voice": "yes",
    }
)


def _with(**changes: object) -> dict[str, Answer]:
    answers = dict(ALL_MET)
    for ref, raw in changes.items():
        answers[ref.replace("__", ".")] = Answer.from_payload(raw)
    return answers


def _messages(problems: list) -> list[str]:
    return [problem.message for problem in problems]


def test_good_is_allowed_when_the_limiting_judgements_are_met(stage1: TemplateSpec) -> None:
    assert section_grade_problems(stage1, "assessment", "good", ALL_MET) == []
    assert section_grade_problems(stage1, "assessment", "outstanding", ALL_MET) == []


def test_good_is_refused_while_the_child_was_not_seen(stage1: TemplateSpec) -> None:
    problems = section_grade_problems(stage1, "assessment", "good", _with(assessment__child_seen="no"))
    assert _messages(problems) == [
        "You cannot grade Assessment as Good: 'Was the child seen during the assessment?' is No"
    ]
    assert (problems[0].code, problems[0].ref, problems[0].field, problems[0].cause) == (
        "limiting_judgement_unmet",
        "assessment",
        "grade",
        "assessment.child_seen",
    )


def test_unanswered_limiting_judgement_refuses_outstanding(stage1: TemplateSpec) -> None:
    answers = dict(ALL_MET)
    del answers["assessment.child_voice"]
    assert _messages(section_grade_problems(stage1, "assessment", "outstanding", answers)) == [
        "You cannot grade Assessment as Outstanding: 'Is the child's voice and lived experience captured, "
        "and does it inform the assessment?' is not answered"
    ]


def test_requires_improvement_and_inadequate_are_never_limited(stage1: TemplateSpec) -> None:
    for grade in ("requires_improvement", "inadequate"):
        assert section_grade_problems(stage1, "assessment", grade, {}) == []


def test_a_sections_limiting_judgements_limit_only_that_section(stage1: TemplateSpec) -> None:
    answers = _with(intervention__child_seen="no")
    assert section_grade_problems(stage1, "assessment", "good", answers) == []
    assert section_grade_problems(stage1, "planning", "good", answers) == []
    assert len(section_grade_problems(stage1, "intervention", "good", answers)) == 1


def test_seen_alone_na_needs_a_reason(stage1: TemplateSpec) -> None:
    """GRD-2: NA allowed where seeing the child alone is not appropriate, the reason recorded."""
    problems = section_grade_problems(stage1, "assessment", "good", _with(assessment__child_seen_alone="na"))
    assert _messages(problems) == [
        "You cannot grade Assessment as Good: 'Was the child seen alone?' is NA without a reason",
        "'Was the child seen alone?' is NA: record the reason NA applies",
    ]
    problems = section_grade_problems(
        stage1, "assessment", "inadequate", _with(assessment__child_seen_alone={"value": "na", "reason": " "})
    )
    assert [p.code for p in problems] == ["na_reason_missing"]


def test_na_is_refused_where_the_question_does_not_allow_it(stage1: TemplateSpec) -> None:
    """TPL-4."""
    problems = section_grade_problems(
        stage1, "planning", "requires_improvement", {"planning.smart": Answer("na")}
    )
    assert [(p.code, p.ref) for p in problems] == [("na_not_allowed", "planning.smart")]
    assert (
        section_grade_problems(stage1, "planning", "good", {"planning.achieving_change": Answer("na")}) == []
    )
    problems = section_grade_problems(stage1, "assessment", "good", _with(assessment__child_seen="na"))
    assert _messages(problems) == [
        "You cannot grade Assessment as Good: 'Was the child seen during the assessment?' is NA, "
        "which this question does not allow",
        "'Was the child seen during the assessment?' cannot be answered NA",
    ]


def test_grades_outside_the_scale_are_refused(stage1: TemplateSpec, practice: TemplateSpec) -> None:
    """CONTRACTS §5: the practice audit has no Outstanding."""
    assert [p.code for p in section_grade_problems(practice, "assessment", "outstanding", {})] == [
        "grade_not_in_scale"
    ]
    assert [p.code for p in section_grade_problems(stage1, "assessment", "excellent", ALL_MET)] == [
        "grade_not_in_scale"
    ]
    problems = overall_grade_problems(practice, "outstanding", "good", "because", {})
    assert [p.code for p in problems] == ["grade_not_in_scale"]
    assert problems[0].message == (
        "'outstanding' is not a grade of this template: use one of Good, Requires improvement, Inadequate."
    )


def test_ungraded_and_unknown_sections(stage1: TemplateSpec) -> None:
    assert [p.code for p in section_grade_problems(stage1, "comments_actions", "good", ALL_MET)] == [
        "section_not_graded"
    ]
    assert [p.code for p in section_grade_problems(stage1, "nope", "good", ALL_MET)] == ["unknown_section"]


def test_stage1_proposes_the_lowest_section_grade(stage1: TemplateSpec) -> None:
    grades = {"assessment": "outstanding", "planning": "good", "intervention": "requires_improvement"}
    assert proposed_overall_grade(stage1, grades, ALL_MET) == "requires_improvement"
    assert proposed_overall_grade(stage1, {"assessment": "outstanding"}, ALL_MET) == "outstanding"
    assert proposed_overall_grade(stage1, {}, ALL_MET) is None
    assert proposed_overall_grade(stage1, {"assessment": None, "planning": "good"}, ALL_MET) == "good"


def test_the_proposal_is_capped_by_any_unmet_limiting_judgement(stage1: TemplateSpec) -> None:
    grades = dict.fromkeys(("assessment", "planning", "review"), "outstanding")
    answers = _with(intervention__child_voice="no")
    assert proposed_overall_grade(stage1, grades, answers) == "requires_improvement"
    assert best_grade_allowed(stage1, answers) == "requires_improvement"
    assert best_grade_allowed(stage1, answers, section_ref="assessment") == "outstanding"


def test_practice_audit_proposes_the_majority_within_one_grade_of_the_lowest(practice: TemplateSpec) -> None:
    met = answers_from_payload(
        {
            "assessment.child_seen": "yes",
            "assessment.child_seen_alone": "yes",
            "assessment.child_voice": "yes",
        }
    )
    sections = ["referral", "basic_information", "assessment", "planning", "review", "management_oversight"]

    def propose(*grades: str) -> str | None:
        return proposed_overall_grade(practice, dict(zip(sections, grades, strict=False)), met)

    assert propose("good", "good", "good", "good", "requires_improvement") == "good"
    assert propose("good", "good", "requires_improvement", "requires_improvement") == "requires_improvement"
    assert propose("good", "good", "good", "good", "good", "inadequate") == "requires_improvement"
    assert propose("inadequate", "inadequate", "good") == "inadequate"


def test_overriding_needs_a_reason(stage1: TemplateSpec) -> None:
    """GRD-3."""
    problems = overall_grade_problems(stage1, "good", "requires_improvement", "", ALL_MET)
    assert _messages(problems) == [
        "You changed the proposed overall grade from Requires improvement to Good: give the reason."
    ]
    assert overall_grade_problems(stage1, "good", "requires_improvement", "Strong direct work", ALL_MET) == []
    assert overall_grade_problems(stage1, "good", "good", "", ALL_MET) == []


def test_an_override_cannot_pass_the_limiting_judgements(stage1: TemplateSpec) -> None:
    """CONTRACTS §5: within what the limiting judgements allow, even with a reason."""
    answers = _with(intervention__child_seen="no")
    problems = overall_grade_problems(stage1, "good", "requires_improvement", "Excellent otherwise", answers)
    assert _messages(problems) == [
        "You cannot grade the audit overall as Good: "
        "'Was the child seen during the intervention (for example at the last visit)?' (Intervention) is No"
    ]
    assert overall_grade_problems(stage1, "inadequate", "requires_improvement", "Drift", answers) == []


def test_a_section_grade_outside_the_scale_is_a_programming_error(practice: TemplateSpec) -> None:
    with pytest.raises(ValueError, match="not a grade of practice_audit"):
        proposed_overall_grade(practice, {"referral": "outstanding"}, {})


def test_yes_no_questions_take_only_yes_no_or_na(stage1: TemplateSpec) -> None:
    answers = {"planning.smart": Answer("maybe"), "planning.achieving_change": Answer("sometimes")}
    assert _messages(section_grade_problems(stage1, "planning", "inadequate", answers)) == [
        "'Is the plan SMART (Specific, Measurable, Achievable, Realistic and Timely)?' "
        "must be answered Yes or No",
        "'Is there evidence that the plan is achieving change?' must be answered Yes, No or NA",
    ]
