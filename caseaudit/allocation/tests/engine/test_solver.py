"""The monthly allocation on hand-made authorities: what is picked, where it goes, and what
the result says about it (SEL-1..SEL-4, CONTRACTS §6)."""

import random
from datetime import date

import pytest

from caseaudit.allocation.engine.eligibility import AuditorFacts, CaseFacts, may_audit
from caseaudit.allocation.engine.result import AllocationResult
from caseaudit.allocation.engine.solver import _Exclusions, allocate
from caseaudit.allocation.tests.engine.authorities import random_authority

DECEMBER = date(2026, 12, 1)
NORTH_CHAIN = frozenset({"PMN", "GMN", "HOS"})
SOUTH_CHAIN = frozenset({"PMS", "GMS", "HOS"})


def case(
    case_id: str,
    *,
    team: str = "TN",
    area: str | None = "North",
    worker: str = "W1",
    chain: frozenset[str] = NORTH_CHAIN,
    audited: date | None = None,
    **extra: object,
) -> CaseFacts:
    return CaseFacts(
        case_id=case_id,
        child_id=f"K-{case_id}",
        team_id=team,
        team_eligible=bool(extra.get("team_eligible", True)),
        area=area,
        worker_id=worker,
        worker_chain=chain,
        status=str(extra.get("status", "open")),
        closed_on=extra.get("closed_on"),
        last_audited_on=audited,
        already_allocated=bool(extra.get("already_allocated", False)),
        restricted=bool(extra.get("restricted", False)),
    )


def auditor(
    staff_id: str,
    *,
    team: str | None = None,
    area: str | None = "North",
    manages: tuple[str, ...] = (),
    **extra: int,
) -> AuditorFacts:
    return AuditorFacts(staff_id, team, area, frozenset(manages), extra.get("capacity"))


def allocated(result: AllocationResult) -> dict[str, str]:
    return {a.case_id: a.auditor_id for a in result.allocations}


def passed(result: AllocationResult) -> dict[str, tuple[str, str]]:
    return {p.case_id: (p.code, p.reason) for p in result.passed_over}


def test_sel1_each_auditor_gets_n_cases_and_the_json_has_the_contract_shape() -> None:
    cases = [case(f"C{n}", worker=f"W{n}") for n in range(6)]
    auditors = [auditor("A1"), auditor("A2")]

    result = allocate(cases, auditors, month=DECEMBER, per_auditor=2)
    data = result.as_json()

    assert data["month"] == "2026-12" and data["seed"] == 202612
    assert data["auditor_load"] == {"A1": 2, "A2": 2}
    assert set(data) == {"month", "seed", "allocations", "passed_over", "relaxed", "auditor_load"}
    assert set(data["allocations"][0]) == {"case_id", "auditor_id", "same_area", "reasons"}
    assert {p["code"] for p in data["passed_over"]} == {"not_picked"}
    assert len(data["allocations"]) + len(data["passed_over"]) == 6


def test_sel2_ineligible_cases_are_passed_over_with_code_and_reason() -> None:
    cases = [
        case("C1", audited=date(2026, 10, 3)),
        case("C2", team_eligible=False),
        case("C3", already_allocated=True),
        case("C4", status="closed", closed_on=date(2026, 9, 1)),
    ]

    result = allocate(cases, [auditor("A1")], month=DECEMBER)

    assert passed(result)["C1"] == (
        "audited_recently",
        "audited on 3 October 2026, within the 3 months before December",
    )
    assert [passed(result)[c][0] for c in ("C2", "C3", "C4")] == [
        "team_not_eligible",
        "already_allocated",
        "closed_too_long_ago",
    ]
    assert result.allocations == []


def test_sel3_hard_rules_are_never_relaxed_even_if_a_place_stays_empty() -> None:
    cases = [case("C1")]
    auditors = [
        auditor("A-team", team="TN"),
        auditor("GMN"),  # above the worker
        auditor("A-manages", manages=("TN",)),
        auditor("W1"),  # the worker
    ]

    result = allocate(cases, auditors, month=DECEMBER)

    code, reason = passed(result)["C1"]
    assert code == "no_possible_auditor"
    assert "A-team is in team TN, the case's team" in reason
    assert "GMN is above W1 in line management" in reason
    assert "A-manages manages team TN" in reason
    assert "W1 is the case's allocated worker" in reason
    assert set(result.auditor_load.values()) == {0}


