"""/payments (customers and staff) and the Crypto Pay webhook."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Request, status

from cybervpn.application.billing.create_invoice import CreateInvoice, InvoiceTerms
from cybervpn.application.billing.payment_queries import GetPayment, ListPayments
from cybervpn.application.billing.receive_payment_webhook import (
    PaymentWebhook,
    ReceivePaymentWebhook,
)
from cybervpn.domain.billing.payment import PaymentFilter, PaymentStatus
from cybervpn.infrastructure.cryptobot.schemas import parse_update
from cybervpn.infrastructure.cryptobot.signature import is_authentic
from cybervpn.presentation.http.billing.schemas import (
    InvoiceCreate,
    InvoiceResponse,
    PaymentResponse,
    WebhookAck,
)
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    PageDep,
    UowDep,
    enforce_staff_two_factor,
)
from cybervpn.presentation.http.pagination import PageResponse

router = APIRouter(tags=["billing: payments"])


@router.post("/payments/crypto/invoice", status_code=status.HTTP_201_CREATED)
async def create_invoice(
    body: InvoiceCreate, caller: CallerDep, uow: UowDep, c: ContainerDep
) -> InvoiceResponse:
    """An invoice in USD for the caller's own account; pay it at `pay_url`.
    503 `payment_provider_unavailable` when Crypto Pay cannot issue one."""
    payment = await CreateInvoice(
        uow=uow,
        clock=c.clock,
        provider=c.payments.provider,
        terms=InvoiceTerms(
            expires_in_seconds=c.settings.cryptobot.invoice_expires_seconds
        ),
    ).execute(caller.account, body.plan_id, body.promo_code)
    assert payment.invoice_id is not None and payment.pay_url is not None  # noqa: S101
    return InvoiceResponse(
        payment_id=payment.id,
        invoice_id=payment.invoice_id,
        pay_url=payment.pay_url,
        amount=payment.amount,
        currency=payment.currency,
        status=payment.status,
        expires_at=payment.expires_at,
    )


@router.get("/payments/history")
async def payment_history(
    caller: CallerDep,
    uow: UowDep,
    page: PageDep,
    c: ContainerDep,
    status: PaymentStatus | None = None,
    account_id: UUID | None = None,
    flagged: bool | None = None,
) -> PageResponse[PaymentResponse]:
    """Customers: their own, newest first. Staff (`payments:read`): everyone's,
    filterable by account, status and `flagged` (not credited, needs a look)."""
    reader = enforce_staff_two_factor(caller, c)
    items, total = await ListPayments(uow).execute(
        reader.account,
        PaymentFilter(account_id=account_id, status=status, flagged=flagged),
        limit=page.limit,
        offset=page.offset,
    )
    return PageResponse[PaymentResponse].of(items, total, page)


@router.get("/payments/{payment_id}")
async def get_payment(
    payment_id: UUID, caller: CallerDep, uow: UowDep, c: ContainerDep
) -> PaymentResponse:
    """The owner or staff; anyone else gets 404."""
    payment = await GetPayment(uow).execute(
        enforce_staff_two_factor(caller, c).account, payment_id
    )
    return PaymentResponse.model_validate(payment)


@router.post("/webhooks/cryptobot")
async def cryptobot_webhook(
    request: Request,
    uow: UowDep,
    c: ContainerDep,
    signature: Annotated[
        str | None, Header(alias="crypto-pay-api-signature", max_length=128)
    ] = None,
) -> WebhookAck:
    """Signed by Crypto Pay over the raw body (401 when it is not). 200 with the
    outcome otherwise (`processed`, `duplicate`, `flagged`, `ignored`), so the
    provider stops retrying."""
    body = await request.body()  # the exact bytes Crypto Pay signed
    authentic = is_authentic(c.payments.token, body, signature)
    update, logged = parse_update(body) if authentic else (None, None)
    outcome = await ReceivePaymentWebhook(
        uow=uow, clock=c.clock, credit=c.paid_invoices.submit
    ).execute(
        PaymentWebhook(
            authentic=authentic,
            update_type=None if update is None else update.update_type,
            invoice=None if update is None else update.payload.to_domain(),
            payload=logged,
        )
    )
    return WebhookAck(status=outcome)
