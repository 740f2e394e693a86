"""/payments: customers' invoices and payments, and staff's view of them."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status

from cybervpn.application.identity.authenticate import Caller
from cybervpn.domain.billing.payment import (
    PROVIDER_CRYPTOBOT,
    PROVIDER_TELEGRAM_STARS,
    PaymentFilter,
    PaymentProviderUnavailableError,
    PaymentStatus,
)
from cybervpn.domain.identity.roles import Permission
from cybervpn.infrastructure.metrics.instruments import PAYMENTS
from cybervpn.presentation.http.billing.schemas import (
    AutoRenewRequest,
    AutoRenewResponse,
    InvoiceCreate,
    InvoiceResponse,
    PaymentResponse,
    RefundRequest,
    StarsInvoiceCreate,
    StarsInvoiceResponse,
)
from cybervpn.presentation.http.billing.use_cases import (
    CreateInvoiceDep,
    CreateStarsInvoiceDep,
    GetPaymentDep,
    ListPaymentsDep,
    RefundPaymentDep,
    SetAutoRenewDep,
)
from cybervpn.presentation.http.dependencies import (
    CallerDep,
    ContainerDep,
    OriginDep,
    PageDep,
    enforce_staff_two_factor,
    require,
)
from cybervpn.presentation.http.pagination import PageResponse

router = APIRouter(tags=["payments"])
Refunder = Annotated[Caller, require(Permission.PAYMENTS_REFUND)]


@router.post(
    "/payments/crypto/invoice",
    status_code=status.HTTP_201_CREATED,
    summary="Create a Crypto Pay invoice for a plan",
)
async def create_crypto_invoice(
    body: InvoiceCreate, caller: CallerDep, create: CreateInvoiceDep
) -> InvoiceResponse:
    """An invoice in USD for the caller's own account; pay it at `pay_url`.
    503 `payment_provider_unavailable` when Crypto Pay cannot issue one."""
    try:
        payment = await create.execute(caller.account, body.plan_id, body.promo_code)
    except PaymentProviderUnavailableError:
        PAYMENTS.labels(PROVIDER_CRYPTOBOT, "provider_unavailable").inc()
        raise
    PAYMENTS.labels(PROVIDER_CRYPTOBOT, "created").inc()
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


@router.post(
    "/payments/stars/invoice",
    status_code=status.HTTP_201_CREATED,
    summary="Create a Telegram Stars invoice link for a plan",
)
async def create_stars_invoice(
    body: StarsInvoiceCreate, caller: CallerDep, create: CreateStarsInvoiceDep
) -> StarsInvoiceResponse:
    """An invoice in whole Stars (XTR) for the caller's own account, paid in
    Telegram at `invoice_link`. With `auto_renew` (30-day plans) it is a Stars
    subscription: Telegram charges it again every 30 days. 409
    `stars_price_missing` for a plan not sold for Stars; 503
    `payment_provider_unavailable` when Telegram cannot issue one."""
    try:
        payment = await create.execute(
            caller.account, body.plan_id, body.promo_code, auto_renew=body.auto_renew
        )
    except PaymentProviderUnavailableError:
        PAYMENTS.labels(PROVIDER_TELEGRAM_STARS, "provider_unavailable").inc()
        raise
    PAYMENTS.labels(PROVIDER_TELEGRAM_STARS, "created").inc()
    assert payment.pay_url is not None  # noqa: S101 - set when the link was made
    return StarsInvoiceResponse(
        payment_id=payment.id,
        invoice_link=payment.pay_url,
        amount=int(payment.amount),
        currency=payment.currency,
        status=payment.status,
        expires_at=payment.expires_at,
    )


@router.get("/payments/history", summary="List payments, newest first")
async def payment_history(
    caller: CallerDep,
    payments: ListPaymentsDep,
    page: PageDep,
    c: ContainerDep,
    status: PaymentStatus | None = None,
    account_id: UUID | None = None,
    flagged: bool | None = None,
) -> PageResponse[PaymentResponse]:
    """Customers: their own, newest first. Staff (`payments:read`): everyone's,
    filterable by account, status and `flagged` (not credited, needs a look)."""
    reader = enforce_staff_two_factor(caller, c)
    items, total = await payments.execute(
        reader.account,
        PaymentFilter(account_id=account_id, status=status, flagged=flagged),
        limit=page.limit,
        offset=page.offset,
    )
    return PageResponse[PaymentResponse].of(items, total, page)


@router.get("/payments/{payment_id}", summary="Read a payment")
async def get_payment(
    payment_id: UUID, caller: CallerDep, get: GetPaymentDep, c: ContainerDep
) -> PaymentResponse:
    """The owner or staff; anyone else gets 404."""
    payment = await get.execute(enforce_staff_two_factor(caller, c).account, payment_id)
    return PaymentResponse.model_validate(payment)


@router.post(
    "/admin/payments/{payment_id}/refund", summary="Refund a Telegram Stars payment"
)
async def refund_payment(
    payment_id: UUID,
    body: RefundRequest,
    caller: Refunder,
    origin: OriginDep,
    refund: RefundPaymentDep,
) -> PaymentResponse:
    """Telegram gives the Stars back and the access the payment bought is taken
    back (the expiry moves back by exactly its days). 409 `already_refunded`,
    `refund_not_supported` (Crypto Pay) or `payment_not_refundable` (not paid)."""
    payment = await refund.execute(
        actor=caller.account, payment_id=payment_id, reason=body.reason, origin=origin
    )
    PAYMENTS.labels(payment.provider, "refunded").inc()
    return PaymentResponse.model_validate(payment)


@router.post(
    "/subscriptions/me/auto-renew",
    tags=["subscriptions"],
    summary="Turn the Telegram Stars renewal off or on",
)
async def set_auto_renew(
    body: AutoRenewRequest, caller: CallerDep, set_renewal: SetAutoRenewDep
) -> AutoRenewResponse:
    """Cancels (or re-enables) the Stars subscription that renews the caller's
    access; the time already paid stays. 409 `no_stars_subscription` when none
    renews it."""
    enabled = await set_renewal.execute(caller.account.id, enabled=body.enabled)
    return AutoRenewResponse(auto_renew=enabled)
