"""Payment history: customers their own, staff everyone's."""

from collections.abc import Sequence

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import Payment, PaymentFilter
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Permission


class ListPayments:
    """Customers see their own history whatever filter they send; staff with the
    payments permission see all, filterable."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(
        self, caller: Account, payment_filter: PaymentFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Payment], int]:
        if not caller.can(Permission.PAYMENTS_READ):
            payment_filter = PaymentFilter(
                account_id=caller.id, status=payment_filter.status
            )
        return await self._uow.payments.list(payment_filter, limit=limit, offset=offset)
