"""Where a sign-in reads its account and writes what it did.

A password login is the one write on a hot path that every customer takes, and it
touches four tables. The store lets it read the account and write all four in one
step each, outside a unit of work: on PostgreSQL straight on the driver
(`DriverSignIns`, ADR 0003); on SQLite each in a unit of work of its own
(`SignInsInOwnUnitsOfWork`); and in the transaction of a Telegram or OAuth sign-in,
which may have just opened the account, through that sign-in's unit of work
(`UnitOfWorkSignIns`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork, UnitOfWorkFactory
from cybervpn.domain.audit.entry import AuditEntry
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.session import AuthSession, RefreshToken


@dataclass(frozen=True, slots=True)
class SignInRecord:
    """What one sign-in attempt writes, all or nothing: always its audit entry; once
    it got past the password, the account's login time (None when a second factor
    is still due) and the upgraded hash (None when the old one is current); once it
    got tokens, the new session and that session's first refresh token."""

    audit: AuditEntry
    account_id: UUID | None = None
    logged_in_at: datetime | None = None
    password_hash: str | None = None
    session: AuthSession | None = None
    refresh_token: RefreshToken | None = None


class SignInStore(Protocol):
    async def account_by_email(self, email: str) -> Account | None:
        """The account, read without keeping a transaction open: the password is
        checked after it, and a login flood must not hold one database connection
        (on SQLite, the write lock) per password being checked."""
        ...

    async def record(self, sign_in: SignInRecord) -> None:
        """Writes and commits the attempt."""
        ...


class UnitOfWorkSignIns:
    """The store over a unit of work: `record` commits whatever else the unit of
    work holds (the account a Telegram or OAuth sign-in has just opened)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def account_by_email(self, email: str) -> Account | None:
        account = await self._uow.accounts.get_by_email(email)
        await self._uow.rollback()
        return account

    async def record(self, sign_in: SignInRecord) -> None:
        if sign_in.account_id is not None:
            await self._uow.accounts.record_login(
                sign_in.account_id,
                logged_in_at=sign_in.logged_in_at,
                password_hash=sign_in.password_hash,
            )
        if sign_in.session is not None:
            await self._uow.sessions.add(sign_in.session)
        if sign_in.refresh_token is not None:
            await self._uow.refresh_tokens.add(sign_in.refresh_token)
        await self._uow.audit_log.add(sign_in.audit)
        await self._uow.commit()


class SignInsInOwnUnitsOfWork:
    """The store for a password login, which needs no unit of work of its own in
    between: each call opens one and ends it."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    async def account_by_email(self, email: str) -> Account | None:
        async with self._uow_factory() as uow:
            return await UnitOfWorkSignIns(uow).account_by_email(email)

    async def record(self, sign_in: SignInRecord) -> None:
        async with self._uow_factory() as uow:
            await UnitOfWorkSignIns(uow).record(sign_in)
