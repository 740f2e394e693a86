"""deploy/ watches what the code exports: every metric the dashboard and the alert
rules query exists, every instrument is on the dashboard, and Prometheus scrapes
the services compose runs. (promtool checks the files and tests the rules in CI.)"""

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from cybervpn.application.jobs.read_backlog import OperationsBacklog
from cybervpn.domain.common.backlog import Backlog
from cybervpn.infrastructure.metrics import instruments
from cybervpn.infrastructure.metrics.exposition import backlog_families

pytestmark = pytest.mark.unit
ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
METRIC_NAME = re.compile(r"\bcybervpn_[a-z_]+\b")
SAMPLE_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}


def _instruments() -> dict[str, set[str]]:
    """Each instrument's family name and the sample names a query can use."""
    found = {}
    for value in vars(instruments).values():
        if isinstance(value, MetricWrapperBase):
            [family] = value.describe()
            suffixes = SAMPLE_SUFFIXES.get(family.type, ("",))
            found[family.name] = {family.name + suffix for suffix in suffixes}
    return found


def _exported() -> set[str]:
    scraped = backlog_families(
        OperationsBacklog(outbox={}, paid_unprovisioned=Backlog()), datetime.now(UTC)
    )
    return set().union(*_instruments().values()) | {m.name for m in scraped}


def _dashboard_queries() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana/dashboards/cybervpn.json").read_text())
    return [
        target["expr"]
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def _alert_expressions() -> list[str]:
    rules = yaml.safe_load((DEPLOY / "prometheus/alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def test_the_dashboard_and_the_alerts_query_only_exported_metrics() -> None:
    queried = {
        name
        for expression in _dashboard_queries() + _alert_expressions()
        for name in METRIC_NAME.findall(expression)
    }
    assert queried, "no metric queried at all"
    assert queried - _exported() == set()


def test_every_instrument_is_on_the_dashboard() -> None:
    shown = {
        name for query in _dashboard_queries() for name in METRIC_NAME.findall(query)
    }
    missing = {
        family for family, samples in _instruments().items() if not samples & shown
    }
    assert missing == set()


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return document


def test_prometheus_scrapes_the_api_and_the_worker_that_compose_runs() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus/prometheus.yml").read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    services = _compose()["services"]
    environment = services["worker"]["environment"]
    assert targets == {
        f"api:{services['api']['environment']['PORT']}",
        f"worker:{environment['WORKER_METRICS_PORT']}",
    }
    for job in config["scrape_configs"]:
        token = job["authorization"]["credentials_file"]
        assert token == "/run/secrets/METRICS_TOKEN"
    assert "METRICS_TOKEN" in services["prometheus"]["secrets"]
    assert "METRICS_TOKEN" in services["api"]["secrets"]


def test_the_monitoring_profile_mounts_what_deploy_holds() -> None:
    services = _compose()["services"]
    for name in ("prometheus", "grafana"):
        service = services[name]
        assert service["profiles"] == ["monitoring"]
        for volume in service["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), source
