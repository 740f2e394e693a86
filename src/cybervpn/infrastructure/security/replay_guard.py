"""Signed data accepted once (the Telegram Login Widget): Redis when several
processes serve, memory in the embedded default."""

import time

from redis.asyncio import Redis

KEY_PREFIX = "cybervpn:once:"


class RedisReplayGuard:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def first_use(self, key: str, ttl_seconds: int) -> bool:
        # SET NX: of two requests racing with one signature, one sets it.
        return bool(await self._redis.set(KEY_PREFIX + key, 1, nx=True, ex=ttl_seconds))


class MemoryReplayGuard:
    def __init__(self) -> None:
        self._seen: dict[str, float] = {}

    async def first_use(self, key: str, ttl_seconds: int) -> bool:
        now = time.monotonic()
        self._seen = {k: until for k, until in self._seen.items() if until > now}
        if key in self._seen:
            return False
        self._seen[key] = now + ttl_seconds
        return True
