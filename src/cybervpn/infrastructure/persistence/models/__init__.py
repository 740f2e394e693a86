"""All tables, imported so that `Base.metadata` knows every one of them."""

from cybervpn.infrastructure.persistence.models.audit import AuditLogModel
from cybervpn.infrastructure.persistence.models.commerce import (
    PaymentModel,
    PlanModel,
    PromoCodeModel,
    ReferralCodeModel,
    ReferralModel,
    SubscriptionModel,
)
from cybervpn.infrastructure.persistence.models.fleet import ServerGeolocationModel
from cybervpn.infrastructure.persistence.models.identity import (
    AccountModel,
    AuthSessionModel,
    BackupCodeModel,
    IdentityModel,
    RefreshTokenModel,
    TotpCredentialModel,
)
from cybervpn.infrastructure.persistence.models.jobs import (
    NotificationModel,
    OutboxMessageModel,
)
from cybervpn.infrastructure.persistence.models.webhooks import WebhookDeliveryModel

__all__ = [
    "AccountModel",
    "AuditLogModel",
    "AuthSessionModel",
    "BackupCodeModel",
    "IdentityModel",
    "NotificationModel",
    "OutboxMessageModel",
    "PaymentModel",
    "PlanModel",
    "PromoCodeModel",
    "ReferralCodeModel",
    "ReferralModel",
    "RefreshTokenModel",
    "ServerGeolocationModel",
    "SubscriptionModel",
    "TotpCredentialModel",
    "WebhookDeliveryModel",
]
