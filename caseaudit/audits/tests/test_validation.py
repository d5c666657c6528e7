"""The pure checks of what only an audit has: its window, type details, actions and what stops
its submission (no database). The questionnaire's own checks: questionnaires/tests/test_validation.py."""

import datetime

from caseaudit.audits.validation import actions_parse, submission_problems, type_details_clean
from caseaudit.core.calendar import months_before
from caseaudit.templates_library.spec import Answer
from caseaudit.templates_library.tests.conftest import shipped_spec

STAGE1 = shipped_spec("stage1_good_practice")


def test_months_before_clamps_to_the_end_of_shorter_months() -> None:
    assert months_before(datetime.date(2026, 12, 7), 6) == datetime.date(2026, 6, 7)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2024, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert months_before(datetime.date(2026, 3, 31), 3) == datetime.date(2025, 12, 31)


def test_type_details() -> None:
    fields = [
        {"ref": "theme", "text": "Theme", "answer_type": "choice", "choices": [{"token": "recording"}]},
        {"ref": "detail", "text": "Detail", "answer_type": "text", "required": False},
        {"ref": "on", "text": "Observed on", "answer_type": "date"},
        {
            "ref": "consent",
            "text": "Consent?",
            "answer_type": "yes_no_na",
            "must_be": ["yes"],
            "help": "AUD-6.",
        },
    ]
    clean, problems = type_details_clean(fields, {"theme": "Recording", "on": "2026-11-30", "consent": "yes"})
    assert clean == {"theme": "recording", "on": "2026-11-30", "consent": "yes"} and problems == []
    _, problems = type_details_clean(fields, {"theme": "x", "on": "30/11/2026", "consent": "no", "extra": 1})
    assert [(p.field, p.message) for p in problems] == [
        ("extra", "This audit type does not record 'extra'"),
        ("theme", "'Theme' must be one of: recording"),
        ("on", "'Observed on' must be a real date, e.g. 2026-12-07"),
        ("consent", "'Consent?' must be answered yes. AUD-6."),
    ]


def test_actions_parse_counts_from_zero_and_names_each_field() -> None:
    actions, problems = actions_parse(
        [
            {"what": "Visit", "due_date": "2026-12-23", "impact": "Safer", "owner_id": "PM1", "id": 3},
            "not an action",
            {"what": "", "due_date": "2027-02-30", "impact": "x", "id": "seven"},
        ]
    )
    assert [(a.what, a.owner_id, a.due_date, a.id) for a in actions] == [
        ("Visit", "PM1", datetime.date(2026, 12, 23), 3)
    ]
    assert [(p.ref, p.field) for p in problems] == [
        ("actions[1]", "action"),
        ("actions[2]", "what"),
        ("actions[2]", "due_date"),
        ("actions[2]", "id"),
    ]
    assert actions_parse({"what": "x"})[1][0].ref == "actions"


def test_submission_problems_respect_required_if() -> None:
    answers = {q.ref: Answer("yes") for q in STAGE1.questions if q.answer_type == "yes_no_na"}
    answers |= {q.ref: Answer("2026-10-01") for q in STAGE1.questions if q.answer_type == "date"}
    answers["comments_actions.strengths"] = Answer("Warm, persistent work")
    grades = {section.ref: "good" for section in STAGE1.graded_sections}
    common = {
        "answers": answers,
        "section_grades": grades,
        "overall_grade": "good",
        "override_reason": "",
        "audit_date": datetime.date(2026, 12, 7),
        "today": datetime.date(2026, 12, 7),
    }
    assert submission_problems(STAGE1, required_if={}, **common) == []
    condition = {"comments_actions.issues": {"question": "assessment.child_seen", "in": ["yes"]}}
    [problem] = submission_problems(STAGE1, required_if=condition, **common)
    assert (problem.ref, problem.field) == ("comments_actions.issues", "answer")
