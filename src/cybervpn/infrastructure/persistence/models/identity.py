"""Tables of the identity context."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from cybervpn.domain.identity.roles import Role
from cybervpn.infrastructure.persistence.base import Base

_ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class AccountModel(Base):
    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role_known"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    # When the owner proved the e-mail is theirs (a provider that verified it).
    email_verified_at: Mapped[datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32), index=True)
    is_active: Mapped[bool] = mapped_column(index=True)
    two_factor_enabled: Mapped[bool]
    # Proved by a signed Telegram login (kept with the telegram identity); the
    # only Telegram chat we message.
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    # Typed in at sign-up before sign-in with Telegram existed: never messaged.
    unverified_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    # The owner deleted the account: its personal data is gone, the row is kept.
    deleted_at: Mapped[datetime | None]
    # "en" or "ru": what messages are written in (None: English).
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]


class AuthSessionModel(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    service_token_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("service_tokens.id"), index=True
    )


class RefreshTokenModel(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    session_id: Mapped[UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class TotpCredentialModel(Base):
    __tablename__ = "totp_credentials"

    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    encrypted_secret: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    enabled_at: Mapped[datetime | None]
    last_timecode: Mapped[int | None] = mapped_column(BigInteger)


class BackupCodeModel(Base):
    __tablename__ = "backup_codes"
    __table_args__ = (
        UniqueConstraint(
            "account_id", "code_hash", name="uq_backup_codes_account_code"
        ),
        Index("ix_backup_codes_account_id", "account_id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class IdentityModel(Base):
    __tablename__ = "identities"
    __table_args__ = (
        UniqueConstraint(
            "provider", "provider_user_id", name="uq_identities_provider_user"
        ),
        UniqueConstraint(
            "account_id", "provider", name="uq_identities_account_provider"
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE")
    )
    provider: Mapped[str] = mapped_column(String(16))
    provider_user_id: Mapped[str] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    email_verified: Mapped[bool]
    language_code: Mapped[str | None] = mapped_column(String(16))
    linked_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class ServiceTokenModel(Base):
    __tablename__ = "service_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class EmailTokenModel(Base):
    __tablename__ = "email_tokens"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    account_id: Mapped[UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(320))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
