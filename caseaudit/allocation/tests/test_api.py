"""The allocation over the API (INT-3): same rules and permissions as the pages."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.tests.helpers import council, draft, pairs, qa, templates
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog

__all__ = ["council", "templates"]
pytestmark = pytest.mark.usefixtures("council")

CONTRACT_KEYS = {"month", "seed", "allocations", "passed_over", "relaxed", "auditor_load"}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and isinstance(body["errors"], list)
    return body


@pytest.fixture
def token_client(db: Any) -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        _, raw = api_token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def qa_api(council: Authority, token_client: Any) -> Client:
    return token_client(council.people["qa_officer"].user)


def test_post_drafts_and_answers_the_contract_json_with_an_id(qa_api: Client) -> None:
    response = qa_api.post("/api/allocations", {"month": "2026-12"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert CONTRACT_KEYS | {"id", "status"} <= set(body)
    assert (body["month"], body["seed"], body["status"]) == ("2026-12", 202612, "draft")
    assert body["auditor_load"] == {"GMA": 1, "GMB": 1, "GMC": 1}
    pair = body["allocations"][0]
    assert {"case_id", "auditor_id", "same_area", "reasons"} <= set(pair)
    assert all({"code", "message"} == set(reason) for reason in pair["reasons"])
    assert all({"case_id", "code", "reason"} == set(p) for p in body["passed_over"])
    assert all({"case_id", "rule", "code", "reason"} == set(r) for r in body["relaxed"])
    restricted = next((p for p in body["allocations"] if p["case_id"] == "C-RESTRICTED"), None)
    if restricted is not None:  # QA sees a restricted case's codes, not its details
        assert restricted["restricted"] and {r["message"] for r in restricted["reasons"]} == {
            "restricted record: details not shown"
        }


def test_the_json_keeps_its_codes_and_ids_and_its_messages_name_people(
    council: Authority, qa_api: Client
) -> None:
    """CONTRACTS §6: stable codes and register IDs in their fields; plain English with names in the
    messages (issue 9 B8)."""
    body = qa_api.post("/api/allocations", {"month": "2026-12"}, content_type="application/json").json()
    pair = next(p for p in body["allocations"] if p["case_id"] == "C-EXTRA")
    assert pair["auditor_id"] == "GMA"
    messages = {reason["code"]: reason["message"] for reason in pair["reasons"]}
    gma, worker = council.people["group_manager_a"].name, council.cases["extra"].allocated_worker.name
    assert messages["different_team"] == f"{gma} is not in team Assessment South, the case's team"
    assert messages["one_per_worker"] == f"the only case of {worker} picked this month"
    assert {p["code"] for p in body["passed_over"]} == {"not_picked"}
    assert f"its worker, {worker}," in body["passed_over"][0]["reason"]


def test_bad_input_is_400(qa_api: Client) -> None:
    body = assert_problem(
        qa_api.post("/api/allocations", {"month": "2026-13"}, content_type="application/json"), 400
    )
    assert body["errors"][0]["field"] == "month"
    assert_problem(
        qa_api.post(
            "/api/allocations", {"month": "2026-12", "per_auditor": -1}, content_type="application/json"
        ),
        400,
    )


def test_list_and_get(council: Authority, qa_api: Client) -> None:
    run = draft(council)
    listing = qa_api.get("/api/allocations").json()
    assert (
        listing["count"] == 1
        and listing["items"][0]["id"] == run.pk
        and listing["items"][0]["allocated"] == 3
    )
    assert qa_api.get("/api/allocations?month=2027-01").json()["count"] == 0
    body = qa_api.get(f"/api/allocations/{run.pk}").json()
    assert {p["case_id"]: p["auditor_id"] for p in body["allocations"]} == pairs(run)
    assert_problem(qa_api.get("/api/allocations/999999"), 404)


def test_adjust_refuses_a_hard_rule_with_422_and_warns_on_soft_rules(
    council: Authority, qa_api: Client
) -> None:
    run = draft(council)
    case_id = next(c for c, a in pairs(run).items() if a == "GMA")
    url = f"/api/allocations/{run.pk}/adjust"
    body = assert_problem(
        qa_api.post(
            url, {"case_id": case_id, "auditor_id": "GMB", "reason": "x"}, content_type="application/json"
        ),
        422,
    )
    assert {e["field"] for e in body["errors"]} == {"auditor_id"} and body["errors"][0]["ref"] == case_id
    response = qa_api.post(
        url, {"case_id": case_id, "auditor_id": "GMC", "reason": "On leave"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    pair = response.json()
    assert pair["auditor_id"] == "GMC" and pair["adjusted"] and pair["adjustment_reason"] == "On leave"
    assert "out_of_area" in {w["code"] for w in pair["warnings"]}
    body = assert_problem(
        qa_api.post(
            url, {"case_id": case_id, "auditor_id": "GMA", "reason": ""}, content_type="application/json"
        ),
        422,
    )
    assert body["errors"][0]["field"] == "reason"


def test_confirm_then_a_second_confirmation_is_409(council: Authority, qa_api: Client) -> None:
    older = draft(council)
    run = draft(council)
    AllocationRun.objects.filter(pk=older.pk).update(status="draft")
    response = qa_api.post(f"/api/allocations/{run.pk}/confirm")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed" and all(p["audit_id"] for p in body["allocations"])
    assert Audit.objects.filter(allocation_month="2026-12-01").count() == 3
    problem = assert_problem(qa_api.post(f"/api/allocations/{older.pk}/confirm"), 409)
    assert problem["detail"].startswith("December 2026 is already allocated (confirmed by")
    assert_problem(
        qa_api.post("/api/allocations", {"month": "2026-12"}, content_type="application/json"), 409
    )


@pytest.mark.parametrize("who", ["social_worker", "group_manager", "administrator"])
def test_others_may_not_allocate(council: Authority, token_client: Any, who: str) -> None:
    run = draft(council)
    client = token_client(council.people[who].user)
    assert_problem(client.get("/api/allocations"), 403)
    assert_problem(client.get(f"/api/allocations/{run.pk}"), 403)
    assert_problem(client.post(f"/api/allocations/{run.pk}/confirm"), 403)
    assert_problem(
        client.post("/api/allocations", {"month": "2026-12"}, content_type="application/json"), 403
    )
    run.refresh_from_db()
    assert run.status == "draft"


def test_my_audits(council: Authority, token_client: Any) -> None:
    run = draft(council)
    allocation_confirm(actor=qa(council), run=run)
    item = run.items.select_related("case__child", "auditor").get(auditor__staff_id="GMC")
    body = token_client(council.people["group_manager_c"].user).get("/api/my-audits").json()
    assert body["count"] == 1
    mine = body["items"][0]
    assert (
        mine["case_id"] == item.case.case_id
        and mine["due_date"] == "2026-12-21"
        and mine["status"] == "allocated"
    )
    if item.case.restricted:
        assert mine["child_name"] is None
    else:
        assert mine["child_name"] == item.case.child.name
    assert_problem(token_client(council.people["social_worker"].user).get("/api/my-audits"), 403)
    assert not AccessLog.objects.filter(outcome="denied", object_type="allocation_run").exists()


def test_unknown_allocation_is_logged(council: Authority, qa_api: Client) -> None:
    assert_problem(qa_api.get("/api/allocations/424242"), 404)
    assert AccessLog.objects.filter(outcome="denied", object_ref="424242", via="api").exists()
