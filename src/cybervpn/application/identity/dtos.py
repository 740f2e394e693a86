"""Data the identity use cases take and return (never domain entities)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Role


@dataclass(frozen=True, slots=True)
class AccountView:
    id: UUID
    email: str | None
    email_verified_at: datetime | None
    language: str | None
    role: Role
    is_active: bool
    two_factor_enabled: bool
    telegram_id: int | None
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None

    @classmethod
    def of(cls, account: Account) -> "AccountView":
        return cls(
            id=account.id,
            email=account.email,
            email_verified_at=account.email_verified_at,
            language=account.language,
            role=account.role,
            is_active=account.is_active,
            two_factor_enabled=account.two_factor_enabled,
            telegram_id=account.telegram_id,
            created_at=account.created_at,
            updated_at=account.updated_at,
            last_login_at=account.last_login_at,
        )


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type


@dataclass(frozen=True, slots=True)
class TwoFactorChallenge:
    challenge_token: str


type LoginOutcome = TokenPair | TwoFactorChallenge


@dataclass(frozen=True, slots=True)
class TwoFactorSetup:
    secret: str
    otpauth_uri: str


@dataclass(frozen=True, slots=True)
class TwoFactorStatus:
    enabled: bool
    pending_setup: bool
    enabled_at: datetime | None
    backup_codes_remaining: int


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """Lifetimes of a login: refresh tokens rotate within the absolute session age."""

    refresh_token_ttl: timedelta
    session_max_age: timedelta
