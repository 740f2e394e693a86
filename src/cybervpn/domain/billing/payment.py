"""A payment: one invoice for one plan, and its single way from pending to paid.

The row is written before the invoice exists, and the invoice carries the payment
id as its payload, so every webhook finds its payment. Only one transition from
pending can ever happen (a conditional update), which is what makes crediting
exactly once whatever the number of webhook copies, reconciliation runs or races.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.common.errors import (
    BusinessRuleError,
    ConflictError,
    DomainError,
    NotFoundError,
)

PROVIDER_CRYPTOBOT = "cryptobot"
PROVIDER_TELEGRAM_STARS = "telegram_stars"
CURRENCY_USD = "USD"
CURRENCY_STARS = "XTR"
# The only period of a Stars subscription Telegram allows.
STARS_SUBSCRIPTION_DAYS = 30
# How each currency is reported as paid: Crypto Pay's fiat invoices, Telegram Stars.
_CURRENCY_TYPES = {CURRENCY_USD: "fiat", CURRENCY_STARS: "stars"}


class PaymentProviderUnavailableError(DomainError):
    """The payment provider cannot be reached or fails; nothing was charged."""

    code = "payment_provider_unavailable"
    default_message = "Payment provider unavailable"


class PaymentNotFoundError(NotFoundError):
    code = "payment_not_found"
    default_message = "Payment not found"


class StarsPriceMissingError(ConflictError):
    code = "stars_price_missing"
    default_message = "This plan is not sold for Telegram Stars"


class AlreadyRefundedError(ConflictError):
    code = "already_refunded"
    default_message = "This payment has already been refunded"


class RefundNotSupportedError(ConflictError):
    code = "refund_not_supported"
    default_message = "Payments of this provider cannot be refunded here"


class PaymentNotRefundableError(ConflictError):
    code = "payment_not_refundable"
    default_message = "Only a paid payment can be refunded"


class AutoRenewNotAvailableError(BusinessRuleError):
    code = "auto_renew_not_available"
    default_message = "Only a 30-day plan renews automatically in Telegram Stars"


class InvoiceNotPayableError(ConflictError):
    """The provider's invoice exists but is paid or expired already."""

    code = "invoice_not_payable"
    default_message = "Invoice is no longer payable"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"  # the provider never issued the invoice
    REFUNDED = "refunded"  # paid, then given back by staff; its access taken back


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderInvoice:
    """What the provider reports of an invoice (a Crypto Pay invoice, a Telegram
    Stars payment); checked against the payment before it credits anything."""

    invoice_id: int | None  # Crypto Pay's; Stars invoices have none
    status: str
    currency_type: str  # "fiat" (Crypto Pay) or "stars"
    currency: str | None  # the fiat code of a fiat invoice; "XTR" for Stars
    amount: Decimal
    payload: str | None
    paid_at: datetime | None
    paid_asset: str | None
    paid_amount: Decimal | None
    # Stars: Telegram's id of the charge (what a refund names) and the payer.
    charge_id: str | None = None
    payer_telegram_id: int | None = None

    @property
    def reference(self) -> str:
        """How staff find it at the provider."""
        if self.charge_id is not None:
            return self.charge_id
        return str(self.invoice_id)


