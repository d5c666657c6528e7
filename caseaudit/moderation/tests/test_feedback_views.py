"""MOD-3 pages: the worker's feedback page, "no feedback given", the head of QA's decision, the
audit page's feedback panel, the PDF's part, the home page and dismissing an alert; with the
markup basics axe checks in the browser (access.tests.helpers.markup)."""

from typing import Any

from django.urls import reverse

from caseaudit.access.tests.helpers import client_for, markup
from caseaudit.audits.documents import audit_document_html
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog
from caseaudit.moderation.models import AuditAlert, WorkerFeedback
from caseaudit.moderation.services.feedback import feedback_give, head_of_qa_decide
from caseaudit.moderation.tests.helpers import submitted_audit
from caseaudit.moderation.tests.test_feedback_services import disputed, limited_audit, window_passed

FEEDBACK = {"agreement": "agree", "on_process": "Fair.", "on_findings": "", "on_plan": "Realistic."}


def page(audit: Audit, name: str) -> str:
    return reverse(f"moderation:{name}", args=[audit.pk])


def overview(audit: Audit) -> str:
    return reverse("audits:overview", args=[audit.pk])


def body(response: Any) -> str:
    return str(response.content.decode())


# --- the feedback page ---------------------------------------------------------------------------


def test_the_feedback_page_shows_the_findings_and_the_form(authority: Authority) -> None:
    audit = submitted_audit(authority)
    response = client_for(authority, "social_worker").get(page(audit, "feedback"))
    assert response.status_code == 200
    markup(response)
    text = body(response)
    assert "Your feedback on the audit" in text
    assert reverse("audits:check", args=[audit.pk]) in text
    assert reverse("audits:document", args=[audit.pk]) in text
    assert "Overall grade" in text and "Good" in text
    for label in ("Agree", "Partly agree", "Strongly disagree", "Your view of the audit process"):
        assert label in text
    assert "Your view of the findings" in text and "Your view of the plan" in text
    assert AccessLog.objects.filter(object_ref=str(audit.pk), outcome="allowed", path=page(audit, "feedback"))


def test_feedback_without_a_choice_shows_the_error_summary(authority: Authority) -> None:
    audit = submitted_audit(authority)
    response = client_for(authority, "social_worker").post(page(audit, "feedback"), {"agreement": ""})
    assert response.status_code == 200
    parsed = markup(response)
    assert parsed.summary_links == ["#agreement"]
    assert "Choose whether you agree" in body(response)


def test_a_strong_disagreement_without_reasons_is_an_error_on_the_findings(authority: Authority) -> None:
    audit = submitted_audit(authority)
    response = client_for(authority, "social_worker").post(
        page(audit, "feedback"), {**FEEDBACK, "agreement": "strongly_disagree", "on_plan": ""}
    )
    assert markup(response).summary_links == ["#id_on_findings"]
    assert not WorkerFeedback.objects.filter(audit=audit).exists()


def test_feedback_given_goes_back_to_the_audit_page_which_shows_it(authority: Authority) -> None:
    audit = submitted_audit(authority)
    client = client_for(authority, "practice_manager")
    response = client.post(page(audit, "feedback"), FEEDBACK)
    assert response.status_code == 302 and response["Location"] == overview(audit) + "#feedback"
    audit.refresh_from_db()
    assert audit.status == "moderation"
    text = body(client.get(overview(audit)))
    assert "The worker's feedback" in text and "Agree" in text and "Realistic." in text
    # once given, the page shows it and the form is gone; a second post is refused on the form
    again = client.get(page(audit, "feedback"))
    assert "Feedback on this audit is recorded." in body(again) and "Send your feedback" not in body(again)
    refused = client.post(page(audit, "feedback"), FEEDBACK)
    assert refused.status_code == 200 and "already recorded" in body(refused)


def test_the_panel_asks_for_feedback_and_links_only_those_who_may_give_it(authority: Authority) -> None:
    audit = submitted_audit(authority)
    worker = body(client_for(authority, "social_worker").get(overview(audit)))
    assert "asked for by" in worker and page(audit, "feedback") in worker
    qa = body(client_for(authority, "qa_officer").get(overview(audit)))
    assert "asked for by" in qa and page(audit, "feedback") not in qa
    assert page(audit, "no-feedback") not in qa  # the window is still open


# --- no feedback given ---------------------------------------------------------------------------


def test_no_feedback_before_the_window_has_passed_says_from_when(authority: Authority) -> None:
    audit = submitted_audit(authority)
    client = client_for(authority, "qa_officer")
    response = client.get(page(audit, "no-feedback"))
    assert response.status_code == 200
    markup(response)
    assert "You can record that no feedback was given from" in body(response)
    assert "Record no feedback given" not in body(response)
    refused = client.post(page(audit, "no-feedback"))
    assert refused.status_code == 422 and "still open" in body(refused)
    audit.refresh_from_db()
    assert audit.status == "submitted"


def test_no_feedback_after_the_window_moves_the_audit_on(authority: Authority) -> None:
    audit = window_passed(submitted_audit(authority))
    client = client_for(authority, "group_manager")  # the auditor
    panel = body(client.get(overview(audit)))
    assert page(audit, "no-feedback") in panel
    confirm = client.get(page(audit, "no-feedback"))
    markup(confirm)
    assert "Record no feedback given" in body(confirm)
    response = client.post(page(audit, "no-feedback"))
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "moderation"
    assert "No feedback given: recorded by" in body(client.get(overview(audit)))


# --- the head of QA's decision ---------------------------------------------------------------------


