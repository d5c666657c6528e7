"""The child's page (ACT-1, ESC-1, issue 11 parts 3, 5 and 8): each action and escalation of the
audits of the child's cases, as far as the person may see them, and the case's "last audited" from
caseaudit's own audits."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.cases.models import Case
from caseaudit.conftest import Authority, user_for

pytestmark = pytest.mark.django_db


def child_page(authority: Authority, who: Any, case: Case) -> str:
    client = Client()
    client.force_login(who)
    response = client.get(reverse("cases:child", args=[case.child.child_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_childs_page_shows_each_action_and_escalation(authority: Authority) -> None:
    case = authority.cases["own_team"]
    html = child_page(authority, user_for(authority, "practice_manager"), case)
    assert "No actions from the audits of this child's cases." in html
    assert "Not known" in html  # no audit yet, and none known from before caseaudit

    audit = audit_with_actions(authority, grade="inadequate")
    html = child_page(authority, user_for(authority, "practice_manager"), case)
    assert html.count("Update the chronology, step") == 2
    assert 'id="escalations"' in html and "What was done must be recorded by 9 December 2026" in html
    assert f'href="/escalations/{audit.escalations.get().pk}/"' in html
    # the case's last audit is caseaudit's own
    assert "2 December 2026" in html and "(before caseaudit)" not in html


def test_who_cannot_see_the_audit_sees_none_of_its_actions(authority: Authority) -> None:
    audit_with_actions(authority, grade="inadequate")
    case = authority.cases["own_team"]
    # The other team's worker cannot open the child's page at all; QA sees everything.
    client = Client()
    client.force_login(authority.cases["other_team"].allocated_worker.user)
    assert client.get(reverse("cases:child", args=[case.child.child_id])).status_code == 404
    html = child_page(authority, user_for(authority, "qa_officer"), case)
    assert html.count("Update the chronology, step") == 2 and 'id="escalations"' in html


def test_the_last_audited_date_before_caseaudit_is_labelled(authority: Authority) -> None:
    case = authority.cases["own_team"]
    Case.objects.filter(pk=case.pk).update(last_audited_on="2025-06-30")
    html = child_page(authority, user_for(authority, "practice_manager"), case)
    assert "30 June 2025 (before caseaudit)" in html
