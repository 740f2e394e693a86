"""Staff (or the console) creating an account with a chosen role."""

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.dtos import AccountView
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.identity.account import Account, ensure_may_assign_role
from cybervpn.domain.identity.email import normalize_email
from cybervpn.domain.identity.errors import EmailAlreadyRegisteredError
from cybervpn.domain.identity.roles import Role


class CreateAccount:
    """Create an account of any role the actor may grant.

    Only a super admin creates admins and super admins. The actor is None only for
    the operator console (`cybervpn create-admin`), which is trusted.
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
        actor: Account | None,
        email: str,
        password: str,
        role: Role,
        origin: AuditOrigin,
        is_active: bool = True,
    ) -> AccountView:
        if actor is not None:
            ensure_may_assign_role(actor, role)
        email = normalize_email(email)
        if await self._uow.accounts.email_exists(email):
            raise EmailAlreadyRegisteredError
        account = Account.open(
            email=email,
            password_hash=await self._hasher.hash(password),
            role=role,
            is_active=is_active,
            now=self._clock.now(),
        )
        await self._uow.accounts.add(account)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.ACCOUNT_CREATED,
            origin=origin,
            actor_id=actor.id if actor else None,
            entity_id=account.id,
            after=account.snapshot(),
        )
        await self._uow.commit()
        return AccountView.of(account)
