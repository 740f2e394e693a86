"""Staff changing an account's role or active flag."""

from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import AccountView
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import (
    Account,
    ensure_may_assign_role,
    ensure_may_modify,
)
from cybervpn.domain.identity.errors import AccountNotFoundError
from cybervpn.domain.identity.roles import Role


class UpdateAccount:
    """Change role and/or active flag, within what the actor may grant.

    Nobody changes their own role or status. Deactivating an account ends all of its
    sessions in the same transaction, so it is locked out at once.
    """

    def __init__(self, *, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self,
        *,
        actor: Account,
        account_id: UUID,
        origin: AuditOrigin,
        role: Role | None = None,
        is_active: bool | None = None,
    ) -> AccountView:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        ensure_may_modify(actor, account)
        if role is not None and role != account.role:
            ensure_may_assign_role(actor, role)
        before = account.snapshot()
        now = self._clock.now()
        if role is not None:
            account.role = role
        if is_active is not None:
            account.is_active = is_active
        if account.snapshot() == before:
            return AccountView.of(account)
        account.updated_at = now
        await self._uow.accounts.update(account)
        if not account.is_active:
            await self._uow.sessions.revoke_all(account.id, now)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.ACCOUNT_UPDATED,
            origin=origin,
            actor_id=actor.id,
            entity_id=account.id,
            before=before,
            after=account.snapshot(),
        )
        await self._uow.commit()
        return AccountView.of(account)