def test_sel3_same_area_where_possible() -> None:
    cases = [case("N1", worker="W1"), case("S1", area="South", team="TS", worker="W2", chain=SOUTH_CHAIN)]
    auditors = [auditor("AN", area="North"), auditor("AS", area="South")]

    result = allocate(cases, auditors, month=DECEMBER)

    assert allocated(result) == {"N1": "AN", "S1": "AS"}
    assert all(a.same_area for a in result.allocations) and result.relaxed == []


def test_sel4_relaxed_area_is_named_with_its_reason() -> None:
    cases = [case("N1", worker="W1"), case("N2", worker="W2")]
    auditors = [
        auditor("AN", area="North"),
        auditor("AS", area="South"),
        auditor("AX", area=None, capacity=0),
    ]

    result = allocate(cases, auditors, month=DECEMBER)

    assert sorted(allocated(result).values()) == ["AN", "AS"]
    [relaxed] = result.relaxed
    assert relaxed.rule == "same_area" and relaxed.code == "area_auditors_full"
    assert relaxed.reason.startswith(
        "no auditor in North outside the case's team and its worker's management line"
    )
    out_of_area = next(a for a in result.allocations if not a.same_area)
    assert "out_of_area" in [r.code for r in out_of_area.reasons]


@pytest.mark.parametrize(
    ("auditors", "code"),
    [
        ([auditor("AS", area="South")], "no_auditor_in_area"),
        ([auditor("GMN", area="North"), auditor("AS", area="South")], "area_auditors_excluded"),
        ([auditor("A0", area=None)], "no_auditor_in_area"),
    ],
)
def test_sel4_each_area_relaxation_says_why(auditors: list[AuditorFacts], code: str) -> None:
    result = allocate([case("N1")], auditors, month=DECEMBER)

    assert [(r.rule, r.code) for r in result.relaxed] == [("same_area", code)]


def test_a_case_with_no_area_is_out_of_area_and_says_so() -> None:
    result = allocate([case("C1", area=None)], [auditor("AN")], month=DECEMBER)

    assert [r.code for r in result.relaxed] == ["case_has_no_area"]


def test_priority_never_audited_then_longest_since_audit() -> None:
    cases = [
        case("RECENT", worker="W1", audited=date(2026, 6, 1)),
        case("OLD", worker="W2", audited=date(2025, 1, 1)),
        case("NEVER", worker="W3"),
    ]

    one = allocate(cases, [auditor("A1")], month=DECEMBER)
    two = allocate(cases, [auditor("A1")], month=DECEMBER, per_auditor=2)

    assert list(allocated(one)) == ["NEVER"]
    assert sorted(allocated(two)) == ["NEVER", "OLD"]
    assert "last audited on 1 June 2026" in passed(two)["RECENT"][1]
    assert "1 of higher priority" in passed(two)["RECENT"][1] or "higher priority" in passed(two)["RECENT"][1]


def test_the_seed_breaks_ties_reproducibly() -> None:
    cases = [case(f"C{n}", worker=f"W{n}") for n in range(20)]
    auditors = [auditor("A1")]

    picks = {
        seed: list(allocated(allocate(cases, auditors, month=DECEMBER, seed=seed))) for seed in range(12)
    }

    assert picks[3] == list(allocated(allocate(cases, auditors, month=DECEMBER, seed=3)))
    assert len({tuple(p) for p in picks.values()}) > 1
    assert allocate(cases, auditors, month=DECEMBER).seed == 202612


def test_same_inputs_in_any_order_give_the_same_json() -> None:
    rng = random.Random(5)
    cases = [
        case(f"C{n}", worker=f"W{n % 4}", audited=rng.choice([None, date(2025, 3, 1)])) for n in range(30)
    ]
    auditors = [auditor(f"A{n}", area=rng.choice(["North", "South"])) for n in range(5)]

    first = allocate(cases, auditors, month=DECEMBER, per_auditor=2).as_json()
    rng.shuffle(cases)
    rng.shuffle(auditors)

    assert allocate(cases, auditors, month=DECEMBER, per_auditor=2).as_json() == first


