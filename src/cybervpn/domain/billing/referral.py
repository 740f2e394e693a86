"""Referrals: an account's code brings in new customers; the referrer earns bonus
days once, when the referee first pays."""

import secrets
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from cybervpn.domain.common.errors import BusinessRuleError

REFERRAL_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REFERRAL_CODE_LENGTH = 8


class UnknownReferralCodeError(BusinessRuleError):
    code = "unknown_referral_code"
    default_message = "Unknown referral code"


def new_referral_code() -> str:
    return "".join(
        secrets.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Referral:
    referee_id: UUID
    referrer_id: UUID
    created_at: datetime
    rewarded_at: datetime | None = None  # the referee's first payment
    reward_days: int = 0
    applied_at: datetime | None = None  # the days reached the referrer's access


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferralSummary:
    code: str
    referred: int
    rewarded: int
    reward_days: int
    pending_reward_days: int  # earned, applied at the referrer's next purchase


class ReferralRepository(Protocol):
    async def code_of(self, account_id: UUID) -> str | None: ...
    async def claim_code(self, account_id: UUID, code: str) -> bool:
        """Store a new code for the account; False if the code is taken or the
        account already has one (the caller reads it again)."""
        ...

    async def owner_of(self, code: str) -> UUID | None: ...
    def add(self, referral: Referral) -> None: ...
    async def reward_once(
        self, referee_ids: Collection[UUID], *, days: int, now: datetime
    ) -> Sequence[Referral]:
        """Mark the referees' referrals rewarded, each only if it was not (compare-
        and-set); the referrals this call rewarded."""
        ...

    async def mark_applied(self, referee_id: UUID, *, now: datetime) -> None: ...
    async def take_unapplied_days(
        self, referrer_ids: Collection[UUID], *, now: datetime
    ) -> Counter[UUID]:
        """Rewards earned but not yet applied: marked applied, their days summed
        by referrer."""
        ...

    async def summary(self, referrer_id: UUID) -> tuple[int, int, int, int]:
        """(referred, rewarded, reward days, pending reward days)."""
        ...
