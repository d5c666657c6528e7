"""Journey (issue 11, ESC-3): a worker writes a story board and QA publishes it for all staff.

Given an audit of the worker's case made final as Good,
when the worker opens the story boards, writes theirs (sending it with a part missing, and with the
child's name, shows the errors), and sends it to QA,
and the QA officer publishes it,
then another team's worker reads it among the published story boards;
axe finds no violations on any page visited, error pages included."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.audits.machines import FINAL, audit_event
from caseaudit.conftest import Authority, authority, user_for
from caseaudit.org.models import Staff
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)
pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

TITLE = "Hearing a young carer"


def test_a_story_board_is_written_and_published(page: Any, axe_check: Any, authority: Authority) -> None:
    audit = audit_with_actions(authority)
    audit_event(
        audit=audit, event="no_feedback_given", to_status=FINAL, actor=user_for(authority, "qa_officer")
    )
    audit.save()
    first_name = audit.case.child.name.split()[0]

    sign_in(page, authority.people["social_worker"].email)
    page.goto("/story-boards/")
    axe_check(page)
    page.get_by_role("link", name="Story board of case C-OWN").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What we did").fill(f"Met {first_name} at school every fortnight.")
    page.get_by_role("button", name="Send to QA to publish").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("remove the child's name")
    expect(summary).to_contain_text("Enter what changed for the child")
    axe_check(page)
    page.get_by_label("What we did").fill("Met the young person at school every fortnight.")
    page.get_by_label("What changed for the child").fill("Attendance is up; they have a named teacher.")
    page.get_by_label("What others can learn").fill("Ask where the young person wants to meet.")
    page.get_by_role("button", name="Send to QA to publish").click()
    expect(page.get_by_text("Story board sent to QA to publish")).to_be_visible()
    axe_check(page)

    sign_in(page, authority.people["qa_officer"].email)
    page.goto("/story-boards/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Publish for all staff").click()
    expect(page.get_by_text("Story board published")).to_be_visible()
    axe_check(page)

    sign_in(page, Staff.objects.get(staff_id="SWB").email)
    page.goto("/story-boards/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("Ask where the young person wants to meet.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the story board (PDF)")).to_be_visible()
    axe_check(page)