def test_spread_one_case_per_worker_before_any_second() -> None:
    cases = [
        case("A1", worker="WA"),
        case("A2", worker="WA"),
        case("B1", worker="WB", audited=date(2024, 1, 1)),
    ]

    result = allocate(cases, [auditor("X")], month=DECEMBER, per_auditor=2)

    assert sorted(allocated(result)) == ["A1", "B1"] or sorted(allocated(result)) == ["A2", "B1"]
    left = passed(result)["A2" if "A1" in allocated(result) else "A1"]
    assert left[0] == "not_picked" and "already has case" in left[1]


def test_spread_is_relaxed_only_when_supply_does_not_allow_and_says_so() -> None:
    # Y may audit only WA's cases; X only WB's or WC's: WA gets two, one of WB and WC none.
    y_only = frozenset({"PM", "X"})
    x_only = frozenset({"PM", "Y"})
    cases = [
        case("A1", worker="WA", chain=y_only),
        case("A2", worker="WA", chain=y_only),
        case("B1", worker="WB", chain=x_only),
        case("C1", worker="WC", chain=x_only),
    ]
    auditors = [auditor("X", capacity=1), auditor("Y", capacity=2)]

    result = allocate(cases, auditors, month=DECEMBER)

    assert result.auditor_load == {"X": 1, "Y": 2}
    [spread] = [r for r in result.relaxed if r.rule == "spread"]
    assert spread.code == "second_case_for_worker" and "WA has 2 cases picked" in spread.reason


def test_loads_differ_by_at_most_one_when_cases_run_short() -> None:
    cases = [case(f"C{n}", worker=f"W{n}") for n in range(5)]
    auditors = [auditor(f"A{n}") for n in range(4)]

    result = allocate(cases, auditors, month=DECEMBER, per_auditor=2)

    assert sorted(result.auditor_load.values()) == [1, 1, 1, 2]
    assert len(result.allocations) == 5


def test_per_auditor_capacity_overrides_n() -> None:
    cases = [case(f"C{n}", worker=f"W{n}") for n in range(6)]
    auditors = [auditor("A1", capacity=3), auditor("A2", capacity=0), auditor("A3")]

    result = allocate(cases, auditors, month=DECEMBER, per_auditor=1)

    assert result.auditor_load == {"A1": 3, "A2": 0, "A3": 1}


def test_allocation_reasons_explain_pick_and_auditor() -> None:
    result = allocate(
        [case("C1", restricted=True, audited=date(2025, 5, 1))], [auditor("A1")], month=DECEMBER
    )

    reasons = {r.code: r.message for r in result.allocations[0].reasons}
    assert set(reasons) >= {
        "eligible",
        "priority",
        "different_team",
        "outside_management_line",
        "same_area",
        "load",
    }
    assert reasons["priority"].startswith("last audited on 1 May 2025")
    assert reasons["outside_management_line"].startswith("A1 is not W1, the allocated worker, nor above them")
    assert reasons["load"] == "A1 has 1 of their 1 cases this month"
    assert "restricted_record" in reasons


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError, match="first day"):
        allocate([], [], month=date(2026, 12, 2))
    with pytest.raises(ValueError, match="twice"):
        allocate([case("C1"), case("C1")], [], month=DECEMBER)


def test_nothing_to_allocate() -> None:
    assert allocate([], [auditor("A1")], month=DECEMBER).as_json()["auditor_load"] == {"A1": 0}
    result = allocate([case("C1")], [], month=DECEMBER)
    assert passed(result)["C1"] == ("no_possible_auditor", "no auditor has places this month")


def test_the_solvers_exclusion_index_agrees_with_the_hard_rules() -> None:
    for number in range(30):
        authority = random_authority(random.Random(number), cases=30, auditors=8, per_auditor=1, staff=12)
        auditors = sorted(authority.auditors, key=lambda a: a.staff_id)
        capacities = [1] * len(auditors)
        exclusions = _Exclusions(auditors, capacities)
        for c in authority.cases:
            if c.worker_id is None:
                continue
            barred = exclusions.of(c)
            assert [i in barred for i in range(len(auditors))] == [not may_audit(c, a) for a in auditors]
