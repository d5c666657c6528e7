"""SEL-6 over the API (INT-3, CONTRACTS §4): the same services and permissions as the pages, errors
as problem+json — 404 unknown or not visible, 403 may see but may not do, 422 refused."""

import json
from typing import Any

import pytest

from caseaudit.access.models import AccessRequest
from caseaudit.access.tests.helpers import REASON, Clients, api, ask, restricted_audit
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog, OutboxMessage

__all__ = ["api", "restricted_audit"]

pytestmark = pytest.mark.usefixtures("restricted_audit")

REQUESTS = "/api/cases/C-RESTRICTED/access-requests"


def send(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def fields(problem: dict[str, Any]) -> set[str | None]:
    return {error["field"] for error in problem["errors"]}


# --- asking -----------------------------------------------------------------------------------


def test_the_auditor_asks(authority: Authority, api: Clients) -> None:
    response = send(api("group_manager"), "post", REQUESTS, {"reason": REASON})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["case_id"], body["requester_id"], body["approver_id"]) == ("C-RESTRICTED", "GMB", "HOS")
    assert body["status"] == "pending" and body["reason"] == REASON and body["can_decide"] is False
    assert body["approver_is_fallback"] is False and body["team"] == "Assessment North"
    assert OutboxMessage.objects.filter(to=[authority.people["head_of_service"].email]).exists()


def test_asking_twice_or_without_a_reason_is_refused(authority: Authority, api: Clients) -> None:
    client = api("group_manager")
    assert "reason" in fields(assert_problem(send(client, "post", REQUESTS, {"reason": " "}), 422))
    assert send(client, "post", REQUESTS, {"reason": REASON}).status_code == 201
    body = assert_problem(send(client, "post", REQUESTS, {"reason": REASON}), 422)
    assert "wait for" in body["errors"][0]["message"]
    assert_problem(send(client, "post", REQUESTS, {}), 400)  # no reason at all: malformed


@pytest.mark.parametrize(
    ("who", "status"), [("moderator", 404), ("social_worker", 404), ("head_of_service", 422)]
)
def test_who_may_not_ask(authority: Authority, api: Clients, who: str, status: int) -> None:
    assert_problem(send(api(who), "post", REQUESTS, {"reason": REASON}), status)
    if status == 404:
        assert AccessLog.objects.filter(object_ref="C-RESTRICTED", outcome="denied", via="api").exists()
    assert not AccessRequest.objects.exists()


def test_an_unknown_case_is_not_found(api: Clients) -> None:
    assert_problem(send(api("qa_officer"), "post", "/api/cases/NOPE/access-requests", {"reason": "x"}), 404)


# --- listing and deciding ---------------------------------------------------------------------


def test_the_lists(authority: Authority, api: Clients) -> None:
    request = ask(authority)
    approver = api("head_of_service").get("/api/access-requests").json()
    assert approver["count"] == 1 and approver["items"][0]["id"] == request.pk
    assert approver["items"][0]["can_decide"] is True
    requester = api("group_manager").get("/api/access-requests").json()
    assert requester["count"] == 1 and requester["items"][0]["can_decide"] is False
    assert api("group_manager").get("/api/access-requests?which=to_decide").json()["count"] == 0
    assert api("practice_manager").get("/api/access-requests").json() == {"items": [], "count": 0}
    assert api("head_of_service").get(f"/api/access-requests/{request.pk}").status_code == 200
    assert_problem(api("qa_officer").get(f"/api/access-requests/{request.pk}"), 404)


def test_deciding(authority: Authority, api: Clients, restricted_audit: Audit) -> None:
    request = ask(authority)
    url = f"/api/access-requests/{request.pk}/decision"
    assert_problem(send(api("group_manager"), "post", url, {"grant": True, "reason": "mine"}), 403)
    assert_problem(send(api("practice_manager"), "post", url, {"grant": True, "reason": "above"}), 403)
    assert_problem(send(api("social_worker"), "post", url, {"grant": True, "reason": "x"}), 404)
    assert "reason" in fields(
        assert_problem(send(api("head_of_service"), "post", url, {"grant": True, "reason": ""}), 422)
    )
    assert_problem(api("group_manager").get(f"/api/audits/{restricted_audit.pk}"), 404)
    response = send(api("head_of_service"), "post", url, {"grant": True, "reason": "For the December audit"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "granted" and body["decision_reason"] == "For the December audit"
    assert body["decided_by"] == authority.people["head_of_service"].name and body["decided_at"]
    assert_problem(
        send(api("head_of_service"), "post", url, {"grant": False, "reason": "changed my mind"}), 422
    )
    assert api("group_manager").get(f"/api/audits/{restricted_audit.pk}").status_code == 200


def test_the_superuser_may_decide(authority: Authority, api: Clients) -> None:
    request = ask(authority)
    response = send(
        api("superuser"),
        "post",
        f"/api/access-requests/{request.pk}/decision",
        {"grant": False, "reason": "No"},
    )
    assert response.status_code == 200 and response.json()["status"] == "refused"
