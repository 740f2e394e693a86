"""Referrals: codes and linking at sign-up (the reward is paid in CreditPayments)."""

from datetime import datetime
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.referral import (
    Referral,
    ReferralSummary,
    UnknownReferralCodeError,
    new_referral_code,
)

CODE_ATTEMPTS = 5


class GetReferralSummary:
    """Every account has a referral code: made the first time it is asked for."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, account_id: UUID) -> ReferralSummary:
        code = await self._code(account_id)
        referred, rewarded, days, pending = await self._uow.referrals.summary(
            account_id
        )
        return ReferralSummary(
            code=code,
            referred=referred,
            rewarded=rewarded,
            reward_days=days,
            pending_reward_days=pending,
        )

    async def _code(self, account_id: UUID) -> str:
        referrals = self._uow.referrals
        for _ in range(CODE_ATTEMPTS):
            code = await referrals.code_of(account_id)
            if code is not None:
                return code
            if await referrals.claim_code(account_id, new_referral_code()):
                await self._uow.commit()
        code = await referrals.code_of(account_id)
        if code is None:  # pragma: no cover - 32^8 codes: never five collisions
            raise RuntimeError("could not allocate a referral code")
        return code


async def link_referral(
    uow: UnitOfWork, *, referee_id: UUID, code: str, now: datetime
) -> None:
    """Part of sign-up: the new account is linked to the code's owner."""
    referrer_id = await uow.referrals.owner_of(code.strip().upper())
    if referrer_id is None:
        raise UnknownReferralCodeError
    uow.referrals.add(
        Referral(referee_id=referee_id, referrer_id=referrer_id, created_at=now)
    )
