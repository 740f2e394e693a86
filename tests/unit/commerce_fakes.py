"""In-memory repositories for commerce, jobs and webhooks, with the semantics of
the SQL ones that the business rules rely on: compare-and-set transitions, unique
keys that let one of two inserts win, rows copied in and out (a use case never
shares an object with storage)."""

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from uuid import UUID

from cybervpn.domain.billing.payment import (
    Payment,
    PaymentFilter,
    PaymentStatus,
    ProviderInvoice,
)
from cybervpn.domain.billing.promo_code import PromoCode
from cybervpn.domain.billing.referral import Referral
from cybervpn.domain.catalog.plan import Plan
from cybervpn.domain.common.backlog import Backlog
from cybervpn.domain.fleet.geolocation import ServerGeolocation
from cybervpn.domain.jobs.outbox import (
    OutboxFilter,
    OutboxMessage,
    OutboxStatus,
    retry_delay,
)
from cybervpn.domain.notifications.notification import Notification
from cybervpn.domain.subscriptions.subscription import (
    Reminder,
    StarsRenewal,
    Subscription,
)
from cybervpn.domain.webhooks.delivery import WebhookDelivery, WebhookLogFilter


def _page[T](rows: Sequence[T], limit: int, offset: int) -> tuple[Sequence[T], int]:
    return list(rows[offset : offset + limit]), len(rows)


@dataclass
class FakePlans:
    rows: dict[UUID, Plan] = field(default_factory=dict)

    def add(self, plan: Plan) -> None:
        self.rows[plan.id] = plan

    async def get(self, plan_id: UUID) -> Plan | None:
        return self.rows.get(plan_id)

    async def get_many(self, plan_ids: Collection[UUID]) -> dict[UUID, Plan]:
        return {i: self.rows[i] for i in plan_ids if i in self.rows}

    async def code_taken(self, code: str, *, other_than: UUID | None = None) -> bool:
        return any(p.code == code and p.id != other_than for p in self.rows.values())

    async def list(self, *, active_only: bool) -> Sequence[Plan]:
        plans = [p for p in self.rows.values() if p.is_active or not active_only]
        return sorted(plans, key=lambda p: (p.sort_order, p.code))

    async def save(self, plan: Plan) -> None:
        self.rows[plan.id] = plan

    async def delete(self, plan_id: UUID) -> None:
        self.rows.pop(plan_id, None)


