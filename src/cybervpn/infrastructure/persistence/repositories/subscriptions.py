"""Subscriptions in SQL."""

from collections.abc import Collection, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cybervpn.domain.subscriptions.subscription import (
    Reminder,
    StarsRenewal,
    Subscription,
)
from cybervpn.infrastructure.persistence.models.commerce import SubscriptionModel
from cybervpn.infrastructure.persistence.repositories.access_limits import (
    limit_columns,
    limits_of,
)
from cybervpn.infrastructure.persistence.statements import insert_or_skip, table_of

S = SubscriptionModel


def _to_entity(row: SubscriptionModel) -> Subscription:
    return Subscription(
        id=row.id,
        account_id=row.account_id,
        plan_id=row.plan_id,
        expires_at=row.expires_at,
        limits=limits_of(row),
        is_trial=row.is_trial,
        trial_started_at=row.trial_started_at,
        vpn_user_id=row.vpn_user_id,
        vpn_short_uuid=row.vpn_short_uuid,
        subscription_url=row.subscription_url,
        version=row.version,
        provisioned_version=row.provisioned_version,
        last_reminder=None
        if row.last_reminder is None
        else Reminder(row.last_reminder),
        created_at=row.created_at,
        updated_at=row.updated_at,
        stars_renewal=(
            None
            if row.stars_charge_id is None or row.stars_payer_id is None
            else StarsRenewal(
                charge_id=row.stars_charge_id,
                payer_telegram_id=row.stars_payer_id,
                enabled=row.auto_renew,
            )
        ),
    )


def _columns(subscription: Subscription) -> dict[str, object]:
    return {
        "id": subscription.id,
        "account_id": subscription.account_id,
        "plan_id": subscription.plan_id,
        "expires_at": subscription.expires_at,
        **limit_columns(subscription.limits),
        "is_trial": subscription.is_trial,
        "trial_started_at": subscription.trial_started_at,
        "vpn_user_id": subscription.vpn_user_id,
        "vpn_short_uuid": subscription.vpn_short_uuid,
        "subscription_url": subscription.subscription_url,
        "version": subscription.version,
        "provisioned_version": subscription.provisioned_version,
        "last_reminder": (
            None
            if subscription.last_reminder is None
            else subscription.last_reminder.value
        ),
        "created_at": subscription.created_at,
        "updated_at": subscription.updated_at,
        **_renewal_columns(subscription.stars_renewal),
    }


def _renewal_columns(renewal: StarsRenewal | None) -> dict[str, object]:
    return {
        "stars_charge_id": None if renewal is None else renewal.charge_id,
        "stars_payer_id": None if renewal is None else renewal.payer_telegram_id,
        "auto_renew": renewal is not None and renewal.enabled,
    }


# What a renewal changes; the provisioning columns belong to the provisioning job.
_RENEWAL_COLUMNS = (
    "plan_id",
    "expires_at",
    "traffic_limit_bytes",
    "traffic_limit_strategy",
    "device_limit",
    "squad_uuids",
    "is_trial",
    "version",
    "updated_at",
    "last_reminder",
)

_RENEW = (
    update(table_of(S))
    .where(table_of(S).c.id == bindparam("subscription_id"))
    .values({name: bindparam(f"new_{name}") for name in _RENEWAL_COLUMNS})
)


class SqlSubscriptionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_absent(self, subscription: Subscription) -> bool:
        return subscription.account_id in await self.add_absent([subscription])

    async def add_absent(self, subscriptions: Sequence[Subscription]) -> set[UUID]:
        if not subscriptions:
            return set()
        inserted = await self._session.scalars(
            insert_or_skip(
                self._session, table_of(S), conflict=["account_id"]
            ).returning(table_of(S).c.account_id),
            [_columns(subscription) for subscription in subscriptions],
        )
        return set(inserted)

    async def get(self, subscription_id: UUID) -> Subscription | None:
        row = await self._session.scalar(select(S).where(S.id == subscription_id))
        return None if row is None else _to_entity(row)

    async def for_account(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Subscription | None:
        found = await self.for_accounts([account_id], for_update=for_update)
        return found.get(account_id)

    async def for_accounts(
        self, account_ids: Collection[UUID], *, for_update: bool = False
    ) -> dict[UUID, Subscription]:
        # Locked in one order (by account), so two batches cannot deadlock.
        query = select(S).where(S.account_id.in_(account_ids)).order_by(S.account_id)
        if for_update:
            query = query.with_for_update()
        rows = await self._session.scalars(
            query.execution_options(populate_existing=True)
        )
        return {row.account_id: _to_entity(row) for row in rows}

    async def account_of_vpn_user(self, vpn_user_id: int) -> UUID | None:
        found: UUID | None = await self._session.scalar(
            select(S.account_id).where(S.vpn_user_id == vpn_user_id).limit(1)
        )
        return found

    async def record_stars_renewal(
        self, account_id: UUID, renewal: StarsRenewal | None
    ) -> None:
        await self._session.execute(
            update(SubscriptionModel)
            .where(SubscriptionModel.account_id == account_id)
            .values(**_renewal_columns(renewal))
        )

    async def save(self, subscription: Subscription) -> None:
        await self.save_all([subscription])

    async def save_all(self, subscriptions: Sequence[Subscription]) -> None:
        if not subscriptions:
            return
        rows = []
        for subscription in subscriptions:
            columns = _columns(subscription)
            rows.append(
                {"subscription_id": subscription.id}
                | {f"new_{name}": columns[name] for name in _RENEWAL_COLUMNS}
            )
        await self._session.execute(_RENEW, rows)

    async def record_provisioned(
        self,
        subscription_id: UUID,
        *,
        version: int,
        vpn_user_id: int,
        short_uuid: str,
        subscription_url: str,
    ) -> None:
        await self._session.execute(
            update(S)
            .where(S.id == subscription_id)
            .values(
                vpn_user_id=vpn_user_id,
                vpn_short_uuid=short_uuid,
                subscription_url=subscription_url,
            )
        )
        await self._session.execute(
            update(S)
            .where(S.id == subscription_id, S.provisioned_version < version)
            .values(provisioned_version=version)
        )

    async def delete(self, account_id: UUID) -> None:
        await self._session.execute(delete(S).where(S.account_id == account_id))

    async def record_link(
        self, subscription_id: UUID, *, short_uuid: str, subscription_url: str
    ) -> None:
        await self._session.execute(
            update(S)
            .where(S.id == subscription_id)
            .values(vpn_short_uuid=short_uuid, subscription_url=subscription_url)
        )

    async def expiring(
        self, *, before: datetime, after: datetime, limit: int
    ) -> Sequence[Subscription]:
        rows = await self._session.scalars(
            select(S)
            .where(
                S.expires_at < before,
                S.expires_at > after,
                or_(
                    S.last_reminder.is_(None), S.last_reminder != Reminder.EXPIRED.value
                ),
            )
            .order_by(S.expires_at)
            .limit(limit)
        )
        return [_to_entity(row) for row in rows]

    async def record_reminder(
        self, subscription_id: UUID, reminder: Reminder, *, expires_at: datetime
    ) -> bool:
        updated = await self._session.scalar(
            update(S)
            .where(S.id == subscription_id, S.expires_at == expires_at)
            .values(last_reminder=reminder.value)
            .returning(S.id)
        )
        return updated is not None
