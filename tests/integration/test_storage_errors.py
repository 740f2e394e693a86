"""Database errors reach clients as the API's own answers, never as a 500.

A unique key that a concurrent request won is the same conflict the use case's own
check reports; a database that cannot be reached is a 503 the client may retry.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from sqlalchemy import UniqueConstraint, text
from sqlalchemy.engine.url import make_url

from cybervpn.config import DatabaseSettings
from cybervpn.infrastructure.persistence.base import Base
from cybervpn.infrastructure.persistence.integrity import (
    CONFLICT_BY_CONSTRAINT,
    DEDUPLICATING_CONSTRAINTS,
)
from tests.conftest import BACKEND, _admin_sql
from tests.helpers import API, bearer, register, signed_up_tokens

pytestmark = pytest.mark.integration


async def test_concurrent_sign_ups_with_one_email_give_one_account_and_conflicts(
    client: httpx.AsyncClient,
) -> None:
    answers = await asyncio.gather(
        *(register(client, "race@example.com") for _ in range(4))
    )
    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409]
    for answer in answers:
        if answer.status_code == 409:
            assert answer.json() == {
                "detail": "Email is already registered",
                "code": "email_taken",
            }


def test_every_unique_key_is_a_known_conflict_or_deduplicates() -> None:
    # A new unique key must say what a client sees when a concurrent request wins.
    unique_keys = {
        constraint.name
        for table in Base.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    known = set(CONFLICT_BY_CONSTRAINT) | DEDUPLICATING_CONSTRAINTS
    assert unique_keys - known == set()


def _unreachable_url(tmp_path: Path) -> str:
    if BACKEND == "sqlite":
        # A directory where the database file should be: SQLite cannot open it.
        (tmp_path / "cybervpn.db").mkdir()
        return f"sqlite+aiosqlite:///{tmp_path / 'cybervpn.db'}"
    return "postgresql+asyncpg://postgres@127.0.0.1:1/cybervpn"


async def test_an_unreachable_database_is_a_503_to_retry(
    client_factory: Callable[..., Any], tmp_path: Path
) -> None:
    database = DatabaseSettings(url=_unreachable_url(tmp_path))
    async with client_factory(database=database) as (_app, client):
        response = await register(client, "nobody@example.com")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Storage is unavailable, try again shortly",
        "code": "storage_unavailable",
    }
    assert int(response.headers["retry-after"]) > 0


async def _end_the_pooled_connection(app: Any) -> None:
    """The server ends the app's only pooled connection, as a database restart or
    a failover would."""
    async with app.state.container.engine.connect() as connection:
        pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
    await _admin_sql(f"SELECT pg_terminate_backend({int(pid)})")


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_dead_pooled_connection_is_replaced_before_the_request_uses_it(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    database = DatabaseSettings(url=database_url, pool_size=1, max_overflow=0)
    assert database.pool_pre_ping  # the default
    async with client_factory(database=database) as (app, client):
        assert (await register(client, "before@example.com")).status_code == 201
        await _end_the_pooled_connection(app)
        after = await client.post(
            f"{API}/auth/login",
            json={"email": "before@example.com", "password": "x" * 12},
        )
    assert after.status_code == 401  # a real answer (wrong password), not a 503


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_connection_lost_mid_request_is_a_503_and_the_next_one_works(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    # Without the pre-ping, a dead connection is found when a query uses it.
    database = DatabaseSettings(
        url=database_url, pool_size=1, max_overflow=0, pool_pre_ping=False
    )
    async with client_factory(database=database) as (app, client):
        assert (await register(client, "before@example.com")).status_code == 201
        await _end_the_pooled_connection(app)
        lost = await register(client, "lost@example.com")
        assert lost.status_code == 503
        assert lost.json()["code"] == "storage_unavailable"
        again = await register(client, "after@example.com")
        assert again.status_code == 201


async def _me(client: httpx.AsyncClient, access_token: str) -> httpx.Response:
    return await client.get(f"{API}/auth/me", headers=bearer(access_token))


@asynccontextmanager
async def _checked_session(
    client_factory: Callable[..., Any], database_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A client and an access token whose session was checked once, so the
    session check's pool holds a connection."""
    database = DatabaseSettings(url=database_url)
    async with client_factory(database=database) as (_app, client):
        tokens = await signed_up_tokens(client, "holder@example.com")
        assert (await _me(client, tokens["access_token"])).status_code == 200
        yield client, tokens["access_token"]


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_the_session_check_survives_a_database_restart(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    async with _checked_session(client_factory, database_url) as (client, token):
        # Every connection of the app ends, as a restart or a failover ends them.
        name = make_url(database_url).database
        ending = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"  # noqa: E501, S608
        await _admin_sql(ending)
        assert (await _me(client, token)).status_code == 200


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_session_check_cut_off_mid_query_is_asked_again(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    async with _checked_session(client_factory, database_url) as (client, token):
        admin = await asyncpg.connect(database_url.replace("+asyncpg", ""))
        try:
            locking = admin.transaction()
            await locking.start()
            await admin.execute("LOCK TABLE auth_sessions IN ACCESS EXCLUSIVE MODE")
            request = asyncio.create_task(_me(client, token))
            waiting = None
            while waiting is None:  # the session check, blocked by the lock
                await asyncio.sleep(0.01)
                waiting = await admin.fetchval(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
            await admin.execute("SELECT pg_terminate_backend($1)", waiting)
            await locking.rollback()
            response = await asyncio.wait_for(request, timeout=10)
        finally:
            await admin.close()
    assert response.status_code == 200


async def test_a_session_check_without_a_database_is_a_503_to_retry(
    client_factory: Callable[..., Any], tmp_path: Path
) -> None:
    database = DatabaseSettings(url=_unreachable_url(tmp_path))
    async with client_factory(database=database) as (app, client):
        # A well-signed token: only the session behind it cannot be checked.
        issued = app.state.container.access_tokens.issue(uuid4(), uuid4())
        response = await _me(client, issued.token)
    assert response.status_code == 503
    assert response.json()["code"] == "storage_unavailable"
