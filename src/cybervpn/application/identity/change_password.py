"""Changing one's own password."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.errors import AccountNotFoundError, WrongPasswordError


class ChangePassword:
    """The current password must be given again; every other session is ended.

    The session making the change stays logged in (ASVS 7.4.3).
    """

    def __init__(
        self, *, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    async def execute(
        self,
        *,
        account_id: UUID,
        session_id: UUID,
        current_password: str,
        new_password: str,
        origin: AuditOrigin,
    ) -> None:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        check = await self._hasher.verify(account.password_hash, current_password)
        if not check.valid:
            raise WrongPasswordError
        now = self._clock.now()
        account.password_hash = await self._hasher.hash(new_password)
        account.updated_at = now
        await self._uow.accounts.update(account)
        revoked = await self._uow.sessions.revoke_all(
            account.id, now, except_session=session_id
        )
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.PASSWORD_CHANGED,
            origin=origin,
            actor_id=account.id,
            entity_id=account.id,
            after={"other_sessions_revoked": revoked},
        )
        await self._uow.commit()
