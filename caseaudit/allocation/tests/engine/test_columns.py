"""The network is built in part and priced (columns.py): whatever it starts from, the answer is
the optimum of the whole network; and the area trees reach exactly the allowed auditors."""

import random
from collections.abc import Callable

import pytest

from caseaudit.allocation.engine import columns
from caseaudit.allocation.engine.network import (
    AreaTree,
    FlowAuditor,
    FlowClass,
    FlowWorker,
    Limits,
    area_trees,
)
from caseaudit.allocation.engine.solver import allocate
from caseaudit.allocation.tests.engine.authorities import MONTH, Authority, random_authority
from caseaudit.allocation.tests.engine.brute_force import objective


def score(authority: Authority) -> tuple[int, ...]:
    result = allocate(authority.cases, authority.auditors, month=MONTH, per_auditor=authority.per_auditor)
    pairs = {a.case_id: a.auditor_id for a in result.allocations}
    return objective(
        authority.cases, authority.auditors, pairs, per_auditor=authority.per_auditor, seed=202612
    )


def start_from(build: str) -> Callable[[list[FlowClass], list[FlowWorker], list[FlowAuditor], int], Limits]:
    def limits(
        classes: list[FlowClass], workers: list[FlowWorker], auditors: list[FlowAuditor], spread: int
    ) -> Limits:
        if build == "everything":
            return Limits(
                [len(c.units) for c in classes], [{k: len(u) for k, u in w.arcs.items()} for w in workers]
            )
        if build == "nothing":
            return Limits([0] * len(classes), [dict.fromkeys(w.arcs, 0) for w in workers])
        return Limits([min(1, len(c.units)) for c in classes], [dict.fromkeys(w.arcs, 0) for w in workers])

    return limits


@pytest.mark.parametrize("number", range(40))
def test_pricing_reaches_the_optimum_of_the_whole_network(
    number: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(1000 + number)
    authority = random_authority(
        rng,
        cases=rng.randint(20, 120),
        auditors=rng.randint(3, 12),
        per_auditor=rng.randint(1, 3),
        teams=rng.randint(3, 8),
        staff=rng.randint(10, 30),
        workers=rng.randint(3, 20),
        areas=("North", "South", "East"),
    )
    scores = {}
    for build in ("everything", "nothing", "one each"):
        monkeypatch.setattr(columns, "initial_limits", start_from(build))
        scores[build] = score(authority)

    assert scores["nothing"] == scores["everything"] == scores["one each"]


def expand(tree: AreaTree, node: tuple[object, ...]) -> list[int]:
    if node[0] == "auditor":
        return [int(str(node[1]))]
    return [leaf for child in tree.children[node] for leaf in expand(tree, child)]


@pytest.mark.parametrize("size", [1, 2, 3, 7, 16, 33])
def test_area_tree_cover_reaches_exactly_the_members_not_excluded(size: int) -> None:
    rng = random.Random(size)
    members = sorted(rng.sample(range(100), size))
    [tree] = area_trees(
        [FlowAuditor("North" if i in members else None, 1 if i in members else 0) for i in range(100)]
    )
    for _ in range(20):
        excluded = frozenset(rng.sample(members, rng.randint(0, size)))
        reached = [leaf for node in tree.cover(excluded) for leaf in expand(tree, node)]

        assert sorted(reached) == sorted(set(members) - excluded)
