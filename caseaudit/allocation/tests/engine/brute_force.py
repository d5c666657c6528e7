"""The allocation's objective scored directly from its definition (CONTRACTS §6), and the
optimum found by trying every feasible assignment. Uses only the rules, never the solver."""

from collections import Counter
from collections.abc import Mapping
from datetime import date

from caseaudit.allocation.engine.eligibility import (
    AllocationSettings,
    AuditorFacts,
    CaseFacts,
    case_eligibility,
    in_auditors_area,
    may_audit,
    seeded_draw,
)
from caseaudit.allocation.tests.engine.authorities import MONTH

Score = tuple[int, int, int, int, int, int, int]


def objective(
    cases: list[CaseFacts],
    auditors: list[AuditorFacts],
    pairs: Mapping[str, str],
    *,
    per_auditor: int,
    seed: int,
    month: date = MONTH,
    settings: AllocationSettings | None = None,
) -> Score:
    """Lower is better, level by level: more places filled; less squared shortfall; fewer
    second cases of a worker; fewer out-of-area pairs; fewer audited-before cases; older last
    audits; earlier in the seeded draw."""
    settings = settings or AllocationSettings()
    case_by_id = {c.case_id: c for c in cases}
    auditor_by_id = {a.staff_id: a for a in auditors}
    eligible = [c.case_id for c in cases if case_eligibility(c, month=month, settings=settings).eligible]
    draw = seeded_draw(eligible, seed)
    load = Counter(pairs.values())
    picks = Counter(case_by_id[c].worker_id for c in pairs)
    picked = [case_by_id[c] for c in pairs]
    return (
        -len(pairs),
        sum((_capacity(a, per_auditor) - load[a.staff_id]) ** 2 for a in auditors),
        sum(n - 1 for n in picks.values()),
        sum(not in_auditors_area(case_by_id[c], auditor_by_id[a]) for c, a in pairs.items()),
        sum(c.last_audited_on is not None for c in picked),
        sum(c.last_audited_on.toordinal() for c in picked if c.last_audited_on is not None),
        sum(draw[c] for c in pairs),
    )


def _capacity(auditor: AuditorFacts, per_auditor: int) -> int:
    return max(0, per_auditor if auditor.capacity is None else auditor.capacity)


def brute_force_optimum(
    cases: list[CaseFacts],
    auditors: list[AuditorFacts],
    *,
    per_auditor: int,
    seed: int,
    month: date = MONTH,
    settings: AllocationSettings | None = None,
) -> Score:
    settings = settings or AllocationSettings()
    candidates = [c for c in cases if case_eligibility(c, month=month, settings=settings).eligible]
    options = [
        [a.staff_id for a in auditors if _capacity(a, per_auditor) > 0 and may_audit(c, a)]
        for c in candidates
    ]
    room = {a.staff_id: _capacity(a, per_auditor) for a in auditors}
    best: list[Score] = []
    chosen: dict[str, str] = {}

    def visit(index: int) -> None:
        if index == len(candidates):
            score = objective(
                cases, auditors, chosen, per_auditor=per_auditor, seed=seed, month=month, settings=settings
            )
            if not best or score < best[0]:
                best[:] = [score]
            return
        visit(index + 1)
        for auditor_id in options[index]:
            if room[auditor_id]:
                room[auditor_id] -= 1
                chosen[candidates[index].case_id] = auditor_id
                visit(index + 1)
                del chosen[candidates[index].case_id]
                room[auditor_id] += 1

    visit(0)
    return best[0]
