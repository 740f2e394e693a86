"""What billing needs from the payment provider (Crypto Pay)."""

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
