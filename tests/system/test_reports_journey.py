"""Journeys (issue 12, QA-1..4): a QA officer reads the figures and follows one to its audits; then
works the quarter's themes and downloads the quarterly report.

Given a year of generated audits of the synthetic authority,
when the QA officer opens Reports, narrows it to a period and breaks it down by auditor,
follows the number of audits graded Good to the list of those audits (restricted ones counted,
not listed), opens one of them,
and then reads moderation agreement for one auditor,
then every number they followed matches what the list holds;
axe finds no violations on any page visited."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, authority
from caseaudit.moderation.sampling import Quarter
from caseaudit.reports.tests.generated import free_text_audits, generate
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_qa_reads_the_dashboard_and_follows_a_figure(page: Any, axe_check: Any, authority: Authority) -> None:
    templates_load()
    generate(authority, seed=21, count=60)
    sign_in(page, authority.people["qa_officer"].email)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Reports: "))).to_be_visible()
    axe_check(page)

    page.get_by_label("Period").select_option("2026Q4")
    page.get_by_label("Break down by").select_option("auditor")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name="Reports: October to December 2026")).to_be_visible()
    expect(page.get_by_role("heading", name="By auditor")).to_be_visible()
    axe_check(page)

    good = page.locator("#table-overall").get_by_role("link", name=re.compile(r"Good, Effective"))
    number = int(good.inner_text().split()[0])
    good.click()
    expect(page.get_by_role("heading", name="Audits graded Good overall")).to_be_visible()
    expect(page.locator("#figure-count")).to_contain_text(f"{number} counted")
    listed = page.locator("table tbody tr")
    assert page.get_by_text("C-RESTRICTED").count() == 0
    text = page.locator("#figure-count").inner_text()
    found = re.search(r"(\d+) listed here", text)
    expect(listed).to_have_count(int(found.group(1)) if found else number)
    axe_check(page)
    first = listed.first.get_by_role("link").first
    case_id = first.inner_text()
    first.click()
    expect(page.get_by_text(case_id).first).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Back to the figures").click()
    page.locator("#table-actions").get_by_role("link", name=re.compile(r"^\d+ – Open")).click()
    expect(page.get_by_role("heading", name="Open actions")).to_be_visible()
    axe_check(page)

    page.goto("/reports/agreement/?from=2026-01-01&to=2027-12-31")
    expect(page.get_by_role("heading", name="Moderation agreement")).to_be_visible()
    axe_check(page)
    page.locator("#agreement-groups").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="What the moderators changed, and why")).to_be_visible()
    axe_check(page)


def test_qa_works_the_themes_and_downloads_the_quarterly_report(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    """QA suggests the quarter's themes, confirms one, merges two, writes what we will do next and
    downloads the quarterly report (PDF and spreadsheet)."""
    templates_load()
    free_text_audits(authority, start=Quarter(2026, 3).start, end=Quarter(2026, 3).end, count=30)
    sign_in(page, authority.people["qa_officer"].email)
    page.goto("/reports/")
    page.get_by_role("link", name="Themes").click()
    page.get_by_label("Quarter").select_option("2026Q3")
    page.get_by_role("button", name="Show themes").click()
    page.get_by_role("button", name="Suggest themes").click()
    expect(page.get_by_text(re.compile(r"\d+ themes suggested"))).to_be_visible()
    axe_check(page)
    cards = page.locator(".govuk-summary-card")
    first = cards.nth(0).locator("h2 a").inner_text()
    cards.nth(0).get_by_role("button", name=re.compile(r"^Confirm")).click()
    expect(page.get_by_text(f"“{first}” confirmed")).to_be_visible()
    cards.nth(1).get_by_label(re.compile(r"Choose to merge")).check()
    cards.nth(2).get_by_label(re.compile(r"Choose to merge")).check()
    page.get_by_label("Name of the merged theme").fill("Partners and plans")
    page.get_by_role("button", name="Merge chosen themes").click()
    expect(page.get_by_text("Themes merged into “Partners and plans”")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Partners and plans").click()
    expect(page.get_by_role("heading", name="Partners and plans")).to_be_visible()
    axe_check(page)

    page.goto("/reports/quarterly/?period=2026Q3")
    expect(page.get_by_role("heading", name="Quality assurance quarterly report")).to_be_visible()
    expect(page.locator("#report-themes")).to_contain_text(first)
    page.get_by_label("What we will do next").fill("A practice week on the child's voice.")
    page.get_by_role("button", name="Save what we will do next").click()
    expect(page.get_by_text("What we will do next is saved")).to_be_visible()
    axe_check(page)
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download the report (PDF)").click()
    assert pdf.value.suggested_filename == "quarterly-report-2026-Q3.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as xlsx:
        page.get_by_role("button", name="Download its figures (spreadsheet)").click()
    assert xlsx.value.suggested_filename == "quarterly-report-2026-Q3.xlsx"
