"""The min-cost flow behind the allocation: a compact network solved exactly by networkx's
network simplex with integer (arbitrary-precision) costs. `solver.py` decides the costs;
docs/allocation.md explains the whole encoding.

    source ─ unit arcs ─▶ class ─▶ area-tree nodes ─▶ auditor ─ slot arcs ─▶ sink
       └──▶ worker (first case free, later ones cost `spread`) ─ case arcs ─▶ class
       └──────────────────── unfilled places (cost 0) ────────────────────▶ sink

* A *class* holds the eligible cases that no rule can tell apart: same auditors excluded by
  the hard rules, same area. The cases of a worker whose cases all fall in one class are
  unit arcs (capacity 1) from the source, costed by priority; the worker's second and later
  cases also cost `spread`, so units are taken cheapest first. A worker with cases in several
  classes gets a worker node instead, whose first unit of flow is free and the rest cost `spread`.
* Each area's auditors are the leaves of a segment tree, so "every auditor of this area but
  the excluded few" is O(log n) arcs instead of one arc per auditor. Arcs into another area's
  tree, or into the tree of auditors with no area, cost `area`; a hub per area reaches every
  other tree's root, so a class usually needs a single out-of-area arc.
* Auditor u's j-th slot arc earns `fill` plus `balance`·(2(c−j)+1): filling places comes
  first, and among equally many filled, the squared shortfall Σ(c−load)² is least.
* Only some classes, workers and unit arcs are built at first; `columns.py` adds the rest
  only where they could improve the answer, and proves that they could not elsewhere.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx

Unit = tuple[int, int]  # (cost, case index), a class's or worker's arcs sorted by cost
Node = tuple[str, int] | tuple[str, int, int, int]  # ("class", 3), ("tree", area group, low, high)…
SOURCE: Node = ("source", 0)
SINK: Node = ("sink", 0)
Flow = dict[Node, dict[Node, dict[int, int]]]  # networkx's answer: tail → head → arc key → amount


@dataclass(frozen=True)
class FlowClass:
    area: str | None
    excluded: frozenset[int]  # indices of auditors the hard rules exclude
    units: list[Unit]  # single-class workers' cases, ascending cost (second cases include `spread`)


@dataclass(frozen=True)
class FlowWorker:
    """A worker whose cases fall in more than one class."""

    arcs: dict[int, list[Unit]]  # class index → the worker's cases there, ascending cost


@dataclass(frozen=True)
class FlowAuditor:
    area: str | None
    capacity: int


@dataclass
class Limits:
    """How many of their cheapest arcs are built for each class and each worker (0: none)."""

    classes: list[int]
    workers: list[dict[int, int]]  # worker → class index → arcs; a worker with none is left out


@dataclass(frozen=True)
class Weights:
    fill: int
    balance: int
    spread: int
    area: int


class AreaTree:
    """A segment tree over one area's auditors (sorted by index): its internal nodes reach
    every auditor of a range, so a class is joined to the allowed ones with few arcs."""

    def __init__(self, group: int, area: str | None, members: list[int]) -> None:
        self.group, self.area, self.members = group, area, members
        self.children: dict[Node, list[Node]] = {}
        self.order: list[Node] = []  # internal nodes, parents before children
        self.root = self.node(0, len(members))
        self._build(0, len(members))

    def node(self, low: int, high: int) -> Node:
        return ("auditor", self.members[low]) if high - low == 1 else ("tree", self.group, low, high)

    def _build(self, low: int, high: int) -> None:
        if high - low <= 1:
            return
        middle = (low + high) // 2
        parent = self.node(low, high)
        self.order.append(parent)
        self.children[parent] = [self.node(low, middle), self.node(middle, high)]
        self._build(low, middle)
        self._build(middle, high)

    def cover(self, excluded: frozenset[int]) -> list[Node]:
        """The fewest tree nodes that reach exactly the members not excluded."""
        nodes: list[Node] = []
        start = 0
        for position, member in enumerate([*self.members, None]):
            if member is None or member in excluded:
                if position > start:
                    self._cover(0, len(self.members), start, position, nodes)
                start = position + 1
        return nodes

    def _cover(self, low: int, high: int, start: int, end: int, nodes: list[Node]) -> None:
        if end <= low or high <= start:
            return
        if start <= low and high <= end:
            nodes.append(self.node(low, high))
            return
        middle = (low + high) // 2
        self._cover(low, middle, start, end, nodes)
        self._cover(middle, high, start, end, nodes)


def area_trees(auditors: list[FlowAuditor]) -> list[AreaTree]:
    members: dict[str | None, list[int]] = defaultdict(list)
    for index, auditor in enumerate(auditors):
        if auditor.capacity > 0:
            members[auditor.area].append(index)
    areas = sorted(members, key=lambda area: (area is None, area or ""))
    return [AreaTree(group, area, members[area]) for group, area in enumerate(areas)]


class Entries:
    """Arcs from each class into the area trees, worked out when first needed: free into its own
    area's tree, `area` into the others'. When the hard rules exclude nobody outside its own
    area (the usual case), one arc to a hub over every other tree stands for all of them."""

    def __init__(self, classes: list[FlowClass], trees: list[AreaTree], weights: Weights) -> None:
        self.classes, self.trees, self.weights = classes, trees, weights
        self.hubs = [hub(-1), *(hub(tree.group) for tree in trees)] if len(trees) > 1 else []
        self._entries: dict[int, list[tuple[Node, int]]] = {}

    def __getitem__(self, index: int) -> list[tuple[Node, int]]:
        if index not in self._entries:
            self._entries[index] = self._work_out(self.classes[index])
        return self._entries[index]

    def _work_out(self, cls: FlowClass) -> list[tuple[Node, int]]:
        own = [tree for tree in self.trees if cls.area is not None and tree.area == cls.area]
        others = [tree for tree in self.trees if tree not in own]
        entries = [(node, 0) for tree in own for node in tree.cover(cls.excluded)]
        if len(others) > 1 and not any(cls.excluded.intersection(tree.members) for tree in others):
            entries.append((hub(own[0].group if own else -1), self.weights.area))
        else:
            entries.extend((node, self.weights.area) for tree in others for node in tree.cover(cls.excluded))
        return entries


def hub(group: int) -> Node:
    """The node reaching the roots of every area tree but `group`'s (-1: every tree)."""
    return ("hub", group)


