"""Observations held in the process and added to the shared histogram in bulk
(infrastructure/metrics/held.py): after a flush the histogram must read exactly as
if each one had been observed on its own."""

import pytest
from prometheus_client import CollectorRegistry, Histogram

from cybervpn.infrastructure.metrics.held import HeldHistogram

pytestmark = pytest.mark.unit
BUCKETS = (0.01, 0.1, 1.0)
# On a bound, between bounds, past the last one, and zero.
LATENCIES = [0.0, 0.01, 0.05, 0.1, 0.1, 0.5, 1.0, 3.0]


def _histogram(registry: CollectorRegistry) -> Histogram:
    return Histogram(
        "latency_seconds",
        "Latency.",
        ["method", "route", "status"],
        buckets=BUCKETS,
        registry=registry,
    )


def _samples(registry: CollectorRegistry) -> dict[tuple[str, str], float]:
    return {
        (sample.name, sample.labels.get("le", "")): sample.value
        for family in registry.collect()
        for sample in family.samples
        if sample.labels.get("route") == "/api/v1/plans"
        and not sample.name.endswith("_created")
    }


def test_a_flush_reads_as_one_observation_per_request() -> None:
    held, observed = CollectorRegistry(), CollectorRegistry()
    latencies = HeldHistogram(_histogram(held))
    direct = _histogram(observed).labels("GET", "/api/v1/plans", "200")
    for seconds in LATENCIES:
        latencies.observe(("GET", "/api/v1/plans", "200"), seconds)
        direct.observe(seconds)
    assert _samples(held) == {}  # held until flushed
    latencies.flush()
    assert _samples(held) == _samples(observed)
    assert _samples(held)[("latency_seconds_count", "")] == len(LATENCIES)


def test_a_second_flush_adds_only_what_came_since() -> None:
    held = CollectorRegistry()
    latencies = HeldHistogram(_histogram(held))
    latencies.observe(("GET", "/api/v1/plans", "200"), 0.05)
    latencies.flush()
    latencies.flush()
    latencies.observe(("GET", "/api/v1/plans", "200"), 0.05)
    latencies.flush()
    assert _samples(held)[("latency_seconds_count", "")] == 2
    assert _samples(held)[("latency_seconds_bucket", "0.1")] == 2
