"""Journey (issue 3): an auditor conducts a Stage 1 Good Practice audit with the keyboard alone.

Given a group manager who may audit a child's case, and the shipped templates,
when they start a Stage 1 Good Practice audit from the child's page
and work through every section using only the keyboard (Tab, arrows, Space, Enter, typing),
then grading Assessment Good while "Was the child seen?" is No is refused with a message that
names the judgement, and once it is fixed the section saves;
and when they add two actions and submit, the audit is submitted and its PDF downloads;
and the allocated worker then signs in and sees the submitted audit.
axe finds no violations on any page visited."""

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from caseaudit.cases.tests.factories import CaseFactory, ChildFactory
from caseaudit.org.tests.factories import TEST_PASSWORD, StaffFactory, TeamFactory

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, id: e.id || "", name: e.name || "", value: e.value || "", type: e.type || "",
          checked: !!e.checked, text: (e.innerText || "").trim()};
}"""
# The form's own fields in page order: radios once per group, date inputs once, textareas.
QUESTION_FIELDS = """() => {
  const seen = new Set(); const fields = [];
  for (const e of document.querySelectorAll("form [name^='q-']")) {
    if (e.name.endsWith("-reason") || e.name.endsWith("-na")) continue;
    const date = e.name.match(/^(.*)-(day|month|year)$/);
    const name = date ? date[1] : e.name;
    if (seen.has(name)) continue;
    seen.add(name);
    fields.push({name, kind: date ? "date" : (e.type === "radio" ? "radio" : "text")});
  }
  return fields;
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def tab_until(page: Any, wanted: Any, what: str, limit: int = 400) -> None:
    """Press Tab until the focused element is the one wanted (keyboard navigation, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(focused(page)):
            return
    raise AssertionError(f"Tab never reached {what} on {page.url}")


def tab_to(page: Any, element_id: str) -> None:
    tab_until(page, lambda f: f["id"] == element_id, f"#{element_id}")


def type_into(page: Any, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def type_date(page: Any, prefix: str, day: datetime.date) -> None:
    type_into(page, f"{prefix}-day", str(day.day))
    for part in (str(day.month), str(day.year)):
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type(part)


def choose(page: Any, name: str, value: str) -> None:
    """Tab into a radio group, then arrow to the option (arrows check it; Space if it is first)."""
    tab_until(page, lambda f: f["name"] == name and f["type"] == "radio", f"the {name} radios")
    for _ in range(12):
        current = focused(page)
        if current["value"] == value:
            if not current["checked"]:
                page.keyboard.press("Space")
            assert focused(page)["checked"]
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value!r} in {name}")


def press_button(page: Any, text: str, *, navigates: bool = True, prefix: bool = False) -> None:
    """Tab to a button or link by its text, then press Enter."""
    tab_until(
        page,
        lambda f: (
            f["tag"] in ("BUTTON", "A") and (f["text"].startswith(text) if prefix else f["text"] == text)
        ),
        f"the {text!r} button",
    )
    if navigates:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.keyboard.press("Enter")


def answer_section(page: Any, answers: dict[str, Any], grade: str | None, comments: str) -> None:
    """Every question of the section: Yes unless `answers` says otherwise (a value, or (value, reason))."""
    for field in page.evaluate(QUESTION_FIELDS):
        name = field["name"]
        if field["kind"] == "radio":
            wanted = answers.get(name, "yes")
            value, reason = wanted if isinstance(wanted, tuple) else (wanted, "")
            choose(page, name, value)
            if reason:
                type_into(page, f"{name}-reason", reason)
        elif field["kind"] == "date":
            type_date(page, name, answers.get(name, datetime.date.today() - datetime.timedelta(days=30)))
        else:
            type_into(page, name, answers.get(name, "Recorded during the audit discussion."))
    type_into(page, "comments", comments)
    if grade:
        choose(page, "grade", grade)


def sign_in(page: Any, email: str, axe_check: Any) -> None:
    page.goto("/accounts/sign-in/")
    axe_check(page)
    type_into(page, page.get_by_label("Email address").get_attribute("id"), email)
    type_into(page, page.get_by_label("Password", exact=True).get_attribute("id"), TEST_PASSWORD)
    press_button(page, "Sign in")


def test_auditor_completes_a_stage1_audit_with_the_keyboard(
    page: Any, browser: Any, live_server: Any, axe_check: Any
) -> None:
    call_command("load_templates", stdout=StringIO())
    team = TeamFactory(team_id="T1", name="Assessment & Intervention North")
    hos = StaffFactory(staff_id="S1", team=None, roles=["head_of_service"], name="Avery Hollis")
    auditor = StaffFactory(
        staff_id="G1", team=None, line_manager=hos, roles=["group_manager"], name="Gale Marsh"
    )
    manager = StaffFactory(
        staff_id="P1", team=team, line_manager=auditor, roles=["practice_manager"], name="Blake Carrow"
    )
    worker = StaffFactory(
        staff_id="W1", team=team, line_manager=manager, roles=["social_worker"], name="Casey Dunmore"
    )
    child = ChildFactory(child_id="CH1", name="Juniper Quayle", date_of_birth=datetime.date(2019, 5, 2))
    CaseFactory(case_id="C1", child=child, team=team, allocated_worker=worker)
    today = datetime.date.today()

    # Given the auditor is signed in and on the child's page
    sign_in(page, auditor.email, axe_check)
    axe_check(page)
    page.goto("/children/CH1/")
    assert "There are no audits" in page.locator("#audits ~ p").first.inner_text()
    axe_check(page)

    # When they start a Stage 1 Good Practice audit
    press_button(page, "Start an audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Start an audit"
    axe_check(page)
    choose(page, "audit_type", "good_practice")
    press_button(page, "Start audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Monthly Good Practice audit (Stage 1)"
    assert "Not started" in page.locator(".govuk-task-list").inner_text()
    axe_check(page)

    # And they answer Assessment with "Was the child seen?" No, but grade it Good
    press_button(page, "Assessment")
    assert page.get_by_role("heading", level=1).inner_text() == "Assessment"
    assert "What the grades look like" in page.locator("main").inner_text()
    axe_check(page)
    answer_section(
        page,
        {"q-assessment-child_seen": "no"},
        grade="good",
        comments="Seen at home with mum; the child showed us their room.",
    )
    press_button(page, "Save and continue")

    # Then the grade is refused with a message naming the limiting judgement
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    message = "You cannot grade Assessment as Good: 'Was the child seen during the assessment?' is No"
    assert message in summary.inner_text()
    assert summary.get_by_role("link", name=message).get_attribute("href") == "#grade"
    # ...and nothing typed is lost
    assert page.locator("#comments").input_value().startswith("Seen at home with mum")
    axe_check(page)

    # When they fix the answer, the section saves and the next one opens
    choose(page, "q-assessment-child_seen", "yes")
    press_button(page, "Save and continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Planning"
    axe_check(page)

    # And they complete every other section with the keyboard
    answer_section(page, {}, grade="good", comments="A clear plan the family understands.")
    press_button(page, "Save and continue")
    assert page.get_by_role("heading", level=1).inner_text() == "Intervention"
    answer_section(
        page,
        {
            "q-intervention-child_seen_alone": (
                "na",
                "Juniper was 3 at the last visit: too young to be seen alone.",
            )
        },
        grade="good",
        comments="Direct work through play.",
    )
    axe_check(page)
    press_button(page, "Save and continue")
    for heading in ("Review", "Reflection and Supervision"):
        assert page.get_by_role("heading", level=1).inner_text() == heading
        axe_check(page)
        answer_section(page, {}, grade="good", comments=f"{heading}: evidence on file.")
        press_button(page, "Save and continue")

    # And on Comments and Actions they record strengths and add two actions
    assert page.get_by_role("heading", level=1).inner_text() == "Comments and Actions"
    axe_check(page)
    type_into(page, "q-comments_actions-strengths", "Casey knows Juniper well and the family trusts her.")
    type_into(page, "q-comments_actions-issues", "Supervision records are brief.")
    type_into(page, "action-0-what", "Update the chronology")
    type_date(page, "action-0-due_date", today + datetime.timedelta(days=14))
    type_into(page, "action-0-impact", "Juniper's history is clear to anyone who picks up the case.")
    press_button(page, "Add another action")
    assert page.locator("#action-1-what").count() == 1
    axe_check(page)
    type_into(page, "action-1-what", "Record reflective supervision")
    type_date(page, "action-1-due_date", today + datetime.timedelta(days=21))
    type_into(page, "action-1-impact", "Decisions for Juniper are reflected on and recorded.")
    type_into(page, "comments", "A good audit conversation.")
    press_button(page, "Save and continue")

    # Then check your answers shows the two actions and the proposed grade
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Check your answers before submitting the audit"
    )
    main = page.locator("main").inner_text()
    assert "Update the chronology" in main and "Record reflective supervision" in main
    assert "Blake Carrow" in main  # the default owner: the worker's practice manager
    assert "Proposed overall grade: Good" in main
    axe_check(page)

    # When they submit
    press_button(page, "Submit Stage 1 audit")
    assert page.get_by_role("heading", level=1).inner_text() == "Stage 1 audit submitted"
    axe_check(page)
    [sent] = [message for message in mail.outbox if message.subject.startswith("Stage 1 audit submitted")]
    assert (sent.to, sent.cc) == ([worker.email], [manager.email])  # REC-1: the worker and line manager
    expect(page.get_by_text(f"We have emailed {worker.name} and {manager.name}.")).to_be_visible()

    # Then the PDF downloads
    tab_until(page, lambda f: f["tag"] == "A" and f["text"] == "Download the audit (PDF)", "the PDF link")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # And the audit is read-only, its history showing the submission
    page.goto(page.url.replace("submitted/", ""))
    assert "In progress to Stage 1 submitted" in page.locator("main").inner_text()
    axe_check(page)
    press_button(page, "Assessment")
    assert page.locator("form[data-autosave]").count() == 0
    assert "can no longer be changed" in page.locator("main").inner_text()
    axe_check(page)

    # When the worker signs in, they see the submitted audit on the child's page
    context = browser.new_context(base_url=live_server.url)
    worker_page = context.new_page()
    worker_page.set_default_timeout(15_000)
    sign_in(worker_page, worker.email, axe_check)
    axe_check(worker_page)
    worker_page.goto("/children/CH1/")
    audits = worker_page.locator("#audits + .app-table-wrapper").inner_text()
    assert "Stage 1 submitted" in audits and "Gale Marsh" in audits
    assert worker_page.get_by_role("link", name="Start an audit").count() == 0
    axe_check(worker_page)
    press_button(worker_page, "Monthly Good Practice audit (Stage 1)", prefix=True)
    body = worker_page.locator("main").inner_text()
    assert "Stage 1 submitted" in body and "Download the audit (PDF)" in body
    axe_check(worker_page)
    context.close()
