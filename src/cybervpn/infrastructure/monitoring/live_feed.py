"""The live monitoring channel: Redis pub/sub across instances, or in memory."""

import asyncio
import json
from typing import Any

import structlog
from redis.asyncio import Redis

log = structlog.get_logger("cybervpn.monitoring")
CHANNEL = "cybervpn:monitoring"
SUBSCRIBER_BACKLOG = 100


class MemoryLiveFeed:
    """One process. A slow subscriber drops its oldest updates, never blocks."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()

    async def publish(self, event: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.discard(queue)


class RedisLiveFeed:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, event: dict[str, Any]) -> None:
        try:
            await self._redis.publish(CHANNEL, json.dumps(event, default=str))
        except Exception as error:  # noqa: BLE001 - live updates are best effort
            log.warning("live feed publish failed", error=type(error).__name__)
