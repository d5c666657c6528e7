"""Journey (issue 4, SEL-1..6), one continuous run from the draft to the opened restricted record.

Given an authority with three group managers and an eligible restricted case,
when a QA officer drafts December, filters the table to the restricted case and gives it to
another auditor (a first try without a reason is refused), then confirms the allocation,
then that auditor signs in and finds the case in "My audits", shown only as "Restricted",
and asks for access with a reason;
and the approver (the head of service above the worker) sees the request and grants it;
then the auditor opens the audit and the child's page from "My audits".
axe finds no violations on any page visited, error pages included.
(The discussion and the refusals of the access pages are test_access_journey's.)"""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.access.models import AccessRequest
from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.tests.helpers import council, templates
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority", "council", "templates"]  # fixtures used by the journey
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_from_the_draft_to_the_auditor_opening_the_restricted_case(
    page: Any, axe_check: Any, council: Authority
) -> None:
    restricted = council.cases["restricted"]
    gmc = council.people["group_manager_c"]

    # The QA officer drafts December, from a home page that shows where the allocation stands.
    sign_in(page, council.people["qa_officer"].email)
    expect(page.get_by_role("heading", name="Monthly allocation")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Allocation", exact=True).click()
    axe_check(page)
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Run draft").click()
    expect(page.get_by_role("heading", name="December 2026")).to_be_visible()
    axe_check(page)
    run = AllocationRun.objects.get()
    assert run.items.get(case=restricted).auditor.staff_id == "GMB"  # the solver's choice

    # ... finds the restricted case: the table names it without the child's details ...
    page.get_by_label("Show").select_option("restricted")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("1 of 3 cases match your filters")).to_be_visible()
    assert page.get_by_text(restricted.child.name).count() == 0
    axe_check(page)

    # ... and gives it to Gwen North, in the case's own area.
    page.get_by_role("link", name=f"Change case {restricted.case_id}").click()
    axe_check(page)
    page.get_by_label("Auditor").select_option("GMC")
    page.get_by_role("button", name="Save change").click()  # no reason: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Auditor").select_option("GMC")
    page.get_by_label("Reason for the change").fill("GMB is on leave in December")
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_text(f"Case {restricted.case_id} is now allocated to Gwen North")).to_be_visible()
    axe_check(page)

    # The QA officer confirms; the passed-over cases and the settings are one click away.
    page.get_by_role("button", name="Confirm allocation").click()  # a link styled as a button
    axe_check(page)
    page.get_by_role("button", name="Confirm allocation").click()
    expect(page.get_by_role("heading", name="Allocation confirmed")).to_be_visible()
    expect(page.get_by_text("21 December 2026")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="See the allocation").click()
    page.get_by_role("link", name="See every case passed over, with its reason").click()
    axe_check(page)
    page.goto("/allocation/settings/")
    axe_check(page)
    audit = Audit.objects.get(case=restricted)
    assert (audit.status, audit.auditor) == (Audit.Status.ALLOCATED, gmc)

    # The auditor's home page says what there is to do; they find the case in My audits, but may
    # not open it yet.
    sign_in(page, gmc.email)
    expect(page.get_by_text("You have 2 audits to do. The next is due by 21 December 2026.")).to_be_visible()
    expect(page.get_by_text("1 case restricted: ask for access before you can open it.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Go to My audits").click()
    expect(page.get_by_role("heading", name="My audits")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text=restricted.case_id)
    expect(row).to_have_count(1)
    assert "21 December 2026" in row.inner_text() and "Restricted" in row.inner_text()
    assert restricted.child.name not in row.inner_text()
    assert row.get_by_role("link", name="Open the audit").count() == 0
    axe_check(page)
    page.goto(f"/audits/{audit.pk}/")
    assert page.get_by_text(restricted.child.name).count() == 0  # closed until access is granted
    axe_check(page)
    page.goto("/my-audits/")

    # ... and asks for access, with a reason.
    row.get_by_role("link", name=f"Request access to case {restricted.case_id}").click()
    axe_check(page)
    page.get_by_label("Why do you need to open this record?").fill("I audit this case in December.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Access requested").first).to_be_visible()
    axe_check(page)

    # The approver, the head of service above the worker, grants it.
    sign_in(page, council.people["head_of_service"].email)
    waiting = page.get_by_text("1 request to open a restricted record is waiting for your decision.")
    expect(waiting).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Decide on access requests").click()
    axe_check(page)
    page.get_by_role("link", name="Decide").click()
    axe_check(page)
    page.get_by_label("Grant access").check()
    page.get_by_label("Your reason").fill("Needed for the December audit.")
    page.get_by_role("button", name="Save decision").click()
    axe_check(page)
    assert AccessRequest.objects.get(case=restricted).status == "granted"

    # The auditor now opens the audit and the child's page from My audits.
    sign_in(page, gmc.email)
    page.get_by_role("link", name="My audits", exact=True).click()
    row = page.locator("tbody tr").filter(has_text=restricted.case_id)
    assert restricted.child.name in row.inner_text()
    row.get_by_role("link", name=f"Open the audit of case {restricted.case_id}").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")
    expect(page.get_by_text(restricted.child.name).first).to_be_visible()
    axe_check(page)
    page.goto(f"/children/{restricted.child.child_id}/")
    expect(page.get_by_role("heading", name=restricted.child.name)).to_be_visible()
    axe_check(page)
