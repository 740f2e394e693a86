"""The live monitoring channel: Redis pub/sub across instances, or in memory.

Publishing is best effort and never blocks the publisher. A subscription is an
async context manager: it listens from the moment it is entered, so a reader can
send a snapshot first and miss no update published meanwhile.
"""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from redis.asyncio import Redis

log = structlog.get_logger("cybervpn.monitoring")
CHANNEL = "cybervpn:monitoring"
SUBSCRIBER_BACKLOG = 100

type Event = dict[str, Any]


class MemoryLiveFeed:
    """One process. A slow subscriber drops its oldest updates, never blocks."""

    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[Event]] = set()

    async def publish(self, event: Event) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscription(self) -> AsyncIterator[AsyncIterator[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(SUBSCRIBER_BACKLOG)
        self._subscribers.add(queue)
        try:
            yield _drain(queue)
        finally:
            self._subscribers.discard(queue)


async def _drain(queue: asyncio.Queue[Event]) -> AsyncIterator[Event]:
    while True:
        yield await queue.get()


class RedisLiveFeed:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def publish(self, event: Event) -> None:
        try:
            await self._redis.publish(CHANNEL, json.dumps(event, default=str))
        except Exception as error:  # noqa: BLE001 - live updates are best effort
            log.warning("live feed publish failed", error=type(error).__name__)

    @asynccontextmanager
    async def subscription(self) -> AsyncIterator[AsyncIterator[Event]]:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL)
        try:
            yield _messages(pubsub)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]


async def _messages(pubsub: Any) -> AsyncIterator[Event]:
    async for message in pubsub.listen():
        if message["type"] == "message":
            yield json.loads(message["data"])
