"""/api/docs renders Swagger UI from this host only; /api/openapi.json describes the API."""

import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from caseaudit.org.tests.factories import StaffFactory

PATHS = {
    "/api/teams": "get",
    "/api/staff": "get",
    "/api/cases": "get",
    "/api/cases/{case_id}": "get",
    "/api/register/imports": "post",
}


def test_docs_need_sign_in(client: Client, db: Any) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/sign-in/?next=/api/docs"
    )
    assert client.get("/api/openapi.json").status_code == 200  # the schema stays open to API clients


def test_docs_render_with_no_external_urls(client: Client, db: Any) -> None:
    client.force_login(StaffFactory().user)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]", html, re.IGNORECASE), (
        "an external URL in the docs"
    )
    assert '<html lang="en">' in html and "<main" in html and 'href="/">Back to caseaudit</a>' in html
    links = ('href="/">Back to caseaudit', 'href="/api/openapi.json">openapi.json')
    for link in links:
        assert link in html
        html = html.replace(link, "")
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for url in assets:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"


def test_openapi_lists_the_paths_with_tags_and_problems(client: Client, db: Any) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "caseaudit API"
    for path, method in PATHS.items():
        operation = schema["paths"][path][method]
        assert operation["summary"]
        assert operation["description"]
        assert operation["tags"][0] in {"organisation", "cases", "register"}
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                assert list(answer["content"]) == ["application/problem+json"], (path, status)
    assert schema["paths"]["/api/cases"]["get"]["tags"] == ["cases"]
    assert schema["paths"]["/api/register/imports"]["post"]["tags"] == ["register"]
    query = {p["name"] for p in schema["paths"]["/api/cases"]["get"]["parameters"]}
    assert {"page", "page_size", "search", "team_id", "case_type", "status", "area", "worker_id"} <= query
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
