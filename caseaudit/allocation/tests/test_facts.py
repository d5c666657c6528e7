"""The facts the solver reads, built from the database (SEL-2, SEL-3, CONTRACTS §1)."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caseaudit.allocation.facts import allocation_facts, auditor_facts, case_facts, solver_settings
from caseaudit.allocation.models import AllocationItem, AllocationRun
from caseaudit.allocation.selectors import allocation_settings_get
from caseaudit.allocation.tests.helpers import DECEMBER, templates
from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_start
from caseaudit.cases.models import Case
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.conftest import Authority
from caseaudit.org.models import Staff
from caseaudit.org.selectors import staff_geographical_area
from caseaudit.org.tests.factories import GeographicalAreaFactory, StaffFactory, TeamFactory

__all__ = ["templates"]


def by_id(facts: list[Any], attr: str = "case_id") -> dict[str, Any]:
    return {getattr(f, attr): f for f in facts}


def test_settings_are_created_with_the_defaults_once(db: Any) -> None:
    first = allocation_settings_get()
    assert allocation_settings_get().pk == first.pk
    assert (first.auditor_roles, first.cases_per_auditor, first.due_day) == (["group_manager"], 1, 21)
    solver = solver_settings(first, per_auditor=3)
    assert (solver.closed_within_days, solver.not_audited_within_months, solver.per_auditor) == (30, 3, 3)


def test_case_facts_carry_team_area_worker_and_the_whole_chain_above(authority: Authority) -> None:
    cases, pks = case_facts(month=DECEMBER)
    facts = by_id(cases)
    assert set(facts) == {"C-OWN", "C-OTHER", "C-RESTRICTED"}
    own = facts["C-OWN"]
    assert (own.team_id, own.area, own.worker_id, own.team_eligible) == ("TA", "North", "SWA", True)
    # CONTRACTS §1: "above" is the whole chain, not only the line manager.
    assert own.worker_chain == frozenset({"PMA", "GMA", "HOS"})
    assert facts["C-OTHER"].worker_chain == frozenset({"PMB", "GMB", "HOS"})
    assert facts["C-RESTRICTED"].restricted and not own.restricted
    assert pks["C-OWN"] == authority.cases["own_team"].pk


def test_facts_carry_the_names_the_reasons_use(authority: Authority) -> None:
    """The reasons name the team, the worker and the auditor (issue 9 B8), never their IDs."""
    own = by_id(case_facts(month=DECEMBER)[0])["C-OWN"]
    worker = authority.cases["own_team"].allocated_worker
    assert (own.team_name, own.worker_name) == ("Assessment North", worker.name)
    assert (own.team, own.worker) == ("team Assessment North", worker.name)
    gma = by_id(auditor_facts(roles=["group_manager"])[0], "staff_id")["GMA"]
    assert (gma.name, gma.who, gma.team) == (authority.people["group_manager_a"].name, gma.name, None)
    Staff.objects.filter(pk=worker.pk).update(is_active=False)  # as if unallocated: no name either
    assert by_id(case_facts(month=DECEMBER)[0])["C-OWN"].worker_name == ""


def test_auditors_are_active_role_holders_with_their_area_and_managed_teams(authority: Authority) -> None:
    auditors, _ = auditor_facts(roles=["group_manager"])
    facts = by_id(auditors, "staff_id")
    assert set(facts) == {"GMA", "GMB"}
    # No own area and no team: the one area every team they manage lies in (CONTRACTS §1).
    assert (facts["GMA"].area, facts["GMA"].manages_team_ids, facts["GMA"].team_id) == ("North", {"TA"}, None)
    assert (facts["GMB"].area, facts["GMB"].manages_team_ids) == ("South", {"TB"})
    Staff.objects.filter(staff_id="GMB").update(is_active=False)
    assert set(by_id(auditor_facts(roles=["group_manager"])[0], "staff_id")) == {"GMA"}
    assert set(by_id(auditor_facts(roles=["group_manager", "head_of_service"])[0], "staff_id")) == {
        "GMA",
        "HOS",
    }


def test_auditor_areas_follow_contracts_in_order(authority: Authority) -> None:
    """Own area, else the team's, else the one area of every managed team, else none."""
    central = GeographicalAreaFactory(name="Central")
    hos = authority.people["head_of_service"]
    own = StaffFactory(staff_id="GM-OWN", team=None, geographical_area=central, roles=["group_manager"])
    in_team = StaffFactory(
        staff_id="GM-TEAM", team=TeamFactory(geographical_area=central), roles=["group_manager"]
    )
    facts = by_id(auditor_facts(roles=["group_manager", "head_of_service"])[0], "staff_id")
    assert facts["GM-OWN"].area == "Central"
    assert facts["GM-TEAM"].area == "Central"
    # The head of service manages teams in North and South: no single area.
    assert facts["HOS"].area is None
    assert facts["HOS"].manages_team_ids == {"TA", "TB"}
    for person in (own, in_team, hos, authority.people["group_manager"]):
        assert staff_geographical_area(staff=person) == facts[person.staff_id].area


