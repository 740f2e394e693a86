"""The account: a login identity in our database (customer or staff)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from cybervpn.domain.identity.errors import (
    RoleChangeForbiddenError,
    SelfModificationError,
)
from cybervpn.domain.identity.roles import Permission, Role, has_permission


@dataclass(slots=True, kw_only=True)
class Account:
    """Staff always have an e-mail and a password; a customer may have neither and
    sign in with Telegram (or another linked identity) instead."""

    id: UUID
    email: str | None
    password_hash: str | None
    role: Role
    is_active: bool
    two_factor_enabled: bool
    # The Telegram chat the customer proved is theirs: the only one we message.
    telegram_id: int | None
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None = None
    # Typed in at sign-up before Telegram sign-in existed; never messaged.
    unverified_telegram_id: int | None = None
    # When the owner proved the e-mail is theirs; None for a typed-in e-mail.
    email_verified_at: datetime | None = None
    # The owner deleted the account (see `erase`).
    deleted_at: datetime | None = None
    # What messages to the customer are written in ("en", "ru"); None: English.
    language: str | None = None

    @classmethod
    def open(
        cls,
        *,
        email: str | None,
        password_hash: str | None,
        role: Role,
        now: datetime,
        telegram_id: int | None = None,
        is_active: bool = True,
        email_verified: bool = False,
    ) -> "Account":
        return cls(
            id=uuid4(),
            email=email,
            password_hash=password_hash,
            role=role,
            is_active=is_active,
            two_factor_enabled=False,
            telegram_id=telegram_id,
            created_at=now,
            updated_at=now,
            email_verified_at=now if email_verified and email else None,
        )

    def can(self, permission: Permission) -> bool:
        return self.is_active and has_permission(self.role, permission)

    def erase(self, now: datetime) -> None:
        """The owner left: nothing that names them stays, and nothing signs in."""
        self.email = self.password_hash = None
        self.email_verified_at = None
        self.telegram_id = self.unverified_telegram_id = None
        self.is_active = self.two_factor_enabled = False
        self.deleted_at = self.updated_at = now

    def snapshot(self) -> dict[str, object]:
        """What the audit log records of an account (never the password hash)."""
        return {
            "email": self.email,
            "role": self.role.value,
            "is_active": self.is_active,
            "two_factor_enabled": self.two_factor_enabled,
            "telegram_id": self.telegram_id,
        }


def ensure_may_assign_role(actor: Account, new_role: Role) -> None:
    """Only a super admin grants admin rights; everyone else needs accounts:manage."""
    if new_role.is_administrator:
        if not actor.can(Permission.ADMINISTRATORS_MANAGE):
            raise RoleChangeForbiddenError
    elif not actor.can(Permission.ACCOUNTS_MANAGE):
        raise RoleChangeForbiddenError


def ensure_may_modify(actor: Account, target: Account) -> None:
    """Nobody changes their own role or status; administrators are a super admin's."""
    if actor.id == target.id:
        raise SelfModificationError
    if target.role.is_administrator and not actor.can(Permission.ADMINISTRATORS_MANAGE):
        raise RoleChangeForbiddenError
    if not actor.can(Permission.ACCOUNTS_MANAGE):
        raise RoleChangeForbiddenError
