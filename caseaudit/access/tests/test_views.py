"""SEL-6 pages: the restricted case page's "Request access" and history, the request form, the
approver's list and decision page, and what a grant opens. The markup basics axe checks in the
browser are checked here on every page (helpers.markup)."""

from typing import Any

import pytest
from django.urls import reverse

from caseaudit.access.models import AccessRequest
from caseaudit.access.tests.helpers import REASON, ask, client_for, decide, markup, restricted_audit
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog

__all__ = ["restricted_audit"]

pytestmark = pytest.mark.usefixtures("restricted_audit")


CASE = reverse("cases:case", args=["C-RESTRICTED"])
REQUEST = reverse("access:request", args=["C-RESTRICTED"])


# --- the restricted case page -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "offered"), [("group_manager", True), ("qa_officer", True), ("head_of_qa", True)]
)
def test_the_restricted_case_page_offers_a_request(authority: Authority, who: str, offered: bool) -> None:
    response = client_for(authority, who).get(CASE)
    body = response.content.decode()
    assert response.status_code == 200 and "Restricted" in body
    assert (REQUEST in body) is offered and "Request access" in body
    assert authority.cases["restricted"].child.name not in body
    markup(response)


def test_after_asking_the_page_shows_the_wait_and_the_history(authority: Authority) -> None:
    ask(authority)
    response = client_for(authority, "group_manager").get(CASE)
    body = response.content.decode()
    assert REQUEST not in body and "will decide" in body
    assert "Access requests" in body and REASON in body and "Waiting for a decision" in body
    markup(response)


def test_the_history_shows_decisions(authority: Authority) -> None:
    decide(authority, ask(authority), grant=False)
    body = client_for(authority, "group_manager").get(CASE).content.decode()
    assert "Refused" in body and "Not needed: ask the QA team." in body and REQUEST in body


# --- the request form -------------------------------------------------------------------------


def test_the_request_form(authority: Authority) -> None:
    client = client_for(authority, "group_manager")
    response = client.get(REQUEST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "head of service" in body and authority.people["head_of_service"].name in body
    markup(response)


def test_a_request_without_a_reason_shows_the_error_summary(authority: Authority) -> None:
    response = client_for(authority, "group_manager").post(REQUEST, {"reason": "  "})
    assert response.status_code == 200
    page = markup(response)
    assert page.summary_links == ["#id_reason"]
    assert "Enter why you need to open this record" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_sending_the_request(authority: Authority) -> None:
    response = client_for(authority, "group_manager").post(REQUEST, {"reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == CASE
    assert "Access requested" in response.content.decode()
    assert AccessRequest.objects.get().approver.staff_id == "HOS"


def test_the_form_shows_the_fallback_approver(authority: Authority) -> None:
    from caseaudit.allocation.models import AllocationSettings

    AllocationSettings.objects.update_or_create(pk=1, defaults={"access_approver_role": "panel_chair"})
    body = client_for(authority, "group_manager").get(REQUEST).content.decode()
    assert authority.people["practice_manager"].name in body and "line manager of the case" in body


@pytest.mark.parametrize(
    ("who", "status"), [("moderator", 404), ("social_worker", 404), ("practice_manager", 302)]
)
def test_the_request_form_for_others(authority: Authority, who: str, status: int) -> None:
    """Not visible: 404 and the denial logged. Already open: straight to the case."""
    response = client_for(authority, who).get(REQUEST)
    assert response.status_code == status
    if status == 404:
        assert AccessLog.objects.filter(object_ref="C-RESTRICTED", outcome="denied").exists()


# --- the approver's pages ---------------------------------------------------------------------


def test_the_approvers_list_puts_waiting_requests_first(authority: Authority) -> None:
    decide(authority, ask(authority), grant=True)
    ask(authority, "qa_officer")
    response = client_for(authority, "head_of_service").get(reverse("access:list"))
    body = response.content.decode()
    assert body.index("Waiting for your decision") < body.index(authority.people["qa_officer"].name)
    assert body.index(authority.people["qa_officer"].name) < body.index("Decided")
    assert "Decide" in body and "C-RESTRICTED" in body
    markup(response)


def test_the_requesters_list_shows_their_own(authority: Authority) -> None:
    ask(authority)
    body = client_for(authority, "group_manager").get(reverse("access:list")).content.decode()
    assert "Your requests" in body and "No requests are waiting for your decision" in body


def test_the_decision_page(authority: Authority, django_capture_on_commit_callbacks: Any) -> None:
    request = ask(authority)
    url = reverse("access:decide", args=[request.pk])
    client = client_for(authority, "head_of_service")
    response = client.get(url)
    body = response.content.decode()
    assert "C-RESTRICTED" in body and "Assessment North" in body and REASON in body
    assert "Grant access" in body and "Refuse access" in body
    markup(response)
    response = client.post(url, {})
    page = markup(response)
    assert page.summary_links == ["#decision", "#id_reason"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "grant", "reason": "For the December audit"})
    assert response.status_code == 302 and response["Location"] == reverse("access:list")
    request.refresh_from_db()
    assert request.status == "granted" and request.decision_reason == "For the December audit"
    # Decided: the page shows the decision, without the form.
    response = client.get(url)
    assert (
        "For the December audit" in response.content.decode()
        and "Save decision" not in response.content.decode()
    )
    markup(response)


def test_the_requester_sees_the_request_but_may_not_decide(authority: Authority) -> None:
    request = ask(authority)
    url = reverse("access:decide", args=[request.pk])
    client = client_for(authority, "group_manager")
    response = client.get(url)
    assert response.status_code == 200 and "Save decision" not in response.content.decode()
    assert client.post(url, {"decision": "grant", "reason": "me"}).status_code == 403
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize("who", ["qa_officer", "social_worker", "moderator"])
def test_others_cannot_see_a_request(authority: Authority, who: str) -> None:
    request = ask(authority)
    assert client_for(authority, who).get(reverse("access:decide", args=[request.pk])).status_code == 404


# --- what a grant opens: the auditor's row of the permission matrix (CONTRACTS §3) -------------

MATRIX = [
    # (state of GMB's request, case page, child page, audit overview)
    ("none", 200, 404, 404),
    ("pending", 200, 404, 404),
    ("refused", 200, 404, 404),
    ("granted", 302, 200, 200),
]


@pytest.mark.parametrize(("state", "case_page", "child_page", "audit_page"), MATRIX)
def test_the_auditor_of_a_restricted_case(
    authority: Authority,
    restricted_audit: Audit,
    state: str,
    case_page: int,
    child_page: int,
    audit_page: int,
) -> None:
    if state != "none":
        request = ask(authority)
        if state != "pending":
            decide(authority, request, grant=state == "granted")
    client = client_for(authority, "group_manager")
    child = authority.cases["restricted"].child
    assert client.get(CASE).status_code == case_page
    response = client.get(reverse("cases:child", args=[child.child_id]))
    assert response.status_code == child_page
    assert (child.name in response.content.decode()) is (child_page == 200)
    assert client.get(reverse("audits:overview", args=[restricted_audit.pk])).status_code == audit_page
    assert (client.get(f"/api/audits/{restricted_audit.pk}").status_code == 200) is (audit_page == 200)
