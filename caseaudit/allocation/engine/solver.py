"""The monthly allocation (SEL-1..SEL-4) as one exact optimisation.

The objective is CONTRACTS §6's, in order, and it is encoded as a single min-cost flow
(`network.py`) whose integer costs are sums of weights, each weight larger than the most the
levels below it can ever add up to, so a better level always wins (Python's integers have no
upper limit, and networkx's network simplex is exact on them):

1. hard rules: a case is joined only to the auditors it may have (no arc otherwise);
2. places: every filled place earns `fill`; among equally many, Σ(capacity − load)² is least
   (auditor slot arcs earn `balance`·(2(c−j)+1) for the j-th case), so when cases run short
   every case that can be used is used and loads differ by at most one where the rules allow;
3. spread: a worker's second and later cases cost `spread`, i.e. as many workers as possible
   have a case, so no worker has two while another with eligible cases has none where supply
   allows;
4. area: a case going to an auditor outside its area costs `area`;
5. priority: a case that has been audited costs `audited`, plus `days` for each day its last
   audit is later than the oldest last audit (never audited first, then longest since audit);
6. the seeded tie-break: each case costs its place in the seeded draw.

weights: draw 1; days = T·n + 1; audited = (T·D + 1)·days; area = (T + 1)·audited;
spread = (T + 1)·area; balance = (T + 1)·spread; fill = (Q + 1)·balance, where T is the number
of places, n of eligible cases, D the widest gap in days between last audits and Q = Σ c².

Cases that no rule can tell apart are grouped into classes, and only the part of the network
that could matter is built; `columns.py` proves the rest could not help. docs/allocation.md
explains the whole encoding and how it is tested against brute force.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from caseaudit.allocation.engine import explain
from caseaudit.allocation.engine.columns import solve_allocation_flow
from caseaudit.allocation.engine.eligibility import (
    NO_POSSIBLE_AUDITOR,
    AllocationSettings,
    AuditorFacts,
    CaseFacts,
    default_seed,
    ineligibility,
    priority_key,
    seeded_draw,
)
from caseaudit.allocation.engine.network import FlowAuditor, FlowClass, FlowWorker, Weights
from caseaudit.allocation.engine.result import AllocationResult, PassedOver


@dataclass(frozen=True)
class Costs:
    oldest: date | None  # the oldest last audit among eligible cases: day 0 of the `days` level
    draw: int
    days: int
    audited: int
    weights: Weights


def allocate(
    cases: Iterable[CaseFacts],
    auditors: Iterable[AuditorFacts],
    *,
    month: date,
    seed: int | None = None,
    per_auditor: int | None = None,
    settings: AllocationSettings | None = None,
) -> AllocationResult:
    """Pick the month's cases and give each to an auditor. Same inputs and seed, same result."""
    settings = settings or AllocationSettings()
    if month.day != 1:
        raise ValueError(f"month must be the first day of a month, not {month.isoformat()}")
    seed = default_seed(month) if seed is None else seed
    per_auditor = settings.per_auditor if per_auditor is None else per_auditor
    case_list, auditor_list = _unique(list(cases), list(auditors))
    capacities = [max(0, per_auditor if a.capacity is None else a.capacity) for a in auditor_list]

    passed: list[PassedOver] = []
    eligible: list[CaseFacts] = []
    for case in case_list:
        verdict = ineligibility(case, month=month, settings=settings)
        if verdict is None:
            eligible.append(case)
        else:
            passed.append(PassedOver(case.case_id, verdict.code, verdict.reason))
    draw = seeded_draw([case.case_id for case in eligible], seed)
    eligible.sort(key=lambda case: priority_key(case, draw[case.case_id]))

    exclusions = _Exclusions(auditor_list, capacities)
    assignable: list[CaseFacts] = []
    excluded: list[frozenset[int]] = []
    for case in eligible:
        barred = exclusions.of(case)
        if len(barred) == exclusions.active_count:
            passed.append(
                PassedOver(
                    case.case_id,
                    NO_POSSIBLE_AUDITOR,
                    explain.no_possible_auditor(case, auditor_list, capacities),
                )
            )
        else:
            assignable.append(case)
            excluded.append(barred)

    costs = _costs(eligible, capacities)
    classes, workers, case_class = _flow_problem(assignable, excluded, draw, costs)
    class_excluded = [cls.excluded for cls in classes]
    flow_auditors = [FlowAuditor(a.area, capacities[i]) for i, a in enumerate(auditor_list)]
    pairs = solve_allocation_flow(classes, workers, flow_auditors, costs.weights)

    context = explain.Context(
        month=month,
        seed=seed,
        per_auditor=per_auditor,
        settings=settings,
        auditors=auditor_list,
        capacities=capacities,
        cases=assignable,
        case_class=case_class,
        class_excluded=class_excluded,
        class_areas=[cls.area for cls in classes],
        rank={case.case_id: place for place, case in enumerate(eligible, start=1)},
        eligible_count=len(eligible),
        priority_cost=[_priority_cost(case, costs) for case in assignable],
        draw=[draw[case.case_id] for case in assignable],
    )
    return explain.build_result(context, pairs, passed)


