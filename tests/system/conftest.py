"""Browser journeys: Playwright for Python driving Debian's Chromium, with axe on every page.

Never downloads a browser: it uses /usr/bin/chromium. Where that is missing the journeys
are skipped with a loud warning, except under CI=true, where a missing browser fails."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's ORM use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = (
        "\n" + "!" * 72 + "\n!!! /usr/bin/chromium is missing: browser journeys (tests/system) SKIPPED.\n"
        "!!! Install Debian's chromium package (make test does it as root).\n" + "!" * 72
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("CI=true and " + message, pytrace=False)
    print(message)
    pytest.skip("Debian chromium is not installed (see the warning above)")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe_check() -> Any:
    """`axe_check(page)` fails with each violation and the selectors where it happens."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    visited: list[str] = []

    def check(page: Any) -> None:
        results = _run_settled(axe, page)
        visited.append(page.url)
        if results.violations_count:
            details = []
            for violation in results.response["violations"]:
                targets = [", ".join(node["target"]) for node in violation["nodes"]]
                details.append(f"{violation['id']}: {violation['help']} at {targets}")
            pytest.fail(f"axe violations on {page.url}:\n" + "\n".join(details), pytrace=False)

    check.visited = visited
    return check


def _run_settled(axe: Any, page: Any) -> Any:
    """axe on the page a click has just led to. Playwright's click does not wait for the
    navigation it starts, so wait until the network is quiet (the new page has loaded), and
    run again should a late navigation replace the page under axe."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("networkidle")
        try:
            return axe.run(page)
        except PlaywrightError as error:
            if attempt == 2 or "context was destroyed" not in str(error):
                raise
    raise AssertionError("unreachable")


def sign_in(page: Any, email: str) -> None:
    """Sign in through the sign-in page as `email` (signing out whoever was signed in)."""
    from caseaudit.org.tests.factories import TEST_PASSWORD

    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
