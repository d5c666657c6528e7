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
