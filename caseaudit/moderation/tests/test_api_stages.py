"""GET /api/audits/{id} after Stage 1 (CONTRACTS §9): grades by stage, where the audit is and whom
it waits for, and every later stage's record; the overall grade is the effective one."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.audits.services_grades import audit_grades_change
from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.services.lifecycle import audit_lock, audit_move_on
from caseaudit.moderation.tests.helpers import submitted_audit

Clients = Callable[[str], Client]


@pytest.fixture
def api(authority: Authority) -> Clients:
    def make(who: str) -> Client:
        _, raw = api_token_create(user=user_for(authority, who), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_a_submitted_audit_shows_its_stage1_grades_and_whom_it_waits_for(
    authority: Authority, api: Clients
) -> None:
    audit = submitted_audit(authority)
    body = api("qa_officer").get(f"/api/audits/{audit.pk}").json()
    assert body["status"] == "submitted"
    assert body["stage1_grades"]["overall"] == "good" and body["moderated_grades"] is None
    assert body["waiting_for"].startswith(f"Waiting for {audit.worker.name}'s feedback")
    assert body["feedback"] is None and body["moderation"] is None and body["panel"] is None
    assert body["family_feedback"] == []


def test_a_later_change_shows_as_the_effective_grade_with_its_change(
    authority: Authority, api: Clients
) -> None:
    audit = submitted_audit(authority)
    qa = authority.people["qa_officer"].user
    with transaction.atomic():
        audit_lock(audit)
        audit_move_on(actor=qa, audit=audit, event="no_feedback_given")
    assert Moderation.objects.filter(audit=audit).exists()
    with transaction.atomic():
        audit_lock(audit)
        audit_grades_change(
            actor=qa,
            audit=audit,
            stage="stage2",
            grades={"overall": "requires_improvement"},
            reasons={"overall": "The plan is not yet SMART."},
            moderated=True,
        )
    body = api("qa_officer").get(f"/api/audits/{audit.pk}").json()
    assert body["status"] == "moderation"
    assert body["overall_grade"] == "requires_improvement"  # the effective grade
    assert body["stage1_grades"]["overall"] == "good"  # Stage 1's stays as it was
    assert body["moderated_grades"]["overall"] == "requires_improvement"
    change = body["moderation"]["changes"][0]
    assert (change["ref"], change["from"], change["to"]) == ("overall", "good", "requires_improvement")
    assert change["reason"] == "The plan is not yet SMART." and change["by"] == "QA1"
    assert "Waiting for QA to assign a moderator for Stage 2, due by" in body["waiting_for"]


def test_get_audit_queries_do_not_grow_with_later_stages(
    authority: Authority, api: Clients, django_assert_max_num_queries: Any
) -> None:
    client = api("qa_officer")
    audit = submitted_audit(authority)
    client.get(f"/api/audits/{audit.pk}")
    with django_assert_max_num_queries(40):
        assert client.get(f"/api/audits/{audit.pk}").status_code == 200
