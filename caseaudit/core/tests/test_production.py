"""The README's production steps, end to end (issue 15): `migrate` and `collectstatic` with the
production settings, then gunicorn serves a real page and the static files it references,
through whitenoise, within the content security policy.

Runs against a temporary SQLite file and STATIC_ROOT whatever DATABASE_URL the suite uses."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[3]
# What the production settings read from the environment; none may leak in from the suite's.
PRODUCTION_ENV = {
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes


def _get(url: str) -> Response:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="caseaudit.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'caseaudit.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "staticfiles"),
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[str]:
    """The README's production steps; yields the address gunicorn answers on."""
    env = _production_env(tmp_path)
    # whitenoise's brotli pass over django-ninja's API-docs bundles and their source maps
    # takes ~15 s of the ~18 s collectstatic needs here; with brotli hidden, whitenoise writes
    # gzip only. Every file still goes through the manifest and its references are checked.
    no_brotli = tmp_path / "no-brotli"
    no_brotli.mkdir()
    (no_brotli / "brotli.py").write_text('raise ImportError("hidden by test_production")\n')
    collect_env = {
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(no_brotli), env.get("PYTHONPATH")])),
    }
    steps = {
        "migrate": _manage(env, "migrate", "--noinput", "-v0"),
        "collectstatic": _manage(collect_env, "collectstatic", "--noinput", "-v0"),
    }
    outputs = {name: step.communicate(timeout=120)[0] for name, step in steps.items()}
    for name, step in steps.items():
        assert step.returncode == 0, f"{name} failed with the production settings:\n{outputs[name][-3000:]}"

    # The test binds the port and hands gunicorn the socket: no race for a free port.
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 (gunicorn from this venv)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "caseaudit.config.wsgi",
                f"--bind=fd://{listener.fileno()}",
                "--workers=1",
                "--graceful-timeout=2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
    listener.close()
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{log.read_text()[-3000:]}"
            try:
                _get(base + "/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()[-3000:]}"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _same_origin_static(url: str) -> None:
    """The CSP allows `'self'` only: every asset must come from this host, under /static/."""
    parts = urlsplit(url)
    assert not parts.scheme and not parts.netloc, f"{url} is not served by this host"
    assert parts.path.startswith("/static/"), url


def test_readme_production_steps_serve_pages_and_their_static_files(production_server: str) -> None:
    base = production_server

    health = _get(base + "/healthz")
    assert health.status == 200, health.body
    assert json.loads(health.body) == {"status": "ok"}

    page = _get(base + "/accounts/sign-in/")
    assert page.status == 200, page.body[-2000:]
    html = page.body.decode()
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "img-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "script-src 'self'" in csp

    # The manifest storage names files by their content hash.
    stylesheets = re.findall(r'<link href="([^"]+)" rel="stylesheet">', html)
    scripts = re.findall(r'<script type="module" src="([^"]+)">', html)
    assert any(re.fullmatch(r"/static/caseaudit/app\.[0-9a-f]{12}\.css", s) for s in stylesheets), stylesheets
    assert any(re.fullmatch(r"/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js", s) for s in scripts), (
        scripts
    )

    for url in [*stylesheets, *scripts]:
        _same_origin_static(url)
        asset = _get(base + url)
        assert asset.status == 200, url
        # whitenoise serves hashed names as cacheable forever.
        assert "immutable" in asset.headers["Cache-Control"], (url, asset.headers["Cache-Control"])
        assert asset.body

    app_css = next(s for s in stylesheets if "/caseaudit/app." in s)
    css = _get(base + app_css).body.decode()
    assert _get(base + app_css).headers["Content-Type"].startswith("text/css")
    references = set(re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css))
    assets = {urljoin(app_css, ref) for ref in references if not ref.startswith("data:")}
    assert any(re.search(r"/govuk/assets/images/govuk-crest\.[0-9a-f]{12}\.svg$", a) for a in assets), assets
    for url in assets:
        _same_origin_static(url)
        asset = _get(base + url)
        assert asset.status == 200, f"{url}, referenced by {app_css}, answers {asset.status}"
        assert asset.body


@pytest.mark.django_db
def test_healthz_answers_ok_with_the_plain_storage_of_tests(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_static_manifest_is_missing(client: Client, tmp_path: Path) -> None:
    manifest_storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=manifest_storage, STATIC_ROOT=tmp_path):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "collectstatic" in response.json()["reason"]
