"""The password login's store, on the backend under test: on PostgreSQL the driver
(`DriverSignIns`), on SQLite units of work of its own. Whatever a sign-in records
reads back through the repositories exactly as it was made."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from cybervpn.application.identity.sign_in_store import SignInRecord, SignInStore
from cybervpn.config import DatabaseSettings
from cybervpn.domain.audit.entry import AuditAction, AuditEntry, AuditOrigin
from cybervpn.domain.audit.repositories import AuditFilter
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession, RefreshToken
from cybervpn.infrastructure.persistence.driver import DriverPool
from tests.conftest import BACKEND
from tests.helpers import login, register

pytestmark = pytest.mark.integration
ORIGIN = AuditOrigin(ip="198.51.100.7", user_agent="app/1.0", request_id="r-1")


async def _account(app: FastAPI, client: httpx.AsyncClient) -> Account:
    assert (await register(client, "store@example.com")).status_code == 201
    store: SignInStore = app.state.container.sign_ins
    account = await store.account_by_email("store@example.com")
    assert account is not None
    return account


def _entry(action: AuditAction, account: Account | None) -> AuditEntry:
    return AuditEntry(
        action=action,
        occurred_at=_now(),
        actor_id=None if account is None else account.id,
        entity_type="account",
        entity_id=None if account is None else str(account.id),
        origin=ORIGIN,
        after={"method": "password"},
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def _audit(app: FastAPI, action: AuditAction) -> list[AuditEntry]:
    async with app.state.container.uow_factory() as uow:
        entries, _ = await uow.audit_log.list(
            AuditFilter(action=action.value), limit=10, offset=0
        )
    return list(entries)


async def test_the_account_by_email_is_the_one_the_repository_reads(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    account = await _account(app, client)
    async with app.state.container.uow_factory() as uow:
        assert await uow.accounts.get_by_email("store@example.com") == account
    assert await app.state.container.sign_ins.account_by_email("x@example.com") is None


async def test_a_sign_in_with_tokens_writes_everything_it_made(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    account = await _account(app, client)
    now = _now()
    session = AuthSession.start(
        account_id=account.id,
        now=now,
        expires_at=now + timedelta(days=30),
        ip=ORIGIN.ip,
        user_agent=ORIGIN.user_agent,
    )
    refresh = RefreshToken(
        id=uuid4(),
        session_id=session.id,
        token_hash="f" * 64,
        issued_at=now,
        expires_at=now + timedelta(days=7),
    )
    entry = _entry(AuditAction.LOGIN_SUCCEEDED, account)
    await app.state.container.sign_ins.record(
        SignInRecord(
            audit=entry,
            account_id=account.id,
            logged_in_at=now,
            password_hash="$argon2id$upgraded",
            session=session,
            refresh_token=refresh,
        )
    )
    async with app.state.container.uow_factory() as uow:
        stored = await uow.accounts.get(account.id)
        assert stored is not None
        assert stored.last_login_at == now
        assert stored.password_hash == "$argon2id$upgraded"
        assert await uow.sessions.get(session.id) == session
        assert await uow.refresh_tokens.get_by_hash("f" * 64) == refresh
    assert await _audit(app, AuditAction.LOGIN_SUCCEEDED) == [entry]


async def test_a_challenged_sign_in_changes_nothing_but_an_outdated_hash(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    account = await _account(app, client)
    entry = _entry(AuditAction.LOGIN_CHALLENGED, account)
    await app.state.container.sign_ins.record(
        SignInRecord(audit=entry, account_id=account.id)
    )
    async with app.state.container.uow_factory() as uow:
        assert await uow.accounts.get(account.id) == account
    assert await _audit(app, AuditAction.LOGIN_CHALLENGED) == [entry]


async def test_a_failed_attempt_writes_only_its_audit_entry(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    account = await _account(app, client)
    entry = AuditEntry(
        action=AuditAction.LOGIN_FAILED,
        occurred_at=_now(),
        actor_id=None,
        entity_type="account",
        entity_id=None,
        origin=AuditOrigin(),
        after={"email": "nobody@example.com", "reason": "unknown"},
    )
    await app.state.container.sign_ins.record(SignInRecord(audit=entry))
    async with app.state.container.uow_factory() as uow:
        assert await uow.accounts.get(account.id) == account
    assert await _audit(app, AuditAction.LOGIN_FAILED) == [entry]


async def _blocked_backend(admin: asyncpg.Connection) -> int:
    """The backend waiting for the admin's table lock."""
    waiting = None
    while waiting is None:
        await asyncio.sleep(0.01)
        waiting = await admin.fetchval(
            "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
    return int(waiting)


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_login_whose_write_is_cut_off_is_written_once_on_a_new_connection(
    client_factory: Callable[..., Any], database_url: str
) -> None:
    async with client_factory(database=DatabaseSettings(url=database_url)) as (
        _app,
        client,
    ):
        assert (await register(client, "cut@example.com")).status_code == 201
        admin = await asyncpg.connect(database_url.replace("+asyncpg", ""))
        try:
            locking = admin.transaction()
            await locking.start()
            await admin.execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")
            signing_in = asyncio.create_task(login(client, "cut@example.com"))
            await admin.execute(
                "SELECT pg_terminate_backend($1)", await _blocked_backend(admin)
            )
            await locking.rollback()
            response = await asyncio.wait_for(signing_in, timeout=10)
            sessions = await admin.fetchval("SELECT count(*) FROM auth_sessions")
        finally:
            await admin.close()
    assert response.status_code == 200
    assert sessions == 1


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_retried_write_that_had_committed_stands(database_url: str) -> None:
    # The first run's answer is lost with its connection, but the row is there (the
    # admin writes it here, as a commit whose reply never arrived would have).
    pool = DriverPool(database_url, max_size=1)
    row_id = uuid4()
    insert = (
        "INSERT INTO audit_log (id, occurred_at, action, entity_type) "
        "VALUES ($1, now(), 'probe', 'probe')"
    )
    admin = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    try:
        locking = admin.transaction()
        await locking.start()
        await admin.execute("LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE")
        write = asyncio.create_task(pool.insert_once(insert, row_id))
        blocked = await _blocked_backend(admin)
        await admin.execute(insert, row_id)
        await admin.execute("SELECT pg_terminate_backend($1)", blocked)
        await locking.commit()
        await asyncio.wait_for(write, timeout=10)
        rows = await admin.fetchval(
            "SELECT count(*) FROM audit_log WHERE id = $1", row_id
        )
    finally:
        await admin.close()
        await pool.aclose()
    assert rows == 1


@pytest.mark.skipif(BACKEND == "sqlite", reason="an embedded file has no connection")
async def test_a_duplicate_key_on_a_first_run_is_an_error(database_url: str) -> None:
    pool = DriverPool(database_url, max_size=1)
    insert = (
        "INSERT INTO audit_log (id, occurred_at, action, entity_type) "
        "VALUES ($1, now(), 'probe', 'probe')"
    )
    row_id = uuid4()
    try:
        await pool.insert_once(insert, row_id)
        with pytest.raises(asyncpg.UniqueViolationError):
            await pool.insert_once(insert, row_id)
    finally:
        await pool.aclose()
