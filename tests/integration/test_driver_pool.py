"""The API's own asyncpg pool (PostgreSQL): callers who wait for a connection."""

import asyncio

import asyncpg
import pytest

from cybervpn.infrastructure.persistence.driver import DriverPool
from tests.conftest import BACKEND

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(BACKEND == "sqlite", reason="the driver pool is PostgreSQL's"),
]


async def test_callers_waiting_for_a_connection_are_served_in_the_order_they_came(
    database_url: str,
) -> None:
    # asyncpg's own pool lets a caller who arrives as a connection comes back take
    # it from the one woken for it, who then queues again behind everyone: under
    # load a few requests wait many turns, the tail of the latency.
    pool = DriverPool(database_url, max_size=1)
    admin = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    served: list[str] = []

    async def ask(label: str, sql: str = "SELECT 1") -> None:
        await pool.fetchrow(sql)
        served.append(label)

    try:
        await admin.execute("SELECT pg_advisory_lock(20)")
        await pool.fetchrow("SELECT 1")  # the pool is open
        holder = asyncio.create_task(ask("holder", "SELECT pg_advisory_xact_lock(20)"))
        await asyncio.sleep(0.05)
        waiter = asyncio.create_task(ask("waiter"))
        await asyncio.sleep(0.05)
        # The holder's connection comes back while newcomers keep arriving, one per
        # turn of the loop, until the waiter is served.
        unlocking = asyncio.create_task(admin.execute("SELECT pg_advisory_unlock(20)"))
        newcomers: list[asyncio.Task[None]] = []
        while not waiter.done() and len(newcomers) < 5000:
            newcomers.append(asyncio.create_task(ask("newcomer")))
            await asyncio.sleep(0)
        await asyncio.gather(holder, waiter, unlocking, *newcomers)
    finally:
        await admin.close()
        await pool.aclose()
    assert served[:2] == ["holder", "waiter"]
