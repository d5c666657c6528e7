"""Cohen's weighted kappa (quadratic) against a hand-worked example and against scikit-learn's
`cohen_kappa_score`, its bootstrap interval, and the mean shift's sign (QA-4)."""

import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from caseaudit.reports.agreement import agreement, confusion, kappa_interval, weighted_kappa

# Ten pairs on a three-grade scale (0 best), worked by hand:
#   O = [[3,1,0],[1,2,1],[0,1,1]]; rows (auditor) 4,4,2; columns (moderator) 4,4,2; n = 10
#   weights (i-j)²/4: adjacent 0.25, two apart 1
#   Σ w·O = 0.25 × (1+1+1+1) = 1.0
#   E = r⊗c/10 = [[1.6,1.6,0.8],[1.6,1.6,0.8],[0.8,0.8,0.4]]
#   Σ w·E = 0.25 × (1.6+1.6+0.8+0.8) + 1 × (0.8+0.8) = 1.2 + 1.6 = 2.8
#   kappa = 1 - 1.0/2.8 = 0.642857...
HAND = [(0, 0)] * 3 + [(0, 1), (1, 0)] + [(1, 1)] * 2 + [(1, 2), (2, 1), (2, 2)]


def test_a_hand_worked_example() -> None:
    assert confusion(HAND, 3) == [[3, 1, 0], [1, 2, 1], [0, 1, 1]]
    assert weighted_kappa(HAND, 3) == pytest_approx(1 - 1.0 / 2.8)


def pytest_approx(value: float) -> object:
    return pytest.approx(value, abs=1e-12)


def test_full_agreement_is_one_and_chance_alone_is_undefined() -> None:
    assert weighted_kappa([(0, 0), (1, 1), (2, 2), (3, 3)], 4) == 1.0
    assert weighted_kappa([(1, 1), (1, 1)], 4) is None  # every pair in one grade
    assert weighted_kappa([], 4) is None


pairs = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(pairs)
def test_the_same_as_scikit_learn(found: list[tuple[int, int]]) -> None:
    ours = weighted_kappa(found, 4)
    first, second = [a for a, _ in found], [b for _, b in found]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns where kappa is undefined (nan)
        theirs = cohen_kappa_score(first, second, labels=[0, 1, 2, 3], weights="quadratic")
    if ours is None:
        assert math.isnan(theirs) or len(set(first) | set(second)) == 1
    else:
        assert ours == pytest_approx(float(theirs))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=5, max_size=60))
def test_the_interval_is_repeatable_and_ordered(found: list[tuple[int, int]]) -> None:
    interval = kappa_interval(found, 4, resamples=300)
    assert interval == kappa_interval(found, 4, resamples=300)  # a fixed seed
    if interval is not None:
        low, high = interval
        assert -1.0 - 1e-9 <= low <= high <= 1.0 + 1e-9


def test_the_interval_holds_the_kappa_of_a_large_sample_and_narrows_with_more_pairs() -> None:
    small = HAND * 2
    large = HAND * 20
    kappa = weighted_kappa(large, 3)
    assert kappa is not None
    low, high = kappa_interval(large, 3)
    assert low < kappa < high
    small_low, small_high = kappa_interval(small, 3)
    assert high - low < small_high - small_low
    assert kappa_interval(HAND[:4], 3) is None  # too few pairs for an interval


def test_the_mean_shift_is_positive_where_moderators_graded_better() -> None:
    better = agreement([(2, 1), (3, 1), (1, 1)], 4, interval=False)  # auditor RI, moderator Good...
    assert better.mean_shift == pytest_approx(1.0)
    assert (better.changed, better.better, better.worse) == (2, 2, 0)
    worse = agreement([(0, 2)], 4, interval=False)
    assert worse.mean_shift == pytest_approx(-2.0) and worse.worse == 1
