"""Journey (issue 3, AUD-1, AUD-3, TPL-3): preparing for an audit, in the browser with axe.

Given a group manager who may audit a child's case and the worker allocated to it,
when the auditor starts a Thematic audit (its theme asked on a page of its own, the first try
without one refused) and flags a compliance gap (the first try without a note refused),
then the worker is emailed; the worker opens the audit from the child's page, previews the
template and what will be reviewed, and marks the gap addressed (the first try without saying
how refused); and the auditor is emailed and sees it addressed on the audit.
axe finds no violations on any page visited, error pages included."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_the_auditor_and_the_worker_prepare_for_a_thematic_audit(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    templates_load()
    case = authority.cases["own_team"]
    auditor, worker = authority.people["group_manager_a"], authority.people["social_worker"]

    # The auditor starts a Thematic audit from the child's page.
    sign_in(page, auditor.email)
    page.goto(f"/children/{case.child.child_id}/")
    page.get_by_role("button", name="Start an audit").click()
    page.get_by_label("Thematic audit").check()
    page.get_by_role("button", name="Start audit").click()
    expect(page.get_by_role("heading", name="Thematic audit")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Start audit").click()  # no theme: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Theme", exact=True).select_option(label="Engaging families")
    page.get_by_role("button", name="Start audit").click()
    page.wait_for_url("**/audits/*/")
    audit = Audit.objects.get()
    assert audit.type_details == {"theme": "engaging_families"}

    # ... and flags a compliance gap for the worker.
    page.get_by_role("link", name="Flag a compliance gap").click()
    axe_check(page)
    page.get_by_label("Supervision").check()
    page.get_by_role("button", name="Flag gap").click()  # no note: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("What is missing, and what should the worker do?").fill("No supervision since August")
    page.get_by_role("button", name="Flag gap").click()
    manager = authority.people["practice_manager"]
    expect(page.get_by_text(f"We have emailed {worker.name} and {manager.name}.")).to_be_visible()
    axe_check(page)
    assert [(message.to, message.cc) for message in mail.outbox] == [([worker.email], [manager.email])]

    # The worker opens the audit from the child's page and previews it.
    sign_in(page, worker.email)
    page.goto(f"/children/{case.child.child_id}/")
    page.get_by_role("link", name="Thematic audit").click()
    axe_check(page)
    page.get_by_role("link", name="Preview the template and what will be reviewed").click()
    expect(page.get_by_role("heading", name="Referral").first).to_be_visible()  # a practice audit section
    axe_check(page)
    page.go_back()

    # ... and marks the gap addressed.
    page.get_by_role("link", name="Mark as addressed").click()
    axe_check(page)
    page.get_by_role("button", name="Mark as addressed").click()  # nothing said: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("How was it addressed?").fill("Supervision held on 2 December and recorded")
    page.get_by_role("button", name="Mark as addressed").click()
    expect(
        page.get_by_text(f"Supervision gap marked as addressed. We have emailed {auditor.name}.")
    ).to_be_visible()
    axe_check(page)
    assert ComplianceGap.objects.get().addressed_by == worker.user
    assert (mail.outbox[-1].to, mail.outbox[-1].cc) == ([auditor.email], [])

    # The auditor sees it addressed.
    sign_in(page, auditor.email)
    page.goto(f"/audits/{audit.pk}/")
    gaps = page.locator("#compliance-gaps ~ div table")
    assert "Addressed" in gaps.inner_text() and "Supervision held on 2 December" in gaps.inner_text()
    axe_check(page)