@dataclass
class FakePayments:
    rows: dict[UUID, Payment] = field(default_factory=dict)

    def add(self, payment: Payment) -> None:
        self.rows[payment.id] = replace(payment)

    async def get_many(self, payment_ids: Collection[UUID]) -> dict[UUID, Payment]:
        return {i: replace(self.rows[i]) for i in payment_ids if i in self.rows}

    async def insert(self, payment: Payment) -> None:
        self.add(payment)

    async def get(self, payment_id: UUID) -> Payment | None:
        found = self.rows.get(payment_id)
        return replace(found) if found else None

    async def erase_payer(self, account_id: UUID) -> None:
        for payment in self.rows.values():
            if payment.account_id == account_id:
                payment.payer_telegram_id = payment.pay_url = None

    async def by_invoices(
        self, provider: str, invoice_ids: Collection[int]
    ) -> dict[int, Payment]:
        return {
            p.invoice_id: replace(p)
            for p in self.rows.values()
            if p.provider == provider
            and p.invoice_id is not None
            and p.invoice_id in invoice_ids
        }

    async def save(self, payment: Payment) -> None:
        self.rows[payment.id] = replace(payment)

    async def mark_paid(self, invoices: Mapping[UUID, ProviderInvoice]) -> set[UUID]:
        moved: set[UUID] = set()
        for payment_id, invoice in invoices.items():
            row = self.rows[payment_id]
            if row.status is PaymentStatus.PENDING:
                row.status = PaymentStatus.PAID
                row.paid_at = invoice.paid_at
                row.paid_asset = invoice.paid_asset
                row.paid_amount = invoice.paid_amount
                moved.add(payment_id)
        return moved

    async def mark_expired(self, payment_id: UUID) -> bool:
        row = self.rows[payment_id]
        if row.status is not PaymentStatus.PENDING:
            return False
        row.status = PaymentStatus.EXPIRED
        return True

    async def mark_refunded(self, payment_id: UUID, *, now: datetime) -> bool:
        row = self.rows[payment_id]
        if row.status is not PaymentStatus.PAID:
            return False
        row.status, row.refunded_at = PaymentStatus.REFUNDED, now
        return True

    async def flag(self, payment_id: UUID, reason: str) -> None:
        self.rows[payment_id].flag = reason

    async def mark_provisioned(self, account_id: UUID, *, now: datetime) -> None:
        for row in self.rows.values():
            if (
                row.account_id == account_id
                and row.status is PaymentStatus.PAID
                and row.provisioned_at is None
            ):
                row.provisioned_at = now

    async def pending_with_invoice(
        self, *, limit: int, offset: int
    ) -> Sequence[Payment]:
        pending = [
            replace(p)
            for p in sorted(self.rows.values(), key=lambda p: p.created_at)
            if p.status is PaymentStatus.PENDING and p.invoice_id is not None
        ]
        return pending[offset : offset + limit]

    async def stale_without_invoice(self, *, before: datetime) -> Sequence[Payment]:
        return [
            replace(p)
            for p in self.rows.values()
            if p.status is PaymentStatus.PENDING
            and p.pay_url is None
            and p.created_at < before
        ]

    async def oldest_pending(self, provider: str) -> datetime | None:
        pending = [
            p.created_at
            for p in self.rows.values()
            if p.status is PaymentStatus.PENDING and p.provider == provider
        ]
        return min(pending, default=None)

    async def pending_expired(
        self, provider: str, *, before: datetime
    ) -> Sequence[Payment]:
        return [
            replace(p)
            for p in self.rows.values()
            if p.status is PaymentStatus.PENDING
            and p.provider == provider
            and p.expires_at is not None
            and p.expires_at < before
        ]

    async def unprovisioned_backlog(self) -> Backlog:
        paid_at = [
            p.paid_at
            for p in self.rows.values()
            if p.status is PaymentStatus.PAID and p.provisioned_at is None
        ]
        return Backlog(len(paid_at), min(filter(None, paid_at), default=None))

    async def unprovisioned_paid(
        self, *, paid_before: datetime, limit: int
    ) -> Sequence[Payment]:
        return [
            replace(p)
            for p in self.rows.values()
            if p.status is PaymentStatus.PAID
            and p.provisioned_at is None
            and p.provisioning_alerted_at is None
            and p.paid_at is not None
            and p.paid_at < paid_before
        ][:limit]

    async def plan_sold(self, plan_id: UUID) -> bool:
        return any(p.plan_id == plan_id for p in self.rows.values())

    async def promo_used(self, promo_id: UUID) -> bool:
        return any(p.promo_code_id == promo_id for p in self.rows.values())

    async def paid_promo_uses(self, promo_id: UUID, account_id: UUID) -> int:
        return sum(
            1
            for p in self.rows.values()
            if p.promo_code_id == promo_id
            and p.account_id == account_id
            and p.status is PaymentStatus.PAID
        )

    async def list(
        self, payment_filter: PaymentFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Payment], int]:
        rows = [
            replace(p)
            for p in sorted(self.rows.values(), key=lambda p: p.created_at)
            if payment_filter.account_id in (None, p.account_id)
            and payment_filter.status in (None, p.status)
        ]
        return _page(rows, limit, offset)


