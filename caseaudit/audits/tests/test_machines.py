"""The Stage 1 state machine: allocated → in progress → submitted, nothing else."""

from typing import Any

import pytest

from caseaudit.audits.errors import TransitionNotAllowed
from caseaudit.audits.machines import (
    ALLOCATED,
    IN_PROGRESS,
    NEW,
    SUBMITTED,
    TRANSITIONS,
    audit_transition,
    transition_allowed,
)
from caseaudit.audits.models import AuditStatusChange
from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

ALLOWED = {(NEW, ALLOCATED), (NEW, IN_PROGRESS), (ALLOCATED, IN_PROGRESS), (IN_PROGRESS, SUBMITTED)}
STATES = [NEW, ALLOCATED, IN_PROGRESS, SUBMITTED]


@pytest.mark.parametrize("from_status", STATES)
@pytest.mark.parametrize("to_status", STATES)
def test_transitions(from_status: str, to_status: str) -> None:
    assert transition_allowed(from_status, to_status) is ((from_status, to_status) in ALLOWED)


def test_submitted_is_final_for_stage1() -> None:
    assert TRANSITIONS[SUBMITTED] == frozenset()
    assert not transition_allowed(ALLOCATED, SUBMITTED)  # an audit is worked on before it is submitted


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
    event = AuditEvent.objects.filter(action="audit.status_changed", object_ref=str(audit.pk)).first()
    assert (
        event is not None and event.changes == {"status": [ALLOCATED, IN_PROGRESS]} and event.actor == actor
    )