@dataclass(slots=True, kw_only=True)
class Payment:
    account_id: UUID
    plan_id: UUID
    amount: Decimal
    created_at: datetime
    currency: str = CURRENCY_USD
    provider: str = PROVIDER_CRYPTOBOT
    status: PaymentStatus = PaymentStatus.PENDING
    promo_code_id: UUID | None = None
    bonus_days: int = 0
    invoice_id: int | None = None
    pay_url: str | None = None
    expires_at: datetime | None = None
    paid_at: datetime | None = None
    paid_asset: str | None = None
    paid_amount: Decimal | None = None
    provisioned_at: datetime | None = None
    flag: str | None = None  # why staff must look at it (a mismatch, paid late)
    provisioning_alerted_at: datetime | None = None
    # Stars: the charge that paid it (unique) and who paid.
    telegram_charge_id: str | None = None
    payer_telegram_id: int | None = None
    refunded_at: datetime | None = None
    # Stars: bought as a subscription (Telegram charges it again every 30 days);
    # a renewal's own row names the payment it renews.
    auto_renew: bool = False
    renews_payment_id: UUID | None = None
    id: UUID = field(default_factory=uuid4)

    def mismatch(self, invoice: ProviderInvoice) -> str | None:
        """Why this invoice must not credit this payment, or None when it may."""
        if invoice.status != "paid":
            return f"invoice status is {invoice.status!r}"
        if invoice.payload != str(self.id):
            return "invoice payload does not name this payment"
        expected_type = _CURRENCY_TYPES.get(self.currency)
        if invoice.currency_type != expected_type or invoice.currency != self.currency:
            return f"currency {invoice.currency!r} is not {self.currency}"
        if invoice.amount != self.amount:
            return f"amount {invoice.amount} is not {self.amount}"
        return None


@dataclass(frozen=True, slots=True)
class PaymentFilter:
    account_id: UUID | None = None
    status: PaymentStatus | None = None
    flagged: bool | None = None


class PaymentRepository(Protocol):
    def add(self, payment: Payment) -> None: ...
    async def insert(self, payment: Payment) -> None:
        """`add`, written at once (a later statement of the transaction needs it)."""
        ...

    async def get(self, payment_id: UUID) -> Payment | None: ...
    async def get_many(self, payment_ids: Collection[UUID]) -> dict[UUID, Payment]:
        """The payments of these ids (unknown ones left out)."""
        ...

    async def by_invoices(
        self, provider: str, invoice_ids: Collection[int]
    ) -> dict[int, Payment]:
        """The provider's payments of these invoices, by invoice id (unknown ones
        left out). Invoice ids are the provider's own, unique only with it."""
        ...

    async def save(self, payment: Payment) -> None: ...
    async def erase_payer(self, account_id: UUID) -> None:
        """An account that left: its payments keep amounts and dates only."""
        ...

    async def mark_paid(self, invoices: Mapping[UUID, ProviderInvoice]) -> set[UUID]:
        """pending → paid, with what each invoice says was paid, for every payment
        still pending (compare-and-set); the ids this call moved."""
        ...

    async def mark_refunded(self, payment_id: UUID, *, now: datetime) -> bool:
        """paid → refunded, only if still paid (the row stays locked until the
        transaction ends)."""
        ...

    async def mark_expired(self, payment_id: UUID) -> bool:
        """pending → expired, only if still pending."""
        ...

    async def flag(self, payment_id: UUID, reason: str) -> None: ...
    async def mark_provisioned(self, account_id: UUID, *, now: datetime) -> None:
        """Every paid payment of the account not yet marked provisioned."""
        ...

    async def pending_with_invoice(
        self, *, limit: int, offset: int
    ) -> Sequence[Payment]: ...
    async def oldest_pending(self, provider: str) -> datetime | None:
        """When the provider's oldest pending payment was created."""
        ...

    async def pending_expired(
        self, provider: str, *, before: datetime
    ) -> Sequence[Payment]:
        """The provider's pending payments whose expiry is before `before`."""
        ...

    async def stale_without_invoice(self, *, before: datetime) -> Sequence[Payment]:
        """Pending since before `before` without a link to pay (the provider was
        never reached): any provider."""
        ...

    async def unprovisioned_paid(
        self, *, paid_before: datetime, limit: int
    ) -> Sequence[Payment]:
        """Paid before `paid_before`, still not provisioned, staff not yet alerted."""
        ...

    async def unprovisioned_backlog(self) -> Backlog:
        """Paid payments still not provisioned: how many, and the oldest payment
        time."""
        ...

    async def plan_sold(self, plan_id: UUID) -> bool: ...
    async def promo_used(self, promo_id: UUID) -> bool:
        """Any payment at all, paid or not, names this promo code."""
        ...

    async def paid_promo_uses(self, promo_id: UUID, account_id: UUID) -> int: ...
    async def list(
        self, payment_filter: PaymentFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Payment], int]: ...