@dataclass
class FakePromoCodes:
    rows: dict[UUID, PromoCode] = field(default_factory=dict)

    def add(self, promo: PromoCode) -> None:
        self.rows[promo.id] = promo

    async def get(self, promo_id: UUID) -> PromoCode | None:
        return self.rows.get(promo_id)

    async def by_code(self, code: str) -> PromoCode | None:
        return next((p for p in self.rows.values() if p.code == code), None)

    async def save(self, promo: PromoCode) -> None:
        self.rows[promo.id] = promo

    async def delete(self, promo_id: UUID) -> None:
        self.rows.pop(promo_id, None)

    async def count_use(self, promo_id: UUID) -> None:
        promo = self.rows[promo_id]
        self.rows[promo_id] = replace(promo, uses=promo.uses + 1)

    async def list(self, *, limit: int, offset: int) -> tuple[Sequence[PromoCode], int]:
        return _page(list(self.rows.values()), limit, offset)


@dataclass
class FakeReferrals:
    codes: dict[UUID, str] = field(default_factory=dict)
    rows: dict[UUID, Referral] = field(default_factory=dict)  # by referee

    async def code_of(self, account_id: UUID) -> str | None:
        return self.codes.get(account_id)

    async def claim_code(self, account_id: UUID, code: str) -> bool:
        if account_id in self.codes or code in self.codes.values():
            return False
        self.codes[account_id] = code
        return True

    async def owner_of(self, code: str) -> UUID | None:
        return next((a for a, c in self.codes.items() if c == code), None)

    def add(self, referral: Referral) -> None:
        self.rows[referral.referee_id] = replace(referral)

    async def reward_once(
        self, referee_ids: Collection[UUID], *, days: int, now: datetime
    ) -> Sequence[Referral]:
        rewarded = []
        for referee_id in sorted(referee_ids):
            row = self.rows.get(referee_id)
            if row is not None and row.rewarded_at is None:
                self.rows[referee_id] = replace(row, rewarded_at=now, reward_days=days)
                rewarded.append(self.rows[referee_id])
        return rewarded

    async def mark_applied(self, referee_id: UUID, *, now: datetime) -> None:
        self.rows[referee_id] = replace(self.rows[referee_id], applied_at=now)

    async def take_unapplied_days(
        self, referrer_ids: Collection[UUID], *, now: datetime
    ) -> Counter[UUID]:
        days: Counter[UUID] = Counter()
        for referee_id, row in self.rows.items():
            if (
                row.referrer_id in referrer_ids
                and row.rewarded_at is not None
                and row.applied_at is None
            ):
                self.rows[referee_id] = replace(row, applied_at=now)
                days[row.referrer_id] += row.reward_days
        return days

    async def summary(self, referrer_id: UUID) -> tuple[int, int, int, int]:
        mine = [r for r in self.rows.values() if r.referrer_id == referrer_id]
        rewarded = [r for r in mine if r.rewarded_at is not None]
        pending = sum(r.reward_days for r in rewarded if r.applied_at is None)
        return len(mine), len(rewarded), sum(r.reward_days for r in rewarded), pending


