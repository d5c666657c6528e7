"""Journey (issue 10, FAM-1, FAM-2): the auditor records the family's voice.

Given a submitted Stage 1 Good Practice audit,
when its auditor opens it and records family feedback for the child (after saving the child's
answers without saying they agreed shows the errors), then adds a parent who was not asked,
then the audit page shows both people, the child's consent date and their words, and the practice
manager who reads the audit sees them without a link to change them;
axe finds no violations on any page visited, error pages included."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.conftest import Authority, authority
from caseaudit.moderation.tests.helpers import submitted_audit
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

WORDS = "She comes when she says she will and she listens."


def test_the_auditor_records_the_familys_feedback(
    page: Any, live_server: Any, axe_check: Any, authority: Authority
) -> None:
    audit = submitted_audit(authority)
    auditor, manager = audit.auditor, authority.people["practice_manager"]

    sign_in(page, auditor.email)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    expect(page.get_by_role("heading", name="Family feedback", level=2)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record family feedback").click()
    expect(page.get_by_role("heading", name="Family feedback", level=1)).to_be_visible()
    axe_check(page)

    page.get_by_label("Child or young person").check()
    page.get_by_label("How far do you feel your social worker has listened to you?").fill(WORDS)
    page.get_by_role("button", name="Save this person").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose whether they agreed to give feedback")
    axe_check(page)

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save this person").click()
    expect(page).to_have_url(re.compile(rf"/audits/{audit.pk}/#family-feedback$"))
    expect(page.get_by_text("Family feedback saved: Child or young person")).to_be_visible()
    expect(page.get_by_text(WORDS)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Add another person").click()
    expect(page.get_by_role("heading", name="Recorded so far")).to_be_visible()
    page.get_by_label("Parent or carer").check()
    page.get_by_label("Not asked").check()
    page.get_by_label("Why not (optional if they said no)").fill("Father in hospital this month")
    page.get_by_role("button", name="Save this person").click()
    expect(page.get_by_text("Not asked: Father in hospital this month")).to_be_visible()
    expect(page.get_by_text("Yes, on 2 November 2026")).to_be_visible()
    axe_check(page)

    sign_in(page, manager.email)
    page.goto(f"{live_server.url}/audits/{audit.pk}/")
    expect(page.get_by_text(WORDS)).to_be_visible()
    expect(page.get_by_role("link", name="Add another person")).to_have_count(0)
    axe_check(page)
