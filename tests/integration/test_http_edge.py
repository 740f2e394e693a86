"""Middleware and error mapping: CORS, headers, request ids, generic errors, probes."""

import asyncio
import re
import threading
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import select

from cybervpn.config import DatabaseSettings, HttpSettings, SecuritySettings
from cybervpn.infrastructure.persistence.models import AuditLogModel
from cybervpn.presentation.http.dependencies import get_caller
from tests.helpers import API, register

pytestmark = pytest.mark.integration
ALLOWED_ORIGIN = "https://app.example.test"


async def test_cors_preflight_is_answered_before_auth(
    client: httpx.AsyncClient,
) -> None:
    response = await client.options(
        f"{API}/auth/me",
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    allowed = response.headers["access-control-allow-methods"]
    assert "*" not in allowed and "PATCH" in allowed


async def test_cors_refuses_unknown_origins(client: httpx.AsyncClient) -> None:
    response = await client.options(
        f"{API}/auth/me",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "GET",
        },
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_simple_cross_origin_request_is_answered_for_its_origin(
    client: httpx.AsyncClient,
) -> None:
    allowed = await client.get("/health", headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert allowed.headers["vary"] == "Origin"
    unknown = await client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in unknown.headers
    # Without an Origin CORS is skipped, and caches are still told the answer
    # depends on it.
    plain = await client.get("/health")
    assert "access-control-allow-origin" not in plain.headers
    assert plain.headers["vary"] == "Origin"


async def test_security_headers_and_request_id(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    generated = await client.get(
        "/health", headers={"X-Request-ID": "bad id\twith junk"}
    )
    assert generated.headers["x-request-id"] != "bad id\twith junk"
    assert len(generated.headers["x-request-id"]) == 32


async def test_unknown_route_has_the_standard_shape(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found", "code": "not_found"}


async def test_malformed_json_is_422_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/login",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422


async def test_unhandled_error_is_a_generic_500_and_logged_with_request_id(
    client_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    async with client_factory() as (app, client):

        async def broken() -> None:
            raise RuntimeError("SELECT secret FROM internals")

        app.dependency_overrides[get_caller] = broken
        response = await client.get(
            f"{API}/auth/me", headers={"X-Request-ID": "trace-me"}
        )
    assert response.status_code == 500
    assert response.json() == {
        "detail": "Internal server error",
        "code": "internal_error",
    }
    assert "SELECT" not in response.text
    assert response.headers["x-request-id"] == "trace-me"
    logged = capsys.readouterr()
    output = logged.out + logged.err
    assert "SELECT secret FROM internals" in output and "trace-me" in output


async def _failed_login_ips(app: FastAPI) -> set[str | None]:
    async with app.state.container.session_factory() as session:
        return set(
            await session.scalars(
                select(AuditLogModel.ip).where(
                    AuditLogModel.action == "auth.login_failed"
                )
            )
        )


async def test_client_ip_comes_from_proxy_headers_only_when_trusted(
    client_factory: Any, app: FastAPI, client: httpx.AsyncClient
) -> None:
    forwarded = {"X-Forwarded-For": "198.51.100.7"}
    wrong = {"email": "someone@example.com", "password": "wrong password"}
    await client.post(f"{API}/auth/login", json=wrong, headers=forwarded)
    assert await _failed_login_ips(app) == {"203.0.113.10"}

    trusted = HttpSettings(
        cors_origins=[ALLOWED_ORIGIN], trusted_proxies=["203.0.113.10"]
    )
    async with client_factory(http=trusted) as (_, behind_proxy):
        await behind_proxy.post(f"{API}/auth/login", json=wrong, headers=forwarded)
    assert await _failed_login_ips(app) == {"203.0.113.10", "198.51.100.7"}


def _password_hash_rejected() -> float:
    return REGISTRY.get_sample_value("cybervpn_password_hash_rejected_total") or 0.0


async def test_password_hashing_answers_503_when_saturated(
    client_factory: Any, settings: Any
) -> None:
    one_slot = settings.security.model_copy(
        update={"password_hash_workers": 1, "password_hash_queue_limit": 0}
    )
    assert isinstance(one_slot, SecuritySettings)
    async with client_factory(security=one_slot) as (app, client):
        release = threading.Event()
        executor = app.state.container.hash_executor
        occupying = asyncio.create_task(executor.run(release.wait, 5))
        await asyncio.sleep(0)
        rejected = _password_hash_rejected()
        busy = await register(client, "flood@example.com")
        assert _password_hash_rejected() == rejected + 1  # saturation is visible
        release.set()
        await occupying
        after = await register(client, "flood@example.com")
    assert busy.status_code == 503
    assert busy.json() == {
        "detail": "Service is busy, try again shortly",
        "code": "service_busy",
    }
    assert busy.headers["retry-after"] == "1"
    assert after.status_code == 201


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


async def test_ready_fails_but_health_does_not_when_the_database_is_down(
    client_factory: Any,
) -> None:
    unreachable = DatabaseSettings(url="postgresql+asyncpg://postgres@127.0.0.1:1/none")
    async with client_factory(database=unreachable) as (_, client):
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "checks": {
            "database": "unavailable",
            **({"redis": "ok"} if "redis" in ready.json()["checks"] else {}),
            "vpn_panel": "ok",
        },
    }


async def test_the_docs_work_offline_from_the_apps_own_files(
    client: httpx.AsyncClient,
) -> None:
    for page in ("/docs", "/redoc"):
        html = await client.get(page)
        assert html.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert sources and all(
            s.startswith(("/docs/static/", "data:")) for s in sources
        )
        assert "http" not in html.headers["content-security-policy"]
        for source in sources:
            if source.startswith("/"):
                asset = await client.get(source)
                assert asset.status_code == 200 and len(asset.content) > 1000
    document = await client.get("/openapi.json")
    assert document.json()["info"]["title"] == "CyberVPN API"
