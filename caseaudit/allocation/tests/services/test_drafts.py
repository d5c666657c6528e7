"""Drafting the month's allocation through the service (SEL-1..SEL-4)."""

import pytest

from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.tests.helpers import council, draft, pairs, templates
from caseaudit.conftest import Authority
from caseaudit.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("templates")
__all__ = ["council", "templates"]


def problems(exc: AllocationRefused) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in exc.problems]


def test_draft_stores_the_contract_json_and_one_item_per_pair(council: Authority) -> None:
    run = draft(council)
    assert run.status == "draft" and run.seed == 202612 and run.per_auditor == 1
    data = run.result
    assert set(data) == {"month", "seed", "allocations", "passed_over", "relaxed", "auditor_load"}
    assert data["month"] == "2026-12" and data["auditor_load"] == {"GMA": 1, "GMB": 1, "GMC": 1}
    assert pairs(run) == {a["case_id"]: a["auditor_id"] for a in data["allocations"]}
    assert "GMA" in {pairs(run).get("C-OTHER"), pairs(run).get("C-EXTRA")}
    assert {p["case_id"] for p in data["passed_over"]} | set(pairs(run)) == {
        "C-OWN",
        "C-OTHER",
        "C-RESTRICTED",
        "C-EXTRA",
    }
    item = run.items.get(auditor__staff_id="GMC")
    assert item.same_area and item.reasons[0]["code"] == "eligible"
    assert AuditEvent.objects.filter(action="allocation.drafted", object_ref=str(run.pk)).exists()


def test_same_inputs_and_seed_give_the_same_draft_and_a_new_draft_discards_the_old(
    council: Authority,
) -> None:
    first = draft(council)
    second = draft(council)
    assert first.result == second.result
    first.refresh_from_db()
    assert first.status == "discarded" and second.status == "draft"
    other_seed = draft(council, seed=7, per_auditor=1)
    assert other_seed.seed == 7


def test_draft_refuses_bad_numbers(council: Authority) -> None:
    with pytest.raises(AllocationRefused) as refused:
        draft(council, per_auditor=-1, seed=2**70)
    assert {field for field, _ in problems(refused.value)} == {"per_auditor", "seed"}
