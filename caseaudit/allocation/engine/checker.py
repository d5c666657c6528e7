"""An independent check of an allocation (its CONTRACTS §6 JSON) against the rules.

Written apart from the solver on purpose: it re-implements eligibility (SEL-2) and the hard
rules (SEL-3) rather than importing them, and it knows nothing of classes, costs or flows.
Besides the hard rules it looks for any single improving move the solver should have made:

* places: an eligible case left out that could be given a place, directly or by passing
  cases along a chain of auditors to one with a free place (an augmenting path, so a result
  that passes has the most places filled);
* balance: a chain along which one case could move from an auditor to one short by two more;
* spread: a case of a worker with none that could take the place of a case of a worker with
  two or more, directly or by passing cases along a chain (places and loads unchanged);
* area: two out-of-area cases that could swap auditors into area, or a left-out case in an
  auditor's area that could replace their out-of-area case without hurting the spread.

It returns plain-English violations; an empty list means the allocation passed."""

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from caseaudit.allocation.engine.eligibility import AllocationSettings, AuditorFacts, CaseFacts

CaseKey = tuple[str, str | None, frozenset[str]]


def check_allocation(
    cases: Iterable[CaseFacts],
    auditors: Iterable[AuditorFacts],
    result: Mapping[str, Any],
    *,
    month: date,
    per_auditor: int | None = None,
    settings: AllocationSettings | None = None,
) -> list[str]:
    settings = settings or AllocationSettings()
    per_auditor = settings.per_auditor if per_auditor is None else per_auditor
    case_by_id = {case.case_id: case for case in cases}
    auditor_by_id = {auditor.staff_id: auditor for auditor in auditors}
    places = {a: max(0, per_auditor if x.capacity is None else x.capacity) for a, x in auditor_by_id.items()}
    violations: list[str] = []
    if result.get("month") != f"{month:%Y-%m}":
        violations.append(f"month is {result.get('month')!r}, not {month:%Y-%m}")

    allocated: dict[str, str] = {}
    for item in result["allocations"]:
        case_id, auditor_id = item["case_id"], item["auditor_id"]
        if case_id not in case_by_id or auditor_id not in auditor_by_id:
            violations.append(f"allocation of unknown case {case_id} or auditor {auditor_id}")
            continue
        if case_id in allocated:
            violations.append(f"{case_id} is allocated twice")
        allocated[case_id] = auditor_id
        case, auditor = case_by_id[case_id], auditor_by_id[auditor_id]
        failures = _ineligible(case, month, settings)
        if failures:
            violations.append(f"{case_id} is allocated but not eligible: {', '.join(sorted(failures))}")
        breaches = _breaches(case, auditor)
        if breaches:
            violations.append(f"{case_id} to {auditor_id} breaks a hard rule: {', '.join(breaches)}")
        if item["same_area"] != _in_area(case, auditor):
            violations.append(f"{case_id} to {auditor_id}: same_area is {item['same_area']}, wrongly")

    violations += _check_passed_over(result, case_by_id, allocated, month, settings)
    violations += _check_loads(result, allocated, places)
    violations += _check_relaxed(result, case_by_id, auditor_by_id, allocated)

    left_out = [
        case
        for case_id, case in case_by_id.items()
        if case_id not in allocated and not _ineligible(case, month, settings)
    ]
    moves = _Moves(case_by_id, auditor_by_id, places, allocated)
    for item in result["passed_over"]:
        found = case_by_id.get(item["case_id"])
        if item["code"] == "no_possible_auditor" and found is not None and moves.allowed_auditors(found):
            violations.append(f"{found.case_id} has an auditor with places who may audit it, unlike its code")
    violations += moves.unfilled_places(left_out)
    violations += moves.uneven_loads()
    violations += moves.spread(left_out)
    violations += moves.area(left_out)
    return violations


