"""Roles, permissions and the rules for who may grant which role."""

from enum import StrEnum


class Role(StrEnum):
    SUPER_ADMIN = "super_admin"
    ADMIN = "admin"
    OPERATOR = "operator"
    SUPPORT = "support"
    VIEWER = "viewer"
    CUSTOMER = "customer"

    @property
    def is_staff(self) -> bool:
        return self is not Role.CUSTOMER

    @property
    def is_administrator(self) -> bool:
        """Admins and super admins: only a super admin may create or change them."""
        return self in (Role.SUPER_ADMIN, Role.ADMIN)


class Permission(StrEnum):
    ACCOUNTS_READ = "accounts:read"
    ACCOUNTS_MANAGE = "accounts:manage"
    ADMINISTRATORS_MANAGE = "administrators:manage"
    AUDIT_READ = "audit:read"
    FLEET_READ = "fleet:read"
    VPN_USERS_MANAGE = "vpn_users:manage"
    SERVERS_MANAGE = "servers:manage"
    OPERATIONS_MANAGE = "operations:manage"  # outbox, notifications, webhook log
    PLANS_MANAGE = "plans:manage"
    PAYMENTS_READ = "payments:read"
    PAYMENTS_REFUND = "payments:refund"
    PROMO_CODES_MANAGE = "promo_codes:manage"
    # Super admin only: a service token acts for any customer it names.
    SERVICE_TOKENS_MANAGE = "service_tokens:manage"


_VIEWER: frozenset[Permission] = frozenset({Permission.FLEET_READ})
_SUPPORT = _VIEWER | {Permission.ACCOUNTS_READ, Permission.PAYMENTS_READ}
_OPERATOR = _SUPPORT | {Permission.VPN_USERS_MANAGE}
_ADMIN = _OPERATOR | {
    Permission.ACCOUNTS_MANAGE,
    Permission.AUDIT_READ,
    Permission.SERVERS_MANAGE,
    Permission.OPERATIONS_MANAGE,
    Permission.PLANS_MANAGE,
    Permission.PAYMENTS_REFUND,
    Permission.PROMO_CODES_MANAGE,
}
_SUPER_ADMIN = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SUPER_ADMIN: _SUPER_ADMIN,
    Role.ADMIN: _ADMIN,
    Role.OPERATOR: _OPERATOR,
    Role.SUPPORT: _SUPPORT,
    Role.VIEWER: _VIEWER,
    Role.CUSTOMER: frozenset(),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