def build_network(
    classes: list[FlowClass],
    workers: list[FlowWorker],
    auditors: list[FlowAuditor],
    weights: Weights,
    trees: list[AreaTree],
    entries: Entries,
    limits: Limits,
    places: int,
) -> Any:
    graph = nx.MultiDiGraph()
    graph.add_node(SOURCE, demand=-places)
    graph.add_node(SINK, demand=places)
    graph.add_edge(SOURCE, SINK, capacity=places, weight=0)
    present = set()
    for index, cls in enumerate(classes):
        for cost, case in cls.units[: limits.classes[index]]:
            graph.add_edge(SOURCE, ("class", index), key=case, capacity=1, weight=cost)
            present.add(index)
    for index, worker in enumerate(workers):
        if not any(limits.workers[index].values()):
            continue
        graph.add_edge(SOURCE, ("worker", index), key=0, capacity=1, weight=0)
        graph.add_edge(SOURCE, ("worker", index), key=1, capacity=places, weight=weights.spread)
        for class_index, units in worker.arcs.items():
            for cost, case in units[: limits.workers[index][class_index]]:
                graph.add_edge(("worker", index), ("class", class_index), key=case, capacity=1, weight=cost)
                present.add(class_index)
    for index in sorted(present):
        for node, cost in entries[index]:
            graph.add_edge(("class", index), node, weight=cost)
    for node in entries.hubs:
        graph.add_edges_from((node, tree.root, {"weight": 0}) for tree in trees if tree.group != node[1])
    for tree in trees:
        for parent in tree.order:
            for child in tree.children[parent]:
                graph.add_edge(parent, child, weight=0)
    for index, auditor in enumerate(auditors):
        for slot in range(1, auditor.capacity + 1):
            gain = weights.fill + (2 * (auditor.capacity - slot) + 1) * weights.balance
            graph.add_edge(("auditor", index), SINK, key=slot, capacity=1, weight=-gain)
    return graph


def decompose(
    flow: Flow, classes: list[FlowClass], workers: list[FlowWorker], trees: list[AreaTree]
) -> list[tuple[int, int]]:
    """Turn arc flows into pairs: which cases each class sends, and which auditors receive them."""
    picked: dict[int, list[int]] = defaultdict(list)
    for node, arcs in flow[SOURCE].items():
        if isinstance(node, tuple) and node[0] == "class":
            picked[node[1]].extend(case for case, amount in arcs.items() if amount)
    for index in range(len(workers)):
        for node, arcs in flow.get(("worker", index), {}).items():
            picked[node[1]].extend(case for case, amount in arcs.items() if amount)
    arriving: dict[Node, list[int]] = defaultdict(list)
    for index in range(len(classes)):
        for node, arcs in flow.get(("class", index), {}).items():
            arriving[node].extend([index] * sum(arcs.values()))
    for node in sorted(node for node in arriving if node[0] == "hub"):
        pool = arriving.pop(node)
        for root, arcs in flow[node].items():
            arriving[root].extend(pool[: arcs[0]])
            pool = pool[arcs[0] :]
        assert not pool, "flow conservation broken at a hub"
    for tree in trees:
        for parent in tree.order:
            pool = arriving.pop(parent, [])
            for child in tree.children[parent]:
                amount = flow[parent][child][0]
                arriving[child].extend(pool[:amount])
                pool = pool[amount:]
            assert not pool, "flow conservation broken in an area tree"
    queues = {index: sorted(cases) for index, cases in picked.items()}
    pairs = []
    for node in sorted((node for node in arriving if node[0] == "auditor"), key=lambda node: node[1]):
        for class_index in arriving[node]:
            pairs.append((queues[class_index].pop(0), node[1]))
    assert all(not queue for queue in queues.values()), "a picked case reached no auditor"
    return pairs
