"""Confirming the month through the service: the audits, their due date, the auditors' emails,
one confirmed allocation per month (SEL-1, SEL-5, AUD-5)."""

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from caseaudit.allocation.errors import AllocationAlreadyConfirmed, AllocationRefused
from caseaudit.allocation.models import AllocationItem, AllocationRun
from caseaudit.allocation.services import confirm as services_confirm
from caseaudit.allocation.services.adjust import allocation_adjust
from caseaudit.allocation.services.confirm import allocation_confirm, allocation_due_date
from caseaudit.allocation.services.settings import allocation_settings_update
from caseaudit.allocation.tests.helpers import DECEMBER, council, draft, pairs, qa, templates
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.calendar import WorkingCalendar
from caseaudit.core.models import AuditEvent, OutboxMessage
from caseaudit.org.models import Authority as Council

pytestmark = pytest.mark.usefixtures("templates")
__all__ = ["council", "templates"]


def problems(exc: AllocationRefused) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.problems]


@pytest.mark.parametrize(
    ("month", "due_day", "due"),
    [
        (date(2026, 12, 1), 21, date(2026, 12, 21)),  # a Monday
        (date(2026, 2, 1), 21, date(2026, 2, 20)),  # Saturday → Friday
        (date(2026, 6, 1), 21, date(2026, 6, 19)),  # Sunday → Friday
        (date(2026, 12, 1), 28, date(2026, 12, 24)),  # Boxing Day substitute, weekend, Christmas
        (date(2027, 3, 1), 29, date(2027, 3, 29)),  # Easter Monday 2027 is 29 March in England...
        (date(2026, 2, 1), 31, date(2026, 2, 27)),  # the day is capped at the month's last day
    ],
)
def test_due_date_moves_back_to_a_working_day(month: date, due_day: int, due: date) -> None:
    if month == date(2027, 3, 1):
        # ...so the due day moves back over the Easter weekend and Good Friday.
        due = date(2027, 3, 25)
    assert allocation_due_date(month=month, due_day=due_day, working_days=WorkingCalendar()) == due


def test_confirm_creates_one_allocated_audit_per_case_due_monday_21_december(council: Authority) -> None:
    run = draft(council)
    run = allocation_confirm(actor=qa(council), run=run)
    assert run.status == "confirmed" and run.confirmed_by == qa(council)
    audits = Audit.objects.filter(allocation_month=DECEMBER)
    assert audits.count() == 3 == AllocationItem.objects.filter(run=run, audit__isnull=False).count()
    for item in run.items.select_related("audit"):
        audit = item.audit
        assert (audit.status, audit.audit_type, audit.auditor_id) == (
            "allocated",
            "good_practice",
            item.auditor_id,
        )
        assert audit.due_date == date(2026, 12, 21) and audit.case_id == item.case_id
    assert AuditEvent.objects.filter(action="allocation.confirmed").count() == 1


def test_the_due_date_follows_the_setting_and_the_authoritys_nation(council: Authority) -> None:
    Council.objects.create(name="Cymru", nation="wales")
    allocation_settings_update(
        actor=qa(council),
        auditor_roles=["group_manager"],
        cases_per_auditor=1,
        closed_within_days=30,
        audited_within_months=3,
        due_day=28,
        access_approver_role="head_of_service",
    )
    allocation_confirm(actor=qa(council), run=draft(council))
    assert set(Audit.objects.values_list("due_date", flat=True)) == {date(2026, 12, 24)}


