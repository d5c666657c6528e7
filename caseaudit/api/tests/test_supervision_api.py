"""GET /api/staff/{staff_id}/supervision-agenda (ACT-4, CONTRACTS §10)."""

from collections.abc import Callable
from typing import Any

import pytest

from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog

pytestmark = pytest.mark.django_db
URL = "/api/staff/SWA/supervision-agenda"


def test_the_practice_manager_reads_the_agenda(
    authority: Authority, token_client: Callable[[Any], Any]
) -> None:
    audit = audit_with_actions(authority)
    response = token_client(user_for(authority, "practice_manager")).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["staff_id"] == "SWA" and body["since"] is None
    assert [a["audit_id"] for a in body["audits"]] == [audit.pk]
    assert {a["status"] for a in body["actions"]} == {"open"} and len(body["actions"]) == 2
    assert AccessLog.objects.filter(
        object_type="supervision_agenda", object_ref="SWA", outcome="allowed"
    ).exists()


@pytest.mark.parametrize("who", ["group_manager", "social_worker_a2", "moderator"])
def test_others_get_404(authority: Authority, token_client: Callable[[Any], Any], who: str) -> None:
    audit_with_actions(authority)
    assert_problem(token_client(user_for(authority, who)).get(URL), 404)
    assert_problem(
        token_client(user_for(authority, "practice_manager")).get("/api/staff/NOBODY/supervision-agenda"), 404
    )
