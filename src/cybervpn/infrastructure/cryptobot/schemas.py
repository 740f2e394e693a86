"""The parts of the Crypto Pay API we read. Amounts arrive as strings: Decimal."""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from cybervpn.domain.billing.payment import ProviderInvoice
from cybervpn.infrastructure.persistence.storable import is_storable

# What our columns hold: ids are BIGINT, amounts NUMERIC(18, 2) or wider; an
# answer outside them is not one Crypto Pay gives, and is refused as malformed.
InvoiceId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Amount = Annotated[Decimal, Field(ge=0, lt=10**12, allow_inf_nan=False)]


class CryptoPayInvoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    invoice_id: InvoiceId
    status: str
    currency_type: str = "crypto"
    fiat: str | None = None
    asset: str | None = None
    amount: Amount
    payload: str | None = None
    bot_invoice_url: str | None = None
    pay_url: str | None = None  # deprecated alias of bot_invoice_url
    expiration_date: AwareDatetime | None = None
    paid_at: AwareDatetime | None = None
    paid_asset: str | None = None
    paid_amount: Amount | None = None

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

    update_id: Annotated[int, Field(ge=0, le=2**63 - 1)]
    update_type: str
    request_date: AwareDatetime | None = None
    payload: CryptoPayInvoice


def parse_update(body: bytes) -> tuple[CryptoPayUpdate | None, dict[str, Any] | None]:
    """The update, and the raw JSON to log; (None, None) if the body is not one."""
    try:
        update = CryptoPayUpdate.model_validate_json(body)
    except ValidationError:
        return None, None
    logged = update.model_dump(mode="json", exclude_none=True)
    if not is_storable(logged):  # it is logged, and PostgreSQL refuses NUL
        return None, None
    return update, logged
