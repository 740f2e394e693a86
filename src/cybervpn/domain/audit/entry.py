"""The audit log: who did what to which entity, from where."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4


class AuditAction(StrEnum):
    ACCOUNT_REGISTERED = "account.registered"
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_UPDATED = "account.updated"
    ACCOUNT_DELETED = "account.deleted"
    EMAIL_VERIFIED = "account.email_verified"
    EMAIL_CHANGE_REQUESTED = "account.email_change_requested"
    PASSWORD_RESET = "auth.password_reset"  # noqa: S105 - an event name
    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    LOGIN_CHALLENGED = "auth.login_challenged"
    TWO_FACTOR_LOGIN_FAILED = "auth.two_factor_failed"
    REFRESH_REUSE_DETECTED = "auth.refresh_reuse_detected"
    LOGOUT = "auth.logout"
    LOGOUT_ALL = "auth.logout_all"
    PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 - an event name
    TWO_FACTOR_SETUP_STARTED = "two_factor.setup_started"
    TWO_FACTOR_ENABLED = "two_factor.enabled"
    TWO_FACTOR_DISABLED = "two_factor.disabled"
    BACKUP_CODES_REGENERATED = "two_factor.backup_codes_regenerated"
    BACKUP_CODE_USED = "two_factor.backup_code_used"
    VPN_USER_CREATED = "vpn_user.created"
    VPN_USER_UPDATED = "vpn_user.updated"
    VPN_USER_DELETED = "vpn_user.deleted"
    VPN_USER_ACTION = "vpn_user.action"
    VPN_USER_DEVICES_REMOVED = "vpn_user.devices_removed"
    VPN_USERS_BULK_ACTION = "vpn_user.bulk_action"
    SERVER_CREATED = "server.created"
    SERVER_UPDATED = "server.updated"
    SERVER_DELETED = "server.deleted"
    SERVER_ACTION = "server.action"
    SERVER_GEOLOCATION_SET = "server.geolocation_set"
    HOST_CREATED = "host.created"
    HOST_UPDATED = "host.updated"
    HOST_DELETED = "host.deleted"
    SQUAD_CREATED = "squad.created"
    SQUAD_UPDATED = "squad.updated"
    SQUAD_DELETED = "squad.deleted"
    SQUAD_MEMBERS_ADDED = "squad.members_added"
    SQUAD_MEMBERS_REMOVED = "squad.members_removed"
    OUTBOX_RETRIED = "outbox.retried"
    PLAN_CREATED = "plan.created"
    PLAN_UPDATED = "plan.updated"
    PLAN_DELETED = "plan.deleted"
    PROVISIONING_RETRIED = "provisioning.retried"
    PROMO_CODE_CREATED = "promo_code.created"
    PROMO_CODE_UPDATED = "promo_code.updated"
    PROMO_CODE_DELETED = "promo_code.deleted"
    IDENTITY_LINKED = "identity.linked"
    IDENTITY_UNLINKED = "identity.unlinked"
    SERVICE_TOKEN_CREATED = "service_token.created"  # noqa: S105 - an event name
    SERVICE_TOKEN_REVOKED = "service_token.revoked"  # noqa: S105 - an event name
    BOT_SESSION_ISSUED = "bot.session_issued"
    PAYMENT_REFUNDED = "payment.refunded"
    SUBSCRIPTION_LINK_REVOKED = "subscription.link_revoked"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditOrigin:
    """Where a request came from, as the audit log records it."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    action: AuditAction
    occurred_at: datetime
    actor_id: UUID | None
    entity_type: str
    entity_id: str | None
    origin: AuditOrigin
    before: dict[str, object] | None = None
    after: dict[str, object] | None = None
    id: UUID = field(default_factory=uuid4)
