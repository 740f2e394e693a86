"""Reading payments: customers their own, staff everyone's."""

from collections.abc import Sequence
from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import (
    Payment,
    PaymentFilter,
    PaymentNotFoundError,
)
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Permission


def _sees_all(account: Account) -> bool:
    return account.can(Permission.PAYMENTS_READ)


class GetPayment:
    """Business rule: a customer reads only their own payments; another's answers
    404, exactly like one that does not exist, so ids cannot be probed."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, caller: Account, payment_id: UUID) -> Payment:
        payment = await self._uow.payments.get(payment_id)
        if payment is None or (
            payment.account_id != caller.id and not _sees_all(caller)
        ):
            raise PaymentNotFoundError
        return payment


class ListPayments:
    """Customers see their own history whatever filter they send; staff with the
    payments permission see all, filterable."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, caller: Account, payment_filter: PaymentFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Payment], int]:
        if not _sees_all(caller):
            payment_filter = PaymentFilter(
                account_id=caller.id, status=payment_filter.status
            )
        return await self._uow.payments.list(payment_filter, limit=limit, offset=offset)