def test_the_decision_page_shows_both_sides_and_the_current_grades(authority: Authority) -> None:
    audit = disputed(authority)
    response = client_for(authority, "head_of_qa").get(page(audit, "head-of-qa-decision"))
    assert response.status_code == 200
    markup(response)
    text = body(response)
    assert "Strongly disagree" in text and "seen alone twice" in text
    assert "audit is upheld" in text and "Grades or plan changed" in text
    assert 'name="grade_overall"' in text and 'name="grade_assessment"' in text
    assert '<option value="good" selected>' in text


def decision_post(audit: Audit, **changes: str) -> dict[str, str]:
    data = {f"grade_{ref}": grade for ref, grade in (audit.effective_grades or {}).items()}
    data.update({"decision": "changed", "reason": "The plan is not yet SMART.", "plan_change": ""})
    data.update(changes)
    return data


def test_the_head_of_qa_lowers_the_overall_grade(authority: Authority) -> None:
    audit = disputed(authority)
    client = client_for(authority, "head_of_qa")
    response = client.post(
        page(audit, "head-of-qa-decision"), decision_post(audit, grade_overall="requires_improvement")
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "moderation" and audit.effective_grades["overall"] == "requires_improvement"
    text = body(client.get(overview(audit)))
    assert "Grades changed by the head of quality assurance" in text
    assert "Requires improvement" in text and "The plan is not yet SMART." in text


def test_a_changed_grade_with_upheld_is_an_error_on_that_grade(authority: Authority) -> None:
    audit = disputed(authority)
    response = client_for(authority, "head_of_qa").post(
        page(audit, "head-of-qa-decision"),
        decision_post(audit, decision="auditor_upheld", grade_overall="requires_improvement"),
    )
    assert markup(response).summary_links == ["#id_grade_overall"]
    audit.refresh_from_db()
    assert audit.status == "head_of_qa_review"


def test_upheld_with_the_grades_as_they_are_is_recorded(authority: Authority) -> None:
    audit = disputed(authority)
    response = client_for(authority, "head_of_qa").post(
        page(audit, "head-of-qa-decision"), decision_post(audit, decision="auditor_upheld")
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "moderation"


def test_a_grade_past_a_limiting_judgement_comes_back_on_its_field(authority: Authority) -> None:
    audit = limited_audit(authority)
    feedback_give(
        actor=authority.people["social_worker"].user,
        audit=audit,
        agreement="strongly_disagree",
        on_findings="Good.",
    )
    response = client_for(authority, "head_of_qa").post(
        page(audit, "head-of-qa-decision"), decision_post(audit, grade_assessment="good")
    )
    assert markup(response).summary_links == ["#id_grade_assessment"]
    assert "seen" in body(response)


def test_the_decision_needs_a_reason(authority: Authority) -> None:
    audit = disputed(authority)
    response = client_for(authority, "head_of_qa").post(
        page(audit, "head-of-qa-decision"), decision_post(audit, reason="")
    )
    assert markup(response).summary_links == ["#id_reason"]


# --- the PDF's part --------------------------------------------------------------------------------


def test_the_document_carries_the_feedback_and_the_decision(authority: Authority) -> None:
    audit = disputed(authority)
    head_of_qa_decide(
        actor=authority.people["head_of_qa"].user,
        audit=audit,
        decision="changed",
        reason="Weaker than graded.",
        overall_grade="requires_improvement",
    )
    html = audit_document_html(audit=audit, stage="stage2")
    assert "<h2>The worker's feedback</h2>" in html and "Strongly disagree" in html
    assert "The head of quality assurance's decision" in html and "Weaker than graded." in html
    assert "<td>Overall grade</td><td>Good</td><td>Requires improvement</td>" in html


# --- the home page and alerts ------------------------------------------------------------------------


def test_the_worker_is_asked_on_the_home_page_by_case_id(authority: Authority) -> None:
    audit = submitted_audit(authority)
    text = body(client_for(authority, "social_worker").get("/"))
    assert "Audits waiting for your feedback" in text and page(audit, "feedback") in text
    assert "Case C-OWN" in text and audit.case.child.name not in text
    assert "Your feedback on the audit, its findings and its plan is asked for by" in text  # the alert
    assert "Audits waiting for your feedback" not in body(client_for(authority, "qa_officer").get("/"))


def test_the_head_of_qa_sees_the_disputes_to_decide(authority: Authority) -> None:
    audit = disputed(authority)
    text = body(client_for(authority, "head_of_qa").get("/"))
    assert "Disputed audits to decide" in text and page(audit, "head-of-qa-decision") in text
    assert audit.case.child.name not in text
    assert "Disputed audits to decide" not in body(client_for(authority, "qa_officer").get("/"))


def test_qa_and_the_auditor_see_overdue_feedback(authority: Authority) -> None:
    audit = submitted_audit(authority)
    assert "Feedback overdue" not in body(client_for(authority, "qa_officer").get("/"))
    window_passed(audit)
    for who in ("qa_officer", "group_manager"):
        text = body(client_for(authority, who).get("/"))
        assert "Feedback overdue" in text and "Case C-OWN" in text
    assert "Feedback overdue" not in body(client_for(authority, "social_worker").get("/"))


def test_an_alert_is_dismissed_by_its_own_person_only(authority: Authority) -> None:
    audit = submitted_audit(authority)
    alert = AuditAlert.objects.get(audit=audit, staff=authority.people["social_worker"])
    url = reverse("moderation:alert-dismiss", args=[alert.pk])
    assert client_for(authority, "practice_manager").get(url).status_code == 404
    assert client_for(authority, "practice_manager").post(url).status_code == 404
    client = client_for(authority, "social_worker")
    assert url in body(client.get("/"))
    confirm = client.get(url)
    assert confirm.status_code == 200
    markup(confirm)
    assert client.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.dismissed_at is not None
    assert url not in body(client.get("/"))
