"""The pages no workflow journey walks through, each checked with axe: API tokens (empty, refused,
a token just created), a team, a case (in full, and restricted as QA sees it), the page for a
record one may not see, and the invitation page (valid, refused, and a link no longer valid)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.services import invitation_path
from caseaudit.conftest import Authority, authority
from caseaudit.org.tests.factories import StaffFactory
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_tokens_team_case_and_not_found_pages_pass_axe(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    sign_in(page, authority.people["qa_officer"].email)
    page.goto("/accounts/tokens/")
    axe_check(page)
    page.get_by_role("button", name="Create token").click()  # no name: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Name").fill("Quarterly report script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    axe_check(page)

    page.goto("/organisation/teams/TA/")
    expect(page.get_by_role("heading", name="Assessment North")).to_be_visible()
    axe_check(page)
    page.goto("/cases/C-OWN/")
    axe_check(page)
    page.goto("/cases/C-RESTRICTED/")
    expect(page.get_by_text("Restricted").first).to_be_visible()
    assert page.get_by_text(authority.cases["restricted"].child.name).count() == 0
    axe_check(page)

    sign_in(page, authority.people["social_worker"].email)
    response = page.goto("/cases/C-OTHER/")
    assert response is not None and response.status == 404
    axe_check(page)


def test_the_invitation_page_passes_axe(page: Any, axe_check: Any, db: Any) -> None:
    newcomer = StaffFactory(roles=["social_worker"], name="Nia Newcomer")
    user = newcomer.user
    user.set_unusable_password()
    user.save()
    link = invitation_path(user=user)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Set password").click()  # nothing typed: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    user.set_password("a-password-chosen-already-2026")  # the link is used up
    user.save()
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", name="This invitation link has expired")).to_be_visible()
    axe_check(page)


def test_the_api_documentation_passes_axe_and_leads_back(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    """Issue 9 B10: /api/docs asks for sign-in, links back to the app and passes axe."""
    page.goto("/api/docs")
    expect(page.get_by_role("heading", name="Sign in to caseaudit")).to_be_visible()
    sign_in(page, authority.people["qa_officer"].email)
    page.goto("/api/docs")
    expect(page.get_by_role("heading", name="caseaudit API: documentation")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()  # Swagger UI has drawn the operations
    axe_check(page)
    page.locator(".opblock-summary-control").first.click()  # one operation opened
    expect(page.locator(".opblock-body").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to caseaudit").click()
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
