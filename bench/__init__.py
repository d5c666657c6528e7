"""Benchmarks: `make bench` runs them at full size; bench/test_bench_toy.py at toy size."""
