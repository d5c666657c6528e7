"""Journey (issue 11, ACT-4): the practice manager records a worker's supervision.

Given a submitted audit of the worker's case with two actions,
when the practice manager opens Supervision, chooses the worker, records the supervision with a
note on one action (after leaving the date out shows the errors),
then the page shows the last supervision with that note and the action's status then and now;
axe finds no violations on any page visited, error pages included."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_the_practice_manager_records_a_supervision(page: Any, axe_check: Any, authority: Authority) -> None:
    audit_with_actions(authority)
    worker = authority.people["social_worker"]
    sign_in(page, authority.people["practice_manager"].email)
    page.goto("/supervision/")
    expect(page.get_by_role("heading", name="Supervision", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(rf"^{re.escape(worker.name)}\s*: next supervision$")).click()
    expect(page.get_by_role("heading", name="Next supervision")).to_be_visible()
    expect(page.get_by_role("link", name="C-OWN", exact=True)).to_be_visible()
    axe_check(page)

    page.get_by_label("Day").fill("")
    page.get_by_role("button", name="Record the supervision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date of the supervision must include a day")
    axe_check(page)

    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_label(re.compile("What was agreed on the action of case C-OWN")).first.fill(
        "Agreed: the chronology is finished by Friday."
    )
    page.get_by_role("button", name="Record the supervision").click()
    expect(page.get_by_text(f"Supervision of {worker.name} recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Last supervision: 1 December 2026")).to_be_visible()
    expect(page.get_by_text("Agreed: the chronology is finished by Friday.")).to_be_visible()
    axe_check(page)
