"""Business rules of plans, subscriptions and payments, without I/O."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from cybervpn.domain.billing.payment import Payment, ProviderInvoice
from cybervpn.domain.catalog.plan import AccessLimits, InvalidPriceError, Plan, usd
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.domain.subscriptions.subscription import (
    Subscription,
    SubscriptionStatus,
    vpn_username,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
LIMITS = AccessLimits(
    traffic_limit_bytes=10,
    traffic_limit_strategy=TrafficLimitStrategy.MONTH,
    device_limit=2,
    squad_uuids=(),
)


def _plan(days: int = 30, devices: int = 2) -> Plan:
    limits = AccessLimits(
        traffic_limit_bytes=10,
        traffic_limit_strategy=TrafficLimitStrategy.MONTH,
        device_limit=devices,
        squad_uuids=(uuid4(),),
    )
    return Plan(
        code="p",
        name="P",
        description="",
        duration_days=days,
        limits=limits,
        price=Decimal("4.99"),
        is_active=True,
        sort_order=0,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize("price", ["0", "-1", "1.999", "NaN", "Infinity"])
def test_prices_are_positive_whole_cents(price: str) -> None:
    with pytest.raises(InvalidPriceError):
        usd(Decimal(price))
    assert usd(Decimal("4.9")) == Decimal("4.90")


def test_renewal_runs_from_the_later_of_now_and_the_expiry() -> None:
    subscription = Subscription.bought(uuid4(), _plan(), now=NOW)
    assert subscription.expires_at == NOW + timedelta(days=30)
    assert subscription.version == 1
    subscription.renew(_plan(days=365, devices=5), now=NOW + timedelta(days=10))
    assert subscription.expires_at == NOW + timedelta(days=395)
    assert subscription.limits.device_limit == 5 and subscription.version == 2
    lapsed = Subscription.bought(uuid4(), _plan(), now=NOW)
    lapsed.renew(_plan(), now=NOW + timedelta(days=100))
    assert lapsed.expires_at == NOW + timedelta(days=130)


def test_status_follows_expiry_and_provisioning() -> None:
    trial = Subscription.trial(uuid4(), now=NOW, days=3, limits=LIMITS)
    assert trial.status(NOW) is SubscriptionStatus.PROVISIONING
    trial.provisioned_version = trial.version
    assert trial.status(NOW) is SubscriptionStatus.ACTIVE
    assert trial.status(NOW + timedelta(days=3)) is SubscriptionStatus.EXPIRED
    assert len(vpn_username(trial.account_id)) <= 36


def _invoice(payment: Payment, **changes: object) -> ProviderInvoice:
    values: dict[str, object] = {
        "invoice_id": 1,
        "status": "paid",
        "currency_type": "fiat",
        "currency": "USD",
        "amount": Decimal("4.99"),
        "payload": str(payment.id),
        "paid_at": NOW,
        "paid_asset": "USDT",
        "paid_amount": Decimal("4.99"),
    }
    return ProviderInvoice(**(values | changes))  # type: ignore[arg-type]


def test_only_the_invoice_we_asked_for_credits_a_payment() -> None:
    payment = Payment(
        account_id=uuid4(), plan_id=uuid4(), amount=Decimal("4.99"), created_at=NOW
    )
    assert payment.mismatch(_invoice(payment)) is None
    assert payment.mismatch(_invoice(payment, amount=Decimal("4.990"))) is None
    for changes in (
        {"amount": Decimal("4.98")},
        {"currency": "EUR"},
        {"currency_type": "crypto"},
        {"payload": str(uuid4())},
        {"payload": None},
        {"status": "expired"},
    ):
        assert payment.mismatch(_invoice(payment, **changes)) is not None, changes
