"""What the shipped templates promise (TPL-2..4, GRD-1..2, AUD-4, AUD-6, FAM-1, MOD-1, MOD-3)."""

from typing import Any

from caseaudit.templates_library.documents import TemplateDocument

LIMITING = ("child_seen", "child_seen_alone", "child_voice")


def _questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["ref"]: q for section in data["sections"] for q in section["questions"]}


def test_stage1_sections_window_time_and_scale(documents: dict[str, TemplateDocument]) -> None:
    data = documents["stage1_good_practice"].data
    assert [section["title"] for section in data["sections"]] == [
        "Assessment",
        "Planning",
        "Intervention",
        "Review",
        "Reflection and Supervision",
        "Comments and Actions",
    ]
    assert data["kind"] == "audit" and data["review_window_months"] == 6
    assert all(section["minutes"] == 10 for section in data["sections"])
    assert [g["token"] for g in data["grade_scale"]] == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    assert data["limiting_ceiling"] == "requires_improvement"
    assert data["overall_grade_rule"]["rule"] == "lowest_section_grade"


def test_stage1_document_control_comes_from_the_seed(documents: dict[str, TemplateDocument]) -> None:
    control = documents["stage1_good_practice"].data["document_control"]
    assert control["approved"] == "2020-07-24" and control["updated"] == "2020-11-19"
    assert control["approving_body"] == "Policy & Practice Steering Group"
    assert control["next_review"] == "2022-10"
    assert control["owner"] == "Assistant Director Safeguarding Policy and Practice"


def test_limiting_judgements_on_assessment_and_intervention(documents: dict[str, TemplateDocument]) -> None:
    """GRD-2: child seen, seen alone (NA only with a reason), voice; each limits its own section."""
    questions = _questions(documents["stage1_good_practice"].data)
    limiting = sorted(ref for ref, q in questions.items() if q.get("limiting"))
    assert limiting == sorted(
        f"{section}.{name}" for section in ("assessment", "intervention") for name in LIMITING
    )
    for section in ("assessment", "intervention"):
        seen, alone, voice = (questions[f"{section}.{name}"] for name in LIMITING)
        assert not seen.get("na_allowed") and not voice.get("na_allowed")
        assert alone["na_allowed"] and alone["na_requires_reason"]
        assert "significant carer" in alone["help"] and "sibling" in alone["help"]
        assert "under 5" in alone["help"] and "profound disability" in alone["help"]
        assert "observation" in voice["help"] and "pre-verbal" in voice["help"]


def test_practice_audit_has_the_limiting_judgements_on_assessment(
    documents: dict[str, TemplateDocument],
) -> None:
    questions = _questions(documents["practice_audit"].data)
    assert sorted(ref for ref, q in questions.items() if q.get("limiting")) == sorted(
        f"assessment.{name}" for name in LIMITING
    )
    assert questions["assessment.child_seen_alone"]["na_requires_reason"]


def test_stage1_descriptors_mark_their_source(documents: dict[str, TemplateDocument]) -> None:
    sections = {s["ref"]: s for s in documents["stage1_good_practice"].data["sections"]}
    for ref in ("assessment", "planning"):
        descriptors = sections[ref]["descriptors"]
        assert {grade: d["source"] for grade, d in descriptors.items()} == {
            "outstanding": "written",
            "good": "seed",
            "requires_improvement": "seed",
            "inadequate": "seed",
        }
    for ref in ("intervention", "review", "reflection_supervision"):
        assert {d["source"] for d in sections[ref]["descriptors"].values()} == {"written"}
        assert set(sections[ref]["descriptors"]) == {
            "outstanding",
            "good",
            "requires_improvement",
            "inadequate",
        }
    assert sections["planning"]["descriptors"]["requires_improvement"]["items"] == [
        "A plan that 'Requires Improvement' will be lacking in one or more of the aspects of a 'Good' Plan"
    ]


def test_comments_and_actions(documents: dict[str, TemplateDocument]) -> None:
    """AUD-4: strengths always recorded; a SMART action table owned by default by the practice manager."""
    section = documents["stage1_good_practice"].data["sections"][-1]
    questions = {q["ref"]: q for q in section["questions"]}
    assert questions["comments_actions.strengths"].get("required", True) is True
    assert questions["comments_actions.issues"]["required"] is False
    columns = {c["ref"]: c for c in section["actions_table"]["columns"]}
    assert list(columns) == ["what", "owner_id", "due_date", "impact"]
    assert columns["owner_id"]["default"] == "practice_manager"
    assert section.get("graded", False) is False


def test_na_is_only_where_a_question_allows_it(documents: dict[str, TemplateDocument]) -> None:
    """TPL-4: NA is opt-in per question; a grade is never NA."""
    for document in documents.values():
        if document.is_audit_types:
            continue
        for question in _questions(document.data).values():
            if question["answer_type"] == "grade":
                assert not question.get("na_allowed")


def test_family_feedback_has_consent_and_five_questions(documents: dict[str, TemplateDocument]) -> None:
    data = documents["family_feedback"].data
    assert data["kind"] == "feedback" and data["grade_scale"] == []
    questions = _questions(data)
    assert questions["consent.child_date"]["required_if"] == {"question": "consent.child", "in": ["yes"]}
    assert questions["consent.parent_carer_date"]["required_if"] == {
        "question": "consent.parent_carer",
        "in": ["yes"],
    }
    asked = [
        ref for ref, q in questions.items() if ref.startswith("feedback.") and q["answer_type"] == "text"
    ]
    assert len(asked) == 5
    for ref in asked:
        assert questions[f"{ref}_who"]["answer_type"] == "choice"


def test_moderation_form(documents: dict[str, TemplateDocument]) -> None:
    data = documents["stage2_moderation"].data
    assert data["kind"] == "moderation" and data["moderates"] == ["stage1_good_practice"]
    questions = _questions(data)
    assert [c["token"] for c in questions["discussion.attendees"]["choices"]] == [
        "moderator",
        "group_manager",
        "practice_manager",
        "social_worker",
    ]
    assert questions["difference.made_a_difference"]["text"] == (
        "Have we made a difference for the child or young person?"
    )
    assert questions["grades.reason"]["required_if"] == {"question": "grades.agree", "in": ["no"]}
    assert questions["practitioner_feedback.agreement"]["escalation"] == {
        "when": ["strongly_disagree"],
        "to": "head_of_qa",
    }
    assert any("actions_table" in section for section in data["sections"])


def test_audit_types(documents: dict[str, TemplateDocument]) -> None:
    """TPL-3, CONTRACTS §5: five types with their template, window and fields."""
    types = {t["token"]: t for t in documents["audit_types"].data["types"]}
    assert {token: (t["template"], t["review_window_months"]) for token, t in types.items()} == {
        "good_practice": ("stage1_good_practice", 6),
        "early_help_front_door": ("practice_audit", 12),
        "thematic": ("practice_audit", 12),
        "practice_week": ("practice_audit", 12),
        "dip_sample": ("practice_audit", 12),
    }
    theme = types["thematic"]["fields"][0]
    assert theme["ref"] == "theme" and len(theme["choices"]) == 11
    assert theme["choices"][0]["label"] == "The child's Journey, including transitions through the service"
    observed = {f["ref"]: f for f in types["practice_week"]["fields"]}
    assert [c["token"] for c in observed["observed_practice"]["choices"]][:3] == [
        "home_visit",
        "conference",
        "meeting",
    ]
    assert observed["family_consent"]["must_be"] == ["yes"]
    assert types["dip_sample"]["fields"][0]["ref"] == "line_of_enquiry"
