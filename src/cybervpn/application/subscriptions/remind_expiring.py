"""Customers hear before their access runs out, and when it has."""

from datetime import timedelta

from cybervpn.application.common.clock import Clock
from cybervpn.application.common.uow import UnitOfWorkFactory
from cybervpn.application.notifications.enqueue import enqueue_notification
from cybervpn.domain.notifications.notification import (
    Audience,
    Notification,
    Template,
)
from cybervpn.domain.subscriptions.subscription import Reminder

BATCH = 200
DAYS_LEFT = {Reminder.THREE_DAYS: 3, Reminder.ONE_DAY: 1}
# Access that ran out long ago (before this job existed, say) is not announced.
EXPIRED_LOOKBACK = timedelta(days=1)


class RemindExpiringSubscriptions:
    """Business rules: a customer is told 3 days before expiry, 1 day before, and
    when it expired; each once per expiry (a renewal starts them over); a run that
    comes late sends only the latest reminder due."""

    def __init__(self, *, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    async def execute(self) -> int:
        now = self._clock.now()
        sent = 0
        async with self._uow_factory() as uow:
            candidates = await uow.subscriptions.expiring(
                before=now + timedelta(days=3),
                after=now - EXPIRED_LOOKBACK,
                limit=BATCH,
            )
            for subscription in candidates:
                reminder = subscription.next_reminder(now)
                if reminder is None or not await uow.subscriptions.record_reminder(
                    subscription.id, reminder, expires_at=subscription.expires_at
                ):
                    continue
                expired = reminder is Reminder.EXPIRED
                enqueue_notification(
                    uow,
                    Notification(
                        audience=Audience.CUSTOMER,
                        account_id=subscription.account_id,
                        template=(
                            Template.SUBSCRIPTION_EXPIRED
                            if expired
                            else Template.SUBSCRIPTION_EXPIRING
                        ),
                        payload={
                            "days_left": DAYS_LEFT.get(reminder, 0),
                            "expires_at": subscription.expires_at.strftime(
                                "%Y-%m-%d %H:%M UTC"
                            ),
                        },
                        created_at=now,
                    ),
                )
                sent += 1
            await uow.commit()
        return sent
