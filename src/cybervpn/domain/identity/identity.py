"""Linked identities: an account of Telegram, GitHub or Google that signs in to one
of ours. A provider's user belongs to at most one account, and an account has at most
one identity per provider."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4


class IdentityProvider(StrEnum):
    TELEGRAM = "telegram"
    GITHUB = "github"
    GOOGLE = "google"


class OAuthProvider(StrEnum):
    """The providers signed in to through OAuth 2 (Google: OpenID Connect)."""

    GITHUB = "github"
    GOOGLE = "google"

    @property
    def identity_provider(self) -> IdentityProvider:
        return IdentityProvider(self.value)


@dataclass(slots=True, kw_only=True)
class Identity:
    account_id: UUID
    provider: IdentityProvider
    provider_user_id: str
    linked_at: datetime
    username: str | None = None
    email: str | None = None
    email_verified: bool = False
    language_code: str | None = None
    last_used_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    def snapshot(self) -> dict[str, object]:
        """What the audit log records of a link or an unlink."""
        return {
            "provider": self.provider.value,
            "provider_user_id": self.provider_user_id,
            "username": self.username,
        }


class IdentityRepository(Protocol):
    async def find(
        self, provider: IdentityProvider, provider_user_id: str
    ) -> Identity | None: ...
    async def list_for_account(self, account_id: UUID) -> list[Identity]:
        """The account's identities, oldest link first."""
        ...

    async def add(self, identity: Identity) -> None: ...
    async def save(self, identity: Identity) -> None: ...
    async def remove(self, identity: Identity) -> None: ...
    async def remove_all(self, account_id: UUID) -> None: ...
