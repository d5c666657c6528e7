"""Submitting Stage 1 through the services (AUD-2, REC-1, REC-3): what stops it, read-only
afterwards, the PDF and the mail."""

from typing import Any

import pytest
from django.core import mail

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.models import AuditDocument, AuditStatusChange
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import (
    audit_save,
    audit_submission_problems,
    audit_submit,
)
from caseaudit.audits.tests.test_services_helpers import (
    STRENGTHS,
    all_yes,
    audit_of,
    complete,
    events,
    refs,
    templates_load,
)
from caseaudit.conftest import Authority
from caseaudit.questionnaires.errors import StaleVersion


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def test_submission_problems_list_everything_missing(authority: Authority) -> None:
    audit = audit_of(authority, audit_date=None)
    problems = {(p.ref, p.field) for p in audit_submission_problems(audit=audit)}
    assert ("audit", "audit_date") in problems
    assert ("overall", "overall_grade") in problems
    assert ("comments_actions.strengths", "answer") in problems
    assert ("comments_actions.issues", "answer") not in problems  # not required
    assert {("assessment", "grade"), ("reflection_supervision", "grade")} <= problems
    assert ("comments_actions", "grade") not in problems  # not graded
    assert ("assessment.child_seen", "answer") in problems
    strengths = next(
        p for p in audit_submission_problems(audit=audit) if p.ref == "comments_actions.strengths"
    )
    assert strengths.message == "Say what the social worker has done well"


def test_submit_refused_with_the_complete_list(authority: Authority) -> None:
    audit = audit_of(authority)
    answers = all_yes(audit)
    answers["comments_actions.strengths"] = "   "
    audit_save(actor=audit.auditor.user, audit=audit, answers=answers)
    with pytest.raises(AuditRefused) as refused:
        audit_submit(actor=audit.auditor.user, audit=audit)
    assert ("comments_actions.strengths", "answer") in refs(refused.value)
    assert len(refused.value.problems) == 5 + 1 + 1  # five grades, overall, strengths
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_submit_makes_the_audit_read_only_with_history(authority: Authority) -> None:
    audit = complete(audit_of(authority), grade="good", comments={"comments_actions": STRENGTHS})
    actor = audit.auditor.user
    audit = audit_submit(actor=actor, audit=audit, version=audit.response.version)
    assert audit.status == "submitted" and audit.submitted_by == actor and audit.submitted_at is not None
    rows = [(r.from_status, r.to_status, r.by) for r in AuditStatusChange.objects.filter(audit=audit)]
    assert rows == [("", "in_progress", actor), ("in_progress", "submitted", actor)]
    assert len(events(audit, "audit.submitted")) == 1
    assert AuditDocument.objects.filter(audit=audit, stage="stage1").count() == 1  # REC-1
    with pytest.raises(AuditReadOnly):
        audit_save(actor=actor, audit=audit, comments={"assessment": "Late thought"})
    with pytest.raises(AuditReadOnly):
        audit_submit(actor=actor, audit=audit)
    assert audit_state(audit=audit).sections["assessment"].comments == ""


def test_the_submitted_audit_goes_to_the_worker_and_their_line_manager(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    """REC-1: sent to the worker and their line manager, as a link to the logged download."""
    audit = complete(
        audit_of(authority),
        grade="requires_improvement",
        actions=[
            {"what": "Update the chronology", "due_date": "2026-12-21", "impact": "A clear history"},
            {"what": "Record supervision", "due_date": "2026-12-14", "impact": "Reflective oversight"},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        audit_submit(actor=audit.auditor.user, audit=audit)
    # (the moderation app's request for the worker's feedback goes too: MOD-3)
    [message] = [m for m in mail.outbox if m.subject.startswith("Stage 1 audit submitted")]
    worker, manager = authority.people["social_worker"], authority.people["practice_manager"]
    assert (message.to, message.cc) == ([worker.email], [manager.email])
    assert message.subject == "Stage 1 audit submitted: case C-OWN"
    assert f"{audit.auditor.name} has submitted the Stage 1 audit of case C-OWN" in message.body
    assert "held on 2 December 2026. Overall grade: Requires improvement." in message.body
    assert "It sets 2 actions, the first due by 14 December 2026." in message.body
    assert f"/audits/{audit.pk}/" in message.body
    assert message.attachments == []
    assert audit.case.child.name not in message.body and "Update the chronology" not in message.body


def test_a_refused_submission_sends_nothing(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    audit = audit_of(authority)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AuditRefused):
        audit_submit(actor=audit.auditor.user, audit=audit)
    assert mail.outbox == []


def test_submit_with_a_stale_version_is_refused(authority: Authority) -> None:
    audit = complete(audit_of(authority))
    with pytest.raises(StaleVersion):
        audit_submit(actor=audit.auditor.user, audit=audit, version=1)
    audit.refresh_from_db()
    assert audit.status == "in_progress"


def test_an_allocated_audit_cannot_be_submitted(authority: Authority) -> None:
    audit = audit_of(authority, status="allocated")
    with pytest.raises(AuditRefused):
        audit_submit(actor=audit.auditor.user, audit=audit)
