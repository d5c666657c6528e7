"""ACT-2 through the services, the API and the Comments and Actions page: the safeguarding
question asked when a grade is Inadequate, actions due within its rule, the reason for a date
beyond 4 weeks, and the audit date never in the future at submission. The audit is of
2 December 2026 (AUDIT_DATE): 5 working days is 9 December, 4 weeks is 30 December."""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseaudit.accounts.services import api_token_create
from caseaudit.actions.models import Escalation
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_save, audit_submission_problems, audit_submit
from caseaudit.audits.tests.test_services_helpers import AUDIT_DATE, complete, refs
from caseaudit.audits.tests.views.support import AUDITOR, client_for, section_url, start_audit
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AuditEvent

FIVE_DAYS = datetime.date(2026, 12, 9)
FOUR_WEEKS = datetime.date(2026, 12, 30)


def action(due: datetime.date, **extra: Any) -> dict[str, Any]:
    return {
        "what": "Strategy discussion with the police and the school",
        "due_date": due.isoformat(),
        "impact": "The child is safe at home while the plan is reviewed.",
        **extra,
    }


@pytest.fixture
def audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    return start_audit(authority, settings, tmp_path)


def codes(exc: AuditRefused) -> list[str]:
    return [problem.code for problem in exc.problems]


def test_with_safeguarding_concerns_actions_are_due_within_five_working_days(audit: Audit) -> None:
    complete(audit, grade="inadequate", safeguarding_concerns=True)
    actor = audit.auditor.user
    with pytest.raises(AuditRefused) as refused:
        audit_save(
            actor=actor, audit=audit, actions=[action(FIVE_DAYS), action(FIVE_DAYS + datetime.timedelta(1))]
        )
    assert refs(refused.value) == {("actions[1]", "due_date")}
    assert codes(refused.value) == ["due_after_safeguarding_limit"]
    with pytest.raises(AuditRefused):  # a reason never allows more than 5 working days
        audit_save(actor=actor, audit=audit, actions=[action(FOUR_WEEKS, due_reason="Court on the 30th")])
    audit_save(actor=actor, audit=audit, actions=[action(FIVE_DAYS)])
    submitted = audit_submit(actor=actor, audit=audit)
    assert submitted.safeguarding_concerns is True
    assert Escalation.objects.filter(audit=submitted, status=Escalation.Status.OPEN).count() == 1


def test_the_question_must_be_answered_when_a_grade_is_inadequate(audit: Audit) -> None:
    complete(audit, grade="inadequate", safeguarding_concerns=None, actions=[action(FOUR_WEEKS)])
    assert ("audit", "safeguarding_concerns") in {
        (p.ref, p.field) for p in audit_submission_problems(audit=audit)
    }
    with pytest.raises(AuditRefused):
        audit_submit(actor=audit.auditor.user, audit=audit)
    # Answered yes after the actions were set for 4 weeks: each stored action is now too late.
    audit_save(actor=audit.auditor.user, audit=audit, safeguarding_concerns=True)
    problems = audit_submission_problems(audit=audit)
    assert [(p.ref, p.code) for p in problems] == [("actions[0]", "due_after_safeguarding_limit")]
    event = AuditEvent.objects.filter(object_ref=str(audit.pk), action="audit.saved").latest("pk")
    assert event.changes["safeguarding_concerns"] == [None, True]


def test_otherwise_four_weeks_and_later_only_with_a_reason(audit: Audit) -> None:
    complete(audit, grade="requires_improvement")
    actor = audit.auditor.user
    late = FOUR_WEEKS + datetime.timedelta(days=1)
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=actor, audit=audit, actions=[action(late)])
    assert codes(refused.value) == ["due_after_four_weeks"]
    assert "by 30 December 2026, or give a reason for a later date" in refused.value.problems[0].message
    with pytest.raises(AuditRefused) as refused:
        audit_save(actor=actor, audit=audit, actions=[action(AUDIT_DATE - datetime.timedelta(days=1))])
    assert codes(refused.value) == ["due_before_audit_date"]
    audit_save(
        actor=actor, audit=audit, actions=[action(late, due_reason="The family are away until January")]
    )
    submitted = audit_submit(actor=actor, audit=audit)
    [stored] = submitted.actions.all()
    assert (stored.due_date, stored.due_reason) == (late, "The family are away until January")


def test_an_audit_date_in_the_future_is_refused_at_submission(audit: Audit) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    complete(audit, grade="good", audit_date=tomorrow)
    with pytest.raises(AuditRefused) as refused:
        audit_submit(actor=audit.auditor.user, audit=audit)
    assert codes(refused.value) == ["audit_date_in_future"]
    assert refs(refused.value) == {("audit", "audit_date")}


# --- the API ---------------------------------------------------------------------------------