def _ineligible(case: CaseFacts, month: date, settings: AllocationSettings) -> set[str]:
    failures = set()
    if case.already_allocated:
        failures.add("already_allocated")
    if not case.team_eligible:
        failures.add("team_not_eligible")
    if case.status == "closed" and (
        case.closed_on is None or (month - case.closed_on).days > settings.closed_within_days
    ):
        failures.add("closed_too_long_ago")
    months = month.year * 12 + month.month - 1 - settings.not_audited_within_months
    if case.last_audited_on is not None and case.last_audited_on >= date(months // 12, months % 12 + 1, 1):
        failures.add("audited_recently")
    if case.worker_id is None:
        failures.add("no_allocated_worker")
    return failures


def _breaches(case: CaseFacts, auditor: AuditorFacts) -> list[str]:
    return [
        rule
        for rule, broken in (
            ("auditor in the case's team", auditor.team_id == case.team_id),
            ("auditor is the worker", auditor.staff_id == case.worker_id),
            ("auditor above the worker", auditor.staff_id in case.worker_chain),
            ("auditor manages the case's team", case.team_id in auditor.manages_team_ids),
        )
        if broken
    ]


def _key(case: CaseFacts) -> CaseKey:
    return (case.team_id, case.worker_id, case.worker_chain)


def _in_area(case: CaseFacts, auditor: AuditorFacts) -> bool:
    return auditor.area is not None and case.area == auditor.area


def _check_passed_over(
    result: Mapping[str, Any],
    case_by_id: dict[str, CaseFacts],
    allocated: dict[str, str],
    month: date,
    settings: AllocationSettings,
) -> list[str]:
    violations = []
    passed = Counter(item["case_id"] for item in result["passed_over"])
    for case_id in case_by_id:
        times = passed[case_id] + (case_id in allocated)
        if times != 1:
            violations.append(f"{case_id} appears {times} times among allocations and passed-over cases")
    for item in result["passed_over"]:
        found = case_by_id.get(item["case_id"])
        if found is None:
            violations.append(f"unknown case {item['case_id']} passed over")
            continue
        case = found
        failures = _ineligible(case, month, settings)
        if item["code"] in ("not_picked", "no_possible_auditor"):
            if failures:
                violations.append(f"{case.case_id} is {item['code']} but not eligible: {sorted(failures)}")
        elif item["code"] not in failures:
            violations.append(f"{case.case_id} passed over as {item['code']}, which is not true of it")
        if not item["reason"]:
            violations.append(f"{case.case_id} passed over without a reason")
    return violations


def _check_loads(result: Mapping[str, Any], allocated: dict[str, str], places: dict[str, int]) -> list[str]:
    violations = []
    load = Counter(allocated.values())
    for auditor_id, capacity in places.items():
        if load[auditor_id] > capacity:
            violations.append(f"{auditor_id} has {load[auditor_id]} cases for {capacity} places")
        if result["auditor_load"].get(auditor_id, 0) != load[auditor_id]:
            violations.append(f"auditor_load of {auditor_id} does not match their allocations")
    return violations


def _check_relaxed(
    result: Mapping[str, Any],
    case_by_id: dict[str, CaseFacts],
    auditor_by_id: dict[str, AuditorFacts],
    allocated: dict[str, str],
) -> list[str]:
    violations = []
    area_relaxed = {item["case_id"] for item in result["relaxed"] if item["rule"] == "same_area"}
    out_of_area = {
        case_id
        for case_id, auditor_id in allocated.items()
        if not _in_area(case_by_id[case_id], auditor_by_id[auditor_id])
    }
    for case_id in sorted(out_of_area ^ area_relaxed):
        violations.append(
            f"{case_id}: the area rule's relaxation is {'missing' if case_id in out_of_area else 'wrong'}"
        )
    for item in result["relaxed"]:
        if item["rule"] not in ("same_area", "spread") or not item["reason"]:
            violations.append(f"{item['case_id']}: relaxed rule {item['rule']!r} without a good reason")
    return violations


class _Moves:
    """Improving moves along chains of auditors: auditor u → v when u holds a case v may have."""

    def __init__(
        self,
        case_by_id: dict[str, CaseFacts],
        auditor_by_id: dict[str, AuditorFacts],
        places: dict[str, int],
        allocated: dict[str, str],
    ) -> None:
        self.cases, self.auditors, self.places, self.allocated = case_by_id, auditor_by_id, places, allocated
        self.held: dict[str, list[str]] = defaultdict(list)
        for case_id, auditor_id in sorted(allocated.items()):
            self.held[auditor_id].append(case_id)
        self.load = {a: len(self.held[a]) for a in auditor_by_id}
        self.open = [a for a in sorted(auditor_by_id) if places[a] > 0]
        self.passes: dict[str, set[str]] = defaultdict(set)
        self.passed_by: dict[str, set[str]] = defaultdict(set)
        for giver, case_ids in self.held.items():
            for taker in self.open:
                if taker != giver and any(self._allowed(self.cases[c], taker) for c in case_ids):
                    self.passes[giver].add(taker)
                    self.passed_by[taker].add(giver)
        self.picks = Counter(str(self.cases[c].worker_id) for c in allocated)
        self._allowed_cache: dict[CaseKey, frozenset[str]] = {}

    def _allowed(self, case: CaseFacts, auditor_id: str) -> bool:
        return not _breaches(case, self.auditors[auditor_id])

    def allowed_auditors(self, case: CaseFacts) -> frozenset[str]:
        key = _key(case)
        if key not in self._allowed_cache:
            self._allowed_cache[key] = frozenset(a for a in self.open if self._allowed(case, a))
        return self._allowed_cache[key]

    def _can_reach(self, reach: set[str]) -> Callable[[CaseFacts], bool]:
        memo: dict[CaseKey, bool] = {}

        def can(case: CaseFacts) -> bool:
            key = _key(case)
            if key not in memo:
                memo[key] = not self.allowed_auditors(case).isdisjoint(reach)
            return memo[key]

        return can

    def _reaching(self, targets: set[str]) -> set[str]:
        """Auditors from which a chain of passes reaches one of `targets` (targets included)."""
        seen, queue = set(targets), deque(targets)
        while queue:
            for giver in self.passed_by[queue.popleft()]:
                if giver not in seen:
                    seen.add(giver)
                    queue.append(giver)
        return seen

    def unfilled_places(self, left_out: list[CaseFacts]) -> list[str]:
        spare = {a for a in self.open if self.load[a] < self.places[a]}
        if not spare:
            return []
        can = self._can_reach(self._reaching(spare))
        return [
            f"{case.case_id} was left out though a place could be found for it (auditors with free "
            f"places: {', '.join(sorted(spare)[:5])})"
            for case in left_out
            if can(case)
        ]

    def uneven_loads(self) -> list[str]:
        short = {a: self.places[a] - self.load[a] for a in self.open}
        if not short or max(short.values()) - min(short.values()) < 2:
            return []
        violations = []
        for giver in self.open:
            seen, queue = {giver}, deque([giver])
            while queue:
                for taker in self.passes[queue.popleft()]:
                    if taker not in seen:
                        seen.add(taker)
                        queue.append(taker)
            for taker in sorted(seen):
                if short[taker] >= short[giver] + 2:
                    violations.append(f"a case could move from {giver} to {taker}, who is short by 2 more")
        return violations

    def spread(self, left_out: list[CaseFacts]) -> list[str]:
        crowded = {w for w, n in self.picks.items() if n >= 2}
        if not crowded:
            return []
        holders = {
            a for a, held in self.held.items() if any(str(self.cases[c].worker_id) in crowded for c in held)
        }
        can = self._can_reach(self._reaching(holders))
        return [
            f"{case.case_id}'s worker {case.worker_id} has no case picked, yet it could take the place of "
            f"a second case of a worker ({', '.join(sorted(crowded)[:3])})"
            for case in left_out
            if self.picks[str(case.worker_id)] == 0 and can(case)
        ]

    def area(self, left_out: list[CaseFacts]) -> list[str]:
        violations = []
        outside = [
            (c, a) for c, a in sorted(self.allocated.items()) if not _in_area(self.cases[c], self.auditors[a])
        ]
        for first, (case_id, auditor_id) in enumerate(outside):
            for other_case, other_auditor in outside[first + 1 :]:
                case, other = self.cases[case_id], self.cases[other_case]
                if (
                    self._allowed(case, other_auditor)
                    and self._allowed(other, auditor_id)
                    and (
                        _in_area(case, self.auditors[other_auditor])
                        or _in_area(other, self.auditors[auditor_id])
                    )
                ):
                    violations.append(f"{case_id} and {other_case} could swap auditors and be in area")
        by_area: dict[str, dict[CaseKey, CaseFacts]] = defaultdict(dict)
        for case in left_out:
            if case.area is not None:
                by_area[case.area].setdefault(_key(case), case)
        for case_id, auditor_id in outside:
            auditor, case = self.auditors[auditor_id], self.cases[case_id]
            for candidate in by_area[auditor.area].values() if auditor.area else []:
                spread_kept = (
                    self.picks[str(candidate.worker_id)] == 0
                    or candidate.worker_id == case.worker_id
                    or self.picks[str(case.worker_id)] >= 2
                )
                if spread_kept and auditor_id in self.allowed_auditors(candidate):
                    violations.append(f"{candidate.case_id}, in {auditor_id}'s area, could replace {case_id}")
                    break
        return violations
