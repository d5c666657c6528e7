"""Why each case was picked or passed over, why it went to its auditor, and which rule was
relaxed where one could not be met (SEL-4). Messages are plain English that names people and
teams (register IDs stand in where the facts carry no name); codes are stable (CONTRACTS §6)."""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from caseaudit.allocation.engine.eligibility import (
    ABOVE_WORKER,
    IS_WORKER,
    MANAGES_TEAM,
    NOT_PICKED,
    SAME_TEAM,
    AllocationSettings,
    AuditorFacts,
    CaseFacts,
    eligible_reason,
    hard_rule_breaches,
    in_auditors_area,
    priority_text,
)
from caseaudit.allocation.engine.result import Allocation, AllocationResult, PassedOver, Reason, Relaxation
from caseaudit.core.calendar import month_name

SAME_AREA_RULE = "same_area"
SPREAD_RULE = "spread"


@dataclass(frozen=True)
class Context:
    """What the solver knew, for explaining its answer."""

    month: date
    seed: int
    per_auditor: int
    settings: AllocationSettings
    auditors: list[AuditorFacts]
    capacities: list[int]
    cases: list[CaseFacts]  # eligible cases some auditor may have, highest priority first
    case_class: list[int]
    class_excluded: list[frozenset[int]]
    class_areas: list[str | None]
    rank: dict[str, int]  # place among all eligible cases by priority, from 1
    eligible_count: int
    priority_cost: list[int]
    draw: list[int]


def build_result(
    context: Context, pairs: list[tuple[int, int]], passed: list[PassedOver]
) -> AllocationResult:
    auditors = context.auditors
    load = [0] * len(auditors)
    held: list[list[int]] = [[] for _ in auditors]
    picked_for_worker: dict[str, list[int]] = defaultdict(list)
    auditor_of: dict[int, int] = {}
    for case_index, auditor_index in sorted(pairs):
        load[auditor_index] += 1
        held[auditor_index].append(case_index)
        auditor_of[case_index] = auditor_index
        picked_for_worker[str(context.cases[case_index].worker_id)].append(case_index)

    allocations, relaxed = [], []
    for case_index, auditor_index in auditor_of.items():
        case, auditor = context.cases[case_index], auditors[auditor_index]
        same_area = in_auditors_area(case, auditor)
        picks = picked_for_worker[str(case.worker_id)]
        reasons = _allocation_reasons(context, case, auditor, load[auditor_index], auditor_index, len(picks))
        allocations.append(Allocation(case.case_id, auditor.staff_id, same_area, reasons))
        if not same_area:
            code, reason = _area_relaxation(context, case_index, auditor_index, load)
            relaxed.append(Relaxation(case.case_id, SAME_AREA_RULE, code, reason))
    relaxed.extend(_spread_relaxations(context, picked_for_worker))

    not_picked = _NotPicked(context, held, load, picked_for_worker)
    for case_index, case in enumerate(context.cases):
        if case_index not in auditor_of:
            passed.append(PassedOver(case.case_id, NOT_PICKED, not_picked.reason(case_index)))

    return AllocationResult(
        month=context.month,
        seed=context.seed,
        per_auditor=context.per_auditor,
        allocations=sorted(allocations, key=lambda a: a.case_id),
        passed_over=sorted(passed, key=lambda p: p.case_id),
        relaxed=sorted(relaxed, key=lambda r: (r.case_id, r.rule)),
        auditor_load={a.staff_id: load[i] for i, a in enumerate(auditors)},
    )


def _allocation_reasons(
    context: Context, case: CaseFacts, auditor: AuditorFacts, load: int, auditor_index: int, worker_picks: int
) -> tuple[Reason, ...]:
    who = auditor.who
    capacity = context.capacities[auditor_index]
    reasons = [
        Reason("eligible", eligible_reason(case, month=context.month, settings=context.settings)),
        Reason(
            "priority",
            f"{priority_text(case, context.month)}; {_ordinal(context.rank[case.case_id])} of "
            f"{context.eligible_count:,} eligible cases by priority (never audited first, then longest "
            f"since the last audit, ties by the draw with seed {context.seed})",
        ),
        *fit_reasons(case, auditor),
    ]
    load_message = f"{who} has {load} of their {capacity} cases this month"
    if load < capacity:
        load_message += f": too few eligible cases they may audit for every auditor to get {capacity}"
    reasons.append(Reason("load", load_message))
    if worker_picks == 1:
        reasons.append(Reason("one_per_worker", f"the only case of {case.worker} picked this month"))
    else:
        reasons.append(
            Reason("worker_has_several", f"one of {worker_picks} cases of {case.worker} picked this month")
        )
    if case.restricted:
        reasons.append(Reason("restricted_record", RESTRICTED_RECORD))
    return tuple(reasons)


