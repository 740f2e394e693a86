"""A subscription: an account's VPN access, and what the panel must be told of it.

The subscription row is the truth; the panel's VPN user is kept in line with it by
provisioning. Every change raises `version`; provisioning records the version it
applied, so access is up to date in the panel when the two are equal. Provisioning
writes absolute values (expiry, limits), never "add N days", so running it twice,
or late, or out of order, cannot add days twice.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from cybervpn.domain.catalog.plan import AccessLimits, Plan
from cybervpn.domain.common.errors import (
    ConflictError,
    NotFoundError,
    PaymentRequiredError,
)

PROVISION_TOPIC = "subscription.provision"
DEPROVISION_TOPIC = "subscription.deprovision"  # the account left: no VPN user


class SubscriptionNotFoundError(NotFoundError):
    code = "no_subscription"
    default_message = "No VPN subscription yet"


class SubscriptionExpiredError(PaymentRequiredError):
    code = "subscription_expired"
    default_message = "Subscription expired"


class AccessNotReadyError(ConflictError):
    code = "access_not_ready"
    default_message = "Your VPN access is still being set up, try again shortly"


class TrialAlreadyUsedError(ConflictError):
    code = "trial_already_used"
    default_message = "The free trial is only for accounts that never had VPN access"


class Reminder(StrEnum):
    """Expiry reminders, in the order they are due."""

    THREE_DAYS = "3d"
    ONE_DAY = "1d"
    EXPIRED = "expired"


REMINDER_ORDER = (Reminder.THREE_DAYS, Reminder.ONE_DAY, Reminder.EXPIRED)
REMINDER_LEAD = {
    Reminder.THREE_DAYS: timedelta(days=3),
    Reminder.ONE_DAY: timedelta(days=1),
}


def reminder_due(expires_at: datetime, now: datetime) -> Reminder | None:
    if expires_at <= now:
        return Reminder.EXPIRED
    if expires_at <= now + REMINDER_LEAD[Reminder.ONE_DAY]:
        return Reminder.ONE_DAY
    if expires_at <= now + REMINDER_LEAD[Reminder.THREE_DAYS]:
        return Reminder.THREE_DAYS
    return None


class SubscriptionStatus(StrEnum):
    PROVISIONING = "provisioning"  # paid or granted, not yet set up in the panel
    ACTIVE = "active"
    EXPIRED = "expired"


def vpn_username(account_id: UUID) -> str:
    """The panel username of an account's VPN user: stable, so provisioning can
    find a user it created before a crash. 35 characters, within the panel's 36."""
    return f"cv_{account_id.hex}"


class NoStarsSubscriptionError(ConflictError):
    code = "no_stars_subscription"
    default_message = "This access is not renewed by a Telegram Stars subscription"


@dataclass(frozen=True, slots=True, kw_only=True)
class StarsRenewal:
    """A Telegram Stars subscription renewing the access every 30 days: its first
    charge (what Telegram's cancel and re-enable name) and its payer."""

    charge_id: str
    payer_telegram_id: int
    enabled: bool = True


