"""Building the panel client: the real panel, or the sandbox panel in process."""

from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from redis.asyncio import Redis

from cybervpn.config import RemnawaveSettings
from cybervpn.infrastructure.remnawave.panel import RemnawavePanel
from cybervpn.infrastructure.remnawave.read_cache import (
    CacheStore,
    MemoryCacheStore,
    PanelReadCache,
    RedisCacheStore,
)
from cybervpn.infrastructure.remnawave.transport import (
    PanelTransport,
    ResiliencePolicy,
    create_http_client,
)
from cybervpn.infrastructure.sandbox.remnawave.app import create_sandbox_panel
from cybervpn.infrastructure.sandbox.remnawave.state import PanelState

SANDBOX_BASE_URL = "http://sandbox-panel.local"


@dataclass(slots=True)
class PanelConnection:
    panel: RemnawavePanel
    transport: PanelTransport
    sandbox: PanelState | None  # set when the sandbox panel serves the requests
    cache: PanelReadCache
    sandbox_app: FastAPI | None = None


def connect_panel(
    settings: RemnawaveSettings, redis: Redis | None = None
) -> PanelConnection:
    """The sandbox is reached through httpx's ASGI transport, so every request takes
    the same client code path (retries, breaker, error mapping, cache) as in
    production."""
    policy = ResiliencePolicy(
        attempts=settings.retry_attempts,
        breaker_threshold=settings.breaker_threshold,
        breaker_reset_seconds=settings.breaker_reset_seconds,
    )
    token = settings.token.get_secret_value() if settings.token else None
    sandbox: PanelState | None = None
    sandbox_app: FastAPI | None = None
    transport: httpx.AsyncBaseTransport | None = None
    base_url = settings.url
    if base_url is None:
        sandbox = PanelState()
        sandbox_app = create_sandbox_panel(sandbox, token=token)
        transport = httpx.ASGITransport(app=sandbox_app)
        base_url = SANDBOX_BASE_URL
    client = create_http_client(
        base_url=base_url,
        token=token,
        timeout_seconds=settings.timeout_seconds,
        max_connections=settings.max_connections,
        transport=transport,
    )
    panel_transport = PanelTransport(client, policy)
    store: CacheStore = MemoryCacheStore() if redis is None else RedisCacheStore(redis)
    cache = PanelReadCache(store, settings.cache_seconds)
    return PanelConnection(
        RemnawavePanel(panel_transport, cache),
        panel_transport,
        sandbox,
        cache,
        sandbox_app,
    )
