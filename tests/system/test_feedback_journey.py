"""Journey (issue 10, MOD-3): the worker strongly disagrees and the head of QA decides.

Given a submitted Stage 1 Good Practice audit of the worker's case,
when the worker signs in, finds it on their home page and strongly disagrees on the feedback page
(after sending nothing shows the errors),
and the head of QA signs in, sees it among the disputed audits to decide on their home page, and
decides that the grades change, with a lower overall grade and a reason (after leaving out the
reason shows the errors),
then the audit page shows the new status and the change (from, to, reason);
axe finds no violations on any page visited, error pages included."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import GradeChange
from caseaudit.conftest import Authority, authority
from caseaudit.moderation.tests.helpers import submitted_audit
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_the_worker_disputes_and_the_head_of_qa_decides(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    audit = submitted_audit(authority)
    worker, head = authority.people["social_worker"], authority.people["head_of_qa"]

    # the worker
    sign_in(page, worker.email)
    expect(page.get_by_role("heading", name="Audits waiting for your feedback")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Case C-OWN\s*: give your feedback$")).click()
    expect(page.get_by_role("heading", name="Your feedback on the audit", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Send your feedback").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Strongly disagree").check()
    page.get_by_label("Your view of the findings", exact=True).fill(
        "The child was seen alone on both visits; the case notes of 3 and 17 November record it."
    )
    page.get_by_role("button", name="Send your feedback").click()
    expect(page).to_have_url(re.compile(rf"/audits/{audit.pk}/#feedback$"))
    expect(
        page.get_by_text("the head of quality assurance decides before the audit is final")
    ).to_be_visible()
    expect(page.locator("#audit-stage")).to_contain_text("With the head of QA")
    axe_check(page)

    # the head of QA
    sign_in(page, head.email)
    expect(page.get_by_role("heading", name=re.compile("Disputed audits to decide"))).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Case C-OWN\s*: decide the dispute$")).click()
    expect(page.get_by_role("heading", name="Decide the disputed audit")).to_be_visible()
    expect(page.get_by_text("seen alone on both visits")).to_be_visible()
    axe_check(page)
    page.get_by_label("Grades or plan changed").check()
    overall = page.get_by_label("Overall grade", exact=True)
    expect(overall).to_be_visible()
    overall.select_option("requires_improvement")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for your decision")
    axe_check(page)
    page.get_by_label("Your reason", exact=True).fill("The plan's actions are not yet SMART.")
    page.get_by_label("Overall grade", exact=True).select_option("requires_improvement")
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(re.compile(rf"/audits/{audit.pk}/#feedback$"))
    expect(page.locator("#audit-stage")).to_contain_text("In Stage 2 moderation")
    changes = page.get_by_role("table", name="Grades changed by the head of quality assurance")
    expect(changes).to_contain_text("Overall grade")
    expect(changes).to_contain_text("Good")
    expect(changes).to_contain_text("Requires improvement")
    expect(changes).to_contain_text("The plan's actions are not yet SMART.")
    axe_check(page)

    [change] = GradeChange.objects.filter(audit=audit)
    assert (change.ref, change.from_grade, change.to_grade) == ("overall", "good", "requires_improvement")
