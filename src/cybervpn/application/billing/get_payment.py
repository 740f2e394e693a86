"""Reading one payment: customers their own, staff everyone's."""

from uuid import UUID

from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import Payment, PaymentNotFoundError
from cybervpn.domain.identity.account import Account
from cybervpn.domain.identity.roles import Permission


class GetPayment:
    """Business rule: a customer reads only their own payments; another's answers
    404, exactly like one that does not exist, so ids cannot be probed."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def execute(self, caller: Account, payment_id: UUID) -> Payment:
        payment = await self._uow.payments.get(payment_id)
        if payment is None or (
            payment.account_id != caller.id and not caller.can(Permission.PAYMENTS_READ)
        ):
            raise PaymentNotFoundError
        return payment
