"""The text Prometheus scrapes: the instruments of every process, and the backlog
read from the database at scrape time."""

import os
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

from cybervpn.application.jobs.read_backlog import OperationsBacklog
from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.jobs.outbox import OutboxStatus

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_LIVE_GAUGE_FILE = re.compile(r"^gauge_live\w+_(\d+)\.db$")


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    return Path(value) if value else None


def render(extra: Iterable[Metric] = ()) -> bytes:
    """Every instrument (merged over the processes when they share a directory),
    followed by `extra`."""
    directory = multiprocess_dir()
    if directory is None:
        registry = REGISTRY
    else:
        forget_dead_processes(directory)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    text = generate_latest(registry)
    extra = list(extra)
    if extra:
        scrape = CollectorRegistry()
        scrape.register(_Fixed(extra))
        text += generate_latest(scrape)
    return text


def forget_dead_processes(directory: Path) -> None:
    """A process that died (a restarted API or worker process) keeps its files;
    its live gauges (pool use, breaker, fallback) must stop counting."""
    for path in directory.glob("gauge_live*.db"):
        match = _LIVE_GAUGE_FILE.match(path.name)
        if match and not _alive(int(match.group(1))):
            mark_process_dead(int(match.group(1)), str(directory))  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def backlog_families(backlog: OperationsBacklog, now: datetime) -> list[Metric]:
    jobs = GaugeMetricFamily(
        "cybervpn_outbox_jobs",
        "Background jobs not done, by state (pending, processing, dead).",
        labels=["state"],
    )
    for status, jobs_in_state in backlog.outbox.items():
        jobs.add_metric([status.value], jobs_in_state.count)
    # Dead jobs have an alert of their own; this is about work still under way.
    under_way = [
        backlog.outbox.get(status, Backlog())
        for status in (OutboxStatus.PENDING, OutboxStatus.PROCESSING)
    ]
    oldest_job = min((w.oldest for w in under_way if w.oldest), default=None)
    return [
        jobs,
        GaugeMetricFamily(
            "cybervpn_outbox_oldest_pending_seconds",
            "Age of the oldest background job not done (pending or processing).",
            value=Backlog(oldest=oldest_job).age_seconds(now),
        ),
        GaugeMetricFamily(
            "cybervpn_paid_unprovisioned",
            "Payments paid and not yet turned into VPN access.",
            value=backlog.paid_unprovisioned.count,
        ),
        GaugeMetricFamily(
            "cybervpn_paid_unprovisioned_oldest_seconds",
            "Time since the oldest paid, unprovisioned payment was paid.",
            value=backlog.paid_unprovisioned.age_seconds(now),
        ),
    ]


class _Fixed(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics
