"""Helpers shared by the access-request and discussion tests (no tests here): the restricted case's
audit allocated to GMB, requests made and decided through the real services, API clients."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from caseaudit.accounts.services import api_token_create
from caseaudit.allocation.access import access_request_create, access_request_decide
from caseaudit.allocation.models import AccessRequest
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
