"""Payments in SQL. The state transitions are conditional updates, so concurrent
callers cannot both make one."""

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Case,
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from cybervpn.domain.billing.payment import (
    Payment,
    PaymentFilter,
    PaymentStatus,
    ProviderInvoice,
)
from cybervpn.domain.common.backlog import Backlog
from cybervpn.infrastructure.persistence.models.commerce import PaymentModel
from cybervpn.infrastructure.persistence.repositories.pagination import paginate
from cybervpn.infrastructure.persistence.statements import table_of

P = PaymentModel
_PENDING = PaymentStatus.PENDING.value
_PAID = PaymentStatus.PAID.value
# Matches the partial index ix_payments_unprovisioned exactly, so both scans use it.
_UNPROVISIONED = and_(P.status == _PAID, P.provisioned_at.is_(None))


# Payment columns, and the ProviderInvoice field each records.
_PAID_DETAILS = {
    "paid_at": "paid_at",
    "paid_asset": "paid_asset",
    "paid_amount": "paid_amount",
    "telegram_charge_id": "charge_id",
    "payer_telegram_id": "payer_telegram_id",
}


@lru_cache(maxsize=128)
def _mark_paid(size: int) -> ReturningUpdate[UUID]:
    """pending → paid for `size` payments, each also recording what its invoice says
    was paid (`_PAID_DETAILS`, the values picked by payment id), as parameters
    `id{n}` and `{column}{n}`. One statement per batch size, built once, so its cache
    key and SQL are not made again for every batch."""
    payments = table_of(P)
    ids = [bindparam(f"id{n}", type_=payments.c.id.type) for n in range(size)]

    def per_payment(column: str) -> Case[Any]:
        kind = payments.c[column].type
        return case(
            *(
                (payments.c.id == ids[n], bindparam(f"{column}{n}", type_=kind))
                for n in range(size)
            )
        )

    return (
        update(payments)
        .where(payments.c.id.in_(ids), payments.c.status == _PENDING)
        .values(
            status=_PAID, **{column: per_payment(column) for column in _PAID_DETAILS}
        )
        .returning(payments.c.id)
    )


def _mark_paid_parameters(invoices: Mapping[UUID, ProviderInvoice]) -> dict[str, Any]:
    parameters: dict[str, Any] = {}
    for n, (payment_id, invoice) in enumerate(invoices.items()):
        parameters[f"id{n}"] = payment_id
        for column, field in _PAID_DETAILS.items():
            parameters[f"{column}{n}"] = getattr(invoice, field)
    return parameters


def _to_entity(row: PaymentModel) -> Payment:
    return Payment(
        id=row.id,
        account_id=row.account_id,
        plan_id=row.plan_id,
        provider=row.provider,
        invoice_id=row.invoice_id,
        pay_url=row.pay_url,
        amount=row.amount,
        currency=row.currency,
        status=PaymentStatus(row.status),
        promo_code_id=row.promo_code_id,
        bonus_days=row.bonus_days,
        expires_at=row.expires_at,
        paid_at=row.paid_at,
        paid_asset=row.paid_asset,
        paid_amount=row.paid_amount,
        provisioned_at=row.provisioned_at,
        provisioning_alerted_at=row.provisioning_alerted_at,
        flag=row.flag,
        created_at=row.created_at,
        telegram_charge_id=row.telegram_charge_id,
        payer_telegram_id=row.payer_telegram_id,
        refunded_at=row.refunded_at,
        auto_renew=row.auto_renew,
        renews_payment_id=row.renews_payment_id,
    )


def _columns(payment: Payment) -> dict[str, object]:
    return {
        "id": payment.id,
        "account_id": payment.account_id,
        "plan_id": payment.plan_id,
        "provider": payment.provider,
        "invoice_id": payment.invoice_id,
        "pay_url": payment.pay_url,
        "amount": payment.amount,
        "currency": payment.currency,
        "status": payment.status.value,
        "promo_code_id": payment.promo_code_id,
        "bonus_days": payment.bonus_days,
        "expires_at": payment.expires_at,
        "paid_at": payment.paid_at,
        "paid_asset": payment.paid_asset,
        "paid_amount": payment.paid_amount,
        "provisioned_at": payment.provisioned_at,
        "provisioning_alerted_at": payment.provisioning_alerted_at,
        "flag": payment.flag,
        "created_at": payment.created_at,
        "telegram_charge_id": payment.telegram_charge_id,
        "payer_telegram_id": payment.payer_telegram_id,
        "refunded_at": payment.refunded_at,
        "auto_renew": payment.auto_renew,
        "renews_payment_id": payment.renews_payment_id,
    }


class SqlPaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, payment: Payment) -> None:
        self._session.add(P(**_columns(payment)))

    async def insert(self, payment: Payment) -> None:
        self.add(payment)
        await self._session.flush()

    async def erase_payer(self, account_id: UUID) -> None:
        await self._session.execute(
            update(PaymentModel)
            .where(PaymentModel.account_id == account_id)
            .values(payer_telegram_id=None, pay_url=None)
        )

    async def get(self, payment_id: UUID) -> Payment | None:
        row = await self._session.scalar(
            select(P)
            .where(P.id == payment_id)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _to_entity(row)

    async def get_many(self, payment_ids: Collection[UUID]) -> dict[UUID, Payment]:
        rows = await self._session.scalars(
            select(P)
            .where(P.id.in_(payment_ids))
            .execution_options(populate_existing=True)
        )
        return {row.id: _to_entity(row) for row in rows}

    async def by_invoices(
        self, provider: str, invoice_ids: Collection[int]
    ) -> dict[int, Payment]:
        rows = await self._session.scalars(
            select(P)
            .where(P.provider == provider, P.invoice_id.in_(invoice_ids))
            .execution_options(populate_existing=True)
        )
        return {row.invoice_id: _to_entity(row) for row in rows if row.invoice_id}

    async def save(self, payment: Payment) -> None:
        await self._session.merge(P(**_columns(payment)))

    async def mark_paid(self, invoices: Mapping[UUID, ProviderInvoice]) -> set[UUID]:
        if not invoices:
            return set()
        # One compare-and-set for the whole batch that also records what each
        # invoice says was paid: each payment gets one new row version, not two
        # (every one of them writes all the table's indexes).
        moved = await self._session.scalars(
            _mark_paid(len(invoices)), _mark_paid_parameters(invoices)
        )
        return set(moved)

    async def mark_refunded(self, payment_id: UUID, *, now: datetime) -> bool:
        refunded = await self._session.scalar(
            update(P)
            .where(P.id == payment_id, P.status == _PAID)
            .values(status=PaymentStatus.REFUNDED.value, refunded_at=now)
            .returning(P.id)
        )
        return refunded is not None

    async def mark_expired(self, payment_id: UUID) -> bool:
        expired = await self._session.scalar(
            update(P)
            .where(P.id == payment_id, P.status == _PENDING)
            .values(status=PaymentStatus.EXPIRED.value)
            .returning(P.id)
        )
        return expired is not None

    async def flag(self, payment_id: UUID, reason: str) -> None:
        await self._session.execute(
            update(P).where(P.id == payment_id).values(flag=reason)
        )

    async def mark_provisioned(self, account_id: UUID, *, now: datetime) -> None:
        await self._session.execute(
            update(P)
            .where(
                P.account_id == account_id,
                P.status == _PAID,
                P.provisioned_at.is_(None),
            )
            .values(provisioned_at=now)
        )

    async def pending_with_invoice(
        self, *, limit: int, offset: int
    ) -> Sequence[Payment]:
        rows = await self._session.scalars(
            select(P)
            .where(P.status == _PENDING, P.invoice_id.is_not(None))
            .order_by(P.created_at, P.id)
            .limit(limit)
            .offset(offset)
        )
        return [_to_entity(row) for row in rows]

    async def oldest_pending(self, provider: str) -> datetime | None:
        oldest: datetime | None = await self._session.scalar(
            select(func.min(P.created_at)).where(
                P.status == _PENDING, P.provider == provider
            )
        )
        return oldest

    async def pending_expired(
        self, provider: str, *, before: datetime
    ) -> Sequence[Payment]:
        rows = await self._session.scalars(
            select(P).where(
                P.status == _PENDING, P.provider == provider, P.expires_at < before
            )
        )
        return [_to_entity(row) for row in rows]

    async def stale_without_invoice(self, *, before: datetime) -> Sequence[Payment]:
        rows = await self._session.scalars(
            select(P).where(
                P.status == _PENDING, P.pay_url.is_(None), P.created_at < before
            )
        )
        return [_to_entity(row) for row in rows]

    async def unprovisioned_paid(
        self, *, paid_before: datetime, limit: int
    ) -> Sequence[Payment]:
        rows = await self._session.scalars(
            select(P)
            .where(
                _UNPROVISIONED,
                P.provisioning_alerted_at.is_(None),
                P.paid_at < paid_before,
            )
            .limit(limit)
        )
        return [_to_entity(row) for row in rows]

    async def unprovisioned_backlog(self) -> Backlog:
        count, oldest = (
            await self._session.execute(
                select(func.count(), func.min(P.paid_at)).where(_UNPROVISIONED)
            )
        ).one()
        return Backlog(count, oldest)

    async def plan_sold(self, plan_id: UUID) -> bool:
        return bool(
            await self._session.scalar(select(exists().where(P.plan_id == plan_id)))
        )

    async def promo_used(self, promo_id: UUID) -> bool:
        return bool(
            await self._session.scalar(
                select(exists().where(P.promo_code_id == promo_id))
            )
        )

    async def paid_promo_uses(self, promo_id: UUID, account_id: UUID) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(P)
            .where(
                P.promo_code_id == promo_id,
                P.account_id == account_id,
                P.status == _PAID,
            )
        )
        return int(count or 0)

    async def list(
        self, payment_filter: PaymentFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Payment], int]:
        conditions: list[ColumnElement[bool]] = []
        if payment_filter.account_id is not None:
            conditions.append(P.account_id == payment_filter.account_id)
        if payment_filter.status is not None:
            conditions.append(P.status == payment_filter.status.value)
        if payment_filter.flagged is not None:
            conditions.append(
                P.flag.is_not(None) if payment_filter.flagged else P.flag.is_(None)
            )
        return await paginate(
            self._session,
            P,
            conditions,
            newest_first=P.created_at,
            to_entity=_to_entity,
            limit=limit,
            offset=offset,
        )
