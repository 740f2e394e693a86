"""Service tokens: how our own services (the Telegram bot) call the API as
themselves, with only the scopes staff granted them."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

# Lets a leaked token be recognised by secret scanners and in logs.
SERVICE_TOKEN_PREFIX = "cvst_"  # noqa: S105 - a prefix, not a secret


class ServiceScope(StrEnum):
    # Exchange a Telegram user id for that customer's access token (the bot).
    TELEGRAM_SESSIONS = "telegram:sessions"


@dataclass(slots=True, kw_only=True)
class ServiceToken:
    """Stored as a digest: the token itself is shown once, when it is made."""

    name: str
    scopes: frozenset[ServiceScope]
    token_digest: str
    created_at: datetime
    created_by: UUID | None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or now < self.expires_at
        )

    def snapshot(self) -> dict[str, object]:
        """What the audit log records (never the digest)."""
        return {
            "name": self.name,
            "scopes": sorted(self.scopes),
            "expires_at": self.expires_at,
        }


class ServiceTokenRepository(Protocol):
    async def add(self, token: ServiceToken) -> None: ...
    async def get(self, token_id: UUID) -> ServiceToken | None: ...
    async def find_by_digest(self, digest: str) -> ServiceToken | None: ...
    async def list(
        self, *, limit: int, offset: int
    ) -> tuple[Sequence[ServiceToken], int]:
        """Newest first."""
        ...

    async def save(self, token: ServiceToken) -> None: ...
