"""The unit of work: one transaction per use case, committed by the use case only."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cybervpn.domain.audit.repositories import AuditLogRepository
from cybervpn.domain.billing.payment import PaymentRepository
from cybervpn.domain.billing.promo_code import PromoCodeRepository
from cybervpn.domain.billing.referral import ReferralRepository
from cybervpn.domain.catalog.plan import PlanRepository
from cybervpn.domain.fleet.geolocation import ServerGeolocationRepository
from cybervpn.domain.identity.email_token import EmailTokenRepository
from cybervpn.domain.identity.identity import IdentityRepository
from cybervpn.domain.identity.repositories import (
    AccountRepository,
    BackupCodeRepository,
    RefreshTokenRepository,
    SessionRepository,
    TotpCredentialRepository,
)
from cybervpn.domain.identity.service_token import ServiceTokenRepository
from cybervpn.domain.jobs.outbox import OutboxRepository
from cybervpn.domain.notifications.notification import NotificationRepository
from cybervpn.domain.subscriptions.subscription import SubscriptionRepository
from cybervpn.domain.subscriptions.trial import TrialClaimRepository
from cybervpn.domain.webhooks.delivery import WebhookLogRepository


class UnitOfWork(Protocol):
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def identities(self) -> IdentityRepository: ...
    @property
    def email_tokens(self) -> EmailTokenRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...
    @property
    def service_tokens(self) -> ServiceTokenRepository: ...
    @property
    def totp_credentials(self) -> TotpCredentialRepository: ...
    @property
    def backup_codes(self) -> BackupCodeRepository: ...
    @property
    def audit_log(self) -> AuditLogRepository: ...
    @property
    def server_geolocations(self) -> ServerGeolocationRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def webhook_log(self) -> WebhookLogRepository: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def trial_claims(self) -> TrialClaimRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def promo_codes(self) -> PromoCodeRepository: ...
    @property
    def referrals(self) -> ReferralRepository: ...

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """A fresh unit of work for work outside a request (jobs, the sweeper)."""

    def __call__(self) -> AbstractAsyncContextManager[UnitOfWork]: ...
