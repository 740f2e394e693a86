"""Subscription responses."""

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from cybervpn.application.subscriptions.get_my_subscription import SubscriptionView
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.domain.subscriptions.subscription import Subscription, SubscriptionStatus
from cybervpn.presentation.http.catalog.schemas import PLAN_EXAMPLE, PlanResponse


class SubscriptionResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "1ce2f48e-2114-4032-954b-82fdc5a060c6",
                    "status": "active",
                    "is_trial": False,
                    "plan": PLAN_EXAMPLE,
                    "expires_at": "2026-12-31T11:02:14Z",
                    "traffic_used_bytes": 1073741824,
                    "traffic_limit_bytes": 107374182400,
                    "traffic_limit_strategy": "MONTH",
                    "device_limit": 3,
                    "subscription_url": "https://sub.example.com/-usRLHmGrpieWBNU",
                    "auto_renew": False,
                }
            ]
        }
    )

    id: UUID
    status: SubscriptionStatus
    is_trial: bool
    plan: PlanResponse | None
    expires_at: datetime
    traffic_used_bytes: int | None
    traffic_limit_bytes: int
    traffic_limit_strategy: TrafficLimitStrategy
    device_limit: int | None
    subscription_url: str | None
    auto_renew: bool  # a Telegram Stars subscription renews it every 30 days

    @classmethod
    def of(cls, view: SubscriptionView) -> Self:
        limits = view.limits
        return cls(
            id=view.id,
            status=view.status,
            is_trial=view.is_trial,
            plan=None if view.plan is None else PlanResponse.of(view.plan),
            expires_at=view.expires_at,
            traffic_used_bytes=view.traffic_used_bytes,
            traffic_limit_bytes=limits.traffic_limit_bytes,
            traffic_limit_strategy=limits.traffic_limit_strategy,
            device_limit=limits.device_limit,
            subscription_url=view.subscription_url,
            auto_renew=view.auto_renew,
        )


class TrialResponse(BaseModel):
    id: UUID
    status: SubscriptionStatus
    is_trial: bool
    expires_at: datetime
    traffic_limit_bytes: int
    device_limit: int | None

    @classmethod
    def of(cls, subscription: Subscription, now: datetime) -> Self:
        return cls(
            id=subscription.id,
            status=subscription.status(now),
            is_trial=subscription.is_trial,
            expires_at=subscription.expires_at,
            traffic_limit_bytes=subscription.limits.traffic_limit_bytes,
            device_limit=subscription.limits.device_limit,
        )
