"""The council's allocation settings through the service (SEL-2, SEL-3, AUD-5)."""

import pytest

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.services.drafts import allocation_draft
from caseaudit.allocation.services.settings import allocation_settings_update
from caseaudit.allocation.tests.helpers import DECEMBER, council, qa, templates
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("templates")
__all__ = ["council", "templates"]


def problems(exc: AllocationRefused) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.problems]


def test_settings_update_validates_and_records(council: Authority) -> None:
    with pytest.raises(AllocationRefused) as refused:
        allocation_settings_update(
            actor=qa(council),
            auditor_roles=[],
            cases_per_auditor=99,
            closed_within_days=30,
            audited_within_months=3,
            due_day=0,
            access_approver_role="nobody",
        )
    assert {f for f, _ in problems(refused.value)} == {
        "auditor_roles",
        "cases_per_auditor",
        "due_day",
        "access_approver_role",
    }
    row = allocation_settings_update(
        actor=qa(council),
        auditor_roles=["group_manager", "service_manager"],
        cases_per_auditor=2,
        closed_within_days=30,
        audited_within_months=3,
        due_day=21,
        access_approver_role="head_of_service",
    )
    assert row.cases_per_auditor == 2
    event = AuditEvent.objects.get(action="allocation.settings_changed")
    assert event.changes["cases_per_auditor"] == [1, 2]
    assert allocation_draft(actor=qa(council), month=DECEMBER).per_auditor == 2
