"""The independent checker finds what is wrong with an allocation, and nothing when it is right."""

import copy
from datetime import date
from typing import Any

from caseaudit.allocation.engine.checker import check_allocation
from caseaudit.allocation.engine.eligibility import AuditorFacts, CaseFacts
from caseaudit.allocation.engine.solver import allocate

DECEMBER = date(2026, 12, 1)


def a_case(case_id: str, worker: str, *, team: str = "T1", area: str = "North", **extra: Any) -> CaseFacts:
    return CaseFacts(
        case_id=case_id,
        child_id="K" + case_id,
        team_id=team,
        team_eligible=extra.get("team_eligible", True),
        area=area,
        worker_id=worker,
        worker_chain=frozenset({"PM", "GM"}),
        status="open",
        closed_on=None,
        last_audited_on=extra.get("audited"),
    )


CASES = [
    a_case("C1", "W1"),
    a_case("C2", "W1"),
    a_case("C3", "W2", area="South"),
    a_case("C4", "W3", team_eligible=False),
]
AUDITORS = [
    AuditorFacts("AN", "T9", "North", frozenset()),
    AuditorFacts("AS", "T9", "South", frozenset()),
    AuditorFacts("GM", "T8", "North", frozenset({"T1"})),
]


def solved(per_auditor: int = 1) -> dict[str, Any]:
    return allocate(CASES, AUDITORS, month=DECEMBER, per_auditor=per_auditor).as_json()


def check(data: dict[str, Any], per_auditor: int = 1) -> list[str]:
    return check_allocation(CASES, AUDITORS, data, month=DECEMBER, per_auditor=per_auditor)


def move(data: dict[str, Any], case_id: str, auditor_id: str, *, same_area: bool) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for item in changed["allocations"]:
        if item["case_id"] == case_id:
            changed["auditor_load"][item["auditor_id"]] -= 1
            item["auditor_id"], item["same_area"] = auditor_id, same_area
            changed["auditor_load"][auditor_id] += 1
    return changed


def test_the_solvers_answer_passes() -> None:
    assert check(solved()) == []
    assert check(solved(per_auditor=2), per_auditor=2) == []


def test_a_hard_rule_broken_is_found() -> None:
    data = solved()
    case_id = next(a["case_id"] for a in data["allocations"] if a["auditor_id"] == "AN")

    assert any("breaks a hard rule" in v for v in check(move(data, case_id, "GM", same_area=True)))


def test_an_ineligible_case_allocated_is_found() -> None:
    data = solved()
    data["passed_over"] = [p for p in data["passed_over"] if p["case_id"] != "C4"]
    data["allocations"].append({"case_id": "C4", "auditor_id": "AS", "same_area": False, "reasons": []})
    data["auditor_load"]["AS"] += 1

    violations = check(data)

    assert any("C4 is allocated but not eligible" in v for v in violations)
    assert any("AS has 2 cases for 1 places" in v for v in violations)


def test_a_place_left_empty_while_a_case_could_fill_it_is_found() -> None:
    data = solved()
    dropped = data["allocations"].pop()
    data["auditor_load"][dropped["auditor_id"]] -= 1
    data["passed_over"].append({"case_id": dropped["case_id"], "code": "not_picked", "reason": "x"})
    data["relaxed"] = [r for r in data["relaxed"] if r["case_id"] != dropped["case_id"]]

    assert any("left out though a place could be found" in v for v in check(data))


def test_uneven_loads_are_found() -> None:
    cases = [a_case(f"C{n}", f"W{n}") for n in range(3)]
    auditors = [AuditorFacts("A1", None, "North"), AuditorFacts("A2", None, "North")]
    data = allocate(cases, auditors, month=DECEMBER, per_auditor=3).as_json()
    for item in data["allocations"]:
        item["auditor_id"] = "A1"
    data["auditor_load"] = {"A1": 3, "A2": 0}

    violations = check_allocation(cases, auditors, data, month=DECEMBER, per_auditor=3)

    assert any("short by 2 more" in v for v in violations)


def test_a_worker_with_two_while_another_has_none_is_found() -> None:
    cases = [a_case("A1", "WA"), a_case("A2", "WA"), a_case("B1", "WB")]
    auditors = [AuditorFacts("X", None, "North")]
    data = {
        "month": "2026-12",
        "allocations": [
            {"case_id": "A1", "auditor_id": "X", "same_area": True, "reasons": []},
            {"case_id": "A2", "auditor_id": "X", "same_area": True, "reasons": []},
        ],
        "passed_over": [{"case_id": "B1", "code": "not_picked", "reason": "x"}],
        "relaxed": [],
        "auditor_load": {"X": 2},
    }

    violations = check_allocation(cases, auditors, data, month=DECEMBER, per_auditor=2)

    assert any("B1's worker WB has no case picked" in v for v in violations)


def test_out_of_area_pairs_that_could_swap_are_found() -> None:
    data = solved()
    north = next(a["case_id"] for a in data["allocations"] if a["auditor_id"] == "AN")
    south = next(a["case_id"] for a in data["allocations"] if a["auditor_id"] == "AS")
    swapped = move(move(data, north, "AS", same_area=False), south, "AN", same_area=False)
    swapped["relaxed"] = [
        {"case_id": c, "rule": "same_area", "code": "x", "reason": "x"} for c in (north, south)
    ]

    assert any("could swap auditors and be in area" in v for v in check(swapped))


def test_bookkeeping_errors_are_found() -> None:
    data = solved()
    data["passed_over"] = data["passed_over"][1:]
    data["allocations"][0]["same_area"] = not data["allocations"][0]["same_area"]
    data["month"] = "2026-11"

    violations = check(data)

    assert any("appears 0 times" in v for v in violations)
    assert any("same_area is" in v for v in violations)
    assert any("month is" in v for v in violations)


def test_a_false_no_possible_auditor_is_found() -> None:
    data = solved()
    item = data["allocations"].pop()
    data["auditor_load"][item["auditor_id"]] -= 1
    data["relaxed"] = [r for r in data["relaxed"] if r["case_id"] != item["case_id"]]
    data["passed_over"].append({"case_id": item["case_id"], "code": "no_possible_auditor", "reason": "x"})

    assert any("unlike its code" in v for v in check(data))
