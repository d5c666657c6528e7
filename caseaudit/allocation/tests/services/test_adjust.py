"""A QA officer's change to a draft through the service: the hard rules refuse, the soft rules
warn (SEL-4)."""

from datetime import date

import pytest

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.services.adjust import allocation_adjust
from caseaudit.allocation.tests.helpers import council, draft, pairs, qa, templates
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("templates")
__all__ = ["council", "templates"]


def problems(exc: AllocationRefused) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.problems]


def test_changing_to_an_auditor_who_manages_the_case_is_refused_with_every_rule(council: Authority) -> None:
    run = draft(council)
    case_id = next(c for c, a in pairs(run).items() if a == "GMA")  # a team B case
    with pytest.raises(AllocationRefused) as refused:
        allocation_adjust(
            actor=qa(council), run=run, case_id=case_id, auditor_staff_id="GMB", reason="Knows it"
        )
    messages = [message for _, message in problems(refused.value)]
    gmb, worker = council.people["group_manager"].name, council.cases["other_team"].allocated_worker.name
    assert messages == [
        f"{gmb} is above {worker} in line management, so they may not audit case {case_id}",
        f"{gmb} manages team Assessment South, so they may not audit case {case_id}",
    ]
    assert pairs(run)[case_id] == "GMA"  # nothing saved


def test_changing_to_an_out_of_area_auditor_is_allowed_with_warnings(council: Authority) -> None:
    run = draft(council)
    case_id = next(c for c, a in pairs(run).items() if a == "GMA")
    item = allocation_adjust(
        actor=qa(council), run=run, case_id=case_id, auditor_staff_id="GMC", reason="GMA is on leave"
    )
    assert item.adjusted and item.adjustment_reason == "GMA is on leave" and item.auditor.staff_id == "GMC"
    assert {w["code"] for w in item.warnings} == {"out_of_area", "over_load", "uneven_load"}
    run.refresh_from_db()
    assert run.result["auditor_load"] == {"GMA": 0, "GMB": 1, "GMC": 2}
    pair = next(a for a in run.result["allocations"] if a["case_id"] == case_id)
    assert pair["auditor_id"] == "GMC" and not pair["same_area"]
    assert any(r["code"] == "adjusted" and "GMA is on leave" in r["message"] for r in pair["reasons"])
    assert any(r["case_id"] == case_id and r["code"] == "adjusted" for r in run.result["relaxed"])
    event = AuditEvent.objects.get(action="allocation.adjusted")
    assert event.changes["auditor"] == ["GMA", "GMC"]


def test_replacing_a_case_by_an_eligible_one(council: Authority) -> None:
    run = draft(council)
    picked = next(c for c, a in pairs(run).items() if a == "GMA")
    other = "C-EXTRA" if picked == "C-OTHER" else "C-OTHER"
    item = allocation_adjust(
        actor=qa(council), run=run, case_id=picked, replacement_case_id=other, reason="Older"
    )
    assert item.case.case_id == other and item.auditor.staff_id == "GMA"
    run.refresh_from_db()
    assert other in pairs(run) and picked not in pairs(run)
    passed = {p["case_id"]: p for p in run.result["passed_over"]}
    assert passed[picked]["code"] == "replaced" and other not in passed


def test_replacement_must_be_eligible_and_a_reason_is_required(council: Authority) -> None:
    run = draft(council)
    picked = next(c for c, a in pairs(run).items() if a == "GMA")
    closed = CaseFactory(
        case_id="C-CLOSED",
        team=council.cases["other_team"].team,
        status="closed",
        closed_date=date(2026, 6, 1),
        allocated_worker=council.cases["other_team"].allocated_worker,
    )
    with pytest.raises(AllocationRefused) as refused:
        allocation_adjust(
            actor=qa(council), run=run, case_id=picked, replacement_case_id=closed.case_id, reason=""
        )
    assert ("reason", "Give the reason for the change") in problems(refused.value)
    with pytest.raises(AllocationRefused) as refused:
        allocation_adjust(
            actor=qa(council), run=run, case_id=picked, replacement_case_id="C-CLOSED", reason="x"
        )
    assert "is not eligible: closed on 1 June 2026" in problems(refused.value)[0][1]
    with pytest.raises(AllocationRefused) as refused:
        allocation_adjust(actor=qa(council), run=run, case_id="C-NOPE", auditor_staff_id="GMC", reason="x")
    assert problems(refused.value) == [("case_id", "Case C-NOPE is not in this allocation")]
    with pytest.raises(AllocationRefused) as refused:
        allocation_adjust(actor=qa(council), run=run, case_id=picked, auditor_staff_id="SWA", reason="x")
    assert "is not an auditor" in problems(refused.value)[0][1]