RESTRICTED_RECORD = "a restricted record: the auditor must ask for access to open it"


def fit_reasons(case: CaseFacts, auditor: AuditorFacts, *, relaxed: str = "") -> list[Reason]:
    """Why the auditor may have the case (the hard rules hold: the caller checked them) and whether
    it is in their area; `relaxed` says how the area rule was relaxed when it is not (" on review")."""
    who = auditor.who
    own_team = f" (they are in {auditor.team})" if auditor.team is not None else ""
    reasons = [
        Reason("different_team", f"{who} is not in {case.team}, the case's team{own_team}"),
        Reason(
            "outside_management_line",
            f"{who} is not {case.worker}, the allocated worker, nor above them in line management, "
            f"and does not manage {case.team}",
        ),
    ]
    if in_auditors_area(case, auditor):
        reasons.append(Reason("same_area", f"the case is in {case.area}, {who}'s area"))
    else:
        reasons.append(
            Reason(
                "out_of_area",
                f"the case is in {case.area or 'no area'} and {who} in {auditor.area or 'no area'}: "
                f"the area rule was relaxed{relaxed}",
            )
        )
    return reasons


def _area_relaxation(
    context: Context, case_index: int, auditor_index: int, load: list[int]
) -> tuple[str, str]:
    case, auditor = context.cases[case_index], context.auditors[auditor_index]
    where = f" ({auditor.who} works in {auditor.area})" if auditor.area else ""
    if auditor.area is None:
        where = f" ({auditor.who} has no geographical area)"
    if case.area is None:
        return "case_has_no_area", f"the case has no geographical area, so no auditor is in its area{where}"
    in_area = [i for i, a in enumerate(context.auditors) if a.area == case.area and context.capacities[i] > 0]
    if not in_area:
        return "no_auditor_in_area", f"no auditor with places this month works in {case.area}{where}"
    barred = context.class_excluded[context.case_class[case_index]]
    allowed = [i for i in in_area if i not in barred]
    if not allowed:
        return (
            "area_auditors_excluded",
            f"every auditor in {case.area} is in {case.team}, manages it, or is {case.worker} "
            f"or above them in line management{where}",
        )
    if all(load[i] >= context.capacities[i] for i in allowed):
        places = sum(context.capacities[i] for i in allowed)
        return (
            "area_auditors_full",
            f"no auditor in {case.area} outside the case's team and its worker's management line had "
            f"capacity: their {places} places went to cases that came first{where}",
        )
    return (
        "loads_kept_even",
        f"auditors in {case.area} had free places, but there were too few eligible cases for every "
        f"auditor to get {context.per_auditor}, and keeping loads even comes first{where}",
    )


def _spread_relaxations(context: Context, picked_for_worker: dict[str, list[int]]) -> list[Relaxation]:
    if all(len(picks) < 2 for picks in picked_for_worker.values()):
        return []
    workers = {str(case.worker_id) for case in context.cases}
    without = sorted(w for w in workers if not picked_for_worker.get(w))
    if not without:
        return []
    # The examples are named by the cases anyone may see: a worker known only through a restricted
    # case is counted but not named in another case's reason.
    wanted, names = set(without), {}
    for case in context.cases:
        worker = str(case.worker_id)
        if worker in wanted and worker not in names and not case.restricted:
            names[worker] = case.worker
    examples = [names[w] for w in without if w in names][:3]
    such_as = f" (such as {_and(examples)})" if examples else ""
    relaxed = []
    for _, picks in sorted(picked_for_worker.items()):
        for case_index in picks[1:]:
            relaxed.append(
                Relaxation(
                    context.cases[case_index].case_id,
                    SPREAD_RULE,
                    "second_case_for_worker",
                    f"{context.cases[picks[0]].worker} has {len(picks)} cases picked while {len(without)} "
                    f"other workers with eligible cases have none{such_as}: giving those workers a "
                    "case instead would leave an auditor short of places or the loads uneven, which "
                    "comes first",
                )
            )
    return relaxed


