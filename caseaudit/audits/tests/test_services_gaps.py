"""Compliance gaps flagged by the auditor and addressed by the worker (AUD-3)."""

from typing import Any

import pytest
from django.core import mail

from caseaudit.audits.errors import AuditReadOnly, AuditRefused
from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_submit
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import STRENGTHS, audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent, OutboxMessage
from caseaudit.org.models import Staff


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


def test_the_worker_and_their_manager_are_told_of_a_gap_and_the_auditor_of_its_resolution(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    audit = audit_of(authority)
    worker, manager = authority.people["social_worker"], authority.people["practice_manager"]
    with django_capture_on_commit_callbacks(execute=True):
        gap = compliance_gap_flag(
            actor=audit.auditor.user, audit=audit, kind="supervision", note="No supervision since August"
        )
    [flagged] = mail.outbox
    assert (flagged.to, flagged.cc) == ([worker.email], [manager.email])
    assert flagged.subject == "Compliance gap to address: case C-OWN (supervision)"
    assert f"Dear {worker.name}," in flagged.body
    assert (
        f"{audit.auditor.name} has flagged a compliance gap (supervision) on the audit of case C-OWN"
        in flagged.body
    )
    assert f"/audits/{audit.pk}/#compliance-gaps" in flagged.body
    # Mail carries no audit text and never the child's name: the link checks and logs (SEC-2).
    assert "No supervision since August" not in flagged.body
    assert audit.case.child.name not in flagged.body

    with django_capture_on_commit_callbacks(execute=True):
        compliance_gap_address(actor=worker.user, gap=gap, note="Supervision held on 2 December")
    addressed = mail.outbox[1]
    assert (addressed.to, addressed.cc) == ([audit.auditor.email], [])
    assert addressed.subject == "Compliance gap addressed: case C-OWN (supervision)"
    assert f"{worker.name} has addressed the compliance gap (supervision)" in addressed.body
    assert "Supervision held on 2 December" not in addressed.body
    assert OutboxMessage.objects.filter(related_type="compliance_gap", sent_at__isnull=False).count() == 2


def test_gap_mail_goes_only_to_people_who_may_open_the_audit_now(
    authority: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    """A worker who has left is not written to; nor is an auditor of a restricted case whose
    access has not been granted (a superuser flagged the gap)."""
    audit = audit_of(authority)
    worker = authority.people["social_worker"]
    Staff.objects.filter(pk=worker.pk).update(is_active=False)  # the worker has left
    audit = Audit.objects.get(pk=audit.pk)
    with django_capture_on_commit_callbacks(execute=True):
        compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="visits", note="Visits overdue")
    [flagged] = mail.outbox
    assert (flagged.to, flagged.cc) == ([authority.people["practice_manager"].email], [])

    restricted = audit_of(authority, "restricted")  # GMB, with no access granted
    gap = compliance_gap_flag(actor=authority.superuser, audit=restricted, kind="visits", note="Overdue")
    with django_capture_on_commit_callbacks(execute=True):
        compliance_gap_address(actor=authority.people["social_worker_a2"].user, gap=gap, note="Done")
    assert len(mail.outbox) == 1
    assert not OutboxMessage.objects.filter(subject__startswith="Compliance gap addressed").exists()


def test_a_refused_gap_sends_no_mail(authority: Authority, django_capture_on_commit_callbacks: Any) -> None:
    audit = audit_of(authority)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AuditRefused):
        compliance_gap_flag(actor=audit.auditor.user, audit=audit, kind="supervision", note=" ")
    assert mail.outbox == [] and not OutboxMessage.objects.exists()


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
