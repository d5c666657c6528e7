"""Which parts of the allocation network to build, and the proof that the rest would not help
(column generation with exact pricing).

A big register has tens of thousands of eligible cases for a few hundred places; building an
arc for each would make the network simplex slow. So the network starts with each area's
cheapest cases (enough for its places, plus half again), is solved, and is then *priced*:

* δ(v) is the shortest distance from v to the source in the residual network of the optimal
  flow, so every residual arc i→j has cost + δ(j) − δ(i) ≥ 0, the optimality certificate of a
  min-cost flow;
* an arc not built, of cost c from i to j, could only improve the flow if c + δ(j) − δ(i) < 0.
  Most unbuilt arcs leave the source (δ = 0), where the test is exact: the arc closes a
  negative cycle exactly when c + δ(j) < 0. A class not built at all gets the δ its arcs into
  the network allow (min over its entries of cost + δ(entry)); a worker with no flow can only be
  entered from the source by its free arc, so its δ is 0 and its arcs' test is exact as well;
  a worker with flow takes the lowest δ its incoming residual arcs allow.

Where no arc prices in, δ extended to the missing nodes is a certificate for the whole network,
so the flow is optimal for every case; otherwise the arcs that price in (and a few more of the
same class) are added and the network solved again. Costs only grow along a class's or
worker's arcs, so pricing the next unbuilt arc of each prices them all."""

import heapq
import itertools
from collections import defaultdict, deque
from typing import Any

import networkx as nx

from caseaudit.allocation.engine.network import (
    SOURCE,
    Entries,
    Flow,
    FlowAuditor,
    FlowClass,
    FlowWorker,
    Limits,
    Node,
    Unit,
    Weights,
    area_trees,
    build_network,
    decompose,
)

INFINITY = float("inf")


def solve_allocation_flow(
    classes: list[FlowClass], workers: list[FlowWorker], auditors: list[FlowAuditor], weights: Weights
) -> list[tuple[int, int]]:
    """The optimal (case index, auditor index) pairs."""
    places = sum(max(auditor.capacity, 0) for auditor in auditors)
    if places == 0:
        return []
    trees = area_trees(auditors)
    entries = Entries(classes, trees, weights)
    limits = initial_limits(classes, workers, auditors, weights.spread)
    while True:
        graph = build_network(classes, workers, auditors, weights, trees, entries, limits, places)
        _, flow = nx.network_simplex(graph)
        distance = distances_to_source(graph, flow)
        if not grow_where_priced_in(distance, flow, classes, workers, entries, limits, weights.spread):
            return decompose(flow, classes, workers, trees)


