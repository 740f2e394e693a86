"""Password logins on PostgreSQL, straight on the driver.

A login through the unit of work took nine statements (the read and its rollback,
the login time, the session, its refresh token, the audit entry, BEGIN and COMMIT,
two liveness checks), and SQLAlchemy's work on them cost the event loop more than a
quarter of the Argon2id hash. Here the read is one statement and the writes are one
more: data-modifying CTEs, atomic as any single statement is. ADR 0003 has the
figures; `UnitOfWorkSignIns` is the same store on SQLite.
"""

import json

from sqlalchemy import bindparam, select

from cybervpn.application.identity.sign_in_store import SignInRecord
from cybervpn.domain.audit.entry import AuditEntry
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession, RefreshToken
from cybervpn.infrastructure.persistence.driver import POSTGRESQL, DriverPool
from cybervpn.infrastructure.persistence.models.identity import AccountModel
from cybervpn.infrastructure.persistence.repositories.accounts import (
    account_from_columns,
)

_ACCOUNT_BY_EMAIL = str(
    select(AccountModel.__table__)
    .where(AccountModel.__table__.c.email == bindparam("email"))
    .compile(dialect=POSTGRESQL)
)

# Each part runs only when the record has it: the login time or new hash once the
# password passed, the session and its first refresh token once there are tokens.
# Foreign keys are checked at the end of the statement, so the refresh token may
# name the session inserted beside it.
_RECORD_SIGN_IN = """
WITH login AS (
    UPDATE accounts
    SET last_login_at = coalesce($2::timestamptz, last_login_at),
        password_hash = coalesce($3::varchar, password_hash)
    WHERE id = $1::uuid
        AND ($2::timestamptz IS NOT NULL OR $3::varchar IS NOT NULL)
), new_session AS (
    INSERT INTO auth_sessions (id, account_id, created_at, expires_at, ip, user_agent)
    SELECT $4::uuid, $1::uuid, $5::timestamptz, $6::timestamptz,
        $7::varchar, $8::varchar
    WHERE $4::uuid IS NOT NULL
), first_refresh_token AS (
    INSERT INTO refresh_tokens (id, session_id, token_hash, issued_at, expires_at)
    SELECT $9::uuid, $4::uuid, $10::varchar, $11::timestamptz, $12::timestamptz
    WHERE $9::uuid IS NOT NULL
)
INSERT INTO audit_log (
    id, occurred_at, actor_id, action, entity_type, entity_id,
    before, after, ip, user_agent, request_id
)
VALUES ($13, $14, $15, $16, $17, $18, $19::json, $20::json, $21, $22, $23)
"""


class DriverSignIns:
    def __init__(self, pool: DriverPool) -> None:
        self._pool = pool

    async def account_by_email(self, email: str) -> Account | None:
        row = await self._pool.fetchrow(_ACCOUNT_BY_EMAIL, email)
        return None if row is None else account_from_columns(row)

    async def record(self, sign_in: SignInRecord) -> None:
        await self._pool.insert_once(
            _RECORD_SIGN_IN,
            sign_in.account_id,
            sign_in.logged_in_at,
            sign_in.password_hash,
            *_session_values(sign_in.session),
            *_refresh_token_values(sign_in.refresh_token),
            *_audit_values(sign_in.audit),
        )


def _session_values(session: AuthSession | None) -> tuple[object, ...]:
    """$4–$8, all NULL when the sign-in started no session."""
    if session is None:
        return (None,) * 5
    return (
        session.id,
        session.created_at,
        session.expires_at,
        session.ip,
        session.user_agent,
    )


def _refresh_token_values(token: RefreshToken | None) -> tuple[object, ...]:
    """$9–$12, all NULL without tokens."""
    if token is None:
        return (None,) * 4
    return (token.id, token.token_hash, token.issued_at, token.expires_at)


def _audit_values(entry: AuditEntry) -> tuple[object, ...]:
    """$13–$23."""
    return (
        entry.id,
        entry.occurred_at,
        entry.actor_id,
        entry.action.value,
        entry.entity_type,
        entry.entity_id,
        # As SQLAlchemy's JSON type stores them: no record is JSON null.
        json.dumps(entry.before),
        json.dumps(entry.after),
        entry.origin.ip,
        entry.origin.user_agent,
        entry.origin.request_id,
    )
