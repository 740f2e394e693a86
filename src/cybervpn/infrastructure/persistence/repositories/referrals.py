"""Referral codes and referrals in SQL."""

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.billing.referral import Referral
from cybervpn.infrastructure.persistence.models.commerce import (
    ReferralCodeModel,
    ReferralModel,
)
from cybervpn.infrastructure.persistence.statements import insert_or_skip

R = ReferralModel


def _to_entity(row: ReferralModel) -> Referral:
    return Referral(
        referee_id=row.referee_id,
        referrer_id=row.referrer_id,
        created_at=row.created_at,
        rewarded_at=row.rewarded_at,
        reward_days=row.reward_days,
        applied_at=row.applied_at,
    )


class SqlReferralRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def code_of(self, account_id: UUID) -> str | None:
        return await self._session.scalar(
            select(ReferralCodeModel.code).where(
                ReferralCodeModel.account_id == account_id
            )
        )

    async def claim_code(self, account_id: UUID, code: str) -> bool:
        inserted = await self._session.scalar(
            insert_or_skip(self._session, ReferralCodeModel)
            .values(account_id=account_id, code=code)
            .returning(ReferralCodeModel.code)
        )
        return inserted is not None

    async def owner_of(self, code: str) -> UUID | None:
        return await self._session.scalar(
            select(ReferralCodeModel.account_id).where(ReferralCodeModel.code == code)
        )

    def add(self, referral: Referral) -> None:
        self._session.add(
            R(
                referee_id=referral.referee_id,
                referrer_id=referral.referrer_id,
                created_at=referral.created_at,
                rewarded_at=referral.rewarded_at,
                reward_days=referral.reward_days,
                applied_at=referral.applied_at,
            )
        )

    async def reward_once(
        self, referee_ids: Collection[UUID], *, days: int, now: datetime
    ) -> Sequence[Referral]:
        rewarded = await self._session.scalars(
            update(R)
            .where(R.referee_id.in_(referee_ids), R.rewarded_at.is_(None))
            .values(rewarded_at=now, reward_days=days)
            .returning(R)
            .execution_options(synchronize_session=False)
        )
        return [_to_entity(row) for row in rewarded]

    async def mark_applied(self, referee_id: UUID, *, now: datetime) -> None:
        await self._session.execute(
            update(R).where(R.referee_id == referee_id).values(applied_at=now)
        )

    async def take_unapplied_days(
        self, referrer_ids: Collection[UUID], *, now: datetime
    ) -> Counter[UUID]:
        taken = await self._session.execute(
            update(R)
            .where(
                R.referrer_id.in_(referrer_ids),
                R.rewarded_at.is_not(None),
                R.applied_at.is_(None),
            )
            .values(applied_at=now)
            .returning(R.referrer_id, R.reward_days)
            .execution_options(synchronize_session=False)
        )
        days: Counter[UUID] = Counter()
        for referrer_id, reward_days in taken:
            days[referrer_id] += reward_days or 0
        return days

    async def summary(self, referrer_id: UUID) -> tuple[int, int, int, int]:
        rewarded = R.rewarded_at.is_not(None)
        row = (
            await self._session.execute(
                select(
                    func.count(),
                    func.count(R.rewarded_at),
                    func.coalesce(func.sum(R.reward_days), 0),
                    func.coalesce(
                        func.sum(
                            case(
                                (rewarded & R.applied_at.is_(None), R.reward_days),
                                else_=0,
                            )
                        ),
                        0,
                    ),
                ).where(R.referrer_id == referrer_id)
            )
        ).one()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])
