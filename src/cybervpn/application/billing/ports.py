"""What billing needs from the payment providers: Crypto Pay, and Telegram Stars
through the Bot API."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from cybervpn.domain.billing.payment import ProviderInvoice


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceRequest:
    amount: Decimal
    currency: str  # fiat, e.g. USD
    payload: str  # our payment id: how a webhook finds its payment
    description: str
    expires_in_seconds: int


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedInvoice:
    invoice_id: int
    pay_url: str
    expires_at: datetime | None


class PaymentProvider(Protocol):
    async def create_invoice(self, request: InvoiceRequest) -> IssuedInvoice:
        """Raises PaymentProviderUnavailableError when it cannot."""
        ...

    async def invoices(self, invoice_ids: Sequence[int]) -> Sequence[ProviderInvoice]:
        """The provider's current view of these invoices (at most 100 per call)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class StarsInvoiceRequest:
    title: str  # 1-32 characters
    description: str  # 1-255 characters
    payload: str  # our payment id
    amount: int  # whole Stars
    # A subscription: Telegram charges the same again every period (30 days).
    subscription_period_seconds: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StarsCharge:
    """An incoming Stars transaction, as getStarTransactions lists it."""

    charge_id: str
    amount: int
    paid_at: datetime
    payer_telegram_id: int
    payload: str


class StarsPayments(Protocol):
    """Telegram Stars. Each raises PaymentProviderUnavailableError when Telegram
    cannot be reached or refuses."""

    async def create_invoice_link(self, request: StarsInvoiceRequest) -> str: ...

    async def answer_pre_checkout(
        self, query_id: str, *, ok: bool, error_message: str | None = None
    ) -> None: ...

    async def charges(
        self, *, offset: int, limit: int
    ) -> tuple[Sequence[StarsCharge], int]:
        """A page of the bot's transactions, newest first: its incoming payments
        (refunds and other transactions left out), and how many transactions the
        page held (`offset` counts them all)."""
        ...

    async def refund(self, *, payer_telegram_id: int, charge_id: str) -> None:
        """Refunds the charge; a charge already refunded is not an error."""
        ...

    async def set_renewal(
        self, *, payer_telegram_id: int, charge_id: str, enabled: bool
    ) -> None:
        """Cancels or re-enables the subscription that `charge_id` started."""
        ...
