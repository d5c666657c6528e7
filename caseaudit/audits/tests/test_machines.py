"""The audit's state machine: allocated → in progress → submitted, then (CONTRACTS §9) the head of
QA, Stage 2 moderation, final, and the panel from final; nothing else, and only by named events."""

from typing import Any

import pytest

from caseaudit.audits.errors import TransitionNotAllowed
from caseaudit.audits.machines import (
    ALLOCATED,
    EVENTS,
    FINAL,
    HEAD_OF_QA_REVIEW,
    IN_PROGRESS,
    MODERATION,
    NEW,
    PANEL,
    SUBMITTED,
    audit_event,
    audit_transition,
    transition_allowed,
)
from caseaudit.audits.models import AuditStatusChange
from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

ALLOWED = {
    (NEW, ALLOCATED),
    (NEW, IN_PROGRESS),
    (ALLOCATED, IN_PROGRESS),
    (IN_PROGRESS, SUBMITTED),
    (SUBMITTED, HEAD_OF_QA_REVIEW),
    (SUBMITTED, MODERATION),
    (SUBMITTED, FINAL),
    (HEAD_OF_QA_REVIEW, MODERATION),
    (HEAD_OF_QA_REVIEW, FINAL),
    (MODERATION, FINAL),
    (FINAL, PANEL),
    (PANEL, FINAL),
}
STATES = [NEW, ALLOCATED, IN_PROGRESS, SUBMITTED, HEAD_OF_QA_REVIEW, MODERATION, PANEL, FINAL]


@pytest.mark.parametrize("from_status", STATES)
@pytest.mark.parametrize("to_status", STATES)
def test_transitions(from_status: str, to_status: str) -> None:
    assert transition_allowed(from_status, to_status) is ((from_status, to_status) in ALLOWED)


def test_every_event_moves_only_along_allowed_transitions() -> None:
    for leaves, reaches in EVENTS.values():
        for from_status in leaves:
            for to_status in reaches:
                assert transition_allowed(from_status, to_status)
    assert not transition_allowed(ALLOCATED, SUBMITTED)  # an audit is worked on before it is submitted
    assert not transition_allowed(SUBMITTED, IN_PROGRESS)  # Stage 1 never reopens


def test_an_event_refuses_a_status_it_does_not_leave(authority: Authority, db: Any) -> None:
    templates_load()
    audit = audit_of(authority, status=ALLOCATED)
    rows = AuditStatusChange.objects.count()
    with pytest.raises(TransitionNotAllowed):
        audit_event(audit=audit, event="feedback_given", to_status=FINAL, actor=audit.auditor.user)
    with pytest.raises(TransitionNotAllowed):  # an event reaches only its own states
        audit_event(audit=audit, event="started", to_status=SUBMITTED, actor=audit.auditor.user)
    assert audit.status == ALLOCATED and AuditStatusChange.objects.count() == rows


def test_a_refused_transition_writes_nothing(authority: Authority, db: Any) -> None:
    templates_load()
    audit = audit_of(authority, status=ALLOCATED)
    rows, events = AuditStatusChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        audit_transition(audit=audit, to_status=SUBMITTED, actor=audit.auditor.user)
    assert refused.value.problems[0].message == "An audit that is allocated cannot become stage 1 submitted."
    assert audit.status == ALLOCATED
    assert (AuditStatusChange.objects.count(), AuditEvent.objects.count()) == (rows, events)


def test_a_transition_records_who_when_from_to(authority: Authority, db: Any) -> None:
    templates_load()
    audit = audit_of(authority, status=ALLOCATED)
    actor = authority.people["qa_officer"].user
    audit_transition(audit=audit, to_status=IN_PROGRESS, actor=actor)
    row = AuditStatusChange.objects.filter(audit=audit).last()
    assert row is not None and (row.from_status, row.to_status, row.by) == (ALLOCATED, IN_PROGRESS, actor)
    assert row.event == "started"
    event = AuditEvent.objects.filter(action="audit.status_changed", object_ref=str(audit.pk)).first()
    assert (
        event is not None
        and event.changes == {"status": [ALLOCATED, IN_PROGRESS], "event": [None, "started"]}
        and event.actor == actor
    )
