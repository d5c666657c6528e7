"""Helpers shared by the access-request and discussion tests (no tests here): the restricted case's
audit allocated to GMB, requests made and decided through the real services, clients, and the
markup basics that axe checks in the browser."""

import datetime
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from caseaudit.access.models import AccessRequest
from caseaudit.access.services import access_request_create, access_request_decide
from caseaudit.accounts.services import api_token_create
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.conftest import Authority, user_for

LONDON = ZoneInfo("Europe/London")
REASON = "I am auditing this case for the December Good Practice audit."
Clients = Callable[[str], Client]


def fresh(authority: Authority, who: str) -> Any:
    """The person's user with nothing cached from earlier checks (scope, roles)."""
    user = user_for(authority, who)
    for cached in ("_caseaudit_case_scope", "_caseaudit_roles", "_caseaudit_is_auditor"):
        if hasattr(user, cached):
            delattr(user, cached)
    return user


def allocated(authority: Authority, record: str = "restricted", auditor: str = "group_manager") -> Audit:
    """A Stage 1 audit as the monthly allocation makes it: status allocated, auditor set."""
    return audit_of(
        authority,
        record,
        auditor=auditor,
        status=Audit.Status.ALLOCATED,
        allocation_month=datetime.date(2026, 12, 1),
        due_date=datetime.date(2026, 12, 21),
    )


def ask(authority: Authority, who: str = "group_manager", reason: str = REASON) -> AccessRequest:
    return access_request_create(
        actor=fresh(authority, who), case=authority.cases["restricted"], reason=reason
    )


def decide(
    authority: Authority, request: AccessRequest, *, grant: bool, who: str = "head_of_service"
) -> AccessRequest:
    actor = authority.superuser if who == "superuser" else fresh(authority, who)
    reason = "Needed for the audit." if grant else "Not needed: ask the QA team."
    return access_request_decide(actor=actor, request=request, grant=grant, reason=reason)


def future(*, days: int = 30, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A whole-minute UK time some days ahead."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def restricted_audit(authority: Authority) -> Audit:
    templates_load()
    return allocated(authority)


@pytest.fixture
def api(authority: Authority) -> Clients:
    """`api(who)`: a client with a personal token of that person of the authority."""

    def make(who: str) -> Client:
        user = authority.superuser if who == "superuser" else user_for(authority, who)
        _, raw = api_token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(authority.superuser if who == "superuser" else user_for(authority, who))
    return client


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
