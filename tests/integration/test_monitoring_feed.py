"""The staff live monitoring feed: single-use tickets, then a WebSocket."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from cybervpn.config import RemnawaveSettings
from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.redis.client import create_redis
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from cybervpn.infrastructure.sandbox.remnawave.webhooks import signed_delivery
from cybervpn.infrastructure.security.tickets import (
    MemoryTicketStore,
    RedisTicketStore,
)
from tests.conftest import TEST_REDIS_URL, WEBHOOK_SECRET
from tests.helpers import API, bearer, signed_up_tokens, staff_tokens

pytestmark = pytest.mark.integration
FEED = f"{API}/ws/monitoring"
POLICY_VIOLATION = 1008  # refused before the handshake completes: HTTP 403


@asynccontextmanager
async def socket_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=ASGIWebSocketTransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


async def _ticket(client: httpx.AsyncClient, access_token: str) -> str:
    response = await client.post(f"{API}/ws/ticket", headers=bearer(access_token))
    assert response.status_code == 201, response.text
    assert response.json()["expires_in"] == 30
    ticket: str = response.json()["ticket"]
    return ticket


async def _refused(app: FastAPI, url: str) -> int:
    """The close code the server answers the handshake with."""
    refused = pytest.RaisesGroup(WebSocketDisconnect, flatten_subgroups=True)
    with refused:
        async with socket_client(app) as ws_client:
            async with aconnect_ws(url, ws_client):
                pass  # pragma: no cover - the handshake must fail
    assert refused.excinfo is not None
    error = refused.excinfo.value.exceptions[0]
    assert isinstance(error, WebSocketDisconnect)
    return error.code


async def _panel_event(client: httpx.AsyncClient) -> None:
    data = {"uuid": "1c3e6f3c-0a4e-4c7b-9f59-2d7a0c1d6a01", "name": "de-1"}
    body, headers = signed_delivery(
        WEBHOOK_SECRET, "node", "node.connection_lost", _now_iso(), data
    )
    response = await client.post(
        f"{API}/webhooks/remnawave", content=body, headers=headers
    )
    assert response.status_code == 200, response.text


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


async def test_staff_receive_node_status_then_panel_events(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    tokens = await staff_tokens(app, client, "watch@example.com", Role.VIEWER)
    ticket = await _ticket(client, tokens["access_token"])
    async with socket_client(app) as ws_client:
        socket: AsyncWebSocketSession
        async with aconnect_ws(f"{FEED}?ticket={ticket}", ws_client) as socket:
            status: dict[str, Any] = await socket.receive_json(timeout=5)
            assert status["type"] == "node_status"
            names = {node["name"] for node in status["nodes"]}
            assert names == {server.name for server in sandbox.nodes.values()}
            assert {"is_connected", "users_online"} <= status["nodes"][0].keys()

            await _panel_event(client)
            event: dict[str, Any] = await socket.receive_json(timeout=5)
    assert event["type"] == "panel_event"
    assert event["event"] == "node.connection_lost"
    assert event["data"]["name"] == "de-1"


async def test_a_ticket_opens_one_socket_only(
    app: FastAPI, client: httpx.AsyncClient, sandbox: PanelState
) -> None:
    tokens = await staff_tokens(app, client, "once@example.com", Role.ADMIN)
    ticket = await _ticket(client, tokens["access_token"])
    async with socket_client(app) as ws_client:
        socket: AsyncWebSocketSession
        async with aconnect_ws(f"{FEED}?ticket={ticket}", ws_client) as socket:
            assert (await socket.receive_json(timeout=5))["type"] == "node_status"
    assert await _refused(app, f"{FEED}?ticket={ticket}") == POLICY_VIOLATION


async def test_unknown_missing_and_revoked_tickets_are_refused(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    assert await _refused(app, f"{FEED}?ticket=not-a-ticket") == POLICY_VIOLATION
    assert await _refused(app, FEED) == POLICY_VIOLATION

    # Logging out within the ticket's life closes the door too.
    tokens = await staff_tokens(app, client, "leaver@example.com", Role.ADMIN)
    ticket = await _ticket(client, tokens["access_token"])
    logout = await client.post(
        f"{API}/auth/logout",
        headers=bearer(tokens["access_token"]),
        json={"refresh_token": tokens["refresh_token"]},
    )
    assert logout.status_code == 204, logout.text
    assert await _refused(app, f"{FEED}?ticket={ticket}") == POLICY_VIOLATION


async def test_only_staff_get_tickets(app: FastAPI, client: httpx.AsyncClient) -> None:
    customer = await signed_up_tokens(client, "customer@example.com")
    refused = await client.post(
        f"{API}/ws/ticket", headers=bearer(customer["access_token"])
    )
    assert refused.status_code == 403
    assert (await client.post(f"{API}/ws/ticket")).status_code == 401


async def test_node_status_says_when_the_panel_is_down(client_factory: Any) -> None:
    dead_panel = RemnawaveSettings(
        url="http://127.0.0.1:9", token="unused", retry_attempts=1
    )
    async with client_factory(remnawave=dead_panel) as (app, client):
        tokens = await staff_tokens(app, client, "ops@example.com", Role.ADMIN)
        ticket = await _ticket(client, tokens["access_token"])
        async with socket_client(app) as ws_client:
            socket: AsyncWebSocketSession
            async with aconnect_ws(f"{FEED}?ticket={ticket}", ws_client) as socket:
                status = await socket.receive_json(timeout=5)
    assert status == {
        "type": "node_status",
        "nodes": None,
        "detail": "VPN panel unavailable",
    }


@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_tickets_expire_and_are_stored_as_digests(kind: str, redis: Any) -> None:
    # The app's own client decodes replies, as production does.
    app_redis = create_redis(TEST_REDIS_URL)
    store = (
        MemoryTicketStore()
        if kind == "memory"
        else RedisTicketStore(app_redis, "monitoring")
    )
    lasting = await store.issue("subject-a", ttl_seconds=30)
    fleeting = await store.issue("subject-b", ttl_seconds=1)
    if kind == "redis":
        keys = [key async for key in redis.scan_iter("cybervpn:ticket:monitoring:*")]
        assert len(keys) == 2 and not any(lasting.encode() in key for key in keys)
    await asyncio.sleep(1.1)
    assert await store.redeem(fleeting) is None
    assert await store.redeem(lasting) == "subject-a"
    assert await store.redeem(lasting) is None
    await app_redis.aclose()
