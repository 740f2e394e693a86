"""The live monitoring channel that panel events are published to."""

from typing import Any, Protocol


class LiveFeed(Protocol):
    async def publish(self, event: dict[str, Any]) -> None:
        """Best effort: a feed that cannot publish loses the live update only."""
        ...
