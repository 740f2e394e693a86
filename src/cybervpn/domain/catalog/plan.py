"""A plan: what we sell. Price in USD (and, to sell it in Telegram, in Stars),
limits applied to the buyer's VPN access."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID, uuid4

from cybervpn.domain.common.changes import FieldChanges
from cybervpn.domain.common.errors import (
    BusinessRuleError,
    ConflictError,
    NotFoundError,
)
from cybervpn.domain.fleet.vpn_user import NO_DEVICE_LIMIT, TrafficLimitStrategy

CENT = Decimal("0.01")


class PlanNotFoundError(NotFoundError):
    code = "plan_not_found"
    default_message = "Plan not found"


class PlanCodeTakenError(ConflictError):
    code = "plan_code_taken"
    default_message = "A plan with this code already exists"


class PlanSoldError(ConflictError):
    code = "plan_sold"
    default_message = "A plan that has been sold cannot be deleted; deactivate it"


class PlanNotForSaleError(BusinessRuleError):
    code = "plan_not_for_sale"
    default_message = "This plan is not for sale"


class InvalidPriceError(BusinessRuleError):
    code = "invalid_price"
    default_message = "A price must be positive, in whole cents"


# Telegram's ceiling for a Stars subscription price; one price fits both uses.
MAX_STARS = 10_000


class InvalidStarsPriceError(BusinessRuleError):
    code = "invalid_stars_price"
    default_message = f"A Stars price is a whole number from 1 to {MAX_STARS}"


def stars(amount: int | None) -> int | None:
    """A Stars price (whole Stars, 1 to MAX_STARS), none, or
    InvalidStarsPriceError."""
    if amount is not None and not 1 <= amount <= MAX_STARS:
        raise InvalidStarsPriceError
    return amount


def usd(amount: Decimal) -> Decimal:
    """A positive amount in whole cents, or InvalidPriceError."""
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise InvalidPriceError
    return amount.quantize(CENT)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessLimits:
    """What a VPN user may use: applied to the panel when access is provisioned."""

    traffic_limit_bytes: int  # 0 = unlimited
    traffic_limit_strategy: TrafficLimitStrategy
    device_limit: int | None  # None = unlimited
    squad_uuids: tuple[UUID, ...]

    @property
    def panel_device_limit(self) -> int:
        """The VPN user's device limit: what was sold, or explicitly none."""
        return NO_DEVICE_LIMIT if self.device_limit is None else self.device_limit


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    code: str
    name: str
    description: str
    duration_days: int
    limits: AccessLimits
    price: Decimal  # USD
    is_active: bool
    sort_order: int
    created_at: datetime
    updated_at: datetime
    price_stars: int | None = None  # None: not sold for Stars
    id: UUID = field(default_factory=uuid4)

    def __post_init__(self) -> None:
        usd(self.price)
        stars(self.price_stars)

    def changed(self, changes: "PlanChanges", *, now: datetime) -> "Plan":
        """The plan with what was sent changed; its limits change field by field."""
        limits = self.limits
        return replace(
            self,
            code=changes.pick("code", self.code),
            name=changes.pick("name", self.name),
            description=changes.pick("description", self.description),
            duration_days=changes.pick("duration_days", self.duration_days),
            price=usd(changes.pick("price", self.price)),
            price_stars=stars(changes.pick("price_stars", self.price_stars)),
            is_active=changes.pick("is_active", self.is_active),
            sort_order=changes.pick("sort_order", self.sort_order),
            limits=AccessLimits(
                traffic_limit_bytes=changes.pick(
                    "traffic_limit_bytes", limits.traffic_limit_bytes
                ),
                traffic_limit_strategy=changes.pick(
                    "traffic_limit_strategy", limits.traffic_limit_strategy
                ),
                device_limit=changes.pick("device_limit", limits.device_limit),
                squad_uuids=changes.pick("squad_uuids", limits.squad_uuids),
            ),
            updated_at=now,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanChanges(FieldChanges):
    """A PATCH of a plan; `device_limit` sent as None means unlimited."""

    code: str | None = None
    name: str | None = None
    description: str | None = None
    duration_days: int | None = None
    price: Decimal | None = None
    price_stars: int | None = None
    is_active: bool | None = None
    sort_order: int | None = None
    traffic_limit_bytes: int | None = None
    traffic_limit_strategy: TrafficLimitStrategy | None = None
    device_limit: int | None = None
    squad_uuids: tuple[UUID, ...] | None = None


class PlanRepository(Protocol):
    def add(self, plan: Plan) -> None: ...
    async def get(self, plan_id: UUID) -> Plan | None: ...
    async def get_many(self, plan_ids: Collection[UUID]) -> dict[UUID, Plan]: ...
    async def code_taken(
        self, code: str, *, other_than: UUID | None = None
    ) -> bool: ...
    async def list(self, *, active_only: bool) -> Sequence[Plan]: ...
    async def save(self, plan: Plan) -> None: ...
    async def delete(self, plan_id: UUID) -> None: ...
