"""Rate limits with the `limits` library: Redis when configured, memory otherwise.

Redis-down policy: a limit is never skipped. When Redis fails, the same limit is
enforced per process from memory until Redis answers again, so the API keeps serving
and brute force stays bounded (by the limit times the number of processes).
"""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.errors import StorageError

from cybervpn.infrastructure.metrics.instruments import RATE_LIMIT_FALLBACK

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    retry_after: int = 0


def rate(requests: int, window_seconds: int) -> RateLimitItem:
    return RateLimitItemPerSecond(requests, window_seconds)


class Limiter:
    """One strategy over a shared storage, with the in-memory fallback."""

    def __init__(self, storage: Storage, *, exact: bool) -> None:
        strategy = MovingWindowRateLimiter if exact else SlidingWindowCounterRateLimiter
        self._primary: RateLimiter = strategy(storage)
        self._fallback: RateLimiter = strategy(MemoryStorage())
        self._on_fallback = False

    async def hit(self, item: RateLimitItem, *key: str) -> RateDecision:
        try:
            decision = await self._hit(self._primary, item, key)
        except StorageError:
            logger.warning("rate limit storage unavailable; using in-process limits")
            self._fall_back(True)
            return await self._hit(self._fallback, item, key)
        self._fall_back(False)
        return decision

    def _fall_back(self, active: bool) -> None:
        # Operators see the fallback (an alert rule watches it); the gauge is
        # written only when the state changes, not on every request.
        if active is not self._on_fallback:
            self._on_fallback = active
            RATE_LIMIT_FALLBACK.set(int(active))

    @staticmethod
    async def _hit(
        limiter: RateLimiter, item: RateLimitItem, key: tuple[str, ...]
    ) -> RateDecision:
        if await limiter.hit(item, *key):
            return RateDecision(allowed=True)
        stats = await limiter.get_window_stats(item, *key)
        return RateDecision(
            allowed=False, retry_after=max(1, math.ceil(stats.reset_time - time.time()))
        )


def create_storage(redis_url: str | None, key_prefix: str = "cybervpn") -> Storage:
    if redis_url is None:
        return MemoryStorage()
    return RedisStorage(
        f"async+{redis_url}",
        implementation="redispy",
        wrap_exceptions=True,
        key_prefix=key_prefix,
        socket_timeout=0.5,
        socket_connect_timeout=0.5,
    )
