"""Single-use tickets (the live feed's, OAuth's `state`): random, short-lived,
redeemed once. In Redis across instances, or in this process's memory. Only a
ticket's digest is a key, so the store never holds a usable ticket."""

import hashlib
import secrets
import time

from redis.asyncio import Redis

KEY_PREFIX = "cybervpn:ticket:"


def _new_ticket() -> str:
    return secrets.token_urlsafe(32)


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


class RedisTicketStore:
    def __init__(self, redis: Redis, kind: str) -> None:
        self._redis = redis
        self._prefix = f"{KEY_PREFIX}{kind}:"

    async def issue(self, subject: str, ttl_seconds: int) -> str:
        ticket = _new_ticket()
        await self._redis.set(self._prefix + _digest(ticket), subject, ex=ttl_seconds)
        return ticket

    async def redeem(self, ticket: str) -> str | None:
        # GETDEL reads and removes in one step, so two requests racing with one
        # ticket cannot both get it.
        subject = await self._redis.getdel(self._prefix + _digest(ticket))
        return subject if isinstance(subject, str) else None


class MemoryTicketStore:
    def __init__(self) -> None:
        self._tickets: dict[str, tuple[str, float]] = {}

    async def issue(self, subject: str, ttl_seconds: int) -> str:
        now = time.monotonic()
        self._tickets = {
            key: entry for key, entry in self._tickets.items() if entry[1] > now
        }
        ticket = _new_ticket()
        self._tickets[_digest(ticket)] = (subject, now + ttl_seconds)
        return ticket

    async def redeem(self, ticket: str) -> str | None:
        entry = self._tickets.pop(_digest(ticket), None)
        if entry is None or entry[1] <= time.monotonic():
            return None
        return entry[0]
