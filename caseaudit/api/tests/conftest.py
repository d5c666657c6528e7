"""Clients for the API: by bearer token, by browser session, or anonymous."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM), response["Content-Type"]
    body = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    assert body["status"] == status
    assert isinstance(body["errors"], list)
    return body


@pytest.fixture
def token_client(db: Any) -> Callable[[Any], Client]:
    """`token_client(user)`: a client that sends a fresh personal token of `user`."""

    def make(user: Any) -> Client:
        _, raw = api_token_create(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
