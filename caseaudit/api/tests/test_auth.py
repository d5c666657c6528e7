"""INT-3 auth: a personal bearer token first, then the browser session; otherwise 401."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create, api_token_revoke
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.org.tests.factories import StaffFactory

ENDPOINTS = [
    ("get", "/api/teams"),
    ("get", "/api/staff"),
    ("get", "/api/cases"),
    ("get", "/api/cases/C-ANY"),
    ("post", "/api/register/imports"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_not_signed_in_is_401_problem(client: Client, db: Any, method: str, url: str) -> None:
    response = getattr(client, method)(url)
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in body["detail"].lower() or "sign in" in body["detail"].lower()


def test_bearer_token_signs_in_as_its_owner(token_client: Callable[[Any], Client]) -> None:
    qa = StaffFactory(roles=["qa_officer"])
    response = token_client(qa.user).get("/api/cases")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


def test_revoked_token_is_401(db: Any) -> None:
    staff = StaffFactory(roles=["social_worker"])
    token, raw = api_token_create(user=staff.user, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/teams").status_code == 200
    api_token_revoke(user=staff.user, token=token)
    body = assert_problem(api.get("/api/teams"), 401)
    assert "revoked" in body["detail"]


@pytest.mark.parametrize("header", ["Bearer ca_not-a-real-token", "Bearer ", "bearer nonsense"])
def test_unknown_token_is_401(db: Any, header: str) -> None:
    assert_problem(Client(HTTP_AUTHORIZATION=header).get("/api/teams"), 401)


def test_token_of_a_deactivated_account_is_401(db: Any) -> None:
    staff = StaffFactory(roles=["social_worker"])
    _, raw = api_token_create(user=staff.user, name="script")
    staff.user.is_active = False
    staff.user.save()
    assert_problem(Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/teams"), 401)


def test_a_bad_token_is_not_rescued_by_the_session(client: Client, db: Any) -> None:
    """A client that presents a credential means to use it: no silent fall-back."""
    client.force_login(StaffFactory(roles=["qa_officer"]).user)
    assert client.get("/api/teams").status_code == 200
    assert_problem(client.get("/api/teams", HTTP_AUTHORIZATION="Bearer ca_wrong"), 401)


def test_session_signs_in(client: Client, db: Any) -> None:
    client.force_login(StaffFactory(roles=["social_worker"]).user)
    assert client.get("/api/teams").status_code == 200


def test_token_wins_over_the_session(db: Any, token_client: Callable[[Any], Client]) -> None:
    social_worker = StaffFactory(roles=["social_worker"])
    qa = StaffFactory(roles=["qa_officer"])
    api = token_client(qa.user)
    api.force_login(social_worker.user)
    # QA may import; the social worker may not (403). The token's owner is the caller.
    assert_problem(api.post("/api/register/imports"), 400)  # past the permission check: no files
    session_only = Client()
    session_only.force_login(social_worker.user)
    assert_problem(session_only.post("/api/register/imports"), 403)


def test_session_needs_csrf_for_unsafe_methods(db: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(StaffFactory(roles=["qa_officer"]).user)
    body = assert_problem(browser.post("/api/register/imports"), 403)
    assert "CSRF" in body["detail"]
    # Safe methods need no CSRF token.
    assert browser.get("/api/cases").status_code == 200


def test_session_with_csrf_token_passes(db: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(StaffFactory(roles=["qa_officer"]).user)
    browser.get("/api/docs")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/register/imports", HTTP_X_CSRFTOKEN=token)
    assert_problem(response, 400)  # past auth and CSRF: the files are missing


def test_token_clients_need_no_csrf_token(db: Any) -> None:
    qa = StaffFactory(roles=["qa_officer"])
    _, raw = api_token_create(user=qa.user, name="script")
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_problem(api.post("/api/register/imports"), 400)  # not 403: no CSRF needed


def test_not_signed_in_post_is_401_not_a_csrf_failure(db: Any) -> None:
    assert_problem(Client(enforce_csrf_checks=True).post("/api/register/imports"), 401)
