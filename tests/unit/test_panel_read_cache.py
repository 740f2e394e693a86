"""The panel read cache: node list and figures served briefly from the cache, dropped
by our own server changes, and never an error when the cache store fails."""

from collections.abc import AsyncIterator

import pytest
import respx
from redis.asyncio import Redis

from cybervpn.domain.fleet.server import ServerAction
from cybervpn.infrastructure.remnawave.panel import RemnawavePanel
from cybervpn.infrastructure.remnawave.read_cache import (
    MemoryCacheStore,
    PanelReadCache,
    RedisCacheStore,
)
from cybervpn.infrastructure.remnawave.transport import (
    PanelTransport,
    ResiliencePolicy,
    create_http_client,
)
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState
from tests.conftest import TEST_REDIS_URL

pytestmark = pytest.mark.unit
BASE = "http://panel.example.com"


async def _panel(cache: PanelReadCache) -> tuple[RemnawavePanel, PanelTransport]:
    client = create_http_client(
        base_url=BASE, token="t", timeout_seconds=1, max_connections=2
    )
    transport = PanelTransport(client, ResiliencePolicy(attempts=1))
    return RemnawavePanel(transport, cache), transport


@pytest.fixture
async def nodes() -> AsyncIterator[list[dict[str, object]]]:
    state = PanelState()
    yield [state.node_json(n) for n in state.nodes.values()]


@respx.mock
async def test_node_list_is_cached_until_our_own_change(
    nodes: list[dict[str, object]],
) -> None:
    panel, transport = await _panel(PanelReadCache(MemoryCacheStore(), 60))
    listed = respx.get(f"{BASE}/api/nodes").respond(200, json={"response": nodes})
    first = await panel.servers.list_servers()
    second = await panel.servers.list_servers()
    assert [s.name for s in first] == [s.name for s in second]
    assert listed.call_count == 1

    node_uuid = first[0].uuid
    respx.post(f"{BASE}/api/nodes/{node_uuid}/actions/disable").respond(
        200, json={"response": nodes[0]}
    )
    await panel.servers.apply_server_action(node_uuid, ServerAction.DISABLE)
    await panel.servers.list_servers()
    assert listed.call_count == 2
    await transport.aclose()


@respx.mock
async def test_a_zero_ttl_turns_the_cache_off(nodes: list[dict[str, object]]) -> None:
    panel, transport = await _panel(PanelReadCache(MemoryCacheStore(), 0))
    listed = respx.get(f"{BASE}/api/nodes").respond(200, json={"response": nodes})
    await panel.servers.list_servers()
    await panel.servers.list_servers()
    assert listed.call_count == 2
    await transport.aclose()


async def test_memory_entries_expire() -> None:
    store = MemoryCacheStore()
    await store.put("a", "1", ttl_seconds=60)
    await store.put("b", "2", ttl_seconds=-1)  # already past its deadline
    assert await store.get("a") == "1"
    assert await store.get("b") is None
    await store.drop(("a",))
    assert await store.get("a") is None


@pytest.mark.integration
async def test_redis_store_round_trip_and_outage(redis: Redis) -> None:
    live = RedisCacheStore(Redis.from_url(TEST_REDIS_URL, decode_responses=True))
    await live.put("/api/nodes", "[1]", ttl_seconds=5)
    assert await live.get("/api/nodes") == "[1]"
    assert 0 < await redis.pttl("cybervpn:panel-cache:/api/nodes") <= 5000
    await live.drop(("/api/nodes",))
    assert await live.get("/api/nodes") is None

    dead = RedisCacheStore(
        Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.2)
    )
    await dead.put("/api/nodes", "[1]", ttl_seconds=5)
    assert await dead.get("/api/nodes") is None
    await dead.drop(("/api/nodes",))
