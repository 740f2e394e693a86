"""Login sessions and their rotating refresh tokens.

A session is one login on one device: the refresh-token family. Access tokens name their
session, so revoking the session ends them at once.
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4


@dataclass(slots=True, kw_only=True)
class AuthSession:
    id: UUID
    account_id: UUID
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    ip: str | None = None
    user_agent: str | None = None
    # Set when a service (the bot) started the session for the account: revoking
    # the service token ends it too.
    service_token_id: UUID | None = None

    @classmethod
    def start(
        cls,
        *,
        account_id: UUID,
        now: datetime,
        expires_at: datetime,
        ip: str | None,
        user_agent: str | None,
        service_token_id: UUID | None = None,
    ) -> "AuthSession":
        return cls(
            id=uuid4(),
            account_id=account_id,
            created_at=now,
            expires_at=expires_at,
            ip=ip,
            user_agent=user_agent,
            service_token_id=service_token_id,
        )

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(slots=True, kw_only=True)
class RefreshToken:
    """A refresh token as stored: only the hash of the opaque value is kept."""

    id: UUID
    session_id: UUID
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
