"""Eligibility (SEL-2), auditor fit (SEL-3) and priority, rule by rule."""

import dataclasses
from datetime import date

import pytest

from caseaudit.allocation.engine.eligibility import (
    AllocationSettings,
    AuditorFacts,
    CaseFacts,
    case_eligibility,
    default_seed,
    hard_rule_breaches,
    in_auditors_area,
    may_audit,
    priority_key,
    seeded_draw,
)
from caseaudit.core.calendar import long_date

DECEMBER = date(2026, 12, 1)
SETTINGS = AllocationSettings()


def a_case(**changes: object) -> CaseFacts:
    case = CaseFacts(
        case_id="C1",
        child_id="K1",
        team_id="T1",
        team_eligible=True,
        area="North",
        worker_id="W1",
        worker_chain=frozenset({"PM1", "GM1", "HOS"}),
        status="open",
        closed_on=None,
        last_audited_on=None,
    )
    return dataclasses.replace(case, **changes)


def an_auditor(**changes: object) -> AuditorFacts:
    auditor = AuditorFacts(staff_id="GM2", team_id="T2", area="North", manages_team_ids=frozenset({"T2"}))
    return dataclasses.replace(auditor, **changes)


def verdict(case: CaseFacts, settings: AllocationSettings = SETTINGS) -> tuple[bool, str, str]:
    result = case_eligibility(case, month=DECEMBER, settings=settings)
    return result.eligible, result.code, result.reason


def test_sel2_open_case_in_eligible_team_never_audited_is_eligible() -> None:
    eligible, code, reason = verdict(a_case())

    assert (eligible, code) == (True, "eligible")
    assert reason.startswith("eligible: open, in team T1")


def test_sel2_audited_within_the_quarter_gives_the_contract_example() -> None:
    assert verdict(a_case(last_audited_on=date(2026, 10, 3))) == (
        False,
        "audited_recently",
        "audited on 3 October 2026, within the 3 months before December",
    )


def test_sel2_the_quarter_is_three_calendar_months_before_the_month() -> None:
    assert verdict(a_case(last_audited_on=date(2026, 9, 1)))[1] == "audited_recently"
    assert verdict(a_case(last_audited_on=date(2026, 8, 31)))[1] == "eligible"


def test_sel2_team_not_eligible() -> None:
    assert verdict(a_case(team_eligible=False))[:2] == (False, "team_not_eligible")


def test_sel2_closed_within_the_window_is_eligible_and_longer_ago_is_not() -> None:
    assert verdict(a_case(status="closed", closed_on=date(2026, 11, 1)))[1] == "eligible"
    eligible, code, reason = verdict(a_case(status="closed", closed_on=date(2026, 10, 31)))

    assert (eligible, code) == (False, "closed_too_long_ago")
    assert reason == "closed on 31 October 2026, more than 30 days before 1 December 2026"


def test_sel2_closed_without_a_date_is_not_eligible() -> None:
    assert verdict(a_case(status="closed", closed_on=None))[1] == "closed_too_long_ago"


def test_sel2_windows_are_settings() -> None:
    settings = AllocationSettings(closed_within_days=10, not_audited_within_months=6)

    assert (
        verdict(a_case(status="closed", closed_on=date(2026, 11, 15)), settings)[1] == "closed_too_long_ago"
    )
    assert verdict(a_case(last_audited_on=date(2026, 7, 1)), settings)[2].endswith(
        "the 6 months before December"
    )


def test_already_allocated_this_month_is_passed_over() -> None:
    assert verdict(a_case(already_allocated=True))[:2] == (False, "already_allocated")


def test_no_allocated_worker_is_passed_over() -> None:
    assert verdict(a_case(worker_id=None, worker_chain=frozenset()))[:2] == (False, "no_allocated_worker")


def test_the_first_failing_rule_is_reported() -> None:
    case = a_case(already_allocated=True, team_eligible=False, last_audited_on=date(2026, 11, 1))

    assert verdict(case)[1] == "already_allocated"


@pytest.mark.parametrize(
    ("auditor", "code"),
    [
        (an_auditor(team_id="T1"), "same_team"),
        (an_auditor(staff_id="W1"), "is_worker"),
        (an_auditor(staff_id="GM1"), "above_worker"),
        (an_auditor(staff_id="HOS"), "above_worker"),
        (an_auditor(manages_team_ids=frozenset({"T1", "T2"})), "manages_team"),
    ],
)
def test_sel3_each_hard_rule(auditor: AuditorFacts, code: str) -> None:
    breaches = hard_rule_breaches(a_case(), auditor)

    assert code in [breach.code for breach in breaches]
    assert not may_audit(a_case(), auditor)


def test_sel3_an_auditor_outside_team_and_line_may_audit() -> None:
    assert may_audit(a_case(), an_auditor())
    assert may_audit(a_case(), an_auditor(team_id=None))


def test_sel3_area_is_soft_and_no_area_is_never_in_area() -> None:
    assert in_auditors_area(a_case(), an_auditor())
    assert not in_auditors_area(a_case(), an_auditor(area="South"))
    assert not in_auditors_area(a_case(), an_auditor(area=None))
    assert not in_auditors_area(a_case(area=None), an_auditor(area=None))


def test_default_seed_is_the_month_as_a_number() -> None:
    assert default_seed(DECEMBER) == 202612


def test_seeded_draw_is_fixed_by_the_seed_and_each_case_alone() -> None:
    ids = [f"C{n}" for n in range(50)]
    draw = seeded_draw(ids, 202612)
    with_one_more = seeded_draw([*ids, "C999"], 202612)

    assert draw == seeded_draw(list(reversed(ids)), 202612)
    assert seeded_draw(ids, 7) != draw
    assert sorted(ids, key=draw.__getitem__) == sorted(ids, key=with_one_more.__getitem__)


def test_priority_never_audited_first_then_longest_since_audit_then_the_draw() -> None:
    never = a_case(case_id="N")
    old = a_case(case_id="O", last_audited_on=date(2024, 1, 1))
    recent = a_case(case_id="R", last_audited_on=date(2026, 1, 1))

    ordered = sorted([recent, old, never], key=lambda c: priority_key(c, 0))
    assert [c.case_id for c in ordered] == ["N", "O", "R"]
    assert priority_key(never, 1) < priority_key(never, 2)


def test_dates_are_written_the_way_people_write_them() -> None:
    assert long_date(date(2026, 10, 3)) == "3 October 2026"
