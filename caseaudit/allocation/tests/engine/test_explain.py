"""The reasons speak of people and teams by name (issue 9 B8): the auditor, the worker and the
team, never their register IDs, which stay in the JSON's own fields (CONTRACTS §6). Where the facts
carry no names (the benchmark's synthetic register) the IDs stand in."""

import re
from datetime import date

from caseaudit.allocation.engine.eligibility import AuditorFacts, CaseFacts, hard_rule_breaches
from caseaudit.allocation.engine.solver import allocate

DECEMBER = date(2026, 12, 1)
REGISTER_ID = re.compile(r"\b(GM|SW|T)\d\b")


def case(
    case_id: str,
    *,
    team: str = "T1",
    worker: str = "SW1",
    chain: frozenset[str] = frozenset(),
    **extra: object,
) -> CaseFacts:
    return CaseFacts(
        case_id=case_id,
        child_id=f"K-{case_id}",
        team_id=team,
        team_eligible=True,
        area=str(extra.get("area", "North")),
        worker_id=worker,
        worker_chain=chain,
        status="open",
        closed_on=None,
        last_audited_on=extra.get("audited"),
        restricted=bool(extra.get("restricted", False)),
        team_name={"T1": "Assessment North", "T2": "Children in Need", "T3": "Fostering"}[team],
        worker_name={"SW1": "Sam Wood", "SW2": "Rhea Patel", "SW3": "Tom Okafor"}[worker],
    )


def auditor(
    staff_id: str, *, team: str | None = None, manages: tuple[str, ...] = (), **extra: object
) -> AuditorFacts:
    return AuditorFacts(
        staff_id=staff_id,
        team_id=team,
        area=str(extra.get("area", "North")),
        manages_team_ids=frozenset(manages),
        capacity=1,
        name={"GM1": "Gwen North", "GM2": "Ade Shah", "GM3": "Li Chen"}[staff_id],
        team_name="Management" if team else "",
    )


def without_ids(text: str) -> bool:
    return REGISTER_ID.search(text) is None


def test_the_reasons_of_a_pair_name_the_auditor_the_worker_and_the_team() -> None:
    result = allocate([case("C1")], [auditor("GM1", team="MGT")], month=DECEMBER)
    [pair] = result.as_json()["allocations"]
    assert pair["auditor_id"] == "GM1"  # the JSON keeps the register's IDs in its own fields
    messages = {reason["code"]: reason["message"] for reason in pair["reasons"]}
    assert messages["different_team"] == (
        "Gwen North is not in team Assessment North, the case's team (they are in team Management)"
    )
    assert messages["outside_management_line"] == (
        "Gwen North is not Sam Wood, the allocated worker, nor above them in line management, and does "
        "not manage team Assessment North"
    )
    assert messages["same_area"] == "the case is in North, Gwen North's area"
    assert messages["one_per_worker"] == "the only case of Sam Wood picked this month"
    assert not messages["eligible"].startswith("eligible: eligible")
    assert all(without_ids(message) for message in messages.values()), messages


def test_the_hard_rules_name_who_breaks_them() -> None:
    breaches = hard_rule_breaches(
        case("C1", chain=frozenset({"GM1"})), auditor("GM1", team="T1", manages=("T1",))
    )
    assert [b.message for b in breaches] == [
        "Gwen North is in team Assessment North, the case's team",
        "Gwen North is above Sam Wood in line management",
        "Gwen North manages team Assessment North",
    ]


def test_a_case_no_auditor_may_have_names_them() -> None:
    result = allocate(
        [case("C1")], [auditor("GM1", manages=("T1",)), auditor("GM2", team="T1")], month=DECEMBER
    )
    [passed] = result.as_json()["passed_over"]
    assert passed["code"] == "no_possible_auditor"
    assert passed["reason"] == (
        "no auditor may audit it: Gwen North manages team Assessment North; "
        "Ade Shah is in team Assessment North, the case's team"
    )


def test_not_picked_names_the_worker() -> None:
    result = allocate([case("C1"), case("C2")], [auditor("GM1")], month=DECEMBER)
    [passed] = result.as_json()["passed_over"]
    assert passed["code"] == "not_picked" and "its worker, Sam Wood, already has case" in passed["reason"]


def test_a_worker_known_only_by_a_restricted_case_is_counted_but_not_named_elsewhere() -> None:
    """Sam Wood's two cases fill GM1's and GM2's places (they manage the other teams); GM3 takes
    Tom Okafor's case, never audited, before Rhea Patel's restricted one. Sam Wood's second case
    relaxes the spread: the reason counts Rhea Patel but does not name her, since her only case is
    restricted and the reason is about another case."""
    cases = [
        case("C1"),
        case("C2"),
        case("C3", team="T2", worker="SW2", restricted=True, audited=date(2025, 1, 1)),
        case("C4", team="T3", worker="SW3"),
    ]
    auditors = [
        auditor("GM1", manages=("T2", "T3")),
        auditor("GM2", manages=("T2", "T3")),
        auditor("GM3", manages=("T1",)),
    ]
    result = allocate(cases, auditors, month=DECEMBER)
    assert {a.case_id: a.auditor_id for a in result.allocations}["C4"] == "GM3"
    [spread] = [r for r in result.relaxed if r.rule == "spread"]
    assert spread.reason.startswith("Sam Wood has 2 cases picked while 1 other workers with eligible cases")
    assert "Rhea Patel" not in spread.reason and "SW2" not in spread.reason


def test_without_names_the_register_ids_stand_in() -> None:
    bare = CaseFacts("C1", "K1", "T1", True, "North", "SW1", frozenset(), "open", None, None)
    [breach] = hard_rule_breaches(bare, AuditorFacts("GM1", None, "North", frozenset({"T1"})))
    assert breach.message == "GM1 manages team T1"
