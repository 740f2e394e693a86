"""Persistence ports of the identity context."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Role
from cybervpn.domain.identity.session import AuthSession, RefreshToken
from cybervpn.domain.identity.two_factor import TotpCredential


@dataclass(frozen=True, slots=True)
class AccountFilter:
    role: Role | None = None
    is_active: bool | None = None
    text: str | None = None


class AccountRepository(Protocol):
    async def get(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Account | None:
        """`for_update` locks the row until the transaction ends (PostgreSQL)."""
        ...

    async def get_by_email(self, email: str) -> Account | None: ...
    async def email_exists(self, email: str) -> bool: ...

    async def add(self, account: Account) -> None: ...
    async def update(self, account: Account) -> None: ...
    async def record_login(
        self,
        account_id: UUID,
        *,
        logged_in_at: datetime | None,
        password_hash: str | None,
    ) -> None:
        """Write only what a login changes, so it cannot undo a concurrent edit
        (a deactivation made while the password was being checked stays)."""
        ...

    async def list(
        self, account_filter: AccountFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Account], int]: ...


class AccountSessionLookup(Protocol):
    """Read-only, outside any unit of work: it runs on every authenticated request."""

    async def get_with_session(
        self, account_id: UUID, session_id: UUID
    ) -> tuple[Account, AuthSession] | None:
        """The account and one of its sessions in a single lookup."""
        ...


class SessionRepository(Protocol):
    async def add(self, session: AuthSession) -> None: ...
    async def get(self, session_id: UUID) -> AuthSession | None: ...
    async def revoke(self, session_id: UUID, now: datetime) -> None: ...
    async def revoke_all(
        self, account_id: UUID, now: datetime, *, except_session: UUID | None = None
    ) -> int: ...
    async def revoke_started_by(self, service_token_id: UUID, now: datetime) -> int:
        """End every session a service token started."""
        ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...
    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...
    async def mark_used(self, token_id: UUID, now: datetime) -> bool:
        """Set used_at if still unset; False when another request used it first."""
        ...


class TotpCredentialRepository(Protocol):
    async def get(self, account_id: UUID) -> TotpCredential | None: ...
    async def replace_pending(self, credential: TotpCredential) -> None:
        """Store a new, not yet enabled credential in place of any previous one."""
        ...

    async def mark_enabled(self, account_id: UUID, now: datetime) -> None: ...
    async def delete(self, account_id: UUID) -> None: ...
    async def claim_timecode(self, account_id: UUID, timecode: int) -> bool:
        """Record a used time step; False if it (or a later one) was used already."""
        ...


class BackupCodeRepository(Protocol):
    async def replace(self, account_id: UUID, code_hashes: Sequence[str]) -> None: ...
    async def consume(self, account_id: UUID, code_hash: str, now: datetime) -> bool:
        """Mark an unused code used; False when unknown or already used."""
        ...

    async def count_unused(self, account_id: UUID) -> int: ...
    async def delete_all(self, account_id: UUID) -> None: ...
