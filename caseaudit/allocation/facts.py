"""The plain facts the allocation engine needs (`CaseFacts`, `AuditorFacts` of `engine.eligibility`),
read from the database in a fixed number of `values()` queries however large the register is
(20,000+ cases).

Line management comes from the closure table (`LineManagementLink`): everyone above a worker,
and the teams an auditor manages, are one query each for all cases and auditors at once."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.db.models.functions import Coalesce, TruncDate

from caseaudit.allocation.engine import eligibility
from caseaudit.allocation.models import AllocationItem, AllocationRun
from caseaudit.allocation.models import AllocationSettings as SettingsRow
from caseaudit.audits.models import Audit
from caseaudit.cases.models import Case
from caseaudit.org.models import LineManagementLink, Staff
from caseaudit.org.selectors import geographical_area_of


@dataclass(frozen=True)
class AllocationFacts:
    """Everything one run of the solver reads, with the database keys behind the register IDs."""

    cases: list[eligibility.CaseFacts]
    auditors: list[eligibility.AuditorFacts]
    case_pks: dict[str, int]  # case_id -> Case.pk
    staff_pks: dict[str, int]  # staff_id -> Staff.pk, for the auditors
    settings: eligibility.AllocationSettings


def solver_settings(row: SettingsRow, *, per_auditor: int | None = None) -> eligibility.AllocationSettings:
    """The council's settings as the pure solver takes them."""
    roles = list(row.auditor_roles or [])
    return eligibility.AllocationSettings(
        closed_within_days=row.closed_within_days,
        not_audited_within_months=row.audited_within_months,
        auditor_role=",".join(roles),
        per_auditor=row.cases_per_auditor if per_auditor is None else per_auditor,
    )


def allocation_facts(*, month: date, settings: SettingsRow) -> AllocationFacts:
    cases, case_pks = case_facts(month=month)
    auditors, staff_pks = auditor_facts(roles=list(settings.auditor_roles or []))
    return AllocationFacts(cases, auditors, case_pks, staff_pks, solver_settings(settings))


def case_facts(
    *, month: date, case_pks: Iterable[int] | None = None
) -> tuple[list[eligibility.CaseFacts], dict[str, int]]:
    """Every case of the latest register import (or only `case_pks`), as the solver sees it.
    A case that vanished from the latest export is history, not a candidate (INT-1)."""
    wanted = {"in_latest_import": True} if case_pks is None else {"pk__in": list(case_pks)}
    cases = Case.objects.filter(**wanted)
    rows = list(
        cases.values_list(
            "pk",
            "case_id",
            "child__child_id",
            "team__team_id",
            "team__eligible_for_audit",
            "team__geographical_area__name",
            "allocated_worker_id",
            "allocated_worker__staff_id",
            "allocated_worker__is_active",
            "status",
            "closed_date",
            "last_audited_on",
            "restricted",
            "team__name",
            "allocated_worker__name",
        ).order_by("case_id")
    )
    worker_pks = {row[6] for row in rows if row[6] is not None}
    chains = _chains(worker_pks if case_pks is not None else None)
    audited = _last_audited(None if case_pks is None else [row[0] for row in rows])
    allocated = already_allocated_case_pks(month=month)
    facts = []
    worker_pk: int | None
    worker_id: str | None
    for row in rows:
        pk, case_id, child_id, team_id, eligible, area, worker_pk, worker_id, active = row[:9]
        status, closed_on, register_audited, restricted, team_name, worker_name = row[9:]
        if not active:
            # A worker who has left cannot hold the discussion (SEL-7): as if unallocated.
            worker_pk = worker_id = None
            worker_name = ""
        facts.append(
            eligibility.CaseFacts(
                case_id=case_id,
                child_id=child_id,
                team_id=team_id,
                team_eligible=eligible,
                area=area,
                worker_id=worker_id,
                worker_chain=chains.get(worker_pk, frozenset()) if worker_pk is not None else frozenset(),
                status=status,
                closed_on=closed_on,
                last_audited_on=_later(audited.get(pk), register_audited),
                already_allocated=pk in allocated,
                restricted=restricted,
                team_name=team_name,
                worker_name=worker_name or "",
            )
        )
    return facts, {row[1]: row[0] for row in rows}


def auditor_facts(
    *, roles: list[str], staff_pks: Iterable[int] | None = None
) -> tuple[list[eligibility.AuditorFacts], dict[str, int]]:
    """Active staff holding any of the auditing `roles` (SEL-3), with their area (CONTRACTS §1)
    and every team with a member anywhere below them."""
    people = Staff.objects.filter(is_active=True, roles__role__in=roles)
    if staff_pks is not None:
        people = people.filter(pk__in=list(staff_pks))
    rows = list(
        people.values_list(
            "pk",
            "staff_id",
            "team__team_id",
            "team__geographical_area__name",
            "geographical_area__name",
            "name",
            "team__name",
        )
        .distinct()
        .order_by("staff_id")
    )
    managed_teams: dict[int, set[str]] = defaultdict(set)
    managed_areas: dict[int, set[str]] = defaultdict(set)
    below = LineManagementLink.objects.filter(
        manager_id__in=[row[0] for row in rows], report__team__isnull=False
    ).values_list("manager_id", "report__team__team_id", "report__team__geographical_area__name")
    for manager_pk, team_id, area in below.distinct():
        managed_teams[manager_pk].add(team_id)
        managed_areas[manager_pk].add(area)
    facts = [
        eligibility.AuditorFacts(
            staff_id=staff_id,
            team_id=team_id,
            area=geographical_area_of(own=own_area, team_area=team_area, managed_areas=managed_areas[pk]),
            manages_team_ids=frozenset(managed_teams[pk]),
            name=name,
            team_name=team_name or "",
        )
        for pk, staff_id, team_id, team_area, own_area, name, team_name in rows
    ]
    return facts, {row[1]: row[0] for row in rows}


def already_allocated_case_pks(*, month: date) -> set[int]:
    """Cases allocated for `month` already: in a confirmed run, or with an audit made for it."""
    confirmed = AllocationItem.objects.filter(run__month=month, run__status=AllocationRun.Status.CONFIRMED)
    allocated = set(confirmed.order_by().values_list("case_id", flat=True))
    allocated.update(
        Audit.objects.filter(allocation_month=month).order_by().values_list("case_id", flat=True)
    )
    return allocated


def _chains(worker_pks: set[int] | None) -> dict[int, frozenset[str]]:
    """{staff pk: the staff IDs of everyone above them} (CONTRACTS §1: "above" is the whole chain)."""
    links = LineManagementLink.objects.all()
    if worker_pks is not None:
        links = links.filter(report_id__in=list(worker_pks))
    above: dict[int, set[str]] = defaultdict(set)
    for report_pk, manager_id in links.values_list("report_id", "manager__staff_id"):
        above[report_pk].add(manager_id)
    return {pk: frozenset(ids) for pk, ids in above.items()}


def _last_audited(case_pks: list[int] | None) -> dict[int, date]:
    """{case pk: the latest caseaudit audit of it}, dated by its audit date or, before it has
    one, the day it was made."""
    audits = Audit.objects.all()
    if case_pks is not None:
        audits = audits.filter(case_id__in=case_pks)
    latest = audits.values("case_id").annotate(last=Max(Coalesce("audit_date", TruncDate("created_at"))))
    return {row["case_id"]: row["last"] for row in latest.order_by()}


def _later(first: date | None, second: date | None) -> date | None:
    if first is None or second is None:
        return first or second
    return max(first, second)
