"""The parts of the Crypto Pay API we read. Amounts arrive as strings: Decimal."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cybervpn.domain.billing.payment import ProviderInvoice


class CryptoPayInvoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    invoice_id: int
    status: str
    currency_type: str = "crypto"
    fiat: str | None = None
    asset: str | None = None
    amount: Decimal
    payload: str | None = None
    bot_invoice_url: str | None = None
    pay_url: str | None = None  # deprecated alias of bot_invoice_url
    expiration_date: datetime | None = None
    paid_at: datetime | None = None
    paid_asset: str | None = None
    paid_amount: Decimal | None = None

    def to_domain(self) -> ProviderInvoice:
        return ProviderInvoice(
            invoice_id=self.invoice_id,
            status=self.status,
            currency_type=self.currency_type,
            currency=self.fiat if self.currency_type == "fiat" else self.asset,
            amount=self.amount,
            payload=self.payload,
            paid_at=self.paid_at,
            paid_asset=self.paid_asset,
            paid_amount=self.paid_amount,
        )


class CryptoPayUpdate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    update_id: int
    update_type: str
    request_date: datetime | None = None
    payload: CryptoPayInvoice


def parse_update(body: bytes) -> tuple[CryptoPayUpdate | None, dict[str, Any] | None]:
    """The update, and the raw JSON to log; (None, None) if the body is not one."""
    try:
        update = CryptoPayUpdate.model_validate_json(body)
    except ValidationError:
        return None, None
    return update, update.model_dump(mode="json", exclude_none=True)
