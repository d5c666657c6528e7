"""Journeys (issue 11, ACT-1, ESC-1): an action worked to sign-off, and an escalation closed.

(a) Given a submitted audit whose actions the worker's practice manager owns,
when the practice manager finds them on their home page and in My actions, adds progress, and
marks one done (after trying without a note shows the error),
and the group manager finds it to sign off on their home page and signs it off,
then the action is signed off.

(b) Given an audit graded Inadequate, not yet submitted (audit date 2 December 2026),
when the auditor answers yes to "are there safeguarding concerns?" on Comments and Actions, tries
an action due in 4 weeks (refused: 5 working days, by 9 December), takes the proposed date and
submits,
and the head of service finds its escalation on their home page and closes it with an outcome
(after trying without one shows the errors),
then the action is due within 5 working days, the escalation is closed and the audit's page shows
its outcome.

axe finds no violations on any page visited, error pages included."""

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.actions.models import Escalation
from caseaudit.actions.tests.helpers import audit_with_actions, first_action
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.conftest import Authority, authority
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_the_practice_manager_works_an_action_to_done_and_the_group_manager_signs_it_off(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    audit = audit_with_actions(authority)
    action = first_action(audit)
    owner, signer = authority.people["practice_manager"], authority.people["group_manager_a"]

    # the practice manager
    sign_in(page, owner.email)
    expect(page.get_by_role("heading", name="Your actions")).to_be_visible()
    expect(page.get_by_text("2 actions due later.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Go to My actions").click()
    expect(page.get_by_role("heading", name="My actions", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Open (2)")).to_be_visible()
    axe_check(page)
    page.get_by_role(
        "link", name=re.compile(rf"^Update the chronology, step 1.*action {action.pk}\)$")
    ).click()
    expect(page.get_by_role("heading", name=re.compile("^Action"), level=1)).to_be_visible()
    axe_check(page)
    page.get_by_label("What has been done so far?").fill("Chronology drafted up to June.")
    page.get_by_role("button", name="Add progress").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress added")
    expect(page.get_by_role("table", name="History of the action")).to_contain_text(
        "Chronology drafted up to June."
    )
    axe_check(page)
    page.get_by_role("button", name="Mark as done").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what was done")
    expect(page).to_have_title(re.compile("^Error: "))
    axe_check(page)
    summary.get_by_role("link", name="Enter what was done").click()
    expect(page.get_by_label("What was done, and what changed for the child?")).to_be_focused()
    page.get_by_label("What was done, and what changed for the child?").fill(
        "The chronology is complete; the plan now follows from it."
    )
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action marked as done")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Done")
    axe_check(page)

    # the group manager
    sign_in(page, signer.email)
    expect(page.get_by_role("heading", name="1 action to sign off")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Sign off actions").click()
    expect(page.get_by_role("heading", name="To sign off (1)")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(rf"action {action.pk}\): sign off$")).click()
    expect(page.get_by_role("button", name="Send back")).to_be_visible()
    axe_check(page)
    page.get_by_label("Your note for the sign-off").fill("Checked on the file: the chronology is complete.")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action signed off")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Signed off")
    axe_check(page)

    action.refresh_from_db()
    assert action.status == AuditAction.Status.SIGNED_OFF


def test_the_head_of_service_closes_an_inadequate_audits_escalation(
    page: Any, axe_check: Any, authority: Authority
) -> None:
    audit = audit_with_actions(authority, grade="inadequate", count=0, submit=False)
    Audit.objects.filter(pk=audit.pk).update(safeguarding_concerns=None)  # not yet asked

    # the auditor
    sign_in(page, audit.auditor.email)
    page.goto(f"/audits/{audit.pk}/sections/comments_actions/")
    expect(page.get_by_role("group", name="Are there safeguarding concerns?")).to_be_visible()
    axe_check(page)
    page.get_by_role("group", name="Are there safeguarding concerns?").get_by_label("Yes").check()
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("What needs to be done").fill("Strategy discussion with the police and the school.")
    action.get_by_label("Day").fill("30")
    action.get_by_label("Expected impact for the child").fill("A safety plan the family agree to.")
    page.get_by_role("button", name="Save and come back later").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Action 1: with safeguarding concerns it must be due within 5 working days, by 9 December 2026"
    )
    expect(page.locator("#due-rule")).to_contain_text("by 9 December 2026 at the latest")
    axe_check(page)
    action.get_by_label("Day").fill("9")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check your answers before submitting the audit")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Submit Stage 1 audit").click()
    expect(page.get_by_role("heading", name="Stage 1 audit submitted", level=1)).to_be_visible()
    [due] = AuditAction.objects.filter(audit=audit).values_list("due_date", flat=True)
    assert due == datetime.date(2026, 12, 9)  # 5 working days from Wednesday 2 December
    escalation = Escalation.objects.get(audit=audit)

    sign_in(page, authority.people["head_of_service"].email)
    expect(page.get_by_role("heading", name="Open escalations")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Case C-OWN\s*: escalation$")).click()
    expect(page.get_by_role("heading", name=re.compile("^Escalation"), level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Close the escalation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the outcome")
    expect(summary).to_contain_text("Say what was done to keep the child safe")
    axe_check(page)
    page.get_by_label("Strategy discussion held").check()
    page.get_by_label("What was done to keep the child safe?").fill(
        "Strategy discussion with the police and health; the safety plan was revised."
    )
    page.get_by_role("button", name="Close the escalation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Escalation closed")
    expect(page.locator("h1 .govuk-tag")).to_have_text("Closed")
    axe_check(page)
    page.get_by_role("link", name="Back to the audit").click()
    expect(page.get_by_role("heading", name="Actions", exact=True)).to_be_visible()
    expect(page.get_by_text("Strategy discussion held")).to_be_visible()
    axe_check(page)
    page.goto("/escalations/?status=closed")
    expect(page.get_by_role("table", name="Escalations")).to_contain_text("C-OWN")
    axe_check(page)

    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.CLOSED and escalation.outcome_code == "strategy_discussion"
