"""The pages of actions and escalations (ACT-1, ESC-1, ESC-2): "My actions", the actions list with
its filters and counts, the escalations list, the action page's steps for each person, the audit
page's actions panel; each scoped (a record one may not see is a 404, a step one may not take a
403) and each view logged."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseaudit.actions.models import Escalation
from caseaudit.actions.services import action_done
from caseaudit.actions.tests.helpers import DUE, action_items, audit_with_actions, first_action
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.services import audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog

pytestmark = pytest.mark.django_db

AFTER_DUE = DUE + datetime.timedelta(days=6)  # every action of the helpers overdue


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(other_worker(authority) if who == "other_worker" else user_for(authority, who))
    return client


def other_worker(authority: Authority) -> Any:
    """SWB: a worker of team B, who may see nothing of team A's audits."""
    worker = authority.cases["other_team"].allocated_worker
    assert worker is not None
    return worker.user


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def today_after_due(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Pretend today is after the helpers' due date, so their open actions are overdue."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> datetime.date:
        return real(value, timezone) if value is not None else AFTER_DUE

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return AFTER_DUE


def other_team_audit(authority: Authority, count: int) -> Audit:
    """A submitted audit of team B's case (GMA audits it) with `count` actions."""
    audit = audit_of(authority, "other_team", auditor="group_manager_a")
    complete(audit, actions=action_items(count))
    return audit_submit(actor=audit.auditor.user, audit=audit)


# --- My actions --------------------------------------------------------------------------------


def test_my_actions_shows_the_owner_their_actions_and_the_signer_what_to_sign_off(
    authority: Authority,
) -> None:
    audit = audit_with_actions(authority)
    action = first_action(audit)
    page = client_for(authority, "practice_manager").get(reverse("actions:mine"))
    assert page.status_code == 200
    assert "Open (2)" in text(page) and reverse("actions:action", args=[action.pk]) in text(page)
    assert "To sign off" not in text(page)
    assert "You have no actions" in text(
        client_for(authority, "group_manager_a").get(reverse("actions:mine"))
    )

    action_done(actor=user_for(authority, "practice_manager"), action=action, note="Chronology updated.")
    owner = text(client_for(authority, "practice_manager").get(reverse("actions:mine")))
    assert "Done, awaiting sign-off (1)" in owner and "Open (1)" in owner
    signer = text(client_for(authority, "group_manager_a").get(reverse("actions:mine")))
    assert "To sign off (1)" in signer and reverse("actions:action", args=[action.pk]) in signer
    assert (
        AccessLog.objects.filter(object_type="action_list", object_ref="mine", outcome="allowed").count() == 4
    )


def test_my_actions_puts_late_ones_under_overdue(
    authority: Authority, today_after_due: datetime.date
) -> None:
    audit_with_actions(authority)
    page = text(client_for(authority, "practice_manager").get(reverse("actions:mine")))
    assert "Overdue (2)" in page and "govuk-tag--red" in page


def test_my_actions_shows_nothing_of_others(authority: Authority) -> None:
    audit_with_actions(authority)
    page = text(client_for(authority, "other_worker").get(reverse("actions:mine")))
    assert "You have no actions" in page and "C-OWN" not in page


def test_my_actions_is_a_constant_number_of_queries(
    authority: Authority, django_assert_max_num_queries: Any
) -> None:
    audit_with_actions(authority, count=1)
    pma = client_for(authority, "practice_manager")
    pma.get(reverse("actions:mine"))
    with django_assert_max_num_queries(20) as few:
        pma.get(reverse("actions:mine"))
    audit_with_actions(authority, "restricted", count=6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Open (7)" in text(pma.get(reverse("actions:mine")))


# --- the actions list --------------------------------------------------------------------------


def test_the_actions_list_is_scoped(authority: Authority) -> None:
    audit_with_actions(authority)
    other_team_audit(authority, 1)
    qa = text(client_for(authority, "qa_officer").get(reverse("actions:list")))
    assert "C-OWN" in qa and "C-OTHER" in qa and "3 actions." in qa
    manager = text(client_for(authority, "practice_manager").get(reverse("actions:list")))
    assert "C-OWN" in manager and "C-OTHER" not in manager
    worker = text(client_for(authority, "other_worker").get(reverse("actions:list")))
    assert "C-OWN" not in worker and "C-OTHER" in worker
    assert "C-OWN" in text(client_for(authority, "head_of_service").get(reverse("actions:list")))
    assert AccessLog.objects.filter(object_type="action_list", object_ref="all").count() == 4


def test_the_actions_list_filters_by_team_worker_status_and_overdue(
    authority: Authority, today_after_due: datetime.date
) -> None:
    audit = audit_with_actions(authority)
    other_team_audit(authority, 1)
    qa = client_for(authority, "qa_officer")
    url = reverse("actions:list")
    by_team = text(qa.get(url, {"team": "TB"}))
    assert "C-OTHER" in by_team and "C-OWN" not in by_team and "1 action matches your filters" in by_team
    by_worker = text(qa.get(url, {"worker": "SWA"}))
    assert "C-OWN" in by_worker and "C-OTHER" not in by_worker
    # only workers whose actions QA may see are offered
    assert 'value="SWA"' in by_worker and 'value="SWA2"' not in by_worker

    action_done(actor=user_for(authority, "practice_manager"), action=first_action(audit), note="Done.")
    done = text(qa.get(url, {"status": "done"}))
    assert "1 action matches your filters" in done and "Done, awaiting sign-off: 1" in done
    overdue = text(qa.get(url, {"overdue": "on"}))
    assert "2 actions match your filters" in overdue and "Overdue: 2" in overdue
    assert 'id="overdue" name="overdue" type="checkbox" value="on" checked' in overdue
    both = text(qa.get(url, {"overdue": "on", "team": "TA"}))
    assert "1 action matches your filters" in both
    unknown = qa.get(url, {"team": "NOPE"})
    assert unknown.status_code == 200 and "There is a problem" in text(unknown)


def test_the_actions_list_pages_by_50_in_a_constant_number_of_queries(
    authority: Authority, django_assert_max_num_queries: Any
) -> None:
    audit_with_actions(authority, count=1)
    qa = client_for(authority, "qa_officer")
    qa.get(reverse("actions:list"))  # warm the session and settings
    with django_assert_max_num_queries(30) as few:
        assert qa.get(reverse("actions:list")).status_code == 200
    other_team_audit(authority, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = qa.get(reverse("actions:list"))
    assert "9 actions." in text(page)


def test_the_actions_list_has_pages(authority: Authority, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caseaudit.actions.views.lists.PAGE_SIZE", 2)
    audit_with_actions(authority, count=3)
    qa = client_for(authority, "qa_officer")
    first = text(qa.get(reverse("actions:list")))
    assert "govuk-pagination" in first and "?page=2" in first
    second = text(qa.get(reverse("actions:list"), {"page": 2}))
    assert "step 3" in second and "step 1" not in second


# --- escalations -------------------------------------------------------------------------------


def test_the_escalations_list_is_scoped_and_filtered(
    authority: Authority, today_after_due: datetime.date
) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    url = reverse("actions:escalations")
    hos = client_for(authority, "head_of_service")
    page = text(hos.get(url))
    assert reverse("actions:escalation", args=[escalation.pk]) in page and "C-OWN" in page
    age = (AFTER_DUE - timezone.localtime(escalation.opened_at).date()).days
    assert f'govuk-table__cell--numeric">{age}<' in page and "Overdue" in page
    assert "C-OWN" in text(hos.get(url, {"overdue": "on"}))
    assert "C-OWN" not in text(hos.get(url, {"status": "closed"}))
    assert "C-OWN" in text(client_for(authority, "qa_officer").get(url, {"status": "open"}))
    assert "C-OWN" not in text(client_for(authority, "other_worker").get(url))
    assert AccessLog.objects.filter(object_type="escalation_list", outcome="allowed").count() == 5


def test_closing_an_escalation_on_its_page(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    url = reverse("actions:escalation", args=[escalation.pk])
    assert client_for(authority, "other_worker").get(url).status_code == 404
    assert client_for(authority, "social_worker").post(url, {}).status_code == 403
    hos = client_for(authority, "head_of_service")
    assert hos.get(url).status_code == 200
    empty = hos.post(url, {})
    assert (
        empty.status_code == 200
        and 'href="#outcome_code"' in text(empty)
        and 'href="#outcome"' in text(empty)
    )
    closed = hos.post(url, {"outcome_code": "strategy_discussion", "outcome": "Strategy meeting held."})
    assert closed.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == "closed" and escalation.outcome_code == "strategy_discussion"
    assert AccessLog.objects.filter(
        object_type="escalation", object_ref=str(escalation.pk), outcome="allowed"
    )
    assert AccessLog.objects.filter(object_type="escalation", object_ref=str(escalation.pk), outcome="denied")


# --- the action page ---------------------------------------------------------------------------


def buttons(response: Any) -> set[str]:
    page = text(response)
    return {
        label
        for label in ("Add progress", "Mark as done", "Sign off", "Send back", "Cancel the action")
        if f">{label}</button>" in page
    }


def test_the_action_page_offers_each_person_their_steps(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    url = reverse("actions:action", args=[action.pk])
    assert buttons(client_for(authority, "practice_manager").get(url)) == {"Add progress", "Mark as done"}
    assert buttons(client_for(authority, "group_manager_a").get(url)) == {"Cancel the action"}
    assert buttons(client_for(authority, "qa_officer").get(url)) == {"Cancel the action"}
    assert buttons(client_for(authority, "social_worker").get(url)) == set()
    assert client_for(authority, "other_worker").get(url).status_code == 404
    assert client_for(authority, "social_worker_a2").get(url).status_code == 404

    action_done(actor=user_for(authority, "practice_manager"), action=action, note="Done.")
    assert buttons(client_for(authority, "group_manager_a").get(url)) == {
        "Sign off",
        "Send back",
        "Cancel the action",
    }
    assert buttons(client_for(authority, "practice_manager").get(url)) == {"Add progress"}
    logged = AccessLog.objects.filter(object_type="action", object_ref=str(action.pk))
    assert logged.filter(outcome="allowed").count() == 6 and logged.filter(outcome="denied").count() == 2


def test_a_step_without_a_note_shows_the_error_on_its_textarea(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    url = reverse("actions:action", args=[action.pk])
    pma = client_for(authority, "practice_manager")
    response = pma.post(url, {"step": "done", "note": "  "})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert '<a href="#note-done">Enter what was done</a>' in page
    assert 'id="note-done"' in page and "govuk-textarea--error" in page
    action.refresh_from_db()
    assert action.status == AuditAction.Status.OPEN

    assert pma.post(url, {"step": "done", "note": "Chronology updated."}).status_code == 302
    action.refresh_from_db()
    assert action.status == AuditAction.Status.DONE


def test_a_step_one_may_not_take_is_forbidden(authority: Authority) -> None:
    action = first_action(audit_with_actions(authority))
    url = reverse("actions:action", args=[action.pk])
    assert (
        client_for(authority, "practice_manager").post(url, {"step": "sign_off", "note": "Mine."}).status_code
        == 403
    )
    assert (
        client_for(authority, "qa_officer").post(url, {"step": "done", "note": "Not mine."}).status_code
        == 403
    )
    assert client_for(authority, "other_worker").post(url, {"step": "done", "note": "x"}).status_code == 404
    action.refresh_from_db()
    assert action.status == AuditAction.Status.OPEN
    assert AccessLog.objects.filter(object_type="action", outcome="denied").count() == 3


def test_signing_off_and_cancelling_on_the_page(authority: Authority) -> None:
    audit = audit_with_actions(authority)
    action, second = list(AuditAction.objects.filter(audit=audit).order_by("order"))
    action_done(actor=user_for(authority, "practice_manager"), action=action, note="Done.")
    gma = client_for(authority, "group_manager_a")
    assert (
        gma.post(
            reverse("actions:action", args=[action.pk]), {"step": "sign_off", "note": "Seen."}
        ).status_code
        == 302
    )
    qa = client_for(authority, "qa_officer")
    empty = qa.post(reverse("actions:action", args=[second.pk]), {"step": "cancel", "note": ""})
    assert '<a href="#note-cancel">' in text(empty)
    assert (
        qa.post(
            reverse("actions:action", args=[second.pk]), {"step": "cancel", "note": "Case closed."}
        ).status_code
        == 302
    )
    statuses = set(AuditAction.objects.filter(audit=audit).values_list("status", flat=True))
    assert statuses == {"signed_off", "cancelled"}


# --- the audit page's panel ----------------------------------------------------------------------


def test_the_audit_page_shows_each_action_and_the_open_escalation(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    page = text(client_for(authority, "practice_manager").get(reverse("audits:overview", args=[audit.pk])))
    assert 'id="actions"' in page
    for action in AuditAction.objects.filter(audit=audit):
        assert reverse("actions:action", args=[action.pk]) in page
    assert "govuk-notification-banner" in page and reverse("actions:escalation", args=[escalation.pk]) in page
    assert "Escalated" in page


def test_the_audit_page_shows_a_closed_escalation_with_its_outcome(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    client_for(authority, "head_of_service").post(
        reverse("actions:escalation", args=[escalation.pk]),
        {"outcome_code": "safety_plan_reviewed", "outcome": "Plan reviewed with the family."},
    )
    page = text(client_for(authority, "qa_officer").get(reverse("audits:overview", args=[audit.pk])))
    assert "Safety plan reviewed" in page and "Escalated" not in page and "Escalation closed" in page


def test_a_draft_audit_has_no_actions_panel(authority: Authority) -> None:
    audit = audit_with_actions(authority, submit=False)
    page = text(client_for(authority, "group_manager").get(reverse("audits:overview", args=[audit.pk])))
    assert 'id="actions"' not in page