@dataclass
class FakeSubscriptions:
    rows: dict[UUID, Subscription] = field(default_factory=dict)  # by account

    async def delete(self, account_id: UUID) -> None:
        self.rows.pop(account_id, None)

    async def add_if_absent(self, subscription: Subscription) -> bool:
        return bool(await self.add_absent([subscription]))

    async def add_absent(self, subscriptions: Sequence[Subscription]) -> set[UUID]:
        inserted = set()
        for subscription in subscriptions:
            if subscription.account_id not in self.rows:
                self.rows[subscription.account_id] = replace(subscription)
                inserted.add(subscription.account_id)
        return inserted

    async def get(self, subscription_id: UUID) -> Subscription | None:
        found = next((s for s in self.rows.values() if s.id == subscription_id), None)
        return replace(found) if found else None

    async def for_account(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Subscription | None:
        return (await self.for_accounts([account_id])).get(account_id)

    async def for_accounts(
        self, account_ids: Collection[UUID], *, for_update: bool = False
    ) -> dict[UUID, Subscription]:
        return {a: replace(self.rows[a]) for a in account_ids if a in self.rows}

    async def account_of_vpn_user(self, vpn_user_id: int) -> UUID | None:
        return next(
            (a for a, s in self.rows.items() if s.vpn_user_id == vpn_user_id), None
        )

    async def save(self, subscription: Subscription) -> None:
        self.rows[subscription.account_id] = replace(subscription)

    async def record_stars_renewal(
        self, account_id: UUID, renewal: StarsRenewal | None
    ) -> None:
        if account_id in self.rows:
            self.rows[account_id].stars_renewal = renewal

    async def save_all(self, subscriptions: Sequence[Subscription]) -> None:
        for subscription in subscriptions:
            await self.save(subscription)

    async def expiring(
        self, *, before: datetime, after: datetime, limit: int
    ) -> Sequence[Subscription]:
        return [
            replace(s)
            for s in self.rows.values()
            if after < s.expires_at < before and s.last_reminder is not Reminder.EXPIRED
        ][:limit]

    async def record_reminder(
        self, subscription_id: UUID, reminder: Reminder, *, expires_at: datetime
    ) -> bool:
        for row in self.rows.values():
            if row.id == subscription_id and row.expires_at == expires_at:
                row.last_reminder = reminder
                return True
        return False

    async def record_provisioned(
        self,
        subscription_id: UUID,
        *,
        version: int,
        vpn_user_id: int,
        short_uuid: str,
        subscription_url: str,
    ) -> None:
        for row in self.rows.values():
            if row.id == subscription_id:
                row.provisioned_version = max(row.provisioned_version, version)
                row.vpn_user_id, row.vpn_short_uuid = vpn_user_id, short_uuid
                row.subscription_url = subscription_url

    async def record_link(
        self, subscription_id: UUID, *, short_uuid: str, subscription_url: str
    ) -> None:
        for row in self.rows.values():
            if row.id == subscription_id:
                row.vpn_short_uuid, row.subscription_url = short_uuid, subscription_url


@dataclass
class FakeWebhookLog:
    rows: list[WebhookDelivery] = field(default_factory=list)

    async def record_first(self, delivery: WebhookDelivery) -> bool:
        return bool(await self.record_firsts([delivery]))

    async def record_firsts(self, deliveries: Sequence[WebhookDelivery]) -> set[UUID]:
        inserted = set()
        for delivery in deliveries:
            if not any(
                r.provider == delivery.provider and r.dedupe_key == delivery.dedupe_key
                for r in self.rows
            ):
                self.rows.append(replace(delivery))
                inserted.add(delivery.id)
        return inserted

    def add(self, delivery: WebhookDelivery) -> None:
        self.rows.append(replace(delivery))

    async def save(self, delivery: WebhookDelivery) -> None:
        self.rows = [replace(delivery) if r.id == delivery.id else r for r in self.rows]

    async def list(
        self, log_filter: WebhookLogFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[WebhookDelivery], int]:
        rows = [r for r in self.rows if log_filter.outcome in (None, r.outcome)]
        return _page(rows, limit, offset)


@dataclass
class FakeNotifications:
    rows: dict[UUID, Notification] = field(default_factory=dict)

    def add(self, notification: Notification) -> None:
        self.rows[notification.id] = replace(notification)

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            self.add(notification)

    async def erase_for(self, account_id: UUID) -> None:
        for notification in list(self.rows.values()):
            if notification.account_id == account_id:
                self.rows.pop(notification.id)

    async def get(self, notification_id: UUID) -> Notification | None:
        found = self.rows.get(notification_id)
        return replace(found) if found else None

    async def save(self, notification: Notification) -> None:
        self.rows[notification.id] = replace(notification)

    async def list(
        self, notification_filter: object, *, limit: int, offset: int
    ) -> tuple[Sequence[Notification], int]:
        return _page(list(self.rows.values()), limit, offset)


@dataclass
class FakeOutbox:
    rows: dict[UUID, OutboxMessage] = field(default_factory=dict)
    added: list[UUID] = field(default_factory=list)

    def add(self, message: OutboxMessage) -> None:
        self.rows[message.id] = replace(message)
        self.added.append(message.id)

    async def backlog(self) -> dict[OutboxStatus, Backlog]:
        unfinished = (OutboxStatus.PENDING, OutboxStatus.PROCESSING, OutboxStatus.DEAD)
        return {
            status: Backlog(
                len(rows := [m for m in self.rows.values() if m.status is status]),
                min((m.created_at for m in rows), default=None),
            )
            for status in unfinished
        }

    async def add_all(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            self.add(message)

    async def get(self, message_id: UUID) -> OutboxMessage | None:
        found = self.rows.get(message_id)
        return replace(found) if found else None

    async def claim(
        self, message_id: UUID, *, now: datetime, lease: timedelta
    ) -> OutboxMessage | None:
        row = self.rows.get(message_id)
        if row is None or row.status is not OutboxStatus.PENDING:
            return None
        if row.available_at > now:
            return None
        row.status, row.locked_until = OutboxStatus.PROCESSING, now + lease
        row.attempts += 1
        return replace(row)

    async def due_ids(self, *, now: datetime, limit: int) -> Sequence[UUID]:
        return [
            m.id
            for m in self.rows.values()
            if m.status is OutboxStatus.PENDING and m.available_at <= now
        ][:limit]

    async def complete(self, message_id: UUID, *, now: datetime) -> None:
        row = self.rows[message_id]
        row.status, row.processed_at, row.locked_until = OutboxStatus.DONE, now, None

    async def fail(
        self, message: OutboxMessage, *, error: str, now: datetime
    ) -> OutboxStatus:
        row = self.rows[message.id]
        row.last_error, row.locked_until = error, None
        if row.attempts >= row.max_attempts:
            row.status = OutboxStatus.DEAD
        else:
            row.status = OutboxStatus.PENDING
            row.available_at = now + retry_delay(row.attempts)
        return row.status

    async def release_expired(self, *, now: datetime) -> int:
        expired = [
            m
            for m in self.rows.values()
            if m.status is OutboxStatus.PROCESSING
            and m.locked_until is not None
            and m.locked_until <= now
        ]
        for message in expired:
            message.status, message.locked_until = OutboxStatus.PENDING, None
        return len(expired)

    async def requeue(self, message_id: UUID, *, now: datetime) -> bool:
        row = self.rows.get(message_id)
        if row is None or row.status is not OutboxStatus.DEAD:
            return False
        row.status, row.attempts, row.available_at = OutboxStatus.PENDING, 0, now
        return True

    async def bring_forward(self, message_id: UUID, *, now: datetime) -> bool:
        row = self.rows.get(message_id)
        if row is None or row.status is not OutboxStatus.PENDING:
            return False
        row.available_at = now
        return True

    async def list(
        self, outbox_filter: OutboxFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[OutboxMessage], int]:
        rows = [
            replace(m)
            for m in self.rows.values()
            if outbox_filter.status in (None, m.status)
            and outbox_filter.topic in (None, m.topic)
        ]
        return _page(rows, limit, offset)

    def added_ids(self) -> Sequence[UUID]:
        added, self.added = self.added, []
        return added


@dataclass
class FakeServerGeolocations:
    rows: dict[UUID, ServerGeolocation] = field(default_factory=dict)

    async def get(self, server_uuid: UUID) -> ServerGeolocation | None:
        return self.rows.get(server_uuid)

    async def get_many(self, server_uuids: list[UUID]) -> dict[UUID, ServerGeolocation]:
        return {u: self.rows[u] for u in server_uuids if u in self.rows}

    async def save(self, geolocation: ServerGeolocation) -> None:
        self.rows[geolocation.server_uuid] = geolocation

    async def delete(self, server_uuid: UUID) -> None:
        self.rows.pop(server_uuid, None)
