"""Database errors reach clients as the API's own answers, never as a 500.

A unique key that a concurrent request won is the same conflict the use case's own
check reports; a database that cannot be reached is a 503 the client may retry.
"""

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import UniqueConstraint, text

from cybervpn.config import DatabaseSettings
from cybervpn.infrastructure.persistence.base import Base
from cybervpn.infrastructure.persistence.integrity import (
    CONFLICT_BY_CONSTRAINT,
    DEDUPLICATING_CONSTRAINTS,
)
from tests.conftest import BACKEND, _admin_sql
from tests.helpers import API, register

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


async def test_a_connection_lost_mid_request_is_a_503_and_the_next_one_works(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    if BACKEND == "sqlite":
        # An embedded file has no connection for the server to drop; the
        # unreachable-database test covers SQLite.
        assert database_url.startswith("sqlite")
        return
    database = DatabaseSettings(url=database_url, pool_size=1, max_overflow=0)
    async with client_factory(database=database) as (app, client):
        assert (await register(client, "before@example.com")).status_code == 201
        # The server ends the app's only pooled connection: it is dead when the
        # next request takes it from the pool.
        async with app.state.container.engine.connect() as connection:
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
        await _admin_sql(f"SELECT pg_terminate_backend({int(pid)})")
        lost = await client.post(
            f"{API}/auth/login",
            json={"email": "before@example.com", "password": "x" * 12},
        )
        assert lost.status_code == 503
        assert lost.json()["code"] == "storage_unavailable"
        again = await register(client, "after@example.com")
        assert again.status_code == 201
