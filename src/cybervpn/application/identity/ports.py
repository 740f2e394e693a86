"""Ports of the identity context for outside services (hashing, tokens, TOTP)."""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class PasswordCheck:
    valid: bool
    needs_rehash: bool = False


class PasswordHasher(Protocol):
    """Slow, salted password hashing that never runs on the event loop.

    Raises ServiceBusyError when every hashing worker is busy and the queue is full.
    """

    async def hash(self, password: str) -> str: ...
    async def verify(self, password_hash: str | None, password: str) -> PasswordCheck:
        """No hash (an account that signs in with Telegram only) is a wrong
        password, found in the time of a real check."""
        ...

    async def burn(self, password: str) -> None:
        """Spend the time of one verification, so unknown e-mails cost the same."""
        ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    account_id: UUID
    session_id: UUID


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    expires_in: int


class AccessTokenService(Protocol):
    def issue(self, account_id: UUID, session_id: UUID) -> IssuedAccessToken: ...
    def verify(self, token: str) -> AccessClaims:
        """Raise InvalidTokenError for anything but a valid, unexpired token."""
        ...


class ChallengeTokenService(Protocol):
    """Short-lived proof that the password step of a 2FA login succeeded."""

    def issue(self, account_id: UUID) -> str: ...
    def verify(self, token: str) -> UUID:
        """The account id, or InvalidTokenError."""
        ...


class TotpService(Protocol):
    def new_secret(self) -> str: ...
    def provisioning_uri(self, secret: str, account_name: str) -> str: ...
    def matching_timecode(self, secret: str, code: str) -> int | None:
        """The time step the code belongs to (±1 step), or None."""
        ...


class SecretCipher(Protocol):
    """Encryption at rest for secrets we must read back (TOTP seeds)."""

    def encrypt(self, plaintext: str) -> str: ...
    def decrypt(self, ciphertext: str) -> str: ...


class OpaqueTokens(Protocol):
    """High-entropy random tokens and their stored digests."""

    def new_refresh_token(self) -> str: ...
    def new_service_token(self) -> str: ...
    def new_backup_codes(self, count: int) -> list[str]: ...
    def new_link_token(self) -> str: ...
    def digest(self, value: str) -> str: ...