@pytest.mark.usefixtures("templates")
def test_last_audited_is_the_later_of_caseaudit_and_the_register(authority: Authority) -> None:
    own, other, restricted = (authority.cases[k] for k in ("own_team", "other_team", "restricted"))
    gm = authority.people["group_manager"]
    Case.objects.filter(pk=own.pk).update(last_audited_on=date(2026, 5, 1))
    audit_start(actor=gm.user, case=own, audit_type="good_practice", auditor=gm, audit_date=date(2026, 10, 3))
    Case.objects.filter(pk=other.pk).update(last_audited_on=date(2026, 9, 9))
    audit_start(
        actor=gm.user,
        case=other,
        audit_type="good_practice",
        auditor=authority.people["group_manager_a"],
        audit_date=date(2026, 2, 1),
    )
    # An audit with no audit date yet counts from the day it was made.
    undated = audit_start(actor=gm.user, case=restricted, audit_type="good_practice", auditor=gm)
    Audit.objects.filter(pk=undated.pk).update(
        created_at=datetime(2026, 8, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    facts = by_id(case_facts(month=DECEMBER)[0])
    assert facts["C-OWN"].last_audited_on == date(2026, 10, 3)
    assert facts["C-OTHER"].last_audited_on == date(2026, 9, 9)
    # 23:30 UTC on 31 August is 00:30 on 1 September in London.
    assert facts["C-RESTRICTED"].last_audited_on == date(2026, 9, 1)


@pytest.mark.usefixtures("templates")
def test_already_allocated_by_a_confirmed_run_or_an_audit_of_the_month(authority: Authority) -> None:
    own, other = authority.cases["own_team"], authority.cases["other_team"]
    gm = authority.people["group_manager"]
    audit_start(
        actor=gm.user,
        case=own,
        audit_type="good_practice",
        auditor=gm,
        allocation_month=DECEMBER,
        status="allocated",
    )
    confirmed = AllocationRun.objects.create(month=DECEMBER, seed=1, per_auditor=1, status="confirmed")
    AllocationItem.objects.create(run=confirmed, case=other, auditor=gm, same_area=False)
    draft = AllocationRun.objects.create(month=DECEMBER, seed=1, per_auditor=1, status="draft")
    AllocationItem.objects.create(run=draft, case=authority.cases["restricted"], auditor=gm, same_area=False)
    facts = by_id(case_facts(month=DECEMBER)[0])
    assert facts["C-OWN"].already_allocated and facts["C-OTHER"].already_allocated
    assert not facts["C-RESTRICTED"].already_allocated  # only a draft
    assert not by_id(case_facts(month=date(2027, 1, 1))[0])["C-OTHER"].already_allocated


def test_a_worker_who_left_counts_as_no_worker_and_vanished_cases_are_left_out(authority: Authority) -> None:
    Staff.objects.filter(staff_id="SWB").update(is_active=False)
    Case.objects.filter(case_id="C-RESTRICTED").update(in_latest_import=False)
    facts = by_id(case_facts(month=DECEMBER)[0])
    assert facts["C-OTHER"].worker_id is None and facts["C-OTHER"].worker_chain == frozenset()
    assert "C-RESTRICTED" not in facts


def test_facts_are_read_in_a_fixed_number_of_queries(
    authority: Authority, django_assert_max_num_queries: Any
) -> None:
    team = TeamFactory(team_id="TX", geographical_area=GeographicalAreaFactory(name="North"))
    worker = StaffFactory(team=team, line_manager=authority.people["practice_manager"])
    for _ in range(30):
        CaseFactory(team=team, allocated_worker=worker)
    settings = allocation_settings_get()
    with django_assert_max_num_queries(7):
        facts = allocation_facts(month=DECEMBER, settings=settings)
    assert len(facts.cases) == 33 and len(facts.auditors) == 2
    assert by_id(facts.cases)[
        Case.objects.filter(team=team).values_list("case_id", flat=True)[0]
    ].worker_chain == {
        "PMA",
        "GMA",
        "HOS",
    }
