"""A QA officer's change to a draft (SEL-4, issue 4 item 6): another auditor for a case, or another
eligible case in its place, with the reason. The hard rules are checked again; the area rule and an
uneven load are allowed, with warnings kept on the item.

One transaction with its audit-history row. Permission checks are the caller's."""

from typing import Any

from django.db import transaction

from caseaudit.allocation.engine import eligibility
from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.facts import auditor_facts, case_facts, solver_settings
from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings
from caseaudit.allocation.selectors import allocation_settings_get
from caseaudit.allocation.services.adjusted_pair import adjusted_pair, result_after_adjustment
from caseaudit.cases.models import Case
from caseaudit.core.calendar import month_label
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record
from caseaudit.org.models import Staff


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
                    f"{breach.message}, so they may not audit case {new_case.case_id}",
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
            known = Staff.objects.filter(staff_id=auditor_staff_id).values_list("name", flat=True).first()
            problems.append(
                Problem(
                    auditor_staff_id,
                    "auditor_id",
                    f"{known} is not an auditor: they hold no auditing role, or have left"
                    if known
                    else f"There is no member of staff with the ID {auditor_staff_id}",
                )
            )
        else:
            auditor = chosen
    return new_case, auditor, problems
