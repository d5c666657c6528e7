"""Reads of the monthly allocation. Runs and their items are QA's working data (the pages and the
API check `allocation.run_allocation` first); what they show of a restricted case is cut down to
its ID, team and "Restricted" for anyone who may not see it in full (CONTRACTS §3)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from caseaudit.access.selectors import approver_role_setting
from caseaudit.accounts.selectors import user_roles, user_staff
from caseaudit.allocation.models import AllocationItem, AllocationRun, AllocationSettings
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit
from caseaudit.cases.models import Case
from caseaudit.cases.selectors import case_scope
from caseaudit.org.models import Staff


def allocation_settings_get() -> AllocationSettings:
    """The council's allocation settings: the one row, made with the defaults when missing."""
    row = AllocationSettings.objects.order_by("pk").first()
    if row is None:
        row, _ = AllocationSettings.objects.get_or_create(pk=1)
    return row


def allocation_auditor_roles() -> list[str]:
    """The roles whose holders audit (SEL-3), read without writing (every page's navigation asks)."""
    roles = AllocationSettings.objects.order_by("pk").values_list("auditor_roles", flat=True).first()
    return list(roles) if roles is not None else list(AllocationSettings().auditor_roles)


@approver_role_setting
def access_approver_role_setting() -> str | None:
    """Who grants access to a restricted record is kept with the allocation settings (SEL-6)."""
    return AllocationSettings.objects.order_by("pk").values_list("access_approver_role", flat=True).first()


def user_is_auditor(user: Any) -> bool:
    """Holds a role whose holders audit (SEL-3, a setting), read once per request."""
    cached = getattr(user, "_caseaudit_is_auditor", None)
    if cached is None:
        roles = user_roles(user)
        cached = bool(roles) and bool(roles & set(allocation_auditor_roles()))
        if user is not None and getattr(user, "is_authenticated", False):
            user._caseaudit_is_auditor = cached
    return bool(cached)


def _runs() -> QuerySet[AllocationRun]:
    return AllocationRun.objects.select_related("created_by__staff", "confirmed_by__staff").order_by(
        "-month", "-created_at", "-pk"
    )


def allocation_run_list(*, month: date | None = None) -> QuerySet[AllocationRun]:
    """Runs newest month first, each with `item_count`; without their (large) explanation JSON."""
    runs = _runs().defer("result").annotate(item_count=Count("items"))
    if month is not None:
        runs = runs.filter(month=month)
    return runs


def allocation_run_get(*, run_id: int) -> AllocationRun | None:
    return _runs().filter(pk=run_id).first()


def allocation_confirmed_run(*, month: date) -> AllocationRun | None:
    return _runs().defer("result").filter(month=month, status=AllocationRun.Status.CONFIRMED).first()


def allocation_items(*, run: AllocationRun) -> QuerySet[AllocationItem]:
    return (
        AllocationItem.objects.filter(run=run)
        .select_related(
            "case__team__geographical_area",
            "case__child",
            "case__allocated_worker",
            "auditor__team",
            "audit",
        )
        .order_by("case__case_id")
    )


def allocation_item_get(*, run: AllocationRun, item_id: int) -> AllocationItem | None:
    return allocation_items(run=run).filter(pk=item_id).first()


def allocation_item_for_case(*, run: AllocationRun, case_id: str) -> AllocationItem | None:
    return allocation_items(run=run).filter(case__case_id=case_id).first()


def allocation_case_get(*, case_id: str) -> Case | None:
    """A case of the register by its ID, for the allocation's own checks (not shown as is)."""
    return Case.objects.select_related("team", "allocated_worker", "child").filter(case_id=case_id).first()


def hidden_case_ids(*, user: Any, case_ids: list[str] | None = None) -> set[str]:
    """Restricted cases whose details `user` may not see: shown as ID, team and "Restricted"."""
    scope = case_scope(user=user)
    if scope.everything:
        return set()
    # Restricted cases are few: read them all rather than pass thousands of IDs to the database.
    hidden = set(
        Case.objects.filter(restricted=True).exclude(scope.full_q()).values_list("case_id", flat=True)
    )
    return hidden if case_ids is None else hidden & set(case_ids)


def auditor_list(*, roles: list[str]) -> QuerySet[Staff]:
    """Active staff holding an auditing role, by name (the auditor choices of the change page)."""
    return (
        Staff.objects.filter(is_active=True, roles__role__in=roles)
        .select_related("team__geographical_area", "geographical_area")
        .distinct()
        .order_by("name", "staff_id")
    )


def staff_by_ids(*, staff_ids: list[str]) -> dict[str, Staff]:
    return {s.staff_id: s for s in Staff.objects.filter(staff_id__in=staff_ids)}


def my_audits(*, user: Any) -> QuerySet[Audit]:
    """The audits the monthly allocation gave this person (SEL-5), soonest due first."""
    staff = user_staff(user)
    if staff is None or not staff.is_active:
        return Audit.objects.none()
    return (
        Audit.objects.filter(auditor_id=staff.pk, allocation_month__isnull=False)
        .select_related("case__child", "case__team", "worker", "practice_manager")
        .order_by("due_date", "case__case_id", "pk")
    )


@dataclass(frozen=True)
class MonthProgress:
    """How far the month's allocated Stage 1 audits have got (AUD-5), as counts only: they name
    no case, so restricted ones are counted like the rest."""

    audits: int
    submitted: int
    overdue: int
    due_date: date | None


def allocation_month_progress(*, month: date, today: date) -> MonthProgress:
    audits = Audit.objects.filter(allocation_month=month)
    counts = audits.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status__in=AFTER_STAGE1)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=AFTER_STAGE1)),
        due=Min("due_date"),
    )
    return MonthProgress(counts["total"], counts["submitted"], counts["overdue"], counts["due"])
