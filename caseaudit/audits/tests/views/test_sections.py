"""The overview and the section pages (AUD-2, AUD-4, GRD-2, SEC-2): saving, the grading refusal shown
against the grade, autosave, two people editing, the action table without JavaScript."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import audit_save
from caseaudit.audits.tests.views.support import (
    AUDITOR,
    allowed_views,
    assessment_form,
    client_for,
    denied,
    section_url,
    start_audit,
)
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent
from caseaudit.questionnaires.forms import question_field_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    return start_audit(authority, settings, tmp_path)


SEEN = question_field_id("assessment.child_seen")
ALONE = question_field_id("assessment.child_seen_alone")
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def reload(audit: Audit) -> Audit:
    audit.refresh_from_db()
    return audit


def test_overview_shows_the_task_list_and_logs_the_view(authority: Authority, audit: Audit) -> None:
    page = client_for(authority, AUDITOR).get(reverse("audits:overview", args=[audit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<li class="govuk-task-list__item') == 6
    assert "Not started" in html and "About 10 minutes" in html
    assert section_url(audit, "assessment") in html
    assert allowed_views(audit) == 1


def test_an_audit_nobody_showed_you_is_404_and_the_denial_logged(authority: Authority, audit: Audit) -> None:
    for url in [reverse("audits:overview", args=[audit.pk]), section_url(audit, "assessment")]:
        assert client_for(authority, "social_worker_a2").get(url).status_code == 404
    assert len(denied()) == 2


def test_save_and_continue_saves_the_section_and_opens_the_next(authority: Authority, audit: Audit) -> None:
    response = client_for(authority, AUDITOR).post(
        section_url(audit, "assessment"), {**assessment_form(audit), "continue": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == section_url(audit, "planning")
    state = audit_state(audit=reload(audit))
    assert state.answers["assessment.child_seen"].value == "yes"
    assert state.answers["assessment.assessment_date"].value == "2026-10-01"
    assert state.sections["assessment"].grade == "good"
    assert state.sections["assessment"].completed
    assert state.sections["assessment"].comments == "Seen at home."


def test_save_and_come_back_later_keeps_the_section_in_progress(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, AUDITOR)
    response = client.post(section_url(audit, "assessment"), {**assessment_form(audit), "later": "1"})
    assert response["Location"] == reverse("audits:overview", args=[audit.pk])
    assert not audit_state(audit=reload(audit)).sections["assessment"].completed
    assert "In progress" in client.get(response["Location"]).content.decode()


def test_good_with_the_child_not_seen_is_refused_against_the_grade(
    authority: Authority, audit: Audit
) -> None:
    """GRD-2: the message names the judgement and links to the grade; the person's input stays on
    the page, and everything but the grade is saved (AUD-2: no lost input; issue 9, B5)."""
    form = assessment_form(audit, **{SEEN: "no", "comments": "Typed before the refusal"})
    response = client_for(authority, AUDITOR).post(
        section_url(audit, "assessment"), {**form, "continue": "1"}
    )
    html = response.content.decode()
    message = (
        "You cannot grade Assessment as Good: &#x27;Was the child seen during the assessment?&#x27; is No"
    )
    assert response.status_code == 422
    assert f'<a href="#grade">{message}</a>' in html
    assert 'id="grade-error"' in html
    assert "Typed before the refusal" in html
    assert f'id="{SEEN}-2" name="{SEEN}" type="radio" value="no" checked' in html
    assert 'id="grade-2" name="grade" type="radio" value="good" checked' in html  # as chosen
    assert "Everything else you entered on this page has been saved" in html
    assert '<input type="hidden" name="version" value="2">' in html
    state = audit_state(audit=reload(audit))
    assert state.answers["assessment.child_seen"].value == "no"
    assert state.answers["assessment.child_voice"].value == "yes"
    assert state.sections["assessment"].comments == "Typed before the refusal"
    assert (state.sections["assessment"].grade, state.sections["assessment"].completed) == ("", False)


def test_na_for_seen_alone_needs_a_reason(authority: Authority, audit: Audit) -> None:
    form = assessment_form(audit, **{ALONE: "na", "grade": "requires_improvement"})
    response = client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form)
    assert response.status_code == 422
    assert f'href="#{ALONE}-reason"' in response.content.decode()

    assert audit_state(audit=reload(audit)).answers["assessment.child_voice"].value == "yes"  # the rest saved
    form |= {f"{ALONE}-reason": "Under 5", "version": str(reload(audit).response.version)}
    assert client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form).status_code == 302
    answer = audit_state(audit=reload(audit)).answers["assessment.child_seen_alone"]
    assert (answer.value, answer.reason) == ("na", "Under 5")


def test_a_bad_date_is_caught_before_saving(authority: Authority, audit: Audit) -> None:
    date_id = question_field_id("assessment.assessment_date")
    form = assessment_form(audit, **{f"{date_id}-day": "32"})
    response = client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form)
    assert response.status_code == 422
    assert f'href="#{date_id}-day"' in response.content.decode()


def test_autosave_answers_json_with_the_new_version(authority: Authority, audit: Audit) -> None:
    form = {**assessment_form(audit), "autosave": "1"}
    response = client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form, **JSON)
    data = json.loads(response.content)
    assert response.status_code == 200
    assert data["version"] == reload(audit).response.version == 2
    assert len(data["saved_at"]) == 5  # "10:42"
    assert not audit_state(audit=audit).sections["assessment"].completed


def test_an_autosave_of_unchanged_text_keeps_the_version(authority: Authority, audit: Audit) -> None:
    form = {**assessment_form(audit), "autosave": "1"}
    client = client_for(authority, AUDITOR)
    client.post(section_url(audit, "assessment"), form, **JSON)
    saved = AuditEvent.objects.filter(action="audit.saved").count()
    again = client.post(section_url(audit, "assessment"), {**form, "version": "2"}, **JSON)
    assert again.status_code == 200
    assert json.loads(again.content)["version"] == reload(audit).response.version == 2
    assert AuditEvent.objects.filter(action="audit.saved").count() == saved == 1  # no history row


def test_autosave_refused_in_part_saves_the_rest_and_lists_the_problems(
    authority: Authority, audit: Audit
) -> None:
    """An autosave is a save as any other (issue 9, B5): the grade the limiting judgement forbids is
    refused, every other answer saved, and the form given the new version to carry on from."""
    form = {**assessment_form(audit, **{SEEN: "no"}), "autosave": "1"}
    response = client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form, **JSON)
    data = json.loads(response.content)
    assert response.status_code == 422
    assert data["version"] == reload(audit).response.version == 2 and data["saved_at"]
    assert data["problems"][0]["message"].startswith("You cannot grade Assessment as Good")
    state = audit_state(audit=audit)
    assert state.answers["assessment.child_seen"].value == "no"
    assert state.sections["assessment"].grade == ""


def test_autosave_over_a_newer_save_is_refused_as_stale(authority: Authority, audit: Audit) -> None:
    audit_save(actor=authority.people[AUDITOR].user, audit=audit, comments={"assessment": "Theirs"})
    form = {**assessment_form(audit, version="1"), "autosave": "1"}
    response = client_for(authority, AUDITOR).post(section_url(audit, "assessment"), form, **JSON)
    data = json.loads(response.content)
    assert response.status_code == 409
    assert data["stale"] is True and "version" not in data  # the form must not silently take it


def test_a_stale_save_says_what_changed_and_keeps_the_typed_text(authority: Authority, audit: Audit) -> None:
    """Two people editing never silently overwrite each other (CONTRACTS §5)."""
    other = authority.people[AUDITOR].user
    audit_save(
        actor=other,
        audit=audit,
        answers={"assessment.child_seen": "no"},
        section_grades={"assessment": "requires_improvement"},
    )
    mine = assessment_form(audit, version="1", comments="My own words")
    client = client_for(authority, AUDITOR)
    response = client.post(section_url(audit, "assessment"), {**mine, "continue": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this audit since you opened it" in html
    assert (
        "Assessment: &#x27;Was the child seen during the assessment?&#x27; is now No (was not answered)"
        in html
    )
    assert "Assessment: the grade is now Requires improvement (was not chosen)" in html
    assert "My own words" in html
    assert '<input type="hidden" name="version" value="2">' in html
    assert audit_state(audit=reload(audit)).sections["assessment"].comments == ""

    # Saving again, having seen what changed, keeps what this person typed
    again = client.post(section_url(audit, "assessment"), {**mine, "version": "2", "continue": "1"})
    assert again.status_code == 302
    assert audit_state(audit=reload(audit)).sections["assessment"].comments == "My own words"


def actions_form(audit: Audit, rows: list[dict[str, str]], **extra: str) -> dict[str, Any]:
    form: dict[str, Any] = {
        "version": str(audit.response.version),
        question_field_id("comments_actions.strengths"): "Knows the child well",
        "action_count": str(len(rows)),
        **extra,
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            form[f"action-{index}-{name}"] = value
    return form


ACTION_1 = {
    "what": "Update the chronology",
    "owner_id": "",
    "due_date-day": "21",
    "due_date-month": "12",
    "due_date-year": "2026",
    "impact": "A clear history",
}
BLANK = {
    "what": "",
    "owner_id": "PMA",
    "due_date-day": "",
    "due_date-month": "",
    "due_date-year": "",
    "impact": "",
}


def test_actions_page_defaults_the_owner_to_the_practice_manager(authority: Authority, audit: Audit) -> None:
    html = client_for(authority, AUDITOR).get(section_url(audit, "comments_actions")).content.decode()
    assert 'name="action-0-what"' in html and 'name="action-1-what"' not in html
    assert '<option value="PMA" selected>' in html
    assert "(practice manager)" in html


def test_add_another_action_saves_and_offers_one_more_row(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, AUDITOR)
    url = section_url(audit, "comments_actions")
    response = client.post(url, actions_form(audit, [ACTION_1], add_action="1"))
    assert response.status_code == 302
    assert response["Location"] == f"{url}?blank=1#action-1-what"
    action = AuditAction.objects.get()
    assert (action.what, action.owner.staff_id) == ("Update the chronology", "PMA")

    html = client.get(response["Location"]).content.decode()
    assert f'name="action-0-id" value="{action.pk}"' in html
    assert 'name="action-1-what"' in html and 'name="action-2-what"' not in html

    second = {**ACTION_1, "what": "Record supervision", "owner_id": "SWA"}
    rows = [{**ACTION_1, "id": str(action.pk)}, second]
    client.post(url, actions_form(reload(audit), rows, later="1"))
    assert [(a.what, a.owner.staff_id) for a in AuditAction.objects.all()] == [
        ("Update the chronology", "PMA"),
        ("Record supervision", "SWA"),
    ]
    assert AuditAction.objects.filter(pk=action.pk).exists()  # kept, not replaced


def test_remove_an_action(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, AUDITOR)
    url = section_url(audit, "comments_actions")
    client.post(url, actions_form(audit, [ACTION_1, {**ACTION_1, "what": "Second"}], later="1"))
    first, second = AuditAction.objects.all()
    rows = [{**ACTION_1, "id": str(first.pk)}, {**ACTION_1, "what": "Second", "id": str(second.pk)}]
    response = client.post(url, actions_form(reload(audit), rows, remove_action="0"))
    assert response.status_code == 302
    assert [a.what for a in AuditAction.objects.all()] == ["Second"]


def test_blank_action_rows_are_ignored_and_half_filled_ones_refused(
    authority: Authority, audit: Audit
) -> None:
    client = client_for(authority, AUDITOR)
    url = section_url(audit, "comments_actions")
    assert client.post(url, actions_form(audit, [BLANK], later="1")).status_code == 302
    assert not AuditAction.objects.exists()

    half = {**BLANK, "what": "Visit the school"}
    response = client.post(url, actions_form(reload(audit), [BLANK, half], later="1"))
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#action-1-due_date-day">Action 1: enter the date it is due by</a>' in html
    assert "Visit the school" in html


def test_the_worker_sees_the_section_read_only_and_cannot_post(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, "social_worker")
    page = client.get(section_url(audit, "assessment"))
    assert page.status_code == 200
    assert "data-autosave" not in page.content.decode()
    assert "Only the auditor can change it" in page.content.decode()
    response = client.post(section_url(audit, "assessment"), assessment_form(audit))
    assert response.status_code == 403
    assert reload(audit).response.version == 1
    assert denied()[0].action == "edit"


def test_an_unknown_section_is_404(authority: Authority, audit: Audit) -> None:
    assert client_for(authority, AUDITOR).get(section_url(audit, "nonsense")).status_code == 404


def test_an_action_without_its_impact_says_so(authority: Authority, audit: Audit) -> None:
    """Issue 9, B7: the default owner (the practice manager) is chosen; the page says the impact is
    missing, not that there is no member of staff with the practice manager's ID."""
    row = {**ACTION_1, "owner_id": "PMA", "impact": ""}
    response = client_for(authority, AUDITOR).post(
        section_url(audit, "comments_actions"), actions_form(audit, [row], later="1")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert '<a href="#action-0-impact">Action 1: say what impact it will have for the child</a>' in html
    assert "no member of staff" not in html
    assert "Update the chronology" in html  # kept as typed
    assert not AuditAction.objects.exists()
    strengths = audit_state(audit=reload(audit)).answers["comments_actions.strengths"]
    assert strengths.value == "Knows the child well"  # the rest of the page is saved (B5)


def test_a_date_that_is_not_a_date_keeps_the_stored_actions_and_saves_the_rest(
    authority: Authority, audit: Audit
) -> None:
    """A row's due date typed wrong is shown against it; the actions stay as stored (the list sent
    replaces them, so none is sent) and the rest of the page is saved (B5)."""
    client = client_for(authority, AUDITOR)
    url = section_url(audit, "comments_actions")
    client.post(url, actions_form(audit, [ACTION_1], later="1"))
    [stored] = AuditAction.objects.all()
    rows = [{**ACTION_1, "id": str(stored.pk), "what": "Changed", "due_date-day": "32"}]
    form = actions_form(reload(audit), rows, later="1")
    form[question_field_id("comments_actions.strengths")] = "Warm and persistent"
    response = client.post(url, form)
    assert response.status_code == 422
    assert '<a href="#action-0-due_date-day">' in response.content.decode()
    assert [(a.pk, a.what) for a in AuditAction.objects.all()] == [(stored.pk, "Update the chronology")]
    strengths = audit_state(audit=reload(audit)).answers["comments_actions.strengths"]
    assert strengths.value == "Warm and persistent"
