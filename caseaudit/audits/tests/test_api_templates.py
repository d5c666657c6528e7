"""GET /api/templates, /api/templates/{ref}, /api/audit-types (TPL-1..3, INT-3)."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.tests.test_services_helpers import template_revised, templates_load
from caseaudit.org.tests.factories import StaffFactory


@pytest.fixture
def client_sw(db: Any) -> Client:
    templates_load()
    worker = StaffFactory(roles=["social_worker"])
    _, raw = api_token_create(user=worker.user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_templates_list_current_versions(client_sw: Client) -> None:
    body = client_sw.get("/api/templates").json()
    by_ref = {item["ref"]: item for item in body["items"]}
    assert body["count"] == 4
    assert set(by_ref) == {"stage1_good_practice", "practice_audit", "family_feedback", "stage2_moderation"}
    stage1, practice = by_ref["stage1_good_practice"], by_ref["practice_audit"]
    assert [g["token"] for g in stage1["grade_scale"]] == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    assert [g["token"] for g in practice["grade_scale"]] == ["good", "requires_improvement", "inadequate"]
    assert (stage1["window"], practice["window"]) == (6, 12)
    assert stage1["kind"] == "audit" and stage1["version"] == 1
    assert stage1["document_control"]["approving_body"] == "Policy & Practice Steering Group"


def test_template_detail_questions_limits_and_descriptors(client_sw: Client) -> None:
    """The limiting judgements, which answers each question takes, NA and its reason, and the
    descriptors of each grade, best first."""
    body = client_sw.get("/api/templates/stage1_good_practice").json()
    sections = {section["ref"]: section for section in body["sections"]}
    assert list(sections) == [
        "assessment",
        "planning",
        "intervention",
        "review",
        "reflection_supervision",
        "comments_actions",
    ]
    questions = {q["ref"]: q for q in sections["assessment"]["questions"]}
    seen = questions["assessment.child_seen"]
    assert (seen["limiting"], seen["limits"], seen["allowed_answers"]) == (
        True,
        ["assessment"],
        ["yes", "no"],
    )
    alone = questions["assessment.child_seen_alone"]
    assert alone["allowed_answers"] == ["yes", "no", "na"]
    assert alone["na_allowed"] is True and alone["na_requires_reason"] is True and alone["na_reason_help"]
    assert questions["assessment.assessment_date"]["allowed_answers"] is None
    assert questions["assessment.developmental_needs"]["limiting"] is False
    assert [d["grade"] for d in sections["assessment"]["descriptors"]] == [
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    ]
    assert sections["assessment"]["descriptors"][1]["source"] == "seed"
    assert sections["assessment"]["minutes"] == 10 and sections["assessment"]["graded"] is True
    assert sections["comments_actions"]["graded"] is False
    assert [c["ref"] for c in sections["comments_actions"]["actions_table"]["columns"]] == [
        "what",
        "owner_id",
        "due_date",
        "impact",
    ]
    assert body["limiting_ceiling"] == "requires_improvement"
    assert body["overall_grade_rule"]["rule"] == "lowest_section_grade"


def test_template_detail_by_version_and_unknown(client_sw: Client) -> None:
    assert client_sw.get("/api/templates/practice_audit?version=1").status_code == 200
    assert_problem(client_sw.get("/api/templates/practice_audit?version=9"), 404)
    assert_problem(client_sw.get("/api/templates/astrology"), 404)


def test_template_detail_lists_every_loaded_version(client_sw: Client, tmp_path: Path) -> None:
    template_revised(tmp_path, "practice_audit.yaml", 'version: "1"', 'version: "2"')
    current = client_sw.get("/api/templates/practice_audit").json()
    assert (current["version"], current["version_label"], current["current"]) == (2, "2", True)
    assert [(v["version"], v["version_label"], v["current"]) for v in current["versions"]] == [
        (2, "2", True),
        (1, "1", False),
    ]
    earlier = client_sw.get("/api/templates/practice_audit?version=1").json()
    assert (earlier["version"], earlier["current"]) == (1, False)
    assert earlier["versions"] == current["versions"]


def test_template_detail_queries_do_not_grow_with_questions(
    client_sw: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        client_sw.get("/api/templates/practice_audit")


def test_audit_types(client_sw: Client) -> None:
    body = client_sw.get("/api/audit-types").json()
    types = {item["token"]: item for item in body["items"]}
    assert set(types) == {"good_practice", "early_help_front_door", "thematic", "practice_week", "dip_sample"}
    assert (types["good_practice"]["template_ref"], types["good_practice"]["review_window_months"]) == (
        "stage1_good_practice",
        6,
    )
    assert types["thematic"]["template_ref"] == "practice_audit"
    theme = next(field for field in types["thematic"]["fields"] if field["ref"] == "theme")
    assert "recording" in {choice["token"] for choice in theme["choices"]}
    assert [field["ref"] for field in types["dip_sample"]["fields"]] == ["line_of_enquiry"]


def test_templates_need_sign_in(db: Any) -> None:
    assert_problem(Client().get("/api/templates"), 401)
