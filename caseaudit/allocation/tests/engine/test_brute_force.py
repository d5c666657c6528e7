"""The solver reaches the brute-force optimum of CONTRACTS §6's objective on small random
authorities (SEL-3, SEL-4): every level, including the seeded tie-break."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseaudit.allocation.engine.solver import allocate
from caseaudit.allocation.tests.engine.authorities import MONTH, Authority, random_authority
from caseaudit.allocation.tests.engine.brute_force import brute_force_optimum, objective


def solver_score(authority: Authority, seed: int) -> tuple[int, ...]:
    result = allocate(
        authority.cases, authority.auditors, month=MONTH, seed=seed, per_auditor=authority.per_auditor
    )
    pairs = {a.case_id: a.auditor_id for a in result.allocations}
    return objective(authority.cases, authority.auditors, pairs, per_auditor=authority.per_auditor, seed=seed)


@pytest.mark.parametrize("number", range(300))
def test_solver_matches_brute_force_on_random_authorities(number: int) -> None:
    rng = random.Random(number)
    authority = random_authority(
        rng,
        cases=rng.randint(3, 7),
        auditors=rng.randint(2, 3),
        per_auditor=rng.randint(1, 2),
        teams=rng.randint(2, 5),
        staff=rng.randint(6, 12),
        workers=rng.randint(2, 5),
    )
    seed = rng.randrange(10**6)

    assert solver_score(authority, seed) == brute_force_optimum(
        authority.cases, authority.auditors, per_auditor=authority.per_auditor, seed=seed
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    cases=st.integers(1, 7),
    auditors=st.integers(1, 3),
    per_auditor=st.integers(1, 2),
    teams=st.integers(1, 4),
    workers=st.integers(1, 4),
)
def test_solver_matches_brute_force_hypothesis(
    seed: int, cases: int, auditors: int, per_auditor: int, teams: int, workers: int
) -> None:
    authority = random_authority(
        random.Random(seed),
        cases=cases,
        auditors=auditors,
        per_auditor=per_auditor,
        teams=teams,
        staff=8,
        workers=workers,
    )

    assert solver_score(authority, seed) == brute_force_optimum(
        authority.cases, authority.auditors, per_auditor=authority.per_auditor, seed=seed
    )