class _NotPicked:
    """Why an eligible case some auditor could take was passed over. At the optimum every auditor
    who could take it is full, with cases that beat it on area, priority or the draw.

    The cases held by every auditor are tallied once per area (those held by auditors outside
    the area are rivals only if out of their auditor's area too), then each class takes away
    what its excluded auditors hold, so a case's reason costs a couple of binary searches."""

    def __init__(
        self, context: Context, held: list[list[int]], load: list[int], picked: dict[str, list[int]]
    ) -> None:
        self.context, self.picked = context, picked
        self.contributions: list[tuple[int, list[Rank], list[Rank]]] = []
        for index, auditor in enumerate(context.auditors):
            ranks = [(context.priority_cost[c], context.draw[c]) for c in held[index]]
            outside = [
                r for c, r in zip(held[index], ranks, strict=True) if not _in_area(context, c, auditor)
            ]
            self.contributions.append((len(ranks) - len(outside), ranks, outside))
        self.open = [i for i, capacity in enumerate(context.capacities) if capacity > 0]
        self.not_full = {i for i in self.open if load[i] < context.capacities[i]}
        self.areas: dict[str | None, _Competition] = {}
        self.classes: dict[int, _Competition] = {}

    def _competition(self, auditors: list[int], area: str | None) -> "_Competition":
        area_wins, rivals = 0, []
        for index in auditors:
            in_area_count, ranks, outside = self.contributions[index]
            auditor_area = self.context.auditors[index].area
            if area is not None and auditor_area == area:
                rivals.extend(ranks)
            else:
                area_wins += in_area_count
                rivals.extend(outside)
        places = sum(self.context.capacities[i] for i in auditors)
        return _Competition(len(auditors), places, area_wins, sorted(rivals))

    def _for_class(self, class_index: int) -> "_Competition":
        if class_index not in self.classes:
            area = self.context.class_areas[class_index]
            if area not in self.areas:
                self.areas[area] = self._competition(self.open, area)
            excluded = self.context.class_excluded[class_index]
            barred = sorted(i for i in excluded if self.context.capacities[i] > 0)
            whole, part = self.areas[area], self._competition(barred, area)
            self.classes[class_index] = _Competition(
                whole.auditors - part.auditors,
                whole.places - part.places,
                whole.area_wins - part.area_wins,
                whole.rivals,
                part.rivals,
                all_full=self.not_full <= set(barred),
            )
        return self.classes[class_index]

    def reason(self, case_index: int) -> str:
        context = self.context
        case = context.cases[case_index]
        own = self.picked.get(str(case.worker_id))
        if own:
            return (
                f"not picked: its worker, {case.worker}, already has case {context.cases[own[0]].case_id} "
                "picked, and cases go one per worker before any worker gets a second"
            )
        competition = self._for_class(context.case_class[case_index])
        if not competition.all_full:
            return "not picked: other cases came first under the allocation's order of rules"
        priority, draw = context.priority_cost[case_index], context.draw[case_index]
        higher = competition.count_below((priority, -1))
        drawn_earlier = competition.count_below((priority, draw)) - higher
        parts = []
        if competition.area_wins:
            parts.append(f"{competition.area_wins} in the auditor's own area (this case would not be)")
        if higher:
            parts.append(f"{higher} of higher priority")
        if drawn_earlier:
            parts.append(f"{drawn_earlier} of equal priority drawn earlier (seed {context.seed})")
        return (
            f"not picked: the {competition.places:,} places of the {competition.auditors:,} auditors who "
            f"could take it in {month_name(context.month)} went to cases that came first: "
            f"{', '.join(parts) or 'none'}; this case: {priority_text(case, context.month)}"
        )


Rank = tuple[int, int]  # (priority cost, place in the draw)


@dataclass(frozen=True)
class _Competition:
    auditors: int
    places: int
    area_wins: int
    rivals: list[Rank]  # sorted
    removed: list[Rank] = field(default_factory=list)  # sorted; held by excluded auditors
    all_full: bool = True

    def count_below(self, rank: Rank) -> int:
        return bisect.bisect_left(self.rivals, rank) - bisect.bisect_left(self.removed, rank)


def _in_area(context: Context, case_index: int, auditor: AuditorFacts) -> bool:
    return in_auditors_area(context.cases[case_index], auditor)


def no_possible_auditor(case: CaseFacts, auditors: list[AuditorFacts], capacities: list[int]) -> str:
    with_places = [a for a, capacity in zip(auditors, capacities, strict=True) if capacity > 0]
    if not with_places:
        return "no auditor has places this month"
    barred: dict[str, list[str]] = defaultdict(list)
    for auditor in with_places:
        for breach in hard_rule_breaches(case, auditor):
            barred[breach.code].append(auditor.who)
    wording = {
        SAME_TEAM: ("is in", "are in", f"{case.team}, the case's team"),
        IS_WORKER: ("is the case's allocated worker", "", ""),
        ABOVE_WORKER: ("is above", "are above", f"{case.worker} in line management"),
        MANAGES_TEAM: ("manages", "manage", case.team),
    }
    parts = []
    for code, ids in barred.items():
        singular, plural, detail = wording[code]
        parts.append(
            " ".join(part for part in (_listed(ids), singular if len(ids) == 1 else plural, detail) if part)
        )
    return "no auditor may audit it: " + "; ".join(parts)


def _listed(names: list[str]) -> str:
    return _and(names[:5]) if len(names) <= 5 else f"{', '.join(names[:5])} and {len(names) - 5} more"


def _and(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number:,}{suffix}"
