"""Development only: pay a Stars invoice in the sandbox Bot API. Not mounted
outside development (404)."""

from uuid import UUID

from fastapi import APIRouter

from cybervpn.domain.billing.payment import (
    PROVIDER_TELEGRAM_STARS,
    PaymentNotFoundError,
)
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.presentation.http.billing.schemas import (
    SandboxStarsPaymentRequest,
    SandboxStarsPaymentResult,
)
from cybervpn.presentation.http.dependencies import ContainerDep

router = APIRouter(prefix="/sandbox/telegram", tags=["sandbox"])
# Who pays when the customer has no verified Telegram chat.
SANDBOX_PAYER = 777_000


@router.post(
    "/invoices/{payment_id}/pay",
    summary="Pay a Stars invoice in the sandbox (development only)",
)
async def pay_sandbox_stars_invoice(
    payment_id: UUID,
    c: ContainerDep,
    body: SandboxStarsPaymentRequest | None = None,
) -> SandboxStarsPaymentResult:
    """The sandbox Bot API sends this API the pre-checkout query, and if it is
    approved charges the payer and sends the successful payment: the updates
    Telegram would send, with the webhook's secret token."""
    updates = c.sandbox_telegram_updates
    # Read, then let go: the updates are handled in this process, and on SQLite
    # an open transaction here would lock them out.
    async with c.uow_factory() as uow:
        payment = await uow.payments.get(payment_id)
        account = (
            None if payment is None else await uow.accounts.get(payment.account_id)
        )
    if (
        updates is None
        or payment is None
        or payment.provider != PROVIDER_TELEGRAM_STARS
    ):
        raise PaymentNotFoundError
    payer = (body.telegram_id if body else None) or (
        account.telegram_id if account else None
    )
    try:
        paid = await updates.pay(str(payment.id), payer or SANDBOX_PAYER)
    except LookupError as error:
        raise PaymentNotFoundError from error
    return SandboxStarsPaymentResult(
        approved=paid.approved,
        refusal=paid.refusal,
        telegram_charge_id=paid.charge_id,
        webhook_status=paid.webhook_status,
        webhook_outcome=(
            None
            if paid.webhook_outcome is None
            else DeliveryOutcome(paid.webhook_outcome)
        ),
    )
