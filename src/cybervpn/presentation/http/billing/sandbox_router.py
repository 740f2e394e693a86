"""Development only: pay a sandbox invoice. Not mounted in production (404)."""

from typing import Annotated

from fastapi import APIRouter, Path

from cybervpn.domain.billing.payment import (
    InvoiceNotPayableError,
    PaymentNotFoundError,
)
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.infrastructure.sandbox.cryptobot.state import CryptoPayError
from cybervpn.presentation.http.billing.schemas import SandboxPaymentResult
from cybervpn.presentation.http.bounds import INT64_MAX
from cybervpn.presentation.http.dependencies import ContainerDep

router = APIRouter(prefix="/sandbox/cryptobot", tags=["sandbox"])


@router.post(
    "/invoices/{invoice_id}/pay", summary="Pay a sandbox invoice (development only)"
)
async def pay_sandbox_invoice(
    invoice_id: Annotated[int, Path(ge=1, le=INT64_MAX)], c: ContainerDep
) -> SandboxPaymentResult:
    """Pays the invoice in the sandbox Crypto Pay, which then posts its signed
    `invoice_paid` webhook to this API, exactly as Crypto Pay would."""
    state, webhooks = c.payments.sandbox, c.sandbox_payment_webhooks
    if state is None or webhooks is None:
        raise PaymentNotFoundError
    try:
        invoice = state.pay(invoice_id)
    except CryptoPayError as error:
        if error.status == 404:
            raise PaymentNotFoundError from error
        message = f"Invoice is no longer payable: {error.name}"
        raise InvoiceNotPayableError(message) from error
    response = await webhooks.send(state.paid_update(invoice))
    outcome = response.json().get("status") if response.status_code == 200 else None
    return SandboxPaymentResult(
        invoice_id=invoice_id,
        invoice_status=invoice.status,
        webhook_status=response.status_code,
        webhook_outcome=None if outcome is None else DeliveryOutcome(outcome),
    )
