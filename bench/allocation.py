"""The monthly allocation's benchmark: solve time, peak memory, same-area matches against the
best possible, load spread and checker violations on a synthetic authority (pure data, no
database). `python -m bench.allocation` prints the table for 1,000 to 100,000 cases."""

import argparse
import gc
import os
import platform
import random
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_flow

from caseaudit.allocation.engine.checker import check_allocation
from caseaudit.allocation.engine.eligibility import (
    AllocationSettings,
    AuditorFacts,
    CaseFacts,
    case_eligibility,
    may_audit,
)
from caseaudit.allocation.engine.result import AllocationResult
from caseaudit.allocation.engine.solver import allocate

MONTH = date(2026, 12, 1)
AREAS = ("North", "South", "East", "West", "Central", "Coast")
AREA_WEIGHT = {"North": 1.5, "South": 1.2, "East": 1.0, "West": 1.0, "Central": 0.8, "Coast": 0.15}
SIZES = (1_000, 5_000, 20_000, 100_000)


@dataclass(frozen=True)
class SyntheticAuthority:
    cases: list[CaseFacts]
    auditors: list[AuditorFacts]


def synthetic_authority(cases: int, auditors: int) -> SyntheticAuthority:
    """A deterministic authority: a director, a head of service per area, `auditors` group
    managers (each managing two teams with a practice manager each), about 12 cases per worker,
    areas of different sizes.
    A few group managers have no area, a few sit in one of their teams, a few have a different
    number of places; a few workers hold cases of another team; a few cases have no area."""
    rng = random.Random(cases * 7919 + auditors)
    heads = {area: f"HOS-{area}" for area in AREAS}
    auditor_facts, teams, team_area, chain_of_team = [], [], {}, {}
    for number in range(1, auditors + 1):
        area = AREAS[number % len(AREAS)]
        staff_id = f"GM{number:04d}"
        own = [f"T{number:04d}{letter}" for letter in "ab"]
        for team in own:
            teams.append(team)
            team_area[team] = area if rng.random() > 0.02 else rng.choice(AREAS)
            chain_of_team[team] = frozenset({f"PM-{team}", staff_id, heads[area], "DIR"})
        shown_area: str | None = area if rng.random() > 0.02 else None
        team_id = own[0] if rng.random() < 0.3 else f"MGT-{area}"
        capacity = rng.choice([0, 1, 3]) if rng.random() < 0.02 else None
        auditor_facts.append(AuditorFacts(staff_id, team_id, shown_area, frozenset(own), capacity))
    eligible_team = {team: rng.random() < 0.85 for team in teams}
    # Areas differ in size: Coast has few cases for its auditors, so some must go out of area.
    weight = [AREA_WEIGHT[team_area[team]] for team in teams]
    homes = rng.choices(teams, weights=weight, k=max(1, cases // 12))
    workers = [(f"W{n:06d}", home) for n, home in enumerate(homes)]
    case_facts = []
    for number in range(1, cases + 1):
        worker, home = rng.choice(workers)
        team = rng.choice(teams) if rng.random() < 0.01 else home
        closed = rng.random() < 0.1
        audited = rng.random() < 0.7
        case_facts.append(
            CaseFacts(
                case_id=f"C{number:07d}",
                child_id=f"K{number:07d}",
                team_id=team,
                team_eligible=eligible_team[team],
                area=team_area[team] if rng.random() > 0.005 else None,
                worker_id=worker,
                worker_chain=chain_of_team[home],
                status="closed" if closed else "open",
                closed_on=MONTH - timedelta(days=rng.randint(0, 90)) if closed else None,
                last_audited_on=MONTH - timedelta(days=rng.randint(1, 900)) if audited else None,
                already_allocated=rng.random() < 0.005,
                restricted=rng.random() < 0.03,
            )
        )
    return SyntheticAuthority(case_facts, auditor_facts)


def same_area_bound(authority: SyntheticAuthority, per_auditor: int, *, one_per_worker: bool) -> int:
    """The most same-area pairs an allocation could have: a maximum flow over the same-area pairs
    the hard rules allow, ignoring every other level of the objective, except, with
    `one_per_worker`, that no worker has two cases (which the spread rule, above the area rule,
    imposes whenever the result itself has no worker with two)."""
    settings = AllocationSettings()
    groups: dict[tuple[str, str | None, frozenset[str], str], list[CaseFacts]] = defaultdict(list)
    for case in authority.cases:
        if case.area is not None and case_eligibility(case, month=MONTH, settings=settings).eligible:
            groups[(case.team_id, case.worker_id, case.worker_chain, case.area)].append(case)
    workers = sorted({str(key[1]) for key in groups})
    auditors = [a for a in authority.auditors if (per_auditor if a.capacity is None else a.capacity) > 0]
    by_area: dict[str, list[int]] = defaultdict(list)
    for index, auditor in enumerate(auditors):
        if auditor.area is not None:
            by_area[auditor.area].append(index)
    source, sink, first_worker = 0, 1, 2
    first_group = first_worker + len(workers)
    first_auditor = first_group + len(groups)
    worker_node = {worker: first_worker + number for number, worker in enumerate(workers)}
    supply: dict[str, int] = defaultdict(int)
    arcs: list[tuple[int, int, int]] = []
    for number, (key, members) in enumerate(groups.items()):
        supply[str(key[1])] += len(members)
        arcs.append((worker_node[str(key[1])], first_group + number, len(members)))
        arcs.extend(
            (first_group + number, first_auditor + index, len(members))
            for index in by_area.get(key[3], [])
            if may_audit(members[0], auditors[index])
        )
    arcs.extend((source, worker_node[w], 1 if one_per_worker else supply[w]) for w in workers)
    for index, auditor in enumerate(auditors):
        arcs.append(
            (first_auditor + index, sink, per_auditor if auditor.capacity is None else auditor.capacity)
        )
    rows, cols, capacity = (list(column) for column in zip(*arcs, strict=True))
    size = first_auditor + len(auditors)
    graph = csr_array((np.array(capacity, dtype=np.int32), (rows, cols)), shape=(size, size))
    return int(maximum_flow(graph, source, sink).flow_value)


def run(cases: int, auditors: int, per_auditor: int) -> dict[str, Any]:
    authority = synthetic_authority(cases, auditors)
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = allocate(authority.cases, authority.auditors, month=MONTH, per_auditor=per_auditor)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    tracemalloc.start()
    allocate(authority.cases, authority.auditors, month=MONTH, per_auditor=per_auditor)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    places = {a.staff_id: per_auditor if a.capacity is None else a.capacity for a in authority.auditors}
    shortfall = [places[staff] - load for staff, load in result.auditor_load.items() if places[staff] > 0]
    same_area = sum(allocation.same_area for allocation in result.allocations)
    workers = [authority_case.worker_id for authority_case in _picked_cases(authority, result)]
    best = same_area_bound(authority, per_auditor, one_per_worker=len(set(workers)) == len(workers))
    violations = check_allocation(
        authority.cases, authority.auditors, result.as_json(), month=MONTH, per_auditor=per_auditor
    )
    return {
        "cases": cases,
        "auditors": auditors,
        "per_auditor": per_auditor,
        "places": sum(places.values()),
        "allocated": len(result.allocations),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,  # the same, less time lost to other processes on a shared machine
        "peak_mib": peak / 2**20,
        "same_area": same_area,
        "same_area_best": best,
        "same_area_share": same_area / best if best else 1.0,
        "load_spread": max(shortfall, default=0) - min(shortfall, default=0),
        "violations": len(violations),
        "violation_examples": violations[:5],
    }


def _picked_cases(authority: SyntheticAuthority, result: AllocationResult) -> list[CaseFacts]:
    picked = {allocation.case_id for allocation in result.allocations}
    return [case for case in authority.cases if case.case_id in picked]


def format_row(row: dict[str, Any]) -> str:
    return (
        f"{row['cases']:>8,} {row['auditors']:>4} × {row['per_auditor']} {row['allocated']:>6} "
        f"{row['seconds']:>8.2f} {row['cpu_seconds']:>6.2f} {row['peak_mib']:>9.1f} "
        f"{row['same_area']:>6}/{row['same_area_best']:<6} {row['same_area_share']:>6.1%} "
        f"{row['load_spread']:>6} {row['violations']:>10}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.allocation", description=__doc__)
    parser.add_argument("--cases", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--auditors", type=int, default=300)
    parser.add_argument("--per-auditor", type=int, default=2)
    options = parser.parse_args(argv)
    print(
        f"Monthly allocation (solve = allocate() end to end: eligibility, solver, explanations) on "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{'cases':>8} {'auditors':>8} {'picked':>6} {'solve s':>8} {'cpu s':>6} {'peak MiB':>9} "
        f"{'same area/best':>13} {'share':>6} {'spread':>6} {'violations':>10}"
    )
    failed = False
    for cases in options.cases:
        row = run(cases, options.auditors, options.per_auditor)
        print(format_row(row), flush=True)
        for example in row["violation_examples"]:
            print(f"    {example}")
        failed = failed or row["violations"] > 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
