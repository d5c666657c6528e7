"""SEL-7 over the API (INT-3, CONTRACTS §4): the audit discussion with the same services and
permissions as the page, errors as problem+json — 404 unknown or not visible, 403 may see but may
not do, 422 refused."""

import json
from typing import Any

import pytest

from caseaudit.access.tests.helpers import Clients, allocated, api, ask, decide, future, restricted_audit
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit, Discussion
from caseaudit.conftest import Authority

__all__ = ["api", "restricted_audit"]

pytestmark = pytest.mark.usefixtures("restricted_audit")


def send(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def fields(problem: dict[str, Any]) -> set[str | None]:
    return {error["field"] for error in problem["errors"]}


def discussion_body(**changes: Any) -> dict[str, Any]:
    body = {
        "starts_at": future(hour=10).isoformat(),
        "duration_minutes": 60,
        "location": "Room 2",
        "online_link": "",
    }
    body.update(changes)
    return body


def test_arranging_changing_and_cancelling(
    authority: Authority, api: Clients, restricted_audit: Audit
) -> None:
    url = f"/api/audits/{restricted_audit.pk}/discussion"
    client = api("group_manager")
    assert_problem(send(client, "put", url, discussion_body()), 404)  # not granted yet
    decide(authority, ask(authority), grant=True)
    response = send(client, "put", url, discussion_body())
    assert response.status_code == 200, response.content
    first = response.json()
    assert first["sequence"] == 0 and first["uid"].endswith("@caseaudit") and first["cancelled"] is False
    changed = send(client, "put", url, discussion_body(starts_at=future(hour=11).isoformat())).json()
    assert (changed["uid"], changed["sequence"]) == (first["uid"], 1)
    assert client.get(url).json()["sequence"] == 1
    cancelled = client.delete(url)
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert cancelled.json()["sequence"] == 2
    assert_problem(client.delete(url), 422)
    assert Discussion.objects.get().cancelled


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "2030-01-07T10:00:00"}, "starts_at"),  # no offset
        ({"starts_at": "2020-01-07T10:00:00+00:00"}, "starts_at"),
        ({"location": "", "online_link": ""}, "location"),
        ({"online_link": "ftp://example.test/x"}, "online_link"),
        ({"duration_minutes": 1000}, "duration_minutes"),
    ],
)
def test_discussion_refusals(authority: Authority, api: Clients, changes: dict[str, Any], field: str) -> None:
    audit = allocated(authority, "own_team")
    response = send(
        api("group_manager"), "put", f"/api/audits/{audit.pk}/discussion", discussion_body(**changes)
    )
    assert field in fields(assert_problem(response, 422))


def test_only_the_auditor_arranges(authority: Authority, api: Clients) -> None:
    audit = allocated(authority, "own_team")
    url = f"/api/audits/{audit.pk}/discussion"
    assert_problem(send(api("social_worker"), "put", url, discussion_body()), 403)  # sees it, may not
    assert_problem(send(api("qa_officer"), "put", url, discussion_body()), 403)
    assert_problem(api("qa_officer").delete(url), 403)
    assert_problem(send(api("administrator"), "put", url, discussion_body()), 404)  # may not see it
    assert_problem(api("social_worker").get(url), 404)  # not arranged yet
    assert_problem(send(api("group_manager"), "put", "/api/audits/999999/discussion", discussion_body()), 404)