def test_each_auditor_is_emailed_after_commit(
    council: Authority, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://caseaudit.council.example/"
    run = draft(council)
    with django_capture_on_commit_callbacks(execute=True):
        allocation_confirm(actor=qa(council), run=run)
    assert len(mail.outbox) == 3
    by_auditor = {message.to[0]: message for message in mail.outbox}
    gma = by_auditor["gma@example.test"]
    item = run.items.select_related("case__child", "audit").get(auditor__staff_id="GMA")
    assert "21 December 2026" in gma.subject and "December 2026" in gma.subject
    body = gma.body
    assert f"Case {item.case.case_id}: {item.case.child.name}" in body
    assert "Allocated worker: " + item.audit.worker.name in body
    assert "Practice manager: " + council.people["group_manager"].direct_reports.first().name in body
    assert "Due: 21 December 2026" in body
    assert f"https://caseaudit.council.example/audits/{item.audit_id}/" in body
    assert "https://caseaudit.council.example/my-audits/" in body
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 3


def test_a_restricted_case_is_named_only_by_its_id_in_the_email(
    council: Authority, django_capture_on_commit_callbacks: Any
) -> None:
    run = draft(council)
    restricted = council.cases["restricted"]
    item = run.items.filter(case=restricted).first()
    if item is None:  # make sure the restricted case is allocated
        picked = next(c for c, a in pairs(run).items() if a in {"GMB", "GMC"} and c != "C-RESTRICTED")
        item = allocation_adjust(
            actor=qa(council), run=run, case_id=picked, replacement_case_id="C-RESTRICTED", reason="Due"
        )
    with django_capture_on_commit_callbacks(execute=True):
        allocation_confirm(actor=qa(council), run=run)
    body = next(m.body for m in mail.outbox if m.to == [item.auditor.email])
    assert "Case C-RESTRICTED (team Assessment North): restricted record: request access" in body
    assert restricted.child.name not in body


def test_a_rolled_back_confirmation_sends_nothing_and_saves_nothing(
    council: Authority, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    run = draft(council)
    real = services_confirm.audit_start
    calls = []

    def failing(**kwargs: Any) -> Audit:
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services_confirm, "audit_start", failing)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        allocation_confirm(actor=qa(council), run=run)
    assert callbacks == [] and mail.outbox == []
    assert not Audit.objects.exists() and not OutboxMessage.objects.exists()
    run.refresh_from_db()
    assert run.status == "draft"

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        monkeypatch.setattr(services_confirm, "audit_start", real)
        allocation_confirm(actor=qa(council), run=run)
        raise RuntimeError("the caller's transaction fails after the confirmation")
    assert mail.outbox == [] and not Audit.objects.exists()


def test_a_second_confirmation_for_the_month_is_refused(council: Authority) -> None:
    older = draft(council)
    run = draft(council)
    allocation_confirm(actor=qa(council), run=run)
    name = council.people["qa_officer"].name
    for attempt in (run, older):
        with pytest.raises(AllocationAlreadyConfirmed) as refused:
            allocation_confirm(actor=qa(council), run=attempt)
        assert str(refused.value).startswith(f"December 2026 is already allocated (confirmed by {name} on ")
    with pytest.raises(AllocationAlreadyConfirmed):
        draft(council)
    assert Audit.objects.count() == 3
    assert AllocationRun.objects.filter(status="confirmed").count() == 1


def test_the_unique_constraint_refuses_a_confirmation_that_passed_the_check(
    council: Authority, monkeypatch: Any
) -> None:
    """Two confirmations racing: the second passes the check before the first commits; the
    database's conditional unique constraint refuses it (SEL-1)."""
    first = draft(council)
    second = draft(council)
    AllocationRun.objects.filter(pk=first.pk).update(status="draft")
    allocation_confirm(actor=qa(council), run=first)
    AllocationRun.objects.filter(pk=second.pk).update(status="draft")
    real = services_confirm.allocation_confirmed_run
    seen = []

    def not_yet(**kwargs: Any) -> Any:
        seen.append(kwargs)
        return None if len(seen) == 1 else real(**kwargs)

    monkeypatch.setattr(services_confirm, "allocation_confirmed_run", not_yet)
    # Nor has the other confirmation's audits been committed when this one re-checks its cases.
    monkeypatch.setattr(services_confirm, "_recheck", lambda *args: None)
    with pytest.raises(AllocationAlreadyConfirmed) as refused:
        allocation_confirm(actor=qa(council), run=second)
    assert "December 2026 is already allocated (confirmed by" in str(refused.value)
    assert Audit.objects.count() == 3
    second.refresh_from_db()
    assert second.status == "draft"


def test_confirm_rechecks_the_hard_rules_on_todays_register(council: Authority) -> None:
    run = draft(council)
    item = run.items.select_related("case").get(auditor__staff_id="GMC")
    # GMC becomes the line manager of the case's worker's practice manager: now above the worker.
    from caseaudit.org.services import line_management_rebuild

    item.case.allocated_worker.line_manager.line_manager = council.people["group_manager_c"]
    item.case.allocated_worker.line_manager.save()
    line_management_rebuild()
    with pytest.raises(AllocationRefused) as refused:
        allocation_confirm(actor=qa(council), run=run)
    assert any("Gwen North is above" in message for _, message in problems(refused.value))
    assert not Audit.objects.exists()