@dataclass(slots=True, kw_only=True)
class Subscription:
    account_id: UUID
    expires_at: datetime
    limits: AccessLimits
    created_at: datetime
    updated_at: datetime
    plan_id: UUID | None = None  # None while on the trial only
    is_trial: bool = False
    trial_started_at: datetime | None = None
    vpn_user_id: int | None = None
    vpn_short_uuid: str | None = None
    subscription_url: str | None = None
    version: int = 1
    provisioned_version: int = 0
    last_reminder: Reminder | None = None  # for the current expiry
    stars_renewal: StarsRenewal | None = None
    id: UUID = field(default_factory=uuid4)

    @classmethod
    def trial(
        cls, account_id: UUID, *, now: datetime, days: int, limits: AccessLimits
    ) -> "Subscription":
        return cls(
            account_id=account_id,
            expires_at=now + timedelta(days=days),
            limits=limits,
            created_at=now,
            updated_at=now,
            is_trial=True,
            trial_started_at=now,
        )

    @classmethod
    def bought(cls, account_id: UUID, plan: Plan, *, now: datetime) -> "Subscription":
        subscription = cls(
            account_id=account_id,
            expires_at=now,
            limits=plan.limits,
            created_at=now,
            updated_at=now,
            version=0,
        )
        subscription.renew(plan, now=now)
        return subscription

    def renew(self, plan: Plan, *, now: datetime, bonus_days: int = 0) -> None:
        """Paid time runs from the later of now and the current expiry, so renewing
        early loses nothing; the plan's limits apply from now on."""
        days = plan.duration_days + bonus_days
        self.expires_at = max(self.expires_at, now) + timedelta(days=days)
        self.plan_id = plan.id
        self.limits = plan.limits
        self.is_trial = False
        self._changed(now)

    def add_days(self, days: int, *, now: datetime) -> None:
        """Bonus time (a referral reward) on the same terms as paid time."""
        self.expires_at = max(self.expires_at, now) + timedelta(days=days)
        self._changed(now)

    def take_back(self, days: int, *, now: datetime) -> None:
        """A refunded payment's time comes off the expiry, exactly what it added
        (the access may end at once)."""
        self.expires_at -= timedelta(days=days)
        self._changed(now)

    def status(self, now: datetime) -> SubscriptionStatus:
        if self.expires_at <= now:
            return SubscriptionStatus.EXPIRED
        if self.provisioned_version < self.version:
            return SubscriptionStatus.PROVISIONING
        return SubscriptionStatus.ACTIVE

    def next_reminder(self, now: datetime) -> Reminder | None:
        """The reminder to send now, if any: each one once per expiry, and a late
        run sends only the latest due (never "3 days left" after it expired)."""
        due = reminder_due(self.expires_at, now)
        if due is None:
            return None
        sent = (
            -1
            if self.last_reminder is None
            else REMINDER_ORDER.index(self.last_reminder)
        )
        return due if REMINDER_ORDER.index(due) > sent else None

    def _changed(self, now: datetime) -> None:
        self.version += 1
        self.updated_at = now
        self.last_reminder = None  # a new expiry: its reminders start over


class SubscriptionRepository(Protocol):
    async def add_if_absent(self, subscription: Subscription) -> bool:
        """Insert unless the account already has one (a unique key, so concurrent
        callers cannot both insert); True if this call inserted it."""
        ...

    async def add_absent(self, subscriptions: Sequence[Subscription]) -> set[UUID]:
        """`add_if_absent` for many accounts at once; the accounts inserted."""
        ...

    async def get(self, subscription_id: UUID) -> Subscription | None: ...
    async def for_account(
        self, account_id: UUID, *, for_update: bool = False
    ) -> Subscription | None:
        """`for_update` locks the row until the transaction ends (PostgreSQL)."""
        ...

    async def for_accounts(
        self, account_ids: Collection[UUID], *, for_update: bool = False
    ) -> dict[UUID, Subscription]:
        """By account; `for_update` locks them, always in the same order."""
        ...

    async def account_of_vpn_user(self, vpn_user_id: int) -> UUID | None:
        """The account whose subscription the panel's VPN user provisions."""
        ...

    async def save(self, subscription: Subscription) -> None: ...
    async def record_stars_renewal(
        self, account_id: UUID, renewal: StarsRenewal | None
    ) -> None: ...
    async def save_all(self, subscriptions: Sequence[Subscription]) -> None: ...
    async def expiring(
        self, *, before: datetime, after: datetime, limit: int
    ) -> Sequence[Subscription]:
        """Expiring before `before` and after `after`, not yet told it expired."""
        ...

    async def record_reminder(
        self, subscription_id: UUID, reminder: Reminder, *, expires_at: datetime
    ) -> bool:
        """Only if the expiry is still `expires_at` (a renewal meanwhile wins)."""
        ...

    async def record_provisioned(
        self,
        subscription_id: UUID,
        *,
        version: int,
        vpn_user_id: int,
        short_uuid: str,
        subscription_url: str,
    ) -> None:
        """Never lowers `provisioned_version`: a late job cannot undo a newer one."""
        ...

    async def delete(self, account_id: UUID) -> None: ...

    async def record_link(
        self, subscription_id: UUID, *, short_uuid: str, subscription_url: str
    ) -> None:
        """The subscription link the panel issued after a revoke."""
        ...
