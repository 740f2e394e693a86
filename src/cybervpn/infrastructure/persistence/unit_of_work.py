"""The unit of work over one SQLAlchemy session (one per request or job)."""

from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.infrastructure.persistence.repositories.accounts import (
    SqlAccountRepository,
)
from cybervpn.infrastructure.persistence.repositories.audit import (
    SqlAuditLogRepository,
)
from cybervpn.infrastructure.persistence.repositories.geolocations import (
    SqlServerGeolocationRepository,
)
from cybervpn.infrastructure.persistence.repositories.sessions import (
    SqlRefreshTokenRepository,
    SqlSessionRepository,
)
from cybervpn.infrastructure.persistence.repositories.two_factor import (
    SqlBackupCodeRepository,
    SqlTotpCredentialRepository,
)


class SqlUnitOfWork:
    """Repositories share the session; only `commit` ends the transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self.accounts = SqlAccountRepository(session)
        self.sessions = SqlSessionRepository(session)
        self.refresh_tokens = SqlRefreshTokenRepository(session)
        self.totp_credentials = SqlTotpCredentialRepository(session)
        self.backup_codes = SqlBackupCodeRepository(session)
        self.audit_log = SqlAuditLogRepository(session)
        self.server_geolocations = SqlServerGeolocationRepository(session)

    async def commit(self) -> None:
        await self._session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()
