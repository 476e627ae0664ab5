"""Benchmarks: they print figures (medians, p95, query counts); they are not tests."""
