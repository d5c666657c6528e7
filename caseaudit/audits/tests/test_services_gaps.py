"""Compliance gaps flagged by the auditor and addressed by the worker (AUD-3)."""

from typing import Any

import pytest

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.services import audit_submit, compliance_gap_address, compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import STRENGTHS, audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


def test_flag_and_address_with_history(authority: Authority) -> None:
    audit = audit_of(authority)
    auditor, worker = audit.auditor.user, authority.people["social_worker"].user
    gap = compliance_gap_flag(actor=auditor, audit=audit, kind="chronology", note=" Chronology stops in May ")
    assert (gap.kind, gap.note, gap.flagged_by, gap.addressed_at) == (
        "chronology",
        "Chronology stops in May",
        auditor,
        None,
    )
    gap = compliance_gap_address(actor=worker, gap=gap, note="Chronology brought up to date")
    assert gap.addressed_by == worker and gap.addressed_at is not None
    actions = list(
        AuditEvent.objects.filter(object_type="audit", object_ref=str(audit.pk))
        .order_by("at", "id")
        .values_list("action", "actor")
    )
    assert actions[-2:] == [("compliance_gap.flagged", auditor.pk), ("compliance_gap.addressed", worker.pk)]


def test_flag_refusals(authority: Authority) -> None:
    audit = audit_of(authority)
    with pytest.raises(AuditRefused) as refused:
        compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="horoscope", note="  ")
    assert {(p.ref, p.field) for p in refused.value.problems} == {
        ("compliance_gap", "kind"),
        ("compliance_gap", "note"),
    }


def test_address_refusals(authority: Authority) -> None:
    audit = audit_of(authority)
    worker = authority.people["social_worker"].user
    gap = compliance_gap_flag(
        actor=audit.auditor.user, audit=audit, kind="visits", note="No visit since June"
    )
    with pytest.raises(AuditRefused):
        compliance_gap_address(actor=worker, gap=gap, note="")
    compliance_gap_address(actor=worker, gap=gap, note="Visited on 2 December")
    with pytest.raises(AuditRefused) as refused:
        compliance_gap_address(actor=worker, gap=gap, note="Again")
    assert refused.value.problems[0].field == "addressed"


def test_gaps_after_submission(authority: Authority) -> None:
    """Flagging is part of Stage 1; recording how a gap was addressed goes on after it."""
    audit = complete(audit_of(authority), comments={"comments_actions": STRENGTHS})
    gap = compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="supervision", note="Overdue")
    audit_submit(actor=audit.auditor.user, audit=audit)
    with pytest.raises(AuditReadOnly):
        compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="visits", note="Late")
    compliance_gap_address(
        actor=authority.people["practice_manager"].user, gap=gap, note="Held on 1 December"
    )
