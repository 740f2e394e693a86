"""A customer deletes their account and takes their data with them."""

from dataclasses import dataclass, replace
from uuid import UUID

from cybervpn.application.audit.trail import AuditTrail
from cybervpn.application.billing.ports import StarsPayments
from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.application.identity.ports import PasswordHasher
from cybervpn.application.identity.reauthentication import ensure_recent_sign_in
from cybervpn.application.identity.second_factor import SecondFactorVerifier
from cybervpn.application.identity.telegram import TelegramUser
from cybervpn.application.subscriptions.provisioning import enqueue_deprovisioning
from cybervpn.domain.audit.entry import AuditAction, AuditOrigin
from cybervpn.domain.billing.payment import PaymentFilter, PaymentStatus
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.errors import (
    AccountNotFoundError,
    InvalidTwoFactorCodeError,
    StaffAccountError,
    TelegramAuthInvalidError,
    WrongPasswordError,
)
from cybervpn.domain.identity.roles import Role


@dataclass(frozen=True, slots=True, kw_only=True)
class DeletionProof:
    """What the owner gives again to delete the account."""

    password: str | None = None
    code: str | None = None  # TOTP or backup code, with 2FA
    telegram: TelegramUser | None = None  # fresh, signed Mini App init data


class DeleteMyAccount:
    """Business rules:
    - only customers delete themselves (staff accounts are closed by another
      administrator: 403 `staff_account`);
    - the owner proves it is them again: the password (and a second factor with
      2FA); without a password, fresh Telegram init data of the linked Telegram
      user; with neither, a sign-in in the last 10 minutes;
    - a Telegram Stars renewal is cancelled first and recorded on its own
      (Telegram must stop charging; if it cannot be told, nothing changes: 503);
    - then, in one transaction: every session ends, the VPN user is deleted from
      the panel through the outbox, identities, 2FA secrets, notifications and the
      subscription are deleted, unpaid invoices expire (a late payment is then
      flagged for staff, never credited), payments keep amounts and dates only,
      and the account keeps its id with no personal data and cannot sign in;
    - audited, without personal data.
    """

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        clock: Clock,
        hasher: PasswordHasher,
        second_factor: SecondFactorVerifier,
        stars: StarsPayments,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._second_factor = second_factor
        self._stars = stars

    async def execute(
        self, account_id: UUID, proof: DeletionProof, *, origin: AuditOrigin
    ) -> None:
        account = await self._uow.accounts.get(account_id)
        if account is None:
            raise AccountNotFoundError
        if account.role is not Role.CUSTOMER:
            raise StaffAccountError
        await self._confirm(account, proof)
        await self._cancel_stars_renewal(account_id)
        account = await self._uow.accounts.get(account_id, for_update=True)
        if account is None or account.deleted_at is not None:  # deleted meanwhile
            raise AccountNotFoundError
        now = self._clock.now()
        subscription = await self._uow.subscriptions.for_account(
            account_id, for_update=True
        )
        if subscription is not None:
            enqueue_deprovisioning(
                self._uow, account_id, subscription.vpn_user_id, now=now
            )
            await self._uow.subscriptions.delete(account_id)
        await self._expire_unpaid(account_id)
        await self._uow.payments.erase_payer(account_id)
        await self._uow.notifications.erase_for(account_id)
        await self._uow.identities.remove_all(account_id)
        await self._uow.totp_credentials.delete(account_id)
        await self._uow.backup_codes.delete_all(account_id)
        sessions = await self._uow.sessions.revoke_all(account_id, now)
        account.erase(now)
        await self._uow.accounts.update(account)
        await AuditTrail(self._uow, self._clock).record(
            AuditAction.ACCOUNT_DELETED,
            origin=origin,
            actor_id=account_id,
            entity_id=account_id,
            after={"sessions_revoked": sessions},
        )
        await self._uow.commit()

    async def _confirm(self, account: Account, proof: DeletionProof) -> None:
        if account.password_hash is not None:
            checked = await self._hasher.verify(
                account.password_hash, proof.password or ""
            )
            if not checked.valid:
                raise WrongPasswordError
            if account.two_factor_enabled and (
                proof.code is None
                or await self._second_factor.verify(account.id, proof.code) is None
            ):
                raise InvalidTwoFactorCodeError
        elif account.telegram_id is not None:
            if proof.telegram is None or proof.telegram.id != account.telegram_id:
                raise TelegramAuthInvalidError
        else:
            ensure_recent_sign_in(account, self._clock.now())

    async def _cancel_stars_renewal(self, account_id: UUID) -> None:
        subscription = await self._uow.subscriptions.for_account(account_id)
        renewal = None if subscription is None else subscription.stars_renewal
        if renewal is None or not renewal.enabled:
            return
        await self._stars.set_renewal(
            payer_telegram_id=renewal.payer_telegram_id,
            charge_id=renewal.charge_id,
            enabled=False,
        )
        await self._uow.subscriptions.record_stars_renewal(
            account_id, replace(renewal, enabled=False)
        )
        await self._uow.commit()

    async def _expire_unpaid(self, account_id: UUID) -> None:
        unpaid = PaymentFilter(account_id=account_id, status=PaymentStatus.PENDING)
        while True:
            pending, _ = await self._uow.payments.list(unpaid, limit=100, offset=0)
            if not pending:
                return
            for payment in pending:
                await self._uow.payments.mark_expired(payment.id)
