"""Journey (issue 4, SEL-6 and SEL-7): the access request, its decision and the discussion, in the
browser with axe on every page, error pages included.

Given the auditor of a restricted case,
when they ask for access (first without a reason, then with one),
and the head of service grants it (after an empty first try shows the errors),
then the auditor opens the audit and arranges the discussion (after a past date is refused);
axe finds no violations on any page visited, error pages included."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.access.models import AccessRequest
from caseaudit.access.tests.helpers import allocated, future
from caseaudit.audits.models import Discussion
from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_request_decide_and_arrange_pass_axe(page: Any, axe_check: Any, authority: Authority) -> None:
    templates_load()
    audit = allocated(authority)
    gmb, hos = authority.people["group_manager"], authority.people["head_of_service"]

    sign_in(page, gmb.email)
    page.goto("/cases/C-RESTRICTED/")
    axe_check(page)
    page.get_by_role("button", name="Request access").click()
    axe_check(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Why do you need to open this record?").fill("I audit this case in December.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Access requested").first).to_be_visible()
    axe_check(page)

    sign_in(page, hos.email)
    page.goto("/access-requests/")
    axe_check(page)
    page.get_by_role("link", name="Decide").click()
    axe_check(page)
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Grant access").check()
    page.get_by_label("Your reason").fill("Needed for the December audit.")
    page.get_by_role("button", name="Save decision").click()
    axe_check(page)
    assert AccessRequest.objects.get().status == "granted"

    sign_in(page, gmb.email)
    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Arrange the discussion").click()
    axe_check(page)
    past = future(days=-3)
    page.get_by_label("Day").fill(str(past.day))
    page.get_by_label("Month").fill(str(past.month))
    page.get_by_label("Year").fill(str(past.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place (optional if you give an online link)").fill("Team office, room 2")
    page.get_by_role("button", name="Arrange and send the invite").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    when = future(days=14)
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_role("button", name="Arrange and send the invite").click()
    page.wait_for_url(f"**/audits/{audit.pk}/#discussion")
    axe_check(page)
    assert Discussion.objects.get(audit=audit).location == "Team office, room 2"
    page.goto(f"/audits/{audit.pk}/discussion/")
    axe_check(page)