def initial_limits(
    classes: list[FlowClass], workers: list[FlowWorker], auditors: list[FlowAuditor], spread: int
) -> Limits:
    """A first guess: for each area, its cheapest cases, half as many again as its places; then,
    for the places no area fills, as many again of the cheapest cases anywhere. The guess only
    saves rounds of pricing; the answer does not depend on it."""
    places_by_area: dict[str, int] = defaultdict(int)
    unfilled = 0
    for auditor in auditors:
        if auditor.area is None:
            unfilled += max(auditor.capacity, 0)
        else:
            places_by_area[auditor.area] += max(auditor.capacity, 0)
    sources: dict[str | None, list[tuple[list[Unit], tuple[int, int]]]] = defaultdict(list)
    for index, cls in enumerate(classes):
        sources[cls.area].append((cls.units, (index, -1)))
    for number, worker in enumerate(workers):
        # Any one of the worker's classes may hold its only case: its best there comes without
        # `spread`, like a single-class worker's first case.
        for index, units in worker.arcs.items():
            priced = [units[0], *((cost + spread, case) for cost, case in units[1:])]
            sources[classes[index].area].append((priced, (index, number)))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for area, places in sorted(places_by_area.items()):
        # Second cases of a worker come after out-of-area first cases (spread before area).
        firsts = _take_cheapest(sources.get(area, []), counts, places + places // 2 + 2, spread)
        unfilled += max(0, places - firsts)
    if unfilled:
        everywhere = [source for area_sources in sources.values() for source in area_sources]
        _take_cheapest(everywhere, counts, unfilled + unfilled // 2 + 2, spread)
    return Limits(
        classes=[counts[(index, -1)] for index in range(len(classes))],
        workers=[{index: counts[(index, number)] for index in w.arcs} for number, w in enumerate(workers)],
    )


def _take_cheapest(
    sources: list[tuple[list[Unit], tuple[int, int]]],
    counts: dict[tuple[int, int], int],
    wanted: int,
    spread: int,
) -> int:
    """Count the `wanted` cheapest units in; return how many of them are workers' first cases."""
    streams = [
        zip(itertools.islice(units, counts[tag], None), itertools.repeat(tag), strict=False)
        for units, tag in sources
    ]
    firsts = 0
    for (cost, _), tag in itertools.islice(heapq.merge(*streams), wanted):
        counts[tag] += 1
        firsts += cost < spread
    return firsts


def distances_to_source(graph: Any, flow: Flow) -> dict[Node, float]:
    """Shortest distance from each node to the source in the residual network of an optimal flow
    (label-correcting: residual costs may be negative, but there is no negative cycle). A node
    that cannot reach the source is missing: no cycle through the source passes it."""
    into: dict[Node, list[tuple[Node, int]]] = defaultdict(list)
    for tail, head, key, data in graph.edges(keys=True, data=True):
        amount, capacity, cost = flow[tail][head][key], data.get("capacity"), data["weight"]
        if capacity is None or amount < capacity:
            into[head].append((tail, cost))
        if amount > 0:
            into[tail].append((head, -cost))
    distance: dict[Node, float] = {SOURCE: 0}
    queue, queued = deque([SOURCE]), {SOURCE}
    while queue:
        node = queue.popleft()
        queued.discard(node)
        here = distance[node]
        for tail, cost in into[node]:
            if here + cost < distance.get(tail, INFINITY):
                distance[tail] = here + cost
                if tail not in queued:
                    queued.add(tail)
                    queue.append(tail)
    return distance


def grow_where_priced_in(
    distance: dict[Node, float],
    flow: Flow,
    classes: list[FlowClass],
    workers: list[FlowWorker],
    entries: Entries,
    limits: Limits,
    spread: int,
) -> bool:
    """Build more of every class and worker with an arc that prices in; False if none does.

    With δ the distances to the source, an unbuilt arc i→j of cost c can close a negative cycle
    only if c + δ(j) − δ(i) < 0; for arcs out of the source (δ = 0) that test is exact. A class not
    built gets δ = min over its entries of (cost + δ(entry)); a worker with no flow (or not built)
    is entered only from the source by its free arc, so its δ is taken as 0, which makes the test
    of its arcs exact too."""
    lowest: dict[int, float] = {}

    def to_source(index: int) -> float:
        node: Node = ("class", index)
        if node in distance or node in flow:
            return distance.get(node, INFINITY)
        if index not in lowest:
            lowest[index] = min(cost + distance.get(entry, INFINITY) for entry, cost in entries[index])
        return lowest[index]

    grown = False
    for index, cls in enumerate(classes):
        built = limits.classes[index]
        if built < len(cls.units) and cls.units[built][0] + to_source(index) < 0:
            limits.classes[index] = min(len(cls.units), 2 * built + 1)
            grown = True
    for number, worker in enumerate(workers):
        own = _worker_potential(number, worker, distance, flow, spread)
        built_arcs = limits.workers[number]
        for index, units in worker.arcs.items():
            built = built_arcs[index]
            if built < len(units) and units[built][0] + to_source(index) - own < 0:
                built_arcs[index] = min(len(units), 2 * built + 1)
                grown = True
    return grown


def _worker_potential(
    number: int, worker: FlowWorker, distance: dict[Node, float], flow: Flow, spread: int
) -> float:
    """The lowest δ a worker node may have: its arcs in from the source (the free one while
    unused; the `spread` one) and the reverses of its arcs carrying flow bound it from below.
    The lower it is, the fewer of its unbuilt arcs look as if they could help."""
    node: Node = ("worker", number)
    lowest: float = -spread
    if not flow.get(SOURCE, {}).get(node, {}).get(0):
        lowest = 0
    cost_of = {case: cost for units in worker.arcs.values() for cost, case in units}
    for head, arcs in flow.get(node, {}).items():
        for case, amount in arcs.items():
            if amount:
                lowest = max(lowest, distance.get(head, INFINITY) + cost_of[case])
    return lowest
