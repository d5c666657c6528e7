"""One save of a response, checked whole: what a refusal takes out so the rest can be saved
(ResponseChanges.without, issue 9 B5), on the shipped Stage 1 template (no database)."""

from caseaudit.core.problems import Problem
from caseaudit.questionnaires.content import ResponseChanges
from caseaudit.templates_library.tests.conftest import shipped_spec

STAGE1 = shipped_spec("stage1_good_practice")


def test_a_refused_grade_is_left_out_the_rest_kept() -> None:
    changes = ResponseChanges(
        answers={"assessment.child_seen": "no", "assessment.child_voice": "yes"},
        comments={"assessment": "Typed"},
        section_grades={"assessment": "good", "planning": "good"},
        completed_sections={"assessment": True},
    )
    kept = changes.without([Problem("assessment", "grade", "You cannot grade Assessment as Good")], STAGE1)
    assert kept.answers == changes.answers and kept.comments == changes.comments
    assert kept.section_grades == {"planning": "good"}  # the grade stored stays, if it still may
    assert kept.completed_sections is None  # the section is not done until saved as asked
    assert kept.overall_grade is None  # not sent, still not sent


def test_a_grade_stored_and_not_sent_is_left_unchosen_when_refused() -> None:
    kept = ResponseChanges(answers={"assessment.child_seen": "no"}).without(
        [Problem("assessment", "grade", "no longer allowed")], STAGE1
    )
    assert kept.section_grades == {"assessment": ""}


def test_refused_answers_and_comments_are_left_out_and_the_overall_grade_unchosen() -> None:
    changes = ResponseChanges(
        answers={"assessment.child_seen_alone": "na", "assessment.child_seen": "yes", "nowhere.q": "x"},
        comments={"assessment": "Kept", "nowhere": "Gone"},
        section_grades={"nowhere": "good"},
        overall_grade="outstanding",
        overall_override_reason="Why",
    )
    kept = changes.without(
        [
            Problem("assessment.child_seen_alone", "answer", "is NA: record the reason"),
            Problem("nowhere.q", "answer", "There is no question"),
            Problem("nowhere", "comments", "There is no section"),
            Problem("nowhere", "grade", "There is no section"),
            Problem("overall", "overall_grade", "You cannot grade the audit overall as Outstanding"),
        ],
        STAGE1,
    )
    assert kept.answers == {"assessment.child_seen": "yes"}
    assert kept.comments == {"assessment": "Kept"}
    assert kept.section_grades == {}
    assert (kept.overall_grade, kept.overall_override_reason) == (None, "Why")  # the stored one stays
    again = kept.without([Problem("overall", "overall_grade", "The stored one may not stay")], STAGE1)
    assert again.overall_grade == ""


def test_nothing_refused_changes_nothing_but_the_completed_flags() -> None:
    changes = ResponseChanges(answers={"assessment.child_seen": "yes"}, overall_grade="good")
    assert changes.without([], STAGE1) == changes