def patch(client: Client, audit_id: int, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/audits/{audit_id}", json.dumps(body), content_type="application/json")


def test_the_api_reads_and_writes_the_answer_and_says_the_deadline(
    authority: Authority, audit: Audit
) -> None:
    _, raw = api_token_create(user=user_for(authority, AUDITOR), name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    complete(audit, grade="inadequate")
    body = api.get(f"/api/audits/{audit.pk}").json()
    assert body["safeguarding_concerns"] is False
    assert body["action_deadline"] == {
        "counts_from": "2026-12-02",
        "latest_due_date": "2026-12-30",
        "safeguarding": False,
        "explanation": "Actions are due within 4 weeks of 2 December 2026: by 30 December 2026, unless you "
        "give a reason for a later date.",
    }
    response = patch(
        api,
        audit.pk,
        {"version": body["version"], "safeguarding_concerns": True, "actions": [action(FOUR_WEEKS)]},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["ref"], error["field"]) == ("actions[0]", "due_date")
    audit.refresh_from_db()
    assert audit.safeguarding_concerns is False  # all or nothing
    response = patch(
        api,
        audit.pk,
        {"version": body["version"], "safeguarding_concerns": True, "actions": [action(FIVE_DAYS)]},
    )
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["safeguarding_concerns"] is True
    assert saved["action_deadline"]["latest_due_date"] == "2026-12-09"
    assert saved["actions"][0]["due_reason"] == ""


# --- the Comments and Actions page -------------------------------------------------------------


def test_the_page_asks_when_a_grade_is_inadequate_and_proposes_the_latest_date(
    authority: Authority, audit: Audit
) -> None:
    client = client_for(authority, AUDITOR)
    complete(audit, grade="requires_improvement")
    html = client.get(section_url(audit, "comments_actions")).content.decode()
    assert "Are there safeguarding concerns?" not in html
    assert 'id="action-0-due_date-day" name="action-0-due_date-day" type="text" value="30"' in html
    assert "By 30 December 2026: within 4 weeks of the audit date" in html

    complete(audit, grade="inadequate", safeguarding_concerns=None)
    audit.refresh_from_db()
    html = client.get(section_url(audit, "comments_actions")).content.decode()
    assert "Are there safeguarding concerns?" in html
    form = {
        "version": str(audit.response.version),
        "action_count": "1",
        "safeguarding_concerns": "yes",
        "action-0-what": "Strategy discussion",
        "action-0-owner_id": "",
        "action-0-due_date-day": "30",
        "action-0-due_date-month": "12",
        "action-0-due_date-year": "2026",
        "action-0-impact": "The child is safe.",
        "later": "1",
    }
    response = client.post(section_url(audit, "comments_actions"), form)
    html = response.content.decode()
    assert response.status_code == 422
    assert "with safeguarding concerns it must be due within 5 working days, by 9 December 2026" in html
    assert 'href="#action-0-due_date-day"' in html
    audit.refresh_from_db()
    assert audit.safeguarding_concerns is True and not audit.actions.exists()  # the rest was saved
    assert "By 9 December 2026 at the latest: 5 working days" in html

    form |= {"version": str(audit.response.version), "action-0-due_date-day": "9"}
    response = client.post(section_url(audit, "comments_actions"), form)
    assert response.status_code == 302
    assert list(audit.actions.values_list("due_date", flat=True)) == [FIVE_DAYS]


def test_a_stored_action_past_a_new_rule_does_not_stop_the_rest_being_saved(
    authority: Authority, audit: Audit
) -> None:
    """Answering yes after an action was set for 4 weeks saves the answer and the rest of the page;
    the stored action is refused at submission, linking to its date."""
    complete(audit, grade="inadequate", actions=[action(FOUR_WEEKS)])
    audit.refresh_from_db()
    [stored] = audit.actions.all()
    client = client_for(authority, AUDITOR)
    form = {
        "version": str(audit.response.version),
        "action_count": "1",
        "safeguarding_concerns": "yes",
        "action-0-id": str(stored.pk),
        "action-0-what": stored.what,
        "action-0-owner_id": "",
        "action-0-due_date-day": "30",
        "action-0-due_date-month": "12",
        "action-0-due_date-year": "2026",
        "action-0-impact": stored.impact,
        "comments": "Discussed with the practice manager.",
        "later": "1",
    }
    assert client.post(section_url(audit, "comments_actions"), form).status_code == 302
    audit.refresh_from_db()
    assert audit.safeguarding_concerns is True
    assert ("actions[0]", "due_after_safeguarding_limit") in [
        (p.ref, p.code) for p in audit_submission_problems(audit=audit)
    ]
    check = client.get(f"/audits/{audit.pk}/check/").content.decode()
    assert f'href="{section_url(audit, "comments_actions")}#action-0-due_date-day"' in check


def test_an_untouched_row_with_the_proposed_date_is_not_an_action(authority: Authority, audit: Audit) -> None:
    complete(audit, grade="good")
    audit.refresh_from_db()
    client = client_for(authority, AUDITOR)
    base = {"version": str(audit.response.version), "action_count": "1", "later": "1"}
    proposed = {
        "action-0-due_date-day": "30",
        "action-0-due_date-month": "12",
        "action-0-due_date-year": "2026",
        "action-0-proposed": "2026-12-30",
    }
    assert client.post(section_url(audit, "comments_actions"), base | proposed).status_code == 302
    assert not audit.actions.exists()
    # A date the person typed themselves is kept and asks for the rest of the action.
    audit.refresh_from_db()
    typed = proposed | {"version": str(audit.response.version), "action-0-due_date-day": "21"}
    response = client.post(section_url(audit, "comments_actions"), base | typed)
    assert response.status_code == 422
    assert "Action 1: say what needs to be done" in response.content.decode()


def test_a_stored_action_emptied_is_refused_not_deleted(authority: Authority, audit: Audit) -> None:
    complete(audit, grade="good", actions=[action(FOUR_WEEKS)])
    audit.refresh_from_db()
    [stored] = audit.actions.all()
    form = {
        "version": str(audit.response.version),
        "action_count": "1",
        "action-0-id": str(stored.pk),
        "action-0-what": "",
        "action-0-owner_id": "",
        "action-0-due_date-day": "",
        "action-0-due_date-month": "",
        "action-0-due_date-year": "",
        "action-0-impact": "",
        "later": "1",
    }
    response = client_for(authority, AUDITOR).post(section_url(audit, "comments_actions"), form)
    assert response.status_code == 422
    assert audit.actions.get().pk == stored.pk
