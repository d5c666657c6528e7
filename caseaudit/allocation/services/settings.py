"""The council's allocation settings (SEL-2, SEL-3, AUD-5, and who grants access, SEL-6), changed
by QA and administrators in one transaction with its audit-history row."""

from typing import Any

from django.db import transaction

from caseaudit.accounts.roles import Role
from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.models import AllocationSettings
from caseaudit.allocation.selectors import allocation_settings_get
from caseaudit.allocation.services.drafts import MAX_PER_AUDITOR
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record

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
