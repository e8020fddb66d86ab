"""Benchmarks run by `make bench` (`python -m benchmarks`); results go into docs/performance.md."""
