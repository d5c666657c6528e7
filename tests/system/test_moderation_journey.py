"""Journey (issue 10 b: MOD-1, MOD-2, ESC-2, REC-1): Stage 2 moderation in the browser, with axe on
every page, error pages included.

Given an audit in Stage 2 whose Assessment limiting judgement ('Was the child seen?') is No, every
grade Requires improvement,
when QA assign the moderator on the queue page,
and the moderator signs in, opens the Stage 2 form from their home page,
tries to raise Assessment to Good (refused with Stage 1's message, the rest kept),
changes Planning down to Inadequate with a reason, fills in the discussion and completes;
then the practice manager signs in, sees the case audit alert on the home page, and downloads the
moderated PDF (application/pdf)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import Audit
from caseaudit.audits.services_grades import later_grade_problems
from caseaudit.conftest import Authority, authority
from caseaudit.moderation.tests.test_stage2_helpers import limited_in_moderation, refs_of
from tests.system.conftest import sign_in

__all__ = ["authority"]  # the shared synthetic authority (caseaudit/conftest.py)

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_assign_moderate_complete_and_the_alert(page: Any, axe_check: Any, authority: Authority) -> None:
    audit = limited_in_moderation(authority)
    people = authority.people
    message = later_grade_problems(audit=audit, grades={"assessment": "good"}, reasons={})[0].message

    # QA assign the moderator on the queue page.
    sign_in(page, people["qa_officer"].email)
    expect(page.get_by_text("Moderation queue: 1 unassigned")).to_be_visible()
    axe_check(page)
    page.goto("/moderation/")
    expect(page.locator(f"#queue-{audit.pk}")).to_contain_text("Not assigned")
    axe_check(page)
    page.locator(f"#queue-{audit.pk}").get_by_role("link", name="Assign").click()
    expect(page.get_by_role("heading", name="Assign a moderator")).to_be_visible()
    axe_check(page)
    page.get_by_label("Moderator").select_option("MOD")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(f"#queue-{audit.pk}")).to_contain_text(people["moderator"].name)
    axe_check(page)

    # The moderator opens the form from their home page.
    sign_in(page, people["moderator"].email)
    expect(page.get_by_text("Audits to moderate")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Case C-OWN").first.click()
    expect(page.get_by_role("heading", name="Stage 2 moderation", exact=True)).to_be_visible()
    axe_check(page)

    page.locator("#q-discussion-date-day").fill("12")
    page.locator("#q-discussion-date-month").fill("1")
    page.locator("#q-discussion-date-year").fill("2027")
    for who in ("Moderator", "Group manager", "Practice manager", "Social worker"):
        page.get_by_label(who, exact=True).check()
    page.get_by_label("Record of the discussion").fill(
        "We reflected on the assessment and the plan together."
    )
    page.locator("#q-difference-made_a_difference").check()  # Yes
    for ref in refs_of(audit):
        page.locator(f"#grade-{ref}-agree").check()  # Yes, agreed
    # Raise Assessment past its limiting judgement: refused with Stage 1's message, the rest kept.
    page.locator("#grade-assessment-agree-2").check()  # No
    page.locator("#grade-assessment-grade").select_option("good")
    page.locator("#grade-assessment-reason").fill("The work was better than the audit says.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page.locator("#saved-in-part")).to_be_visible()
    expect(page.get_by_label("Record of the discussion")).to_have_value(
        "We reflected on the assessment and the plan together."
    )
    axe_check(page)

    # Agree Assessment after all; change Planning down with a reason; complete.
    page.locator("#grade-assessment-agree").check()
    page.locator("#grade-assessment-grade").select_option("")
    page.locator("#grade-assessment-reason").fill("")
    page.locator("#grade-planning-agree-2").check()
    page.locator("#grade-planning-grade").select_option("inadequate")
    page.locator("#grade-planning-reason").fill("The plan has no outcomes for the child.")
    page.get_by_role("button", name="Save and complete the moderation").click()
    expect(page.get_by_text("Stage 2 moderation completed")).to_be_visible()
    expect(page.locator("#moderation-grades")).to_contain_text("The plan has no outcomes for the child.")
    axe_check(page)
    audit.refresh_from_db()
    assert audit.status == "final" and audit.moderated_grades["planning"] == "inadequate"

    # The practice manager sees the alert and downloads the moderated PDF.
    sign_in(page, people["practice_manager"].email)
    expect(
        page.get_by_role("heading", name="Case audit alerts: Stage 2 moderation completed")
    ).to_be_visible()
    axe_check(page)
    alerts = page.locator(".govuk-summary-card", has_text="Case audit alerts: Stage 2 moderation completed")
    alerts.get_by_role("link", name="Case C-OWN").click()
    expect(page.get_by_role("heading", name="Stage 2 moderation")).to_be_visible()
    axe_check(page)
    pdf = page.request.get(f"/audits/{audit.pk}/document/")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    assert Audit.objects.get(pk=audit.pk).documents.filter(stage="stage2").exists()


def test_the_other_stage2_pages_pass_axe(page: Any, axe_check: Any, authority: Authority) -> None:
    from caseaudit.moderation.models import QaInboxItem
    from caseaudit.moderation.services.stage2 import moderation_complete
    from caseaudit.moderation.tests.test_stage2_helpers import filled, in_moderation

    done = in_moderation(authority)
    filled(authority, done)
    moderation_complete(actor=authority.people["moderator"].user, audit=done)
    waiting = in_moderation(authority, "other_team")
    Audit.objects.filter(pk=waiting.pk).update(allocation_month="2026-11-01")

    sign_in(page, authority.people["qa_officer"].email)
    page.goto("/moderation/balance/?month=2026-11")
    expect(page.get_by_role("heading", name="The plan for November 2026")).to_be_visible()
    axe_check(page)
    page.goto("/qa-inbox/")
    expect(page.locator("#qa-inbox")).to_contain_text("C-OWN")
    axe_check(page)
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("Marked as read")).to_be_visible()
    axe_check(page)
    assert QaInboxItem.objects.get().read_at is not None

    sign_in(page, authority.people["moderator"].email)
    page.goto(f"/audits/{waiting.pk}/")
    page.get_by_role("button", name="Take this audit").click()
    expect(page.get_by_role("heading", name="Stage 2 moderation", exact=True)).to_be_visible()
    page.get_by_role("link", name="Arrange the discussion").click()
    page.get_by_role("button", name="Arrange and send the invite").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe_check(page)
