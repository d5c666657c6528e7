"""Journey (issue 2): a QA officer imports the register, fixes a bad row, finds a child.

Given a QA officer and a register export with one bad row,
when they upload it they see the error summary naming the line and column,
and when they fix it and upload again, the register is imported,
and they can find the child and open the child's page — with no axe violations anywhere."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.org.tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TEAMS = """team_id,team_name,service_area,geographical_area,eligible_for_audit
T1,Assessment & Intervention North,Children's Social Work,North,yes
T2,Early Help South,Early Help,South,yes
"""
STAFF = """staff_id,name,email,job_role,team_id,line_manager_id,roles
S1,Avery Hollis,avery.hollis@council.example,Head of Service,,,head_of_service
S2,Blake Carrow,blake.carrow@council.example,Practice Manager,T1,S1,practice_manager
S3,Casey Dunmore,casey.dunmore@council.example,Social Worker,T1,S2,social_worker
S4,Devon Ellery,devon.ellery@council.example,Family Practitioner,T2,S1,social_worker
Q1,Quinn Archer,quinn.archer@council.example,QA Officer,,,qa_officer
"""
CASES_HEADER = (
    "case_id,child_id,child_name,date_of_birth,team_id,allocated_worker_id,case_type,"
    "start_date,closed_date,restricted,last_audited_on\n"
)
GOOD_ROW_2 = "C1,CH1,Juniper Quayle,2014-05-02,T1,S3,cin,2026-02-01,,no,\n"
BAD_ROW_3 = "C2,CH2,Rowan Tessaly,02/09/2019,T999,S4,early_help,2026-06-15,,no,2026-09-01\n"
FIXED_ROW_3 = "C2,CH2,Rowan Tessaly,02/09/2019,T2,S4,early_help,2026-06-15,,no,2026-09-01\n"


def write_register(folder: Path, cases_rows: str) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "teams.csv").write_text(TEAMS)
    (folder / "staff.csv").write_text(STAFF)
    (folder / "cases.csv").write_text(CASES_HEADER + cases_rows)
    return [str(folder / name) for name in ("teams.csv", "staff.csv", "cases.csv")]


def test_qa_officer_imports_register_and_finds_a_child(page: Any, axe_check: Any, tmp_path: Path) -> None:
    # The QA officer is in the export too (someone missing from it is deactivated).
    qa = StaffFactory(
        staff_id="Q1",
        email="quinn.archer@council.example",
        team=None,
        roles=["qa_officer"],
        name="Quinn Archer",
    )

    # Given a signed-in QA officer
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(qa.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    axe_check(page)

    # When they upload a register with a bad row
    page.get_by_role("link", name="Import register").first.click()
    axe_check(page)
    page.get_by_label("Register file").set_input_files(
        write_register(tmp_path / "bad", GOOD_ROW_2 + BAD_ROW_3)
    )
    page.get_by_role("button", name="Upload and import").click()

    # Then the error summary names the line and the column, and nothing is imported
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "cases.csv line 3, column team_id" in summary.inner_text()
    assert "T999" in summary.inner_text()
    axe_check(page)

    # When they fix the row and upload again
    page.get_by_label("Register file").set_input_files(
        write_register(tmp_path / "good", GOOD_ROW_2 + FIXED_ROW_3)
    )
    page.get_by_role("button", name="Upload and import").click()

    # Then the register is imported
    page.get_by_text("Juniper", exact=False).count()  # page has settled
    body = page.locator("main").inner_text()
    assert "imported" in body.lower()
    assert page.locator(".govuk-error-summary").count() == 0
    axe_check(page)

    # And they can find the child and open the child's page
    page.get_by_role("link", name="Cases", exact=True).click()
    axe_check(page)
    page.get_by_label("Case ID, child ID or child's name").fill("Rowan")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#result-count")).to_contain_text("1 case")
    axe_check(page)
    page.get_by_role("link", name="C2", exact=True).click()
    page.wait_for_url("**/children/CH2/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Rowan Tessaly"
    assert "2 September 2019" in page.locator("main").inner_text()
    assert "Devon Ellery" in page.locator("main").inner_text()
    axe_check(page)
