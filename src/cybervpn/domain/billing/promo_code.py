"""Promo codes: a discount (percent or fixed USD) or bonus days on a purchase.

A code is checked when the invoice is created and the price it gives is the price
asked; it is counted as used only when that payment is paid, so abandoned invoices
use up nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from cybervpn.domain.catalog.plan import CENT
from cybervpn.domain.common.changes import FieldChanges
from cybervpn.domain.common.errors import (
    BusinessRuleError,
    ConflictError,
    NotFoundError,
)

# Crypto Pay needs a positive amount: a discount never takes a price below a cent.
MINIMUM_PRICE = CENT


class PromoCodeNotFoundError(NotFoundError):
    code = "promo_code_not_found"
    default_message = "Promo code not found"


class PromoCodeTakenError(ConflictError):
    code = "promo_code_taken"
    default_message = "A promo code with this code already exists"


class PromoCodeUsedError(ConflictError):
    code = "promo_code_used"
    default_message = "A promo code that has been used cannot be deleted; deactivate it"


class PromoCodeNotApplicableError(BusinessRuleError):
    code = "promo_code_not_applicable"
    default_message = "This promo code cannot be used"


class InvalidPromoCodeError(BusinessRuleError):
    code = "invalid_promo_code"
    default_message = (
        "A percent is 1-100, a fixed discount whole cents, bonus days 1-365"
    )


class PromoKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"  # USD off
    BONUS_DAYS = "bonus_days"


def normalize(code: str) -> str:
    return code.strip().upper()


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoPrice:
    original: Decimal
    price: Decimal
    bonus_days: int

    @property
    def discount(self) -> Decimal:
        return self.original - self.price


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoCode:
    code: str
    kind: PromoKind
    value: Decimal
    created_at: datetime
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: int | None = None  # in total; None = unlimited
    max_uses_per_account: int = 1
    uses: int = 0
    is_active: bool = True
    id: UUID = field(default_factory=uuid4)

    def __post_init__(self) -> None:
        value = self.value
        valid = {
            PromoKind.PERCENT: Decimal(1) <= value <= Decimal(100)
            and value == value.to_integral_value(),
            PromoKind.FIXED: value > 0 and value == value.quantize(CENT),
            PromoKind.BONUS_DAYS: Decimal(1) <= value <= Decimal(365)
            and value == value.to_integral_value(),
        }[self.kind]
        if not valid:
            raise InvalidPromoCodeError

    def changed(self, changes: "PromoCodeChanges") -> "PromoCode":
        return replace(
            self,
            valid_from=changes.pick("valid_from", self.valid_from),
            valid_until=changes.pick("valid_until", self.valid_until),
            max_uses=changes.pick("max_uses", self.max_uses),
            max_uses_per_account=changes.pick(
                "max_uses_per_account", self.max_uses_per_account
            ),
            is_active=changes.pick("is_active", self.is_active),
        )

    def refusal(self, *, now: datetime, account_uses: int) -> str | None:
        """Why this account cannot use the code now, or None when it can."""
        if not self.is_active:
            return "This promo code is no longer active"
        if self.valid_from is not None and now < self.valid_from:
            return "This promo code is not valid yet"
        if self.valid_until is not None and now >= self.valid_until:
            return "This promo code has expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "This promo code has been used up"
        if account_uses >= self.max_uses_per_account:
            return "You have already used this promo code"
        return None

    def apply(self, price: Decimal) -> PromoPrice:
        if self.kind is PromoKind.BONUS_DAYS:
            return PromoPrice(original=price, price=price, bonus_days=int(self.value))
        if self.kind is PromoKind.PERCENT:
            off = (price * self.value / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            off = self.value
        return PromoPrice(
            original=price, price=max(price - off, MINIMUM_PRICE), bonus_days=0
        )

    def apply_stars(self, price_stars: int, usd_price: Decimal) -> tuple[int, int]:
        """The Stars price and bonus days: the same share off as in USD (a fixed
        USD discount takes the same fraction of the Stars price), in whole Stars,
        at least one."""
        in_usd = self.apply(usd_price)
        share = in_usd.price / in_usd.original
        discounted = (price_stars * share).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return max(int(discounted), 1), in_usd.bonus_days


@dataclass(frozen=True, slots=True, kw_only=True)
class PromoCodeChanges(FieldChanges):
    """A PATCH of a promo code. The code, its kind and value never change once
    created (payments were priced with them); a None window end or total limit
    sent means none."""

    valid_from: datetime | None = None
    valid_until: datetime | None = None
    max_uses: int | None = None
    max_uses_per_account: int | None = None
    is_active: bool | None = None


class PromoCodeRepository(Protocol):
    def add(self, promo: PromoCode) -> None: ...
    async def get(self, promo_id: UUID) -> PromoCode | None: ...
    async def by_code(self, code: str) -> PromoCode | None: ...
    async def save(self, promo: PromoCode) -> None: ...
    async def delete(self, promo_id: UUID) -> None: ...
    async def count_use(self, promo_id: UUID) -> None:
        """One more paid use (an atomic increment)."""
        ...

    async def list(
        self, *, limit: int, offset: int
    ) -> tuple[Sequence[PromoCode], int]: ...
