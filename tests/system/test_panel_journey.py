"""Journey (issue 10, MOD-4): the audit moderation panel, in the browser with axe on every page.

Given a final thematic audit whose Stage 1 was submitted in the last complete quarter,
when QA draws that quarter's sample on the sample page and schedules a panel with the chair,
and the chair signs in, opens the panel from the home page and records "changed" with a lower
overall grade and a reason,
then the audit page shows "Final" and the panel's change; axe finds no violations."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.conftest import Authority, authority
from caseaudit.moderation.selectors import moderation_settings_get
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_panel_helpers import QUARTER, final_audit, in_a_week
from tests.system.conftest import sign_in

__all__ = ["authority"]

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_draw_schedule_and_decide_pass_axe(
    page: Any, axe_check: Any, authority: Authority, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    people = people_added(authority)
    audit = final_audit(authority)
    row = moderation_settings_get()
    row.panel_sample_percent = {"thematic": 100, "practice_week": 100}
    row.save()

    sign_in(page, people["qa_officer"].email)
    expect(page.get_by_text(f"Panel sample for {QUARTER.label} not drawn yet")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Draw the panel sample").click()
    expect(page.get_by_role("heading", name="Draw the panel sample")).to_be_visible()
    expect(
        page.get_by_text(f"Drawn by seed {QUARTER.default_seed}: 1 of 1 thematic audit of").first
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Confirm the draw").click()
    expect(page.get_by_text("already drawn on").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Schedule a panel for the sampled audits").click()
    expect(page.get_by_role("heading", name="Schedule a moderation panel")).to_be_visible()
    page.get_by_role("button", name="Schedule and send the invites").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
    when = in_a_week()
    page.get_by_label("Day").fill(str(when.day))
    page.get_by_label("Month").fill(str(when.month))
    page.get_by_label("Year").fill(str(when.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Chair").select_option("CHAIR")
    page.get_by_label("Place (optional if you give an online link)").fill("County Hall, room 4")
    page.get_by_label("Case C-OWN", exact=False).check()
    page.get_by_role("button", name="Schedule and send the invites").click()
    expect(page.get_by_role("heading", name="Moderation panel on")).to_be_visible()
    axe_check(page)

    sign_in(page, people["panel_chair"].email)
    expect(page.get_by_text("1 audit to decide")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Open the panel").click()
    expect(page.get_by_role("heading", name="Decision on case C-OWN")).to_be_visible()
    axe_check(page)
    page.get_by_label("Changed: the panel gives other grades").check()
    page.get_by_label("Reason for the decision").fill("The plan is not yet SMART enough for Good.")
    page.get_by_label("Grade: Overall").select_option("requires_improvement")
    page.get_by_role("button", name="Record the decision on case C-OWN").click()
    expect(page.get_by_text("Decision recorded for case C-OWN")).to_be_visible()
    axe_check(page)

    page.goto(f"/audits/{audit.pk}/")
    expect(page.locator("#audit-stage")).to_contain_text("Final")
    expect(page.get_by_role("table", name="Grades the panel changed")).to_contain_text("Requires improvement")
    axe_check(page)
