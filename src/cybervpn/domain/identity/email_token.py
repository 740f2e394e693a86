"""Links sent by e-mail: proving an address is the owner's, and resetting a
forgotten password. Only a digest is kept; each link works once, for a while."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from cybervpn.domain.common.errors import DomainError


class EmailTokenPurpose(StrEnum):
    VERIFY = "verify"  # the address (a new one, for a change) is the owner's
    RESET = "reset"  # a forgotten password


LIFETIME = {
    EmailTokenPurpose.VERIFY: timedelta(hours=24),
    EmailTokenPurpose.RESET: timedelta(minutes=30),
}


class EmailTokenInvalidError(DomainError):
    code = "invalid_token"
    default_message = "This link is not valid or has expired"


@dataclass(slots=True, kw_only=True)
class EmailToken:
    account_id: UUID
    purpose: EmailTokenPurpose
    email: str  # the address the link went to
    digest: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @classmethod
    def issue(
        cls,
        *,
        account_id: UUID,
        purpose: EmailTokenPurpose,
        email: str,
        digest: str,
        now: datetime,
    ) -> "EmailToken":
        return cls(
            account_id=account_id,
            purpose=purpose,
            email=email,
            digest=digest,
            created_at=now,
            expires_at=now + LIFETIME[purpose],
        )


class EmailTokenRepository(Protocol):
    def add(self, token: EmailToken) -> None: ...
    async def consume(
        self, digest: str, purpose: EmailTokenPurpose, now: datetime
    ) -> EmailToken | None:
        """The unused, unexpired token, marked used; None otherwise. Two requests
        with one token: one gets it."""
        ...

    async def retire(
        self, account_id: UUID, purpose: EmailTokenPurpose, now: datetime
    ) -> None:
        """Every unused token of the account for the purpose stops working."""
        ...
