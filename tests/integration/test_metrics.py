"""What operators watch: after a purchase the counters and gauges moved as they
should, and the scrape is closed to anyone without the token."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from cybervpn.config import ObservabilitySettings
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.presentation.http.metrics.requests import REQUEST_LATENCIES
from tests.commerce import (
    admin_headers,
    buy,
    create_plan,
    customer,
    pay_in_sandbox,
    run_jobs,
)

pytestmark = pytest.mark.integration
INVOICE_ROUTE = "/api/v1/payments/crypto/invoice"


def _value(name: str, **labels: str) -> float:
    REQUEST_LATENCIES.flush()  # as a scrape of this process does first
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _scrape(client: httpx.AsyncClient, **headers: str) -> dict[str, float]:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        sample.name + str(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def _key(name: str, **labels: str) -> str:
    return name + str(sorted(labels.items()))


def _purchase_counters() -> dict[str, float]:
    return {
        "created": _value(
            "cybervpn_payments_total", provider="cryptobot", outcome="created"
        ),
        "paid": _value("cybervpn_payments_total", provider="cryptobot", outcome="paid"),
        "delivered": _value(
            "cybervpn_webhook_deliveries_total",
            source="cryptobot",
            outcome="processed",
        ),
        "invoices": _value(
            "cybervpn_http_request_duration_seconds_count",
            method="POST",
            route=INVOICE_ROUTE,
            status="201",
        ),
        "panel_ok": _value("cybervpn_panel_requests_total", outcome="ok"),
    }


async def test_a_purchase_moves_the_payment_webhook_request_and_backlog_metrics(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    admin = await admin_headers(app, client)
    plan = await create_plan(client, admin)
    buyer = await customer(client, "metered@example.com")
    before = _purchase_counters()

    sandbox.outage = True  # paid, but the panel cannot provision yet
    invoice = await buy(client, buyer, plan["id"])
    await pay_in_sandbox(client, invoice["invoice_id"])
    await run_jobs(app)
    stuck = await _scrape(client)
    assert stuck[_key("cybervpn_paid_unprovisioned")] == 1
    assert stuck[_key("cybervpn_paid_unprovisioned_oldest_seconds")] >= 0
    assert stuck[_key("cybervpn_outbox_jobs", state="pending")] >= 1
    assert _value("cybervpn_panel_requests_total", outcome="server_error") >= 1

    sandbox.outage = False
    await _retry_provisioning(app, client, admin)
    settled = await _scrape(client)
    assert settled[_key("cybervpn_paid_unprovisioned")] == 0
    assert settled[_key("cybervpn_paid_unprovisioned_oldest_seconds")] == 0
    assert settled[_key("cybervpn_outbox_jobs", state="dead")] == 0

    after = _purchase_counters()
    assert {k: after[k] - before[k] for k in ("created", "paid", "delivered")} == {
        "created": 1,
        "paid": 1,
        "delivered": 1,
    }
    assert after["invoices"] - before["invoices"] == 1
    assert after["panel_ok"] > before["panel_ok"]  # provisioned at last
    # Latency is kept by route template, never by raw path.
    assert (
        _value(
            "cybervpn_http_request_duration_seconds_count",
            method="POST",
            route=INVOICE_ROUTE,
            status="201",
        )
        >= 1
    )


async def _retry_provisioning(
    app: FastAPI, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    waiting = (await client.get("/api/v1/admin/provisioning", headers=admin)).json()
    for job in waiting["items"]:
        retried = await client.post(
            f"/api/v1/admin/provisioning/{job['id']}/retry", headers=admin
        )
        assert retried.status_code == 200, retried.text
    await run_jobs(app)


async def test_paths_no_route_took_share_one_series(client: httpx.AsyncClient) -> None:
    before = _value(
        "cybervpn_http_request_duration_seconds_count",
        method="GET",
        route="unmatched",
        status="404",
    )
    for suffix in ("a", "b", "c"):
        assert (await client.get(f"/api/v1/nowhere-{suffix}")).status_code == 404
    after = _value(
        "cybervpn_http_request_duration_seconds_count",
        method="GET",
        route="unmatched",
        status="404",
    )
    assert after - before == 3


async def test_the_scrape_needs_the_metrics_token_when_one_is_set(
    client_factory: Callable[..., Any],
) -> None:
    token = "m" * 40
    observability = ObservabilitySettings(metrics_token=token)
    async with client_factory(observability=observability) as (_app, client):
        missing = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer x"})
        scraped = await _scrape(client, Authorization=f"Bearer {token}")
    for refused in (missing, wrong):
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_token"
    assert _key("cybervpn_paid_unprovisioned") in scraped
