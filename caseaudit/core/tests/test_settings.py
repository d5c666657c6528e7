"""Production refuses an insecure secret; configured by environment only."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    full_env["DJANGO_SETTINGS_MODULE"] = "caseaudit.config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_default_secret() -> None:
    result = _check({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret() -> None:
    result = _check({"SECRET_KEY": "q8w!N2#z" * 8, "ALLOWED_HOSTS": "caseaudit.council.example"})
    assert result.returncode == 0, result.stderr


def test_security_headers(client: object, db: object) -> None:
    response = client.get("/accounts/sign-in/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_make_run_shows_the_plain_not_found_page_not_the_debug_page(tmp_path: Path) -> None:
    """Issue 9 B9: `make run` (local settings) had DEBUG on, so a denied record showed Django's debug
    page listing every URL. DEBUG is off (so handler404's plain page answers) unless asked for."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="caseaudit.config.settings.local", DATABASE_URL=f"sqlite:///{tmp_path}/db"
    )
    script = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"

    def debug_with(environment: dict[str, str]) -> str:
        result = subprocess.run(  # noqa: S603  (our own interpreter and script)
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert debug_with(env) == "False"
    assert debug_with({**env, "DEBUG": "true"}) == "True"


def test_a_form_upload_that_cannot_be_read_is_a_plain_400_page(client: Any, db: Any) -> None:
    """Issue 15 item 5: a multipart upload without its boundary, on a page (the API answers a problem)."""
    from caseaudit.org.tests.factories import StaffFactory

    client.force_login(StaffFactory(roles=["qa_officer"]).user)
    response = client.generic(
        "POST", "/register/import/", b"--x\r\nbroken", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sorry, the request could not be read" in body and "govuk-template" in body


def test_healthz_answers_503_when_the_database_does_not(client: Any, db: Any, monkeypatch: Any) -> None:
    """It answered 500 (the query's error uncaught); a load balancer reads 503 as "take me out"."""
    from django.db import DatabaseError

    class Unreachable:
        def cursor(self) -> Any:
            raise DatabaseError("connection refused")

    monkeypatch.setattr("caseaudit.core.views.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["reason"] == "the database does not answer"
