"""Benchmarks: speed and memory tables, run by hand (`make bench`), never in CI."""
