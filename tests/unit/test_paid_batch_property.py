"""Crediting paid webhooks in a batch (one transaction, set-based statements) gives
every delivery the outcome, and the business the state, that crediting them one by
one in the same order would have: the property that group commit (ADR 0004) rests
on, checked over generated batches on the in-memory fakes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cybervpn.application.billing.credit_payment import CreditPayments
from cybervpn.application.billing.receive_paid_invoices import (
    PaidDelivery,
    ReceivePaidInvoices,
)
from cybervpn.application.common.uow import UnitOfWork
from cybervpn.domain.billing.payment import Payment, PaymentStatus, ProviderInvoice
from cybervpn.domain.billing.referral import Referral
from cybervpn.domain.catalog.plan import AccessLimits, Plan
from cybervpn.domain.fleet.vpn_user import TrafficLimitStrategy
from cybervpn.domain.subscriptions.subscription import PROVISION_TOPIC, Subscription
from cybervpn.domain.webhooks.delivery import DeliveryOutcome
from tests.unit.fakes import FakeClock, FakeUnitOfWork

pytestmark = pytest.mark.unit
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ACCOUNTS = [UUID(int=n + 1) for n in range(4)]
BONUS_DAYS = 7


def _plan(code: str, days: int, devices: int) -> Plan:
    limits = AccessLimits(
        traffic_limit_bytes=days * 10**9,
        traffic_limit_strategy=TrafficLimitStrategy.MONTH,
        device_limit=devices,
        squad_uuids=(),
    )
    return Plan(
        code=code,
        name=code,
        description="",
        duration_days=days,
        limits=limits,
        price=Decimal("4.99"),
        is_active=True,
        sort_order=0,
        created_at=NOW,
        updated_at=NOW,
        id=uuid4(),
    )


PLANS = [_plan("month", 30, 3), _plan("year", 365, 5)]


@dataclass(frozen=True)
class PaymentSpec:
    account: int
    plan: int
    status: PaymentStatus
    bonus_days: int


@dataclass(frozen=True)
class DeliverySpec:
    payment: int | None  # None: an invoice we never issued
    wrong_amount: bool
    wrong_payload: bool


@dataclass(frozen=True)
class Scenario:
    payments: list[PaymentSpec]
    deliveries: list[DeliverySpec]
    referrers: dict[int, int]  # referee account -> referrer account
    existing: set[int]  # accounts that already have access (a running trial)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    payments = draw(
        st.lists(
            st.builds(
                PaymentSpec,
                account=st.integers(0, len(ACCOUNTS) - 1),
                plan=st.integers(0, len(PLANS) - 1),
                status=st.sampled_from(
                    [PaymentStatus.PENDING] * 4
                    + [
                        PaymentStatus.EXPIRED,
                        PaymentStatus.PAID,
                    ]
                ),
                bonus_days=st.sampled_from([0, 0, 3]),
            ),
            min_size=1,
            max_size=6,
        )
    )
    deliveries = draw(
        st.lists(
            st.builds(
                DeliverySpec,
                payment=st.one_of(st.none(), st.integers(0, len(payments) - 1)),
                wrong_amount=st.sampled_from([False] * 3 + [True]),
                wrong_payload=st.sampled_from([False] * 5 + [True]),
            ),
            min_size=1,
            max_size=10,
        )
    )
    referrers = draw(
        st.dictionaries(
            st.integers(0, len(ACCOUNTS) - 1),
            st.integers(0, len(ACCOUNTS) - 1),
            max_size=3,
        ).map(lambda pairs: {a: b for a, b in pairs.items() if a != b})
    )
    existing = draw(st.sets(st.integers(0, len(ACCOUNTS) - 1), max_size=2))
    return Scenario(payments, deliveries, referrers, existing)


class World:
    """One business: its storage (the fakes) and the crediting use case."""

    def __init__(self, scenario: Scenario) -> None:
        self.uow = FakeUnitOfWork()
        clock = FakeClock()
        clock.current = NOW
        for plan in PLANS:
            self.uow.plans.add(plan)
        self.payments = [
            Payment(
                id=UUID(int=1000 + n),
                account_id=ACCOUNTS[spec.account],
                plan_id=PLANS[spec.plan].id,
                amount=Decimal("4.99"),
                created_at=NOW - timedelta(minutes=10),
                status=spec.status,
                bonus_days=spec.bonus_days,
                invoice_id=5000 + n,
            )
            for n, spec in enumerate(scenario.payments)
        ]
        for payment in self.payments:
            self.uow.payments.add(payment)
        for referee, referrer in scenario.referrers.items():
            self.uow.referrals.add(
                Referral(
                    referee_id=ACCOUNTS[referee],
                    referrer_id=ACCOUNTS[referrer],
                    created_at=NOW,
                )
            )
        for account in scenario.existing:
            trial = Subscription.trial(
                ACCOUNTS[account], now=NOW, days=3, limits=PLANS[0].limits
            )
            self.uow.subscriptions.rows[trial.account_id] = trial
        self.receive = ReceivePaidInvoices(
            uow_factory=self._unit_of_work,
            clock=clock,
            credit=CreditPayments(clock=clock, referral_bonus_days=BONUS_DAYS),
        )

    @asynccontextmanager
    async def _unit_of_work(self) -> AsyncIterator[UnitOfWork]:
        yield cast(UnitOfWork, self.uow)

    def deliveries(self, scenario: Scenario) -> list[PaidDelivery]:
        return [self._delivery(n, spec) for n, spec in enumerate(scenario.deliveries)]

    def _delivery(self, n: int, spec: DeliverySpec) -> PaidDelivery:
        payment = None if spec.payment is None else self.payments[spec.payment]
        invoice = ProviderInvoice(
            invoice_id=9000 + n if payment is None else payment.invoice_id or 0,
            status="paid",
            currency_type="fiat",
            currency="USD",
            amount=Decimal("0.01") if spec.wrong_amount else Decimal("4.99"),
            payload=str(uuid4())
            if spec.wrong_payload or payment is None
            else str(payment.id),
            paid_at=NOW,
            paid_asset="USDT",
            paid_amount=Decimal("4.99"),
        )
        return PaidDelivery(invoice, payload={"invoice_id": invoice.invoice_id})

    def state(self) -> dict[str, Any]:
        """What the business knows afterwards (ids that are random left out)."""
        uow = self.uow
        subscription_owner = {s.id: a for a, s in uow.subscriptions.rows.items()}
        return {
            "payments": {
                p.id: (p.status, p.flag, p.paid_amount)
                for p in uow.payments.rows.values()
            },
            "access": {
                account: (s.expires_at, s.plan_id, s.limits, s.is_trial)
                for account, s in uow.subscriptions.rows.items()
            },
            "referrals": {
                r.referee_id: (r.rewarded_at, r.reward_days, r.applied_at)
                for r in uow.referrals.rows.values()
            },
            "notices": sorted(
                (n.template.value, str(n.account_id), str(n.payload))
                for n in uow.notifications.rows.values()
            ),
            "provisioned": {
                subscription_owner[UUID(m.payload["subscription_id"])]
                for m in uow.outbox.rows.values()
                if m.topic == PROVISION_TOPIC
            },
            "log": sorted(
                (d.outcome.value, d.dedupe_key or "", d.error or "")
                for d in uow.webhook_log.rows
            ),
        }


@settings(max_examples=150, deadline=None)
@given(scenarios())
async def test_a_batch_credits_exactly_as_one_delivery_after_another(
    scenario: Scenario,
) -> None:
    together, one_by_one = World(scenario), World(scenario)

    batch_outcomes = await together.receive.execute(together.deliveries(scenario))
    single_outcomes: list[DeliveryOutcome] = []
    for delivery in one_by_one.deliveries(scenario):
        single_outcomes += await one_by_one.receive.execute([delivery])

    assert batch_outcomes == single_outcomes
    assert together.state() == one_by_one.state()
