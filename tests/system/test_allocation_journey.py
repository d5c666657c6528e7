"""Journey (issue 4, the allocation's part): a QA officer drafts December, changes one auditor,
and confirms; the auditor signs in and sees the case in "My audits". axe finds no violations on
any page visited. (The access request and the discussion are journeys of their own pages.)"""

from typing import Any

import pytest

from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.tests.test_services_helpers import council, templates
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority", "council", "templates"]  # fixtures used by the journey
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_qa_officer_drafts_changes_and_confirms_and_the_auditor_sees_it(
    page: Any, axe_check: Any, council: Authority
) -> None:
    sign_in(page, council.people["qa_officer"].email)
    page.get_by_role("link", name="Allocation", exact=True).click()
    axe_check(page)
    page.get_by_label("Month", exact=True).fill("12")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Run draft").click()
    assert page.get_by_role("heading", name="December 2026").is_visible()
    axe_check(page)
    run = AllocationRun.objects.get()
    item = run.items.select_related("case").get(auditor__staff_id="GMA")

    page.get_by_role("link", name=f"Change case {item.case.case_id}").click()
    axe_check(page)
    page.get_by_role("button", name="Save change").click()  # no reason: refused
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)
    page.get_by_label("Auditor").select_option("GMC")
    page.get_by_label("Reason for the change").fill("GMA is on leave in December")
    page.get_by_role("button", name="Save change").click()
    assert page.get_by_text(f"Case {item.case.case_id} is now allocated to Gwen North").is_visible()
    axe_check(page)
    page.get_by_label("Show").select_option("warnings")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_text("1 of 3 cases match your filters").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Confirm allocation").click()  # a link styled as a button
    axe_check(page)
    page.get_by_role("button", name="Confirm allocation").click()
    assert page.get_by_role("heading", name="Allocation confirmed").is_visible()
    assert page.get_by_text("21 December 2026").is_visible()
    axe_check(page)
    page.get_by_role("link", name="See the allocation").click()
    page.get_by_role("link", name="See every case passed over, with its reason").click()
    axe_check(page)
    page.goto("/allocation/settings/")
    axe_check(page)

    sign_in(page, council.people["group_manager_c"].email)
    page.get_by_role("link", name="My audits").click()
    row = page.locator("tbody tr").filter(has_text=item.case.case_id)
    assert row.count() == 1 and "21 December 2026" in row.inner_text()
    axe_check(page)
