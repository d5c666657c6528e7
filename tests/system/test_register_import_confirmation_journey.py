"""Journey (issue 15): an import that would deactivate most staff is confirmed before it runs.

Given a QA officer and an imported register,
when they upload a later staff.csv that leaves most people out,
they are told exactly how many staff would be deactivated and nothing is imported,
and when they tick the box and choose the file again, it is imported and the result counts
the deactivations — with no axe violations anywhere."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import TEST_PASSWORD, StaffFactory
from tests.system.test_register_import_journey import CASES_HEADER, GOOD_ROW_2, STAFF, TEAMS

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_qa_officer_confirms_an_import_that_deactivates_most_staff(
    page: Any, axe_check: Any, tmp_path: Path
) -> None:
    qa = StaffFactory(
        staff_id="Q1",
        email="quinn.archer@council.example",
        team=None,
        roles=["qa_officer"],
        name="Quinn Archer",
    )
    first = tmp_path / "first"
    first.mkdir()
    (first / "teams.csv").write_text(TEAMS)
    (first / "staff.csv").write_text(STAFF)
    (first / "cases.csv").write_text(CASES_HEADER + GOOD_ROW_2)
    later = tmp_path / "later" / "staff.csv"
    later.parent.mkdir()
    later.write_text("".join(STAFF.splitlines(keepends=True)[:2]))  # the header and S1 only

    # Given a signed-in QA officer and an imported register
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(qa.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    page.goto("/register/import/")
    page.get_by_label("Register file").set_input_files(
        [str(first / name) for name in ("teams.csv", "staff.csv", "cases.csv")]
    )
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()

    # When they upload a staff.csv that leaves S2, S3 and S4 out
    page.goto("/register/import/")
    page.get_by_label("Register file").set_input_files(str(later))
    page.get_by_role("button", name="Upload and import").click()

    # Then they are told how many would be deactivated, and nothing is imported yet
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This import would deactivate 3 of the 5 active staff")
    assert Staff.objects.filter(is_active=True).count() == 5
    axe_check(page)

    # When they tick the box and choose the file again
    page.get_by_label("Yes, deactivate 3 staff and take 0 cases out of the latest import").check()
    page.get_by_label("Register file").set_input_files(str(later))
    page.get_by_role("button", name="Upload and import").click()

    # Then it is imported, and the result counts the deactivations
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(
        "Staff deactivated, with their sign-ins, because they are not in this import: 3"
    )
    assert Staff.objects.filter(is_active=True).count() == 2  # S1, and the QA officer importing
    axe_check(page)
