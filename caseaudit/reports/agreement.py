"""Agreement between auditors and moderators (QA-4), as pure functions over grade indices
(0 = the best grade of the scale): no database.

Cohen's kappa with quadratic weights over a scale of k grades:

    w[i][j] = (i - j)² / (k - 1)²
    kappa   = 1 - Σ w·O / Σ w·E

where O is the k×k table of (Stage 1, moderated) pairs and E = rowsums ⊗ colsums / n the table
chance would give with the same margins. kappa is 1 for full agreement, 0 for agreement no better
than chance; it is undefined (None) when chance alone agrees fully (every pair in one grade).

The 95 % interval is a percentile bootstrap: `BOOTSTRAP_RESAMPLES` resamples of the pairs, with
replacement, drawn with a fixed seed (so the page, the API and the report give the same interval),
each resample's kappa computed, the 2.5th and 97.5th percentiles of those taken; resamples where
kappa is undefined are left out. With fewer than `MIN_PAIRS_FOR_INTERVAL` pairs no interval is given.

`mean_shift` is in grade steps, positive where moderators graded better than auditors."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20261
MIN_PAIRS_FOR_INTERVAL = 5
_CHUNK = 250


def _weights(k: int) -> np.ndarray:
    steps = np.arange(k)
    return (steps[:, None] - steps[None, :]) ** 2 / max((k - 1) ** 2, 1)


def _kappa_of_tables(tables: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """kappa of each k×k table in `tables` (shape (m, k, k)); nan where undefined."""
    n = tables.sum(axis=(1, 2))
    rows = tables.sum(axis=2)
    cols = tables.sum(axis=1)
    expected = rows[:, :, None] * cols[:, None, :] / np.where(n == 0, 1, n)[:, None, None]
    observed_w = (tables * weights).sum(axis=(1, 2))
    expected_w = (expected * weights).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = 1 - observed_w / expected_w
    return np.where(np.isclose(expected_w, 0), np.nan, kappa)


def confusion(pairs: Sequence[tuple[int, int]], k: int) -> list[list[int]]:
    """The k×k table: row = the auditor's grade, column = the moderator's."""
    table = [[0] * k for _ in range(k)]
    for first, second in pairs:
        table[first][second] += 1
    return table


def weighted_kappa(pairs: Sequence[tuple[int, int]], k: int) -> float | None:
    """Cohen's quadratic-weighted kappa of (auditor, moderator) grade indices on a k-grade scale."""
    if not pairs or k < 2:
        return None
    table = np.array([confusion(pairs, k)], dtype=float)
    value = float(_kappa_of_tables(table, _weights(k))[0])
    return None if np.isnan(value) else value


def kappa_interval(
    pairs: Sequence[tuple[int, int]],
    k: int,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float] | None:
    """The 95 % percentile-bootstrap interval of the weighted kappa (None below the minimum)."""
    if len(pairs) < MIN_PAIRS_FOR_INTERVAL or k < 2:
        return None
    codes = np.array([first * k + second for first, second in pairs])
    n = len(codes)
    rng = np.random.default_rng(seed)
    weights = _weights(k)
    found: list[np.ndarray] = []
    for start in range(0, resamples, _CHUNK):
        m = min(_CHUNK, resamples - start)
        drawn = codes[rng.integers(0, n, size=(m, n))]
        offsets = (np.arange(m) * k * k)[:, None]
        tables = np.bincount((drawn + offsets).ravel(), minlength=m * k * k).reshape(m, k, k)
        found.append(_kappa_of_tables(tables.astype(float), weights))
    values = np.concatenate(found)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return None
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


@dataclass(frozen=True)
class Agreement:
    pairs: int
    changed: int
    mean_shift: float | None
    weighted_kappa: float | None
    kappa_ci95: tuple[float, float] | None
    table: list[list[int]]
    better: int  # moderators graded better
    worse: int  # moderators graded worse


def agreement(pairs: Sequence[tuple[int, int]], k: int, *, interval: bool = True) -> Agreement:
    changed = sum(1 for first, second in pairs if first != second)
    shift = sum(first - second for first, second in pairs) / len(pairs) if pairs else None
    return Agreement(
        pairs=len(pairs),
        changed=changed,
        mean_shift=shift,
        weighted_kappa=weighted_kappa(pairs, k),
        kappa_ci95=kappa_interval(pairs, k) if interval else None,
        table=confusion(pairs, k),
        better=sum(1 for first, second in pairs if second < first),
        worse=sum(1 for first, second in pairs if second > first),
    )
