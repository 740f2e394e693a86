"""Promo code requests and responses."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from cybervpn.domain.billing.promo_code import PromoKind
from cybervpn.presentation.http.bounds import MONEY_MAX, Count
from cybervpn.presentation.http.request_body import RequestBody

PromoCodeText = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{3,64}$")]
Value = Annotated[Decimal, Field(gt=0, lt=MONEY_MAX, max_digits=12, decimal_places=2)]


class PromoCodeCreate(RequestBody):
    code: PromoCodeText
    kind: PromoKind
    value: Value = Field(description="percent 1-100, USD off, or bonus days")
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    max_uses: Count | None = None
    max_uses_per_account: int = Field(default=1, ge=1, le=1000)
    is_active: bool = True


class PromoCodeUpdate(RequestBody):
    """Only what is sent changes; the code and its kind and value are fixed once
    created (payments were priced with them)."""

    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    max_uses: Count | None = None
    max_uses_per_account: int | None = Field(default=None, ge=1, le=1000)
    is_active: bool | None = None


class PromoCodeResponse(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    code: str
    kind: PromoKind
    value: Decimal
    valid_from: datetime | None
    valid_until: datetime | None
    max_uses: int | None
    max_uses_per_account: int
    uses: int
    is_active: bool
    created_at: datetime


class PromoValidate(RequestBody):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    plan_id: UUID


class PromoPreview(BaseModel):
    code: str
    plan_id: UUID
    original_price: Decimal
    price: Decimal
    discount: Decimal
    bonus_days: int
    currency: str = "USD"
