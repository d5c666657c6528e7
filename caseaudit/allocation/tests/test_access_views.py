"""SEL-6, SEL-7 pages: the restricted case page's "Request access" and history, the request form,
the approver's list and decision page, the discussion page, and the audit overview's meeting. The
markup basics axe checks in the browser are checked here on every page: one h1, unique ids, every
field labelled, error summary links that reach their field, "Error:" in the title on errors."""

import datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.allocation.models import AccessRequest, Discussion
from caseaudit.allocation.tests.test_access_helpers import (
    REASON,
    allocated,
    ask,
    decide,
    fresh,
    future,
    restricted_audit,
)
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog

__all__ = ["restricted_audit"]

pytestmark = pytest.mark.usefixtures("restricted_audit")


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.fields: list[str] = []
        self.h1 = 0
        self.summary_links: list[str] = []
        self.in_summary = 0
        self.in_title = False
        self.title = ""
        self.lang = ""
        self.headers_without_scope = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "textarea", "select") and a.get("type") not in ("hidden", "submit"):
            self.fields.append(a.get("id", ""))
        if tag == "div" and self.in_summary:
            self.in_summary += 1
        if "govuk-error-summary" in a.get("class", "").split():
            self.in_summary = 1
        if tag == "a" and self.in_summary:
            self.summary_links.append(a.get("href", ""))
        if tag == "th" and "scope" not in a:
            self.headers_without_scope += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "div" and self.in_summary:
            self.in_summary -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def markup(response: Any) -> Markup:
    """The page's markup basics; fails on the first thing axe would also flag."""
    page = Markup()
    page.feed(response.content.decode())
    assert page.lang == "en-GB"
    assert page.h1 == 1, f"{page.h1} h1 elements"
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    for field in page.fields:
        assert field and field in page.labels, f"field {field!r} has no label"
    for href in page.summary_links:
        assert href.startswith("#") and href[1:] in page.ids, f"error summary link {href} reaches nothing"
    assert page.title.strip().startswith("Error:") is bool(page.summary_links)
    assert page.headers_without_scope == 0
    return page


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(authority.superuser if who == "superuser" else user_for(authority, who))
    return client


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


# --- the discussion ---------------------------------------------------------------------------


@pytest.fixture
def own_audit(authority: Authority) -> Audit:
    return allocated(authority, "own_team")


def discussion_post(when: datetime.datetime, **changes: str) -> dict[str, str]:
    data = {
        "day": str(when.day),
        "month": str(when.month),
        "year": str(when.year),
        "time": f"{when:%H:%M}",
        "duration_minutes": "60",
        "location": "Team office, room 2",
        "online_link": "",
    }
    data.update(changes)
    return data


def test_the_overview_links_to_the_discussion(authority: Authority, own_audit: Audit) -> None:
    url = reverse("access:discussion", args=[own_audit.pk])
    overview = reverse("audits:overview", args=[own_audit.pk])
    body = client_for(authority, "group_manager").get(overview).content.decode()
    assert url in body and "Arrange the discussion" in body and "has not been arranged" in body
    worker_view = client_for(authority, "social_worker").get(overview).content.decode()
    assert url not in worker_view and "Discussion with the worker" in worker_view


def test_arranging_the_discussion(authority: Authority, own_audit: Audit) -> None:
    client = client_for(authority, "group_manager")
    url = reverse("access:discussion", args=[own_audit.pk])
    response = client.get(url)
    assert response.status_code == 200
    markup(response)
    when = future(days=20, hour=14, minute=30)
    response = client.post(url, discussion_post(when), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/audits/{own_audit.pk}/#discussion")
    discussion = Discussion.objects.get(audit=own_audit)
    assert discussion.starts_at == when and discussion.location == "Team office, room 2"
    body = response.content.decode()
    assert f"{when.day} {when:%B %Y}, 14:30 to 15:30" in body and "Change or cancel the discussion" in body
    # The worker sees the arranged meeting on the audit too.
    overview = reverse("audits:overview", args=[own_audit.pk])
    assert "14:30 to 15:30" in client_for(authority, "social_worker").get(overview).content.decode()
    # Change it: the form is filled in with the meeting; the sequence goes up.
    response = client.get(url)
    assert (
        'value="14:30"' in response.content.decode() and "Cancel the discussion" in response.content.decode()
    )
    markup(response)
    client.post(url, discussion_post(when, time="15:00"))
    assert Discussion.objects.get(audit=own_audit).sequence == 1
    # Cancel it.
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert "was cancelled" in response.content.decode()
    assert Discussion.objects.get(audit=own_audit).cancelled


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date of the discussion", "#date-day"),
        ({"month": ""}, "must include a month", "#date-month"),
        ({"day": "31", "month": "2"}, "must be a real date", "#date-day"),
        ({"year": "26"}, "must be a real date", "#date-day"),
        ({"time": "2pm"}, "24-hour clock", "#id_time"),
        ({"time": ""}, "Enter the start time", "#id_time"),
        ({"location": "", "online_link": ""}, "Enter the place of the discussion, or a link", "#id_location"),
        ({"online_link": "not a link"}, "Enter the online link as a web address", "#id_online_link"),
        ({"duration_minutes": "5"}, "The duration must be 15 to 480 minutes", "#id_duration_minutes"),
    ],
)
def test_discussion_errors(
    authority: Authority, own_audit: Audit, changes: dict[str, str], message: str, href: str
) -> None:
    url = reverse("access:discussion", args=[own_audit.pk])
    response = client_for(authority, "group_manager").post(url, discussion_post(future(), **changes))
    assert response.status_code == 200
    page = markup(response)
    assert href in page.summary_links and message in response.content.decode()
    assert not Discussion.objects.exists()


def test_a_past_date_is_refused(authority: Authority, own_audit: Audit) -> None:
    url = reverse("access:discussion", args=[own_audit.pk])
    response = client_for(authority, "group_manager").post(url, discussion_post(future(days=-2)))
    assert "must be in the future" in response.content.decode()
    assert markup(response).summary_links == ["#date-day"]


@pytest.mark.parametrize("who", ["social_worker", "qa_officer", "moderator"])
def test_only_the_auditor_has_the_discussion_page(authority: Authority, own_audit: Audit, who: str) -> None:
    assert (
        client_for(authority, who).get(reverse("access:discussion", args=[own_audit.pk])).status_code == 404
    )


def test_the_discussion_of_a_restricted_audit_waits_for_the_grant(
    authority: Authority, restricted_audit: Audit
) -> None:
    url = reverse("access:discussion", args=[restricted_audit.pk])
    assert client_for(authority, "group_manager").get(url).status_code == 404
    decide(authority, ask(authority), grant=True)
    fresh(authority, "group_manager")
    assert client_for(authority, "group_manager").get(url).status_code == 200
    overview = client_for(authority, "group_manager").get(
        reverse("audits:overview", args=[restricted_audit.pk])
    )
    body = overview.content.decode()
    assert "Access requests" in body and "Granted" in body
