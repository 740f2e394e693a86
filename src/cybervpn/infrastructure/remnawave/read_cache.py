"""A short cache of the panel's read-mostly answers: the node list and the system
and bandwidth figures.

How stale: at most `REMNAWAVE_CACHE_SECONDS` (default 5 s). Changes made through our
own API to servers drop the node list at once (in Redis, for every instance), so
staff see their own edits immediately; changes made on the panel itself, node status
flips and user counts in the figures can lag by up to the TTL. Per-node, user, host
and squad reads are never cached.
"""

import time
from typing import Protocol

from redis.asyncio import Redis

KEY_PREFIX = "cybervpn:panel-cache:"
# Paths whose raw answer may be cached, and what a write under a prefix invalidates.
CACHED_PATHS = frozenset(
    {"/api/nodes", "/api/system/stats", "/api/system/stats/bandwidth"}
)
INVALIDATED_BY = {"/api/nodes": ("/api/nodes", "/api/system/stats")}


class CacheStore(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def put(self, key: str, value: str, ttl_seconds: float) -> None: ...
    async def drop(self, keys: tuple[str, ...]) -> None: ...


class MemoryCacheStore:
    """One process (the embedded default)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, str]] = {}

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    async def put(self, key: str, value: str, ttl_seconds: float) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)

    async def drop(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            self._entries.pop(key, None)


class RedisCacheStore:
    """Shared by every instance. A Redis failure is a cache miss, never an error."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, key: str) -> str | None:
        try:
            value = await self._redis.get(KEY_PREFIX + key)
        except Exception:  # noqa: BLE001 - the panel is the source of truth
            return None
        return value if isinstance(value, str) else None  # decode_responses=True

    async def put(self, key: str, value: str, ttl_seconds: float) -> None:
        try:
            await self._redis.set(KEY_PREFIX + key, value, px=int(ttl_seconds * 1000))
        except Exception:  # noqa: BLE001, S110 - a cache that cannot store just misses
            pass

    async def drop(self, keys: tuple[str, ...]) -> None:
        try:
            await self._redis.delete(*(KEY_PREFIX + k for k in keys))
        except Exception:  # noqa: BLE001, S110 - entries expire on their own
            pass


class PanelReadCache:
    def __init__(self, store: CacheStore, ttl_seconds: float) -> None:
        self._store = store
        self._ttl = ttl_seconds

    @staticmethod
    def cacheable(method: str, path: str) -> bool:
        return method == "GET" and path in CACHED_PATHS

    async def get(self, path: str) -> str | None:
        return await self._store.get(path)

    async def put(self, path: str, body: str) -> None:
        if self._ttl > 0:
            await self._store.put(path, body, self._ttl)

    async def clear(self) -> None:
        await self._store.drop(tuple(CACHED_PATHS))

    async def invalidate_after(self, method: str, path: str) -> None:
        """Called after a successful write."""
        if method == "GET":
            return
        for prefix, keys in INVALIDATED_BY.items():
            if path.startswith(prefix):
                await self._store.drop(keys)
