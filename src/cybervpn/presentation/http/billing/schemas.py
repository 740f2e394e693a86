"""Payment requests and responses. Amounts are decimal strings."""

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cybervpn.domain.billing.payment import PaymentStatus
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from cybervpn.presentation.http.request_body import RequestBody


class InvoiceCreate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    plan_id: UUID
    promo_code: str | None = Field(default=None, min_length=1, max_length=64)


class InvoiceResponse(BaseModel):
    payment_id: UUID
    invoice_id: int
    pay_url: str
    amount: Decimal
    currency: str
    status: PaymentStatus
    expires_at: datetime | None


class PaymentResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    account_id: UUID
    plan_id: UUID
    provider: str
    invoice_id: int | None
    pay_url: str | None
    amount: Decimal
    currency: str
    status: PaymentStatus
    created_at: datetime
    expires_at: datetime | None
    paid_at: datetime | None
    paid_asset: str | None
    paid_amount: Decimal | None
    provisioned_at: datetime | None
    flag: str | None


class WebhookAck(BaseModel):
    status: DeliveryOutcome


class SandboxPaymentResult(BaseModel):
    invoice_id: int
    invoice_status: str
    webhook_status: int
    webhook_outcome: DeliveryOutcome | None
