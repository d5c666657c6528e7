"""The browser and axe themselves work: sign in and see the home page, with no violations."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.org.tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_and_home_pass_axe(page: Any, axe_check: Any) -> None:
    staff = StaffFactory(roles=["social_worker"], name="Robin Example")
    page.goto("/")
    assert "Sign in" in page.title()
    axe_check(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    expect(page.get_by_text("Signed in as Robin Example")).to_be_visible()
    axe_check(page)
    page.goto("/cases/")
    axe_check(page)
    page.goto("/organisation/teams/")
    axe_check(page)
