"""Plan requests and responses. Prices are decimal strings in USD."""

from decimal import Decimal
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from cybervpn.domain.catalog.plan import MAX_STARS, Plan
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.presentation.http.bounds import MONEY_MAX
from cybervpn.presentation.http.request_body import RequestBody

MAX_BYTES = 2**63 - 1
Code = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")]
Name = Annotated[str, Field(min_length=1, max_length=128)]
Description = Annotated[str, Field(max_length=2000)]
Days = Annotated[int, Field(ge=1, le=3650)]
Bytes = Annotated[int, Field(ge=0, le=MAX_BYTES, description="0 = unlimited")]
Devices = Annotated[int, Field(ge=1, le=100, description="null = unlimited")]
Squads = Annotated[list[UUID], Field(max_length=50)]
Price = Annotated[Decimal, Field(gt=0, lt=MONEY_MAX, max_digits=12, decimal_places=2)]
Stars = Annotated[
    int, Field(ge=1, le=MAX_STARS, description="whole Telegram Stars; null = not sold")
]


NEW_PLAN_EXAMPLE: dict[str, JsonValue] = {
    "code": "month",
    "name": "One month",
    "description": "",
    "duration_days": 30,
    "traffic_limit_bytes": 107374182400,
    "traffic_limit_strategy": "MONTH",
    "device_limit": 3,
    "squad_uuids": [],
    "price": "4.99",
    "price_stars": 250,
}
PLAN_EXAMPLE: dict[str, JsonValue] = {
    "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    **NEW_PLAN_EXAMPLE,
    "currency": "USD",
    "is_active": True,
    "sort_order": 0,
}


class PlanCreate(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [NEW_PLAN_EXAMPLE]})

    code: Code
    name: Name
    description: Description = ""
    duration_days: Days
    traffic_limit_bytes: Bytes = 0
    traffic_limit_strategy: TrafficLimitStrategy = TrafficLimitStrategy.MONTH
    device_limit: Devices | None = None
    squad_uuids: Squads = []
    price: Price
    price_stars: Stars | None = None
    is_active: bool = True
    sort_order: int = Field(default=0, ge=-1000, le=1000)


class PlanUpdate(RequestBody):
    """Only the fields sent change; `device_limit: null` means unlimited,
    `price_stars: null` not sold for Stars."""

    code: Code | None = None
    name: Name | None = None
    description: Description | None = None
    duration_days: Days | None = None
    traffic_limit_bytes: Bytes | None = None
    traffic_limit_strategy: TrafficLimitStrategy | None = None
    device_limit: Devices | None = None
    squad_uuids: Squads | None = None
    price: Price | None = None
    price_stars: Stars | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(default=None, ge=-1000, le=1000)


class PlanResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [PLAN_EXAMPLE]})

    id: UUID
    code: str
    name: str
    description: str
    duration_days: int
    traffic_limit_bytes: int
    traffic_limit_strategy: TrafficLimitStrategy
    device_limit: int | None
    squad_uuids: list[UUID]
    price: Decimal
    currency: str = "USD"
    price_stars: int | None
    is_active: bool
    sort_order: int

    @classmethod
    def of(cls, plan: Plan) -> Self:
        limits = plan.limits
        return cls(
            id=plan.id,
            code=plan.code,
            name=plan.name,
            description=plan.description,
            duration_days=plan.duration_days,
            traffic_limit_bytes=limits.traffic_limit_bytes,
            traffic_limit_strategy=limits.traffic_limit_strategy,
            device_limit=limits.device_limit,
            squad_uuids=list(limits.squad_uuids),
            price=plan.price,
            price_stars=plan.price_stars,
            is_active=plan.is_active,
            sort_order=plan.sort_order,
        )
