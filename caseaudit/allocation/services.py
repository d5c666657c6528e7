"""Writes of the monthly allocation (SEL-1..SEL-5): draft, adjust, confirm, and the settings.

Each runs in one transaction with its audit-history row; mail is queued in the same transaction
and delivered after commit (CONTRACTS §7). Permission checks are the caller's (the pages, the API
and the command check `allocation.run_allocation` / `allocation.change_settings`)."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.allocation.adjustments import adjusted_pair, result_after_adjustment
from caseaudit.allocation.engine import eligibility
from caseaudit.allocation.engine.solver import allocate
from caseaudit.allocation.errors import AllocationAlreadyConfirmed, AllocationRefused
from caseaudit.allocation.facts import allocation_facts, auditor_facts, case_facts, solver_settings
from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings
from caseaudit.allocation.selectors import allocation_confirmed_run, allocation_settings_get
from caseaudit.allocation.services_confirm import (
    actor_user,
    allocation_confirm,
    allocation_due_date,
    already_confirmed_message,
    stage1_due_date,
)
from caseaudit.cases.models import Case
from caseaudit.core.calendar import month_label
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record
from caseaudit.org.models import Staff

__all__ = [
    "MAX_PER_AUDITOR",
    "SETTINGS_FIELDS",
    "allocation_adjust",
    "allocation_confirm",
    "allocation_draft",
    "allocation_due_date",
    "allocation_settings_update",
    "stage1_due_date",
]

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
            created_by=actor_user(actor),
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


def allocation_adjust(
    *,
    actor: Any,
    run: AllocationRun,
    case_id: str,
    auditor_staff_id: str | None = None,
    replacement_case_id: str | None = None,
    reason: str,
) -> AllocationItem:
    """Change the auditor of a case in a draft, or replace the case by another eligible one
    (SEL-4, issue item 6). The hard rules are checked again and a breach is refused; the area rule
    and an uneven load are allowed, with warnings kept on the item."""
    reason = (reason or "").strip()
    auditor_staff_id = (auditor_staff_id or "").strip() or None
    replacement_case_id = (replacement_case_id or "").strip() or None
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        item = (
            AllocationItem.objects.select_related("case", "auditor")
            .filter(run=run, case__case_id=case_id)
            .first()
        )
        problems = _adjust_request_problems(run, item, case_id, auditor_staff_id, replacement_case_id, reason)
        if problems:
            raise AllocationRefused(problems)
        assert item is not None
        settings = allocation_settings_get()
        solver = solver_settings(settings, per_auditor=run.per_auditor)
        new_case, auditor, problems = _adjust_targets(
            run, item, settings, auditor_staff_id, replacement_case_id
        )
        if problems:
            raise AllocationRefused(problems)
        case_fact = case_facts(month=run.month, case_pks=[new_case.pk])[0][0]
        auditor_fact = auditor_facts(roles=list(settings.auditor_roles), staff_pks=[auditor.pk])[0][0]
        replacing = new_case.pk != item.case_id
        if replacing:
            verdict = eligibility.ineligibility(case_fact, month=run.month, settings=solver)
            if verdict is not None:
                problems.append(
                    Problem(
                        new_case.case_id,
                        "replacement_case_id",
                        f"Case {new_case.case_id} is not eligible: {verdict.reason}",
                    )
                )
        for breach in eligibility.hard_rule_breaches(case_fact, auditor_fact):
            problems.append(
                Problem(
                    new_case.case_id,
                    "auditor_id",
                    f"{auditor.name} ({auditor.staff_id}) may not audit case {new_case.case_id}: "
                    f"{breach.message}",
                )
            )
        if problems:
            raise AllocationRefused(problems)
        old_case_id, old_auditor_id = item.case.case_id, item.auditor.staff_id
        pair = adjusted_pair(
            run=run,
            item=item,
            case=case_fact,
            auditor=auditor_fact,
            replacing=replacing,
            settings=solver,
            who=display_name(actor),
            reason=reason,
        )
        item.case, item.auditor = new_case, auditor
        item.same_area = pair.same_area
        item.reasons = pair.reasons
        item.warnings = pair.warnings
        item.adjusted = True
        item.adjustment_reason = reason
        item.save(
            update_fields=[
                "case",
                "auditor",
                "same_area",
                "reasons",
                "warnings",
                "adjusted",
                "adjustment_reason",
            ]
        )
        run.result = result_after_adjustment(
            run.result, old_case_id=old_case_id, pair=pair, who=display_name(actor), reason=reason
        )
        run.save(update_fields=["result"])
        audit_event_record(
            actor=actor,
            action="allocation.adjusted",
            object_type="allocation_run",
            object_ref=str(run.pk),
            summary=f"Allocation for {month_label(run.month)}: case {old_case_id} "
            + (f"replaced by {new_case.case_id}" if replacing else "kept")
            + f", auditor {auditor.staff_id} ({reason})",
            changes={
                "case": [old_case_id, new_case.case_id],
                "auditor": [old_auditor_id, auditor.staff_id],
                "reason": [None, reason],
                "warnings": [None, [w["code"] for w in pair.warnings]],
            },
        )
    return item


def _adjust_request_problems(
    run: AllocationRun,
    item: AllocationItem | None,
    case_id: str,
    auditor_staff_id: str | None,
    replacement_case_id: str | None,
    reason: str,
) -> list[Problem]:
    if run.status != AllocationRun.Status.DRAFT:
        return [
            Problem(
                "allocation",
                "status",
                f"Only a draft can be changed: this allocation is {run.get_status_display().lower()}",
            )
        ]
    problems = []
    if item is None:
        problems.append(
            Problem(case_id or "allocation", "case_id", f"Case {case_id} is not in this allocation")
        )
    if auditor_staff_id is None and replacement_case_id is None:
        problems.append(
            Problem(
                case_id or "allocation", "auditor_id", "Choose another auditor, or a case to replace it with"
            )
        )
    if not reason:
        problems.append(Problem(case_id or "allocation", "reason", "Give the reason for the change"))
    return problems


def _adjust_targets(
    run: AllocationRun,
    item: AllocationItem,
    settings: AllocationSettings,
    auditor_staff_id: str | None,
    replacement_case_id: str | None,
) -> tuple[Case, Staff, list[Problem]]:
    """The case and the auditor the item will have, or the problems with what was asked."""
    problems = []
    new_case: Case = item.case
    if replacement_case_id is not None:
        found = Case.objects.filter(case_id=replacement_case_id).first()
        if found is None:
            problems.append(
                Problem(
                    replacement_case_id,
                    "replacement_case_id",
                    f"There is no case {replacement_case_id} in the register",
                )
            )
        elif found.pk == item.case_id:
            problems.append(
                Problem(
                    replacement_case_id,
                    "replacement_case_id",
                    "Choose a different case from the one it replaces",
                )
            )
        elif AllocationItem.objects.filter(run=run, case=found).exists():
            problems.append(
                Problem(
                    replacement_case_id,
                    "replacement_case_id",
                    f"Case {replacement_case_id} is already in this allocation",
                )
            )
        else:
            new_case = found
    auditor: Staff = item.auditor
    if auditor_staff_id is not None:
        chosen = (
            Staff.objects.filter(
                staff_id=auditor_staff_id, is_active=True, roles__role__in=list(settings.auditor_roles)
            )
            .distinct()
            .first()
        )
        if chosen is None:
            problems.append(
                Problem(
                    auditor_staff_id,
                    "auditor_id",
                    f"{auditor_staff_id} is not an auditor: they hold no auditing role, or have left",
                )
            )
        else:
            auditor = chosen
    return new_case, auditor, problems


SETTINGS_FIELDS = (
    "auditor_roles",
    "cases_per_auditor",
    "closed_within_days",
    "audited_within_months",
    "due_day",
    "access_approver_role",
)


def allocation_settings_update(
    *,
    actor: Any,
    auditor_roles: list[str],
    cases_per_auditor: int,
    closed_within_days: int,
    audited_within_months: int,
    due_day: int,
    access_approver_role: str,
) -> AllocationSettings:
    """Change the council's allocation rules (SEL-2, SEL-3, AUD-5); QA and administrators."""
    problems = []
    roles = sorted(set(auditor_roles))
    if not roles:
        problems.append(Problem("settings", "auditor_roles", "Choose at least one role whose holders audit"))
    elif not set(roles) <= set(Role.values):
        problems.append(Problem("settings", "auditor_roles", "Choose roles from the list"))
    for field, value, low, high, label in (
        ("cases_per_auditor", cases_per_auditor, 0, MAX_PER_AUDITOR, "Cases per auditor"),
        ("closed_within_days", closed_within_days, 0, 366, "Days since closing"),
        ("audited_within_months", audited_within_months, 0, 24, "Months since the last audit"),
        ("due_day", due_day, 1, 31, "The due day"),
    ):
        if not low <= value <= high:
            problems.append(Problem("settings", field, f"{label} must be {low} to {high}"))
    if access_approver_role not in Role.values:
        problems.append(Problem("settings", "access_approver_role", "Choose a role from the list"))
    if problems:
        raise AllocationRefused(problems)
    with transaction.atomic():
        row = allocation_settings_get()
        row = AllocationSettings.objects.select_for_update().get(pk=row.pk)
        new = {
            "auditor_roles": roles,
            "cases_per_auditor": cases_per_auditor,
            "closed_within_days": closed_within_days,
            "audited_within_months": audited_within_months,
            "due_day": due_day,
            "access_approver_role": access_approver_role,
        }
        changes = {
            name: [getattr(row, name), value] for name, value in new.items() if getattr(row, name) != value
        }
        for name, new_value in new.items():
            setattr(row, name, new_value)
        row.save()
        audit_event_record(
            actor=actor,
            action="allocation.settings_changed",
            object_type="allocation_settings",
            object_ref=str(row.pk),
            summary="Allocation settings changed: " + (", ".join(sorted(changes)) or "nothing"),
            changes=changes,
        )
    return row
