"""Drafting the month's allocation (SEL-1..SEL-4): the engine solves on the register's facts and the
draft is kept with its explanation.

Each write runs in one transaction with its audit-history row. Permission checks are the caller's
(the pages, the API and the command check `allocation.run_allocation`)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.allocation.engine import eligibility
from caseaudit.allocation.engine.solver import allocate
from caseaudit.allocation.errors import AllocationAlreadyConfirmed, AllocationRefused
from caseaudit.allocation.facts import allocation_facts
from caseaudit.allocation.models import AllocationItem, AllocationRun
from caseaudit.allocation.selectors import allocation_confirmed_run, allocation_settings_get
from caseaudit.allocation.services.confirm import (
    already_confirmed_message,
)
from caseaudit.core.calendar import month_label
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none

MAX_PER_AUDITOR = 50
SEED_LIMIT = 2**63 - 1  # a BigIntegerField


def allocation_draft(
    *, actor: Any, month: date, seed: int | None = None, per_auditor: int | None = None
) -> AllocationRun:
    """Draft the month's allocation (SEL-1..SEL-4) and keep it with its explanation. A new draft
    for a month discards the month's older drafts."""
    month = month.replace(day=1)
    problems = []
    if per_auditor is not None and not 0 <= per_auditor <= MAX_PER_AUDITOR:
        problems.append(
            Problem("allocation", "per_auditor", f"Cases per auditor must be 0 to {MAX_PER_AUDITOR}")
        )
    if seed is not None and not -SEED_LIMIT <= seed <= SEED_LIMIT:
        problems.append(Problem("allocation", "seed", "The seed must be a whole number of up to 18 digits"))
    if problems:
        raise AllocationRefused(problems)
    confirmed = allocation_confirmed_run(month=month)
    if confirmed is not None:
        raise AllocationAlreadyConfirmed(already_confirmed_message(confirmed))
    settings = allocation_settings_get()
    per_auditor = settings.cases_per_auditor if per_auditor is None else per_auditor
    seed = eligibility.default_seed(month) if seed is None else seed
    # Solved before the transaction opens, so a large register does not hold the write lock.
    facts = allocation_facts(month=month, settings=settings)
    result = allocate(
        facts.cases, facts.auditors, month=month, seed=seed, per_auditor=per_auditor, settings=facts.settings
    )
    data = result.as_json()
    with transaction.atomic():
        discarded = AllocationRun.objects.filter(month=month, status=AllocationRun.Status.DRAFT).update(
            status=AllocationRun.Status.DISCARDED
        )
        run = AllocationRun.objects.create(
            month=month,
            seed=seed,
            per_auditor=per_auditor,
            status=AllocationRun.Status.DRAFT,
            created_at=timezone.now(),
            created_by=user_or_none(actor),
            result=data,
        )
        AllocationItem.objects.bulk_create(
            [
                AllocationItem(
                    run=run,
                    case_id=facts.case_pks[pair["case_id"]],
                    auditor_id=facts.staff_pks[pair["auditor_id"]],
                    same_area=pair["same_area"],
                    reasons=pair["reasons"],
                )
                for pair in data["allocations"]
            ],
            batch_size=500,
        )
        audit_event_record(
            actor=actor,
            action="allocation.drafted",
            object_type="allocation_run",
            object_ref=str(run.pk),
            summary=f"Allocation for {month_label(month)} drafted: {len(data['allocations'])} cases "
            f"for {len(data['auditor_load'])} auditors (seed {seed})",
            changes={
                "month": [None, f"{month:%Y-%m}"],
                "seed": [None, seed],
                "per_auditor": [None, per_auditor],
                "allocated": [None, len(data["allocations"])],
                "discarded_drafts": [None, discarded],
            },
        )
    return run
