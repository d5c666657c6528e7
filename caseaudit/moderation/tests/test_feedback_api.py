"""MOD-3 over the API (CONTRACTS §4, §9): POST /api/audits/{id}/feedback, /no-feedback and
/head-of-qa-decision, with 201, 400, 403, 404 and 422 as problems, and the denials logged."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.moderation.tests.helpers import submitted_audit
from caseaudit.moderation.tests.test_feedback_services import disputed, limited_audit, window_passed

Clients = Callable[[str], Client]


@pytest.fixture
def api(authority: Authority) -> Clients:
    def make(who: str) -> Client:
        _, raw = api_token_create(user=user_for(authority, who), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data if data is not None else {}, content_type="application/json")


def fields(response: Any) -> set[tuple[str, str]]:
    return {(e["ref"], e["field"]) for e in response.json()["errors"]}


def test_feedback_is_given_and_the_new_status_returned(authority: Authority, api: Clients) -> None:
    audit = submitted_audit(authority)
    response = post(
        api("social_worker"),
        f"/api/audits/{audit.pk}/feedback",
        {"agreement": "partly_agree", "on_plan": "Tight timescales."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agreement"] == "partly_agree" and body["on_plan"] == "Tight timescales."
    assert body["status"] == "moderation" and body["given_by"] == authority.people["social_worker"].name
    again = post(api("social_worker"), f"/api/audits/{audit.pk}/feedback", {"agreement": "agree"})
    assert again.status_code == 422 and again["Content-Type"] == "application/problem+json"


def test_a_strong_disagreement_goes_to_the_head_of_qa(authority: Authority, api: Clients) -> None:
    audit = submitted_audit(authority)
    url = f"/api/audits/{audit.pk}/feedback"
    refused = post(api("social_worker"), url, {"agreement": "strongly_disagree", "on_process": "Rushed."})
    assert refused.status_code == 422 and fields(refused) == {("feedback", "on_findings")}
    response = post(api("social_worker"), url, {"agreement": "strongly_disagree", "on_findings": "Not so."})
    assert response.status_code == 201 and response.json()["status"] == "head_of_qa_review"


@pytest.mark.parametrize("agreement", ["none_given", "yes"])
def test_only_the_three_agreements(authority: Authority, api: Clients, agreement: str) -> None:
    audit = submitted_audit(authority)
    response = post(api("social_worker"), f"/api/audits/{audit.pk}/feedback", {"agreement": agreement})
    assert response.status_code == 422 and fields(response) == {("feedback", "agreement")}


def test_a_malformed_body_is_400(authority: Authority, api: Clients) -> None:
    audit = submitted_audit(authority)
    assert post(api("social_worker"), f"/api/audits/{audit.pk}/feedback", {}).status_code == 400
    bad = api("social_worker").post(f"/api/audits/{audit.pk}/feedback", "{", content_type="application/json")
    assert bad.status_code == 400


def test_not_visible_is_404_and_not_allowed_403_each_logged(authority: Authority, api: Clients) -> None:
    audit = submitted_audit(authority)
    url = f"/api/audits/{audit.pk}/feedback"
    hidden = post(api("moderator"), f"/api/audits/{audit.pk + 1000}/feedback", {"agreement": "agree"})
    assert hidden.status_code == 404
    forbidden = post(api("qa_officer"), url, {"agreement": "agree"})
    assert forbidden.status_code == 403
    denied = AccessLog.objects.filter(outcome="denied", via="api")
    assert denied.filter(object_ref=str(audit.pk + 1000)).exists()
    assert denied.filter(object_ref=str(audit.pk), actor=user_for(authority, "qa_officer")).exists()


def test_no_feedback_before_and_after_the_window(authority: Authority, api: Clients) -> None:
    audit = submitted_audit(authority, audit_type="early_help_front_door")
    url = f"/api/audits/{audit.pk}/no-feedback"
    early = post(api("qa_officer"), url)
    assert early.status_code == 422 and "from " in early.json()["errors"][0]["message"]
    assert post(api("social_worker"), url).status_code == 403
    window_passed(audit)
    response = post(api("group_manager"), url)
    assert response.status_code == 201
    assert response.json()["agreement"] == "none_given" and response.json()["status"] == "final"


def test_the_head_of_qa_decides_over_the_api(authority: Authority, api: Clients) -> None:
    audit = disputed(authority)
    url = f"/api/audits/{audit.pk}/head-of-qa-decision"
    assert post(api("qa_officer"), url, {"decision": "auditor_upheld", "reason": "x"}).status_code == 403
    with_grades = post(
        api("head_of_qa"), url, {"decision": "auditor_upheld", "reason": "x", "overall_grade": "good"}
    )
    assert with_grades.status_code == 422 and fields(with_grades) == {("overall", "overall_grade")}
    response = post(
        api("head_of_qa"),
        url,
        {
            "decision": "changed",
            "reason": "The plan is not SMART.",
            "section_grades": {"planning": "requires_improvement"},
            "overall_grade": "requires_improvement",
            "plan_change": "Review the plan in January.",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "moderation" and body["decision"] == "changed"
    assert {(c["ref"], c["from"], c["to"]) for c in body["changes"]} == {
        ("planning", "good", "requires_improvement"),
        ("overall", "good", "requires_improvement"),
    }
    late = post(api("head_of_qa"), url, {"decision": "auditor_upheld", "reason": "x"})
    assert late.status_code == 422 and fields(late) == {("audit", "status")}


def test_a_grade_past_a_limiting_judgement_is_422_naming_the_section(
    authority: Authority, api: Clients
) -> None:
    audit = limited_audit(authority)
    post(
        api("social_worker"),
        f"/api/audits/{audit.pk}/feedback",
        {"agreement": "strongly_disagree", "on_findings": "No."},
    )
    response = post(
        api("head_of_qa"),
        f"/api/audits/{audit.pk}/head-of-qa-decision",
        {"decision": "changed", "reason": "Better.", "section_grades": {"assessment": "good"}},
    )
    assert response.status_code == 422 and fields(response) == {("assessment", "section_grades")}
