"""The unit of work over one SQLAlchemy session (one per request or job)."""

from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.infrastructure.persistence.repositories.accounts import (
    SqlAccountRepository,
)
from cybervpn.infrastructure.persistence.repositories.audit import (
    SqlAuditLogRepository,
)
from cybervpn.infrastructure.persistence.repositories.email_tokens import (
    SqlEmailTokenRepository,
)
from cybervpn.infrastructure.persistence.repositories.geolocations import (
    SqlServerGeolocationRepository,
)
from cybervpn.infrastructure.persistence.repositories.identities import (
    SqlIdentityRepository,
)
from cybervpn.infrastructure.persistence.repositories.notifications import (
    SqlNotificationRepository,
)
from cybervpn.infrastructure.persistence.repositories.outbox import SqlOutboxRepository
from cybervpn.infrastructure.persistence.repositories.payments import (
    SqlPaymentRepository,
)
from cybervpn.infrastructure.persistence.repositories.plans import SqlPlanRepository
from cybervpn.infrastructure.persistence.repositories.promo_codes import (
    SqlPromoCodeRepository,
)
from cybervpn.infrastructure.persistence.repositories.referrals import (
    SqlReferralRepository,
)
from cybervpn.infrastructure.persistence.repositories.service_tokens import (
    SqlServiceTokenRepository,
)
from cybervpn.infrastructure.persistence.repositories.sessions import (
    SqlRefreshTokenRepository,
    SqlSessionRepository,
)
from cybervpn.infrastructure.persistence.repositories.subscriptions import (
    SqlSubscriptionRepository,
)
from cybervpn.infrastructure.persistence.repositories.trial_claims import (
    SqlTrialClaimRepository,
)
from cybervpn.infrastructure.persistence.repositories.two_factor import (
    SqlBackupCodeRepository,
    SqlTotpCredentialRepository,
)
from cybervpn.infrastructure.persistence.repositories.webhooks import (
    SqlWebhookLogRepository,
)

type AfterCommit = Callable[[Sequence[UUID]], Awaitable[None]]


class SqlUnitOfWork:
    """Repositories share the session; only `commit` ends the transaction. Outbox
    messages added in a transaction go to `after_commit` once it has committed."""

    def __init__(
        self, session: AsyncSession, after_commit: AfterCommit | None = None
    ) -> None:
        self._session = session
        self._after_commit = after_commit
        self.accounts = SqlAccountRepository(session)
        self.identities = SqlIdentityRepository(session)
        self.email_tokens = SqlEmailTokenRepository(session)
        self.sessions = SqlSessionRepository(session)
        self.refresh_tokens = SqlRefreshTokenRepository(session)
        self.service_tokens = SqlServiceTokenRepository(session)
        self.totp_credentials = SqlTotpCredentialRepository(session)
        self.backup_codes = SqlBackupCodeRepository(session)
        self.audit_log = SqlAuditLogRepository(session)
        self.server_geolocations = SqlServerGeolocationRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.notifications = SqlNotificationRepository(session)
        self.webhook_log = SqlWebhookLogRepository(session)
        self.plans = SqlPlanRepository(session)
        self.subscriptions = SqlSubscriptionRepository(session)
        self.trial_claims = SqlTrialClaimRepository(session)
        self.payments = SqlPaymentRepository(session)
        self.promo_codes = SqlPromoCodeRepository(session)
        self.referrals = SqlReferralRepository(session)

    async def commit(self) -> None:
        await self._session.commit()
        added = self.outbox.added_ids()
        if added and self._after_commit is not None:
            await self._after_commit(added)

    async def rollback(self) -> None:
        await self._session.rollback()
        self.outbox.added_ids()
