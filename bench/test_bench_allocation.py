"""The allocation benchmark at toy size, so `make test` keeps it working (CONTRACTS §8)."""

from bench.allocation import format_row, run, synthetic_authority


def test_allocation_benchmark_at_toy_size() -> None:
    row = run(cases=300, auditors=20, per_auditor=2)

    assert row["violations"] == 0, row["violation_examples"]
    assert row["allocated"] == row["places"]
    assert 0 < row["same_area"] <= row["same_area_best"]
    assert row["load_spread"] == 0
    assert "300" in format_row(row)


def test_the_synthetic_authority_is_the_same_every_time() -> None:
    assert synthetic_authority(200, 10) == synthetic_authority(200, 10)