def _unique(
    cases: list[CaseFacts], auditors: list[AuditorFacts]
) -> tuple[list[CaseFacts], list[AuditorFacts]]:
    for kind, ids in (("case", [c.case_id for c in cases]), ("auditor", [a.staff_id for a in auditors])):
        if len(set(ids)) != len(ids):
            duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
            raise ValueError(f"the same {kind} is given twice: {', '.join(duplicates)}")
    return sorted(cases, key=lambda c: c.case_id), sorted(auditors, key=lambda a: a.staff_id)


class _Exclusions:
    """Which auditors (with places) the hard rules exclude from a case, found by index rather than
    by trying every auditor: those in the case's team, managing it, above the worker, or the worker."""

    def __init__(self, auditors: list[AuditorFacts], capacities: list[int]) -> None:
        self.active = frozenset(i for i, capacity in enumerate(capacities) if capacity > 0)
        self.active_count = len(self.active)
        self.index = {a.staff_id: i for i, a in enumerate(auditors) if i in self.active}
        self.by_team: dict[str, set[int]] = defaultdict(set)
        for i, auditor in enumerate(auditors):
            if i not in self.active:
                continue
            if auditor.team_id is not None:
                self.by_team[auditor.team_id].add(i)
            for team_id in auditor.manages_team_ids:
                self.by_team[team_id].add(i)
        self.cache: dict[tuple[str, str | None, frozenset[str]], frozenset[int]] = {}

    def of(self, case: CaseFacts) -> frozenset[int]:
        key = (case.team_id, case.worker_id, case.worker_chain)
        found = self.cache.get(key)
        if found is None:
            barred = set(self.by_team.get(case.team_id, ()))
            barred.update(self.index[s] for s in case.worker_chain if s in self.index)
            if case.worker_id in self.index:
                barred.add(self.index[case.worker_id])
            found = self.cache[key] = frozenset(barred)
        return found


def _oldest(eligible: list[CaseFacts]) -> date | None:
    audited = [case.last_audited_on for case in eligible if case.last_audited_on is not None]
    return min(audited) if audited else None


def _costs(eligible: list[CaseFacts], capacities: list[int]) -> Costs:
    places = sum(capacities)
    oldest = _oldest(eligible)
    widest = max(
        ((case.last_audited_on - oldest).days for case in eligible if case.last_audited_on and oldest),
        default=0,
    )
    days = places * len(eligible) + 1
    audited = (places * widest + 1) * days
    area = (places + 1) * audited
    spread = (places + 1) * area
    balance = (places + 1) * spread
    fill = (sum(c * c for c in capacities) + 1) * balance
    return Costs(
        oldest=oldest, draw=1, days=days, audited=audited, weights=Weights(fill, balance, spread, area)
    )


def _priority_cost(case: CaseFacts, costs: Costs) -> int:
    if case.last_audited_on is None or costs.oldest is None:
        return 0
    return costs.audited + (case.last_audited_on - costs.oldest).days * costs.days


def _flow_problem(
    cases: list[CaseFacts], excluded: list[frozenset[int]], draw: dict[str, int], costs: Costs
) -> tuple[list[FlowClass], list[FlowWorker], list[int]]:
    """Group interchangeable cases into classes; cases arrive in priority order, so a worker's
    first case in a class is their best there."""
    class_of: dict[tuple[frozenset[int], str | None], int] = {}
    case_class: list[int] = []
    worker_classes: dict[str, set[int]] = defaultdict(set)
    for index, case in enumerate(cases):
        key = (excluded[index], case.area)
        class_index = class_of.setdefault(key, len(class_of))
        case_class.append(class_index)
        worker_classes[str(case.worker_id)].add(class_index)

    units: list[list[tuple[int, int]]] = [[] for _ in class_of]
    worker_arcs: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    seen_workers: set[str] = set()
    for index, case in enumerate(cases):
        cost = _priority_cost(case, costs) + draw[case.case_id] * costs.draw
        worker = str(case.worker_id)
        if len(worker_classes[worker]) > 1:
            worker_arcs[worker][case_class[index]].append((cost, index))
            continue
        if worker in seen_workers:
            cost += costs.weights.spread
        seen_workers.add(worker)
        units[case_class[index]].append((cost, index))

    areas = {class_index: area for (_, area), class_index in class_of.items()}
    barred = {class_index: key for (key, _), class_index in class_of.items()}
    classes = [FlowClass(areas[k], barred[k], sorted(units[k])) for k in range(len(class_of))]
    workers = [FlowWorker(dict(worker_arcs[w])) for w in sorted(worker_arcs)]
    return classes, workers, case_class
