"""CONTRACTS §4: every error of the API is application/problem+json (RFC 9457)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.org.tests.factories import StaffFactory


@pytest.fixture
def api(token_client: Callable[[Any], Client]) -> Client:
    return token_client(StaffFactory(roles=["qa_officer"]).user)


@pytest.mark.parametrize("url", ["/api/", "/api/nope", "/api/cases/C1/extra", "/api/teams/"])
def test_unknown_route_is_404_problem(api: Client, url: str) -> None:
    body = assert_problem(api.get(url), 404)
    assert body["type"].endswith("/not-found")


def test_unknown_route_is_404_problem_even_signed_out(client: Client, db: Any) -> None:
    assert_problem(client.get("/api/nope"), 404)


@pytest.mark.parametrize(
    ("method", "url"), [("delete", "/api/teams"), ("put", "/api/cases/C1"), ("get", "/api/register/imports")]
)
def test_wrong_method_is_405_problem(api: Client, method: str, url: str) -> None:
    response = getattr(api, method)(url)
    body = assert_problem(response, 405)
    assert response["Allow"]
    assert method.upper() in body["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "first"}, "page"),
        ({"page_size": "501"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"case_type": "not_a_type"}, "case_type"),
        ({"status": "pending"}, "status"),
    ],
)
def test_malformed_request_is_400_with_the_field(api: Client, query: dict[str, str], field: str) -> None:
    body = assert_problem(api.get("/api/cases", query), 400)
    assert body["type"].endswith("/bad-request")
    assert [(e["ref"], e["field"]) for e in body["errors"]] == [("query", field)]
    assert body["errors"][0]["message"]


def test_unknown_role_filter_is_400(api: Client) -> None:
    body = assert_problem(api.get("/api/staff", {"role": "wizard"}), 400)
    assert body["errors"][0]["field"] == "role"


def test_unexpected_error_is_500_problem_and_logged(
    api: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("caseaudit.api.routers.organisation.team_list", broken)
    body = assert_problem(api.get("/api/teams"), 500)
    assert "fire" not in body["detail"]  # internals are logged, not shown
    assert "database on fire" in caplog.text


def test_problem_types_are_stable_uris(api: Client, client: Client) -> None:
    assert assert_problem(client.get("/api/teams"), 401)["type"].endswith("/not-signed-in")
    assert assert_problem(api.get("/api/cases/NOPE"), 404)["title"] == "Not found"


# --- bodies that cannot be read: 400, never 500, whichever endpoint -------------------------------

UNREADABLE_BODIES = [
    pytest.param("multipart/form-data", b"--x\r\n", id="multipart-without-boundary"),
    pytest.param("multipart/form-data; boundary=", b"--\r\n", id="multipart-with-empty-boundary"),
    pytest.param("multipart/form-data; boundary=\u00e9", b"--\r\n", id="multipart-with-non-ascii-boundary"),
]


@pytest.mark.parametrize(("content_type", "body"), UNREADABLE_BODIES)
def test_an_upload_whose_multipart_body_cannot_be_read_is_400_problem(
    api: Client, caplog: pytest.LogCaptureFixture, content_type: str, body: bytes
) -> None:
    response = api.generic("POST", "/api/register/imports", body, content_type=content_type)
    problem = assert_problem(response, 400)
    assert "boundary" in problem["detail"]
    assert [e["ref"] for e in problem["errors"]] == ["body"]
    assert "Unexpected error" not in caplog.text


@pytest.mark.parametrize("url", ["/api/register/imports", "/api/audits"])
def test_an_unreadable_multipart_body_is_400_for_a_browser_session_too(db: Any, url: str) -> None:
    """The session's CSRF check reads the form of any POST before the endpoint does: 400, not 500."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(StaffFactory(roles=["qa_officer"]).user)
    browser.cookies["csrftoken"] = "a" * 32  # a cookie but no header: the check reads the form
    response = browser.generic("POST", url, b"--x\r\n", content_type="multipart/form-data")
    assert "boundary" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize("body", [b"{not json", b'{"case_id": "C1",', b"\xff\xfe\x00garbage"])
def test_a_json_body_that_does_not_parse_is_400_naming_the_body(api: Client, body: bytes) -> None:
    problem = assert_problem(api.generic("POST", "/api/audits", body, content_type="application/json"), 400)
    assert "not valid JSON" in problem["detail"]
    assert [(e["ref"], e["field"]) for e in problem["errors"]] == [("body", None)]


def test_a_body_over_the_size_limit_is_413_problem(api: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = api.generic(
        "POST", "/api/audits", b'{"case_id": "C1", "audit_type": "x"}', content_type="application/json"
    )
    problem = assert_problem(response, 413)
    assert "10 bytes" in problem["detail"]
