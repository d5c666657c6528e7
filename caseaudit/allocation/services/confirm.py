"""Confirming a month's allocation (SEL-1, SEL-5, AUD-5): the Stage 1 audits, their due date, the
auditors' emails, and "one confirmed allocation per month" however many people confirm at once."""

import calendar
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.allocation.engine import eligibility
from caseaudit.allocation.errors import (
    AllocationAlreadyConfirmed,
    AllocationRefused,
)
from caseaudit.allocation.facts import auditor_facts, case_facts, solver_settings
from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings
from caseaudit.allocation.presenters.mail import auditor_mail
from caseaudit.allocation.selectors import allocation_confirmed_run, allocation_settings_get
from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.services import audit_start
from caseaudit.core.calendar import WorkingCalendar, long_date, month_label
from caseaudit.core.mail_text import display_name
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.org.selectors import working_calendar

GOOD_PRACTICE = "good_practice"  # the monthly Stage 1 audit type (CONTRACTS §5)


def allocation_due_date(*, month: date, due_day: int, working_days: WorkingCalendar) -> date:
    """AUD-5: Stage 1 is due by the end of the third week: the `due_day` of the month (default the
    21st), moved back to the working day before when it falls on a weekend or bank holiday."""
    last = calendar.monthrange(month.year, month.month)[1]
    return working_days.on_or_before(date(month.year, month.month, min(due_day, last)))


def stage1_due_date(*, month: date) -> date:
    """The month's Stage 1 due date under the council's settings and bank holidays (AUD-5)."""
    settings = allocation_settings_get()
    return allocation_due_date(month=month, due_day=settings.due_day, working_days=working_calendar())


def already_confirmed_message(run: AllocationRun) -> str:
    when = long_date(timezone.localdate(run.confirmed_at)) if run.confirmed_at else "an earlier date"
    return (
        f"{month_label(run.month)} is already allocated "
        f"(confirmed by {display_name(run.confirmed_by)} on {when})"
    )


def allocation_confirm(*, actor: Any, run: AllocationRun) -> AllocationRun:
    """Confirm a draft: one Stage 1 Good Practice audit per case, status "allocated", due by the
    setting's day of the month (AUD-5), and one email per auditor (SEL-5). A month is confirmed
    once: the conditional unique constraint keeps it so when two people confirm at once, on
    PostgreSQL and on SQLite alike."""
    settings = allocation_settings_get()
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        confirmed = run if run.status == AllocationRun.Status.CONFIRMED else None
        confirmed = confirmed or allocation_confirmed_run(month=run.month)
        if confirmed is not None:
            raise AllocationAlreadyConfirmed(already_confirmed_message(confirmed))
        if run.status != AllocationRun.Status.DRAFT:
            message = "This draft was replaced by a newer one for the month: confirm that one"
            raise AllocationRefused([Problem("allocation", "status", message)])
        items = list(
            AllocationItem.objects.filter(run=run)
            .select_related("case__child", "case__team", "case__allocated_worker", "auditor")
            .order_by("case__case_id")
        )
        _recheck(run, items, settings)
        run.status = AllocationRun.Status.CONFIRMED
        run.confirmed_at = timezone.now()
        run.confirmed_by = user_or_none(actor)
        try:
            with transaction.atomic():
                run.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        except IntegrityError:
            # Someone confirmed the month between our check and our write (SEL-1).
            other = allocation_confirmed_run(month=run.month)
            message = (
                already_confirmed_message(other)
                if other is not None
                else f"{month_label(run.month)} is already allocated"
            )
            raise AllocationAlreadyConfirmed(message) from None
        due = allocation_due_date(month=run.month, due_day=settings.due_day, working_days=working_calendar())
        for item in items:
            try:
                item.audit = audit_start(
                    actor=actor,
                    case=item.case,
                    audit_type=GOOD_PRACTICE,
                    auditor=item.auditor,
                    status="allocated",
                    allocation_month=run.month,
                    due_date=due,
                )
            except AuditRefused as refused:
                raise AllocationRefused(
                    [Problem(item.case.case_id, p.field, p.message) for p in refused.problems]
                ) from refused
        AllocationItem.objects.bulk_update(items, ["audit"], batch_size=500)
        # The month's other drafts are discarded, except one being confirmed at this very moment
        # (its row is locked): waiting for it would deadlock with its wait on our unique index entry,
        # and the constraint refuses it anyway.
        others = (
            AllocationRun.objects.select_for_update(skip_locked=True)
            .filter(month=run.month, status=AllocationRun.Status.DRAFT)
            .exclude(pk=run.pk)
            .values_list("pk", flat=True)
        )
        AllocationRun.objects.filter(pk__in=list(others)).update(status=AllocationRun.Status.DISCARDED)
        by_auditor: dict[int, list[AllocationItem]] = defaultdict(list)
        for item in items:
            by_auditor[item.auditor_id].append(item)
        for auditor_items in by_auditor.values():
            mail = auditor_mail(month=run.month, due=due, items=auditor_items)
            outbox_enqueue(
                to=[auditor_items[0].auditor.email],
                subject=mail.subject,
                body=mail.body,
                related_type="allocation_run",
                related_ref=str(run.pk),
            )
        audit_event_record(
            actor=actor,
            action="allocation.confirmed",
            object_type="allocation_run",
            object_ref=str(run.pk),
            summary=f"Allocation for {month_label(run.month)} confirmed: {len(items)} audits for "
            f"{len(by_auditor)} auditors, due {long_date(due)}",
            changes={
                "status": [AllocationRun.Status.DRAFT.value, AllocationRun.Status.CONFIRMED.value],
                "audits": [None, [item.audit_id for item in items]],
                "due_date": [None, due.isoformat()],
            },
        )
    return run


def _recheck(run: AllocationRun, items: list[AllocationItem], settings: AllocationSettings) -> None:
    """The hard rules and eligibility again, on today's register: it may have changed since the
    draft (a case audited, a manager moved, an auditor left)."""
    cases, _ = case_facts(month=run.month, case_pks=[item.case_id for item in items])
    auditors, _ = auditor_facts(
        roles=list(settings.auditor_roles), staff_pks={item.auditor_id for item in items}
    )
    case_by_id = {case.case_id: case for case in cases}
    auditor_by_id = {auditor.staff_id: auditor for auditor in auditors}
    solver = solver_settings(settings, per_auditor=run.per_auditor)
    problems = []
    for item in items:
        case = case_by_id[item.case.case_id]
        verdict = eligibility.ineligibility(case, month=run.month, settings=solver)
        if verdict is not None:
            problems.append(
                Problem(
                    case.case_id, "case_id", f"Case {case.case_id} is no longer eligible: {verdict.reason}"
                )
            )
        auditor = auditor_by_id.get(item.auditor.staff_id)
        if auditor is None:
            problems.append(
                Problem(
                    case.case_id,
                    "auditor_id",
                    f"{item.auditor.name} is no longer an auditor: change the auditor of case {case.case_id}",
                )
            )
            continue
        for breach in eligibility.hard_rule_breaches(case, auditor):
            problems.append(
                Problem(
                    case.case_id,
                    "auditor_id",
                    f"{breach.message}, so they may not audit case {case.case_id}: change its auditor",
                )
            )
    if problems:
        raise AllocationRefused(problems)
